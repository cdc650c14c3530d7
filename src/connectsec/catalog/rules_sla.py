"""Finding types of R15 security SLAs."""

from __future__ import annotations

from connectsec.catalog.rule import Rule
from connectsec.model.outcome import Severity, Verdict

_FIX = (
    "Fix the finding named here (its own remediation says how) and scan again: a scan that runs its "
    "requirement completely without seeing it marks it fixed. If the risk is accepted, suppress it in "
    "connectsec.toml with a reason and an expiry date instead."
)

SLA_RULES: tuple[Rule, ...] = (
    Rule(
        "sla.overdue",
        "R15",
        Verdict.FAIL,
        Severity.HIGH,
        "Open finding past its security SLA due date",
        _FIX,
    ),
    Rule(
        "sla.due-soon",
        "R15",
        Verdict.WARN,
        Severity.LOW,
        "Open finding due within the SLA warning window",
        _FIX,
    ),
)
