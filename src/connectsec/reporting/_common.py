"""Helpers shared by the renderers: counts, labels, making hostile text visible."""

from __future__ import annotations

import re
from collections import Counter

from connectsec.model import Coverage, Finding, Outcome, Report, Severity

_NEWLINES = re.compile(r"\r\n|[\r\n\u2028\u2029]")
# C0/C1 controls (tab kept) and the bidirectional controls of "Trojan source".
_INVISIBLE = re.compile(r"[\x00-\x08\x0b-\x1f\x7f-\x9f\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069]")
_SEVERITIES_WORST_FIRST = tuple(sorted(Severity, key=lambda s: s.rank, reverse=True))


def _escape_char(match: re.Match[str]) -> str:
    code = ord(match.group())
    return f"\\x{code:02x}" if code < 0x100 else f"\\u{code:04x}"


def visible(text: str, newline: str | None = None) -> str:
    """Control and bidi characters as `\\x1b`-style escapes; newlines become `newline` when given."""
    if newline is not None:
        text = _NEWLINES.sub(newline, text)
    return _INVISIBLE.sub(_escape_char, text)


def outcome_counts(report: Report) -> dict[Outcome, int]:
    """Requirements per outcome, every outcome present, in enum order."""
    counts = Counter(r.outcome for r in report.requirements)
    return {o: counts[o] for o in Outcome}


def severity_counts(findings: tuple[Finding, ...] | list[Finding]) -> dict[Severity, int]:
    """Findings per severity, worst first, every severity present."""
    counts = Counter(f.severity for f in findings)
    return {s: counts[s] for s in _SEVERITIES_WORST_FIRST}


def all_findings(report: Report) -> list[Finding]:
    """Every finding of the report, in report order."""
    return [f for r in report.requirements for f in r.findings]


def findings_label(findings: tuple[Finding, ...]) -> str:
    """`0`, `4 medium` (all alike) or `12 (3 high)` (how many have the worst severity)."""
    total = len(findings)
    if not total:
        return "0"
    worst, count = next((s, n) for s, n in severity_counts(findings).items() if n)
    return f"{total} {worst}" if count == total else f"{total} ({count} {worst})"


def coverage_label(coverage: Coverage) -> str:
    """`31/31 tested` or `29/31 tested, 2 untested`; `none in scope` when nothing was."""
    if not coverage.in_scope:
        return "none in scope"
    label = f"{coverage.tested}/{coverage.in_scope} tested"
    for count, word in ((coverage.untested, "untested"), (coverage.inconclusive, "inconclusive")):
        if count:
            label += f", {count} {word}"
    return label
