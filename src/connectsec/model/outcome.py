"""Outcomes of a requirement, verdicts and severities of findings."""

from __future__ import annotations

from enum import StrEnum


class Outcome(StrEnum):
    """What a requirement ended as (REQUIREMENTS.md: the six outcomes)."""

    PASS = "pass"
    FAIL = "fail"
    WARN = "warn"
    ERROR = "error"
    MANUAL = "manual"
    SKIPPED = "skipped"


class Verdict(StrEnum):
    """What a single finding says about its requirement."""

    FAIL = "fail"
    WARN = "warn"


class Severity(StrEnum):
    """Severity of a finding, from the catalog's severity table."""

    CRITICAL = "critical"
    HIGH = "high"
    MEDIUM = "medium"
    LOW = "low"
    INFO = "info"

    @property
    def rank(self) -> int:
        """Higher is worse: info 0 … critical 4."""
        return _RANK[self]


_RANK = {
    Severity.INFO: 0,
    Severity.LOW: 1,
    Severity.MEDIUM: 2,
    Severity.HIGH: 3,
    Severity.CRITICAL: 4,
}
