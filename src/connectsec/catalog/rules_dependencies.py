"""Finding types of R14 vulnerable dependencies (source: lockfiles and manifests)."""

from __future__ import annotations

from connectsec.catalog.rule import Rule
from connectsec.model import Severity, Verdict

_FIX = (
    "Upgrade the package to the version the finding names (the lowest release outside every loaded "
    "advisory), regenerate the lockfile (`npm install`, `pip-compile`, `poetry lock`, `go get`, "
    "`bundle update`, `composer update`, `dotnet restore --force-evaluate`) and commit it; for a "
    "transitive dependency, upgrade the direct dependency that pulls it in or pin it with an override "
    "(npm `overrides`, yarn `resolutions`, pnpm `overrides`, a constraints file). Without a fixed "
    "release, replace the package or document why the vulnerable code is unreachable."
)
_DEV_FIX = (
    "Upgrade the development dependency as for a runtime one; until then make sure it never ships "
    "(install with `--omit=dev` / `--production`, no dev groups in the deployed image)."
)
_STALE_FIX = (
    "Refresh the advisory data before judging (`connectsec db update`, or `--advisories DIR` with a "
    "current OSV dump such as the per-ecosystem all.zip), then scan again."
)

DEPENDENCY_RULES: tuple[Rule, ...] = (
    Rule(
        "dependency.vulnerable-critical",
        "R14",
        Verdict.FAIL,
        Severity.CRITICAL,
        "Dependency with a critical known vulnerability",
        _FIX,
    ),
    Rule(
        "dependency.vulnerable-high",
        "R14",
        Verdict.FAIL,
        Severity.HIGH,
        "Dependency with a high-severity known vulnerability",
        _FIX,
    ),
    Rule(
        "dependency.vulnerable-medium",
        "R14",
        Verdict.WARN,
        Severity.MEDIUM,
        "Dependency with a medium-severity known vulnerability",
        _FIX,
    ),
    Rule(
        "dependency.vulnerable-low",
        "R14",
        Verdict.WARN,
        Severity.LOW,
        "Dependency with a low-severity known vulnerability",
        _FIX,
    ),
    Rule(
        "dependency.vulnerable-unscored",
        "R14",
        Verdict.WARN,
        Severity.MEDIUM,
        "Dependency with a known vulnerability the advisory data does not score (unscored)",
        _FIX,
    ),
    Rule(
        "dependency.dev-vulnerable-critical",
        "R14",
        Verdict.WARN,
        Severity.CRITICAL,
        "Development-only dependency with a critical known vulnerability",
        _DEV_FIX,
    ),
    Rule(
        "dependency.dev-vulnerable-high",
        "R14",
        Verdict.WARN,
        Severity.HIGH,
        "Development-only dependency with a high-severity known vulnerability",
        _DEV_FIX,
    ),
    Rule(
        "dependency.advisory-data-stale",
        "R14",
        Verdict.WARN,
        Severity.LOW,
        "Advisory data older than the allowed age: recent advisories may be missing",
        _STALE_FIX,
    ),
)
