"""After a scan: record it in the history store, put SLA dates on its findings, judge R15."""

from __future__ import annotations

from dataclasses import replace
from datetime import datetime

from connectsec.model import Report, RequirementResult
from connectsec.reporting.html import TrendPoint
from connectsec.sla import SlaPolicy, annotate, r15_result, r15_skipped
from connectsec.store import Store, target_key


def with_history(
    report: Report, store: Store, policy: SlaPolicy, now: datetime
) -> tuple[Report, list[TrendPoint]]:
    """The report recorded, annotated (first seen, due, new/open/reopened) and with R15 judged; the trend."""
    tracked = store.record(report, now)
    report = annotate(report, tracked, policy)
    if _requested(report, "R15"):
        report = _replace_r15(report, r15_result(tracked, policy, now.date()))
    trend = [
        TrendPoint((s.started_at or s.recorded_at).isoformat(), s.by_requirement(), s.by_severity())
        for s in store.scans(target_key(report))
    ]
    return report, trend


def without_history(report: Report, reason: str) -> Report:
    """R15 skipped, saying why (history switched off)."""
    return _replace_r15(report, r15_skipped(reason)) if _requested(report, "R15") else report


def _requested(report: Report, requirement: str) -> bool:
    chosen = dict(report.options).get("requirements", "")
    return requirement in chosen.split(",")


def _replace_r15(report: Report, result: RequirementResult) -> Report:
    return replace(report, requirements=tuple(result if r.id == "R15" else r for r in report.requirements))
