"""What a check concludes and what a requirement rolls up to."""

from __future__ import annotations

from dataclasses import dataclass, field

from connectsec.model.finding import Finding
from connectsec.model.outcome import Outcome


@dataclass(frozen=True)
class Coverage:
    """How much of the inventory a requirement's checks could judge."""

    tested: int = 0
    untested: int = 0
    """In scope but no usable observation (the request failed)."""
    inconclusive: int = 0
    """Observed, but the answer cannot be judged (e.g. body truncated where it mattered)."""
    not_applicable: int = 0
    """Out of scope for this requirement (static assets, cacheable modules …)."""

    def __add__(self, other: Coverage) -> Coverage:
        return Coverage(
            self.tested + other.tested,
            self.untested + other.untested,
            self.inconclusive + other.inconclusive,
            self.not_applicable + other.not_applicable,
        )

    @property
    def in_scope(self) -> int:
        """Everything that should have been judged."""
        return self.tested + self.untested + self.inconclusive


@dataclass(frozen=True)
class CheckResult:
    """A check's judgement: pure output of pure input."""

    requirement: str
    findings: tuple[Finding, ...] = ()
    coverage: Coverage = field(default_factory=Coverage)
    tested: str = ""
    """What was tested, in a sentence (for the pass summary)."""
    errors: tuple[str, ...] = ()
    """Reasons parts could not be tested; any makes the outcome `error` unless something fails."""
    notes: tuple[str, ...] = ()
    skipped: str | None = None
    """Set when nothing could be judged and that is not a failure (says why)."""
    manual: tuple[str, ...] = ()
    """Checklist items a person must verify (what cannot be seen from outside or in code)."""
    suppressed: tuple[str, ...] = ()
    """Findings removed by a suppression in connectsec.toml, each with its reason (set by the engine)."""


@dataclass(frozen=True)
class RequirementResult:
    """One requirement's outcome in the report."""

    id: str
    title: str
    outcome: Outcome
    summary: str
    findings: tuple[Finding, ...] = ()
    coverage: Coverage = field(default_factory=Coverage)
    errors: tuple[str, ...] = ()
    notes: tuple[str, ...] = ()
    manual: tuple[str, ...] = ()
    """The checklist a person must go through (outcome `manual` when nothing else decides)."""
    suppressed: tuple[str, ...] = ()
    """Accepted findings left out of this result, with the reason given for each."""
