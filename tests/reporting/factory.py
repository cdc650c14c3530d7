"""Hand-built reports: plain data, every requirement of the catalog, a mix of outcomes."""

from __future__ import annotations

from dataclasses import replace

from connectsec.catalog.requirements import REQUIREMENTS
from connectsec.catalog.rules import make_finding
from connectsec.model import (
    Coverage,
    Endpoint,
    EndpointKind,
    Evidence,
    Finding,
    Outcome,
    Report,
    RequirementResult,
    ScanStats,
    Target,
)

BASE = "https://app.example.test"
HOSTILE_URL = "https://app.example.test/a|b`c`\n| injected | row |<script>x</script>"


def evidence(url: str = f"{BASE}/page", status: int | None = 200) -> Evidence:
    """Evidence of one GET."""
    return Evidence(
        method="GET",
        url=url,
        status=status,
        headers=(("cache-control", "private"), ("set-cookie", "sid=[REDACTED]; Path=/")),
        excerpt="<html><body>tenant data</body></html>",
        curl=f"curl -sS -D - -o /dev/null '{url}'",
    )


def findings_for(requirement: str, count: int = 2) -> tuple[Finding, ...]:
    """`count` findings of a catalogued rule of `requirement`, one location each."""
    rule = {
        "R1.2": "hsts.missing",
        "R2": "cache-control.missing",
        "R11": "cookie.token-like-no-httponly",
        "R12": "referrer-policy.unsafe",
    }[requirement]
    return tuple(
        make_finding(rule, f"{BASE}/page/{i}", f"detail {i}", evidence=(evidence(f"{BASE}/page/{i}"),))
        for i in range(count)
    )


_OUTCOMES: dict[str, Outcome] = {
    "R1.1": Outcome.PASS,
    "R1.2": Outcome.FAIL,
    "R2": Outcome.FAIL,
    "R3": Outcome.ERROR,
    "R4": Outcome.SKIPPED,
    "R5": Outcome.MANUAL,
    "R6": Outcome.SKIPPED,
    "R7": Outcome.MANUAL,
    "R8": Outcome.PASS,
    "R9": Outcome.SKIPPED,
    "R10": Outcome.PASS,
    "R11": Outcome.WARN,
    "R12": Outcome.FAIL,
    "R13": Outcome.SKIPPED,
    "R14": Outcome.ERROR,
    "R15": Outcome.MANUAL,
}


def requirement_results() -> tuple[RequirementResult, ...]:
    """One result per catalog requirement, in catalog order."""
    results = []
    for req in REQUIREMENTS:
        outcome = _OUTCOMES[req.id]
        findings = findings_for(req.id) if outcome in (Outcome.FAIL, Outcome.WARN) else ()
        results.append(
            RequirementResult(
                id=req.id,
                title=req.title,
                outcome=outcome,
                summary=f"{req.id}: {outcome} after testing 3 endpoints",
                findings=findings,
                coverage=Coverage(tested=3, untested=1 if outcome is Outcome.ERROR else 0, not_applicable=2),
                errors=("timeout after 10 s",) if outcome is Outcome.ERROR else (),
                notes=("no source tree given",) if outcome is Outcome.SKIPPED else (),
            )
        )
    return tuple(results)


def endpoints() -> tuple[Endpoint, ...]:
    """A small inventory."""
    return (
        Endpoint(f"{BASE}/atlassian-connect.json", EndpointKind.DESCRIPTOR, source="descriptor"),
        Endpoint(
            f"{BASE}/page?issue=10000",
            EndpointKind.PAGE,
            source="modules.generalPages[0].url",
            module_type="generalPages",
            module_key="main",
            template="/page?issue={issue.id}",
        ),
        Endpoint(f"{BASE}/admin", EndpointKind.PAGE, source="modules.adminPages[0].url", admin_only=True),
        Endpoint(f"{BASE}/installed", EndpointKind.LIFECYCLE, method="POST", source="lifecycle.installed"),
    )


def sample_report() -> Report:
    """A report with all sixteen requirements, findings with evidence and scan warnings."""
    return Report(
        tool_version="0.1.0",
        target=Target(f"{BASE}/atlassian-connect.json", "com.example.app", "Example App", BASE),
        started_at="2026-11-28T21:08:00+00:00",
        finished_at="2026-11-28T21:08:12.500000+00:00",
        requirements=requirement_results(),
        endpoints=endpoints(),
        options=(("requirements", "all"), ("timeout", "10")),
        errors=("crawl stopped after 200 pages",),
        warnings=("TLS certificate of localhost did not verify: scanned without verification",),
        stats=ScanStats(requests_sent=42, responses_received=40, bytes_received=123456, duration_s=12.5),
    )


def with_findings(report: Report, requirement: str, findings: tuple[Finding, ...]) -> Report:
    """The report with `requirement`'s findings replaced."""
    results = tuple(replace(r, findings=findings) if r.id == requirement else r for r in report.requirements)
    return replace(report, requirements=results)
