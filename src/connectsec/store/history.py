"""What a scan changes in a target's finding history (pure: no database, the clock passed in).

A finding is keyed by its fingerprint (`Finding.id`: requirement + rule + location). Seen → open (new,
still open, or reopened after a fix). Absent → fixed, but only when the scan ran the finding's
requirement completely (outcome pass/fail/warn/manual); an errored or skipped requirement proves nothing.
A suppressed finding is accepted, not fixed: its history is left as it was.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, replace
from datetime import UTC, date, datetime

from connectsec.model import Finding, Outcome, Report, Severity

COMPLETE_OUTCOMES = frozenset({Outcome.PASS, Outcome.FAIL, Outcome.WARN, Outcome.MANUAL})
UNTRACKED_REQUIREMENTS = frozenset({"R15"})
"""R15's own findings are about the history; tracking them would track the SLA of the SLA."""
_SUPPRESSED_ID = re.compile(r"\[([0-9a-f]{20})\]")


@dataclass(frozen=True)
class TrackedFinding:
    """One finding's life on one target."""

    target: str
    fingerprint: str
    requirement: str
    rule: str
    severity: Severity
    location: str
    title: str
    first_seen: datetime
    last_seen: datetime
    fixed_at: datetime | None = None
    reopened_at: datetime | None = None
    reopened_count: int = 0

    @property
    def is_open(self) -> bool:
        """Not fixed (as far as any complete scan could tell)."""
        return self.fixed_at is None

    @property
    def opened_at(self) -> datetime:
        """Start of the current open period: first seen, or the last reopening (the SLA clock starts here)."""
        return self.reopened_at or self.first_seen

    @property
    def opened_on(self) -> date:
        """The UTC day the SLA clock started."""
        moment = self.opened_at
        return (moment.astimezone(UTC) if moment.tzinfo else moment).date()

    @property
    def history(self) -> str:
        """As of the last scan that saw it: `new`, `open`, `reopened`; or `fixed`."""
        if self.fixed_at is not None:
            return "fixed"
        if self.reopened_at is not None and self.reopened_at == self.last_seen:
            return "reopened"
        if self.first_seen == self.last_seen:
            return "new"
        return "open"


@dataclass(frozen=True)
class Seen:
    """What one scan says about the target's findings."""

    findings: tuple[Finding, ...]
    complete: frozenset[str]
    """Requirements the scan ran completely."""
    suppressed: frozenset[str]
    """Fingerprints of findings a suppression removed."""


def seen_in(report: Report) -> Seen:
    """The trackable content of a report."""
    findings: dict[str, Finding] = {}
    complete: set[str] = set()
    suppressed: set[str] = set()
    for result in report.requirements:
        if result.id in UNTRACKED_REQUIREMENTS:
            continue
        if result.outcome in COMPLETE_OUTCOMES:
            complete.add(result.id)
        for text in result.suppressed:
            suppressed.update(_SUPPRESSED_ID.findall(text))
        for finding in result.findings:
            findings.setdefault(finding.id, finding)
    return Seen(tuple(findings.values()), frozenset(complete), frozenset(suppressed))


def target_key(report: Report) -> str:
    """The name history is kept under: the descriptor URL (or the app key when there is none)."""
    return report.target.descriptor_url or report.target.app_key or "(unnamed target)"


def advance(
    target: str, before: Mapping[str, TrackedFinding], seen: Seen, now: datetime
) -> dict[str, TrackedFinding]:
    """The target's tracked findings after a scan recorded at `now` (fingerprint → state)."""
    after = dict(before)
    present = {f.id: f for f in seen.findings}
    for fingerprint, tracked in before.items():
        gone = fingerprint not in present and fingerprint not in seen.suppressed
        if tracked.is_open and gone and tracked.requirement in seen.complete:
            after[fingerprint] = replace(tracked, fixed_at=now)
    for fingerprint, finding in present.items():
        old = before.get(fingerprint)
        if old is None:
            fresh = TrackedFinding(
                target,
                fingerprint,
                finding.requirement,
                finding.rule,
                finding.severity,
                finding.location,
                finding.title,
                first_seen=now,
                last_seen=now,
            )
            after[fingerprint] = fresh
            continue
        current = replace(
            old,
            requirement=finding.requirement,
            rule=finding.rule,
            severity=finding.severity,
            location=finding.location,
            title=finding.title,
            last_seen=now,
        )
        if not old.is_open:
            current = replace(current, fixed_at=None, reopened_at=now, reopened_count=old.reopened_count + 1)
        after[fingerprint] = current
    return after


def ordered(tracked: Iterable[TrackedFinding]) -> list[TrackedFinding]:
    """Open before fixed, oldest open period first, worst severity first, then by place."""
    return sorted(
        tracked,
        key=lambda t: (not t.is_open, t.opened_at, -t.severity.rank, t.requirement, t.rule, t.location),
    )
