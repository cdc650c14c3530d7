"""R15 security SLAs: due dates on the report's findings, and the requirement's outcome over history."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import replace
from datetime import date, timedelta

from connectsec.catalog.requirements import BY_ID as REQUIREMENTS
from connectsec.catalog.rules_sla import SLA_RULES
from connectsec.model import Coverage, Finding, Outcome, Report, RequirementResult
from connectsec.sla.policy import SlaPolicy
from connectsec.store.history import TrackedFinding

_RULES = {r.id: r for r in SLA_RULES}


def annotate(report: Report, tracked: Sequence[TrackedFinding], policy: SlaPolicy) -> Report:
    """The report with `first_seen`, `due` and `history` on every finding the history knows."""
    by_fingerprint = {t.fingerprint: t for t in tracked}

    def mark(finding: Finding) -> Finding:
        t = by_fingerprint.get(finding.id)
        if t is None or not t.is_open:
            return finding
        return replace(
            finding,
            first_seen=t.first_seen.date().isoformat(),
            due=due_date(t, policy).isoformat(),
            history=t.history,
        )

    results = tuple(replace(r, findings=tuple(mark(f) for f in r.findings)) for r in report.requirements)
    return replace(report, requirements=results)


def due_date(tracked: TrackedFinding, policy: SlaPolicy) -> date:
    """When the SLA wants it fixed: the severity's days from the start of its current open period."""
    return policy.due(tracked.opened_on, tracked.severity)


def r15_result(tracked: Sequence[TrackedFinding], policy: SlaPolicy, today: date) -> RequirementResult:
    """Fail when an open finding is overdue, warn when one is due within `policy.due_soon` days, else pass."""
    open_ = sorted((t for t in tracked if t.is_open), key=lambda t: (due_date(t, policy), t.fingerprint))
    findings: list[Finding] = []
    soon_limit = today + timedelta(days=policy.due_soon)
    for t in open_:
        due = due_date(t, policy)
        if due < today:
            findings.append(
                _finding("sla.overdue", t, due, f"overdue since {due} ({(today - due).days} days)")
            )
        elif due <= soon_limit:
            findings.append(
                _finding("sla.due-soon", t, due, f"due on {due} ({(due - today).days} days left)")
            )
    overdue = sum(1 for f in findings if f.rule == "sla.overdue")
    soon = len(findings) - overdue
    if overdue:
        outcome, summary = Outcome.FAIL, f"{overdue} of {len(open_)} open findings past their SLA due date"
    elif soon:
        outcome, summary = (
            Outcome.WARN,
            f"{soon} of {len(open_)} open findings due within {policy.due_soon} days",
        )
    elif open_:
        nxt = due_date(open_[0], policy)
        outcome, summary = Outcome.PASS, f"{len(open_)} open findings, none overdue; next due on {nxt}"
    else:
        outcome, summary = Outcome.PASS, "no open findings in the history of this target"
    return RequirementResult(
        id="R15",
        title=REQUIREMENTS["R15"].title,
        outcome=outcome,
        summary=summary,
        findings=tuple(findings),
        coverage=Coverage(tested=len(open_)),
    )


def r15_skipped(reason: str = "scan history is disabled (--no-history)") -> RequirementResult:
    """R15 when there is no history to judge."""
    return RequirementResult(
        id="R15", title=REQUIREMENTS["R15"].title, outcome=Outcome.SKIPPED, summary=reason
    )


def _finding(rule_id: str, t: TrackedFinding, due: date, when: str) -> Finding:
    rule = _RULES[rule_id]
    opened = "reopened" if t.reopened_at is not None else "first seen"
    return Finding(
        requirement=rule.requirement,
        rule=rule.id,
        verdict=rule.verdict,
        severity=rule.severity,
        title=rule.title,
        location=f"{t.requirement} {t.rule} {t.location}",
        detail=f"{t.severity.value} {t.rule} ({t.title}) at {t.location}, {opened} {t.opened_on}: {when}.",
        remediation=rule.remediation,
        extra=(
            ("fingerprint", t.fingerprint),
            ("severity", t.severity.value),
            ("first_seen", t.first_seen.date().isoformat()),
            ("due", due.isoformat()),
        ),
    )
