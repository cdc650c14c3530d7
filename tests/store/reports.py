"""Reports built directly from catalogued findings, as a scan would produce them."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from datetime import UTC, datetime, timedelta

from connectsec.catalog.requirements import BY_ID
from connectsec.catalog.rules import make_finding
from connectsec.model import Finding, Outcome, Report, RequirementResult, Target

DESCRIPTOR = "https://app.example.test/atlassian-connect.json"
T0 = datetime(2026, 3, 2, 9, 30, tzinfo=UTC)


def day(n: int) -> datetime:
    """The injected clock: n days after T0."""
    return T0 + timedelta(days=n)


def finding(rule: str, path: str = "/pages/dashboard") -> Finding:
    """A catalogued finding at a URL of the app."""
    return make_finding(rule, f"https://app.example.test{path}", f"{rule} seen at {path}")


def result(rid: str, findings: Sequence[Finding] = (), outcome: Outcome | None = None) -> RequirementResult:
    """A requirement's result; fail when it has findings, pass otherwise, unless told."""
    chosen = outcome or (Outcome.FAIL if findings else Outcome.PASS)
    return RequirementResult(rid, BY_ID[rid].title, chosen, f"{rid} {chosen}", tuple(findings))


def report(
    results: Sequence[RequirementResult],
    descriptor: str = DESCRIPTOR,
    options: Mapping[str, str] | None = None,
) -> Report:
    """A report of one scan of `descriptor`."""
    return Report(
        tool_version="0.1.0",
        target=Target(descriptor, "com.example.app", "Example", "https://app.example.test"),
        started_at="2026-03-02T09:29:00Z",
        finished_at="2026-03-02T09:30:00Z",
        requirements=tuple(results),
        endpoints=(),
        options=tuple((options or {"timeout": "10.0"}).items()),
    )
