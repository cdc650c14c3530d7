"""Finding types of R14 vulnerable components."""

from __future__ import annotations

from connectsec.catalog.rule import Rule
from connectsec.model import Severity, Verdict

_SERVED_JS_FIX = (
    "Upgrade the library to a release outside the range of every listed advisory (the finding names "
    "the lowest such release), or remove it; where an advisory has no fixed release, replace the "
    "library. Update the copy the app serves (bundled file or versioned CDN URL, with Subresource "
    "Integrity for CDN scripts), not only package.json."
)

SERVED_JS_RULES: tuple[Rule, ...] = (
    Rule(
        "served-js.vulnerable-critical",
        "R14",
        Verdict.FAIL,
        Severity.CRITICAL,
        "Served JavaScript library with a critical known vulnerability",
        _SERVED_JS_FIX,
    ),
    Rule(
        "served-js.vulnerable-high",
        "R14",
        Verdict.FAIL,
        Severity.HIGH,
        "Served JavaScript library with a high-severity known vulnerability",
        _SERVED_JS_FIX,
    ),
    Rule(
        "served-js.vulnerable-medium",
        "R14",
        Verdict.WARN,
        Severity.MEDIUM,
        "Served JavaScript library with a medium-severity known vulnerability",
        _SERVED_JS_FIX,
    ),
    Rule(
        "served-js.vulnerable-low",
        "R14",
        Verdict.WARN,
        Severity.LOW,
        "Served JavaScript library with a low-severity known vulnerability",
        _SERVED_JS_FIX,
    ),
)

COMPONENT_RULES: tuple[Rule, ...] = SERVED_JS_RULES
