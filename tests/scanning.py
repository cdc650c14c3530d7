"""Test helpers: run a real scan in-process against a real server."""

from __future__ import annotations

import asyncio
import re
from dataclasses import replace
from urllib.parse import urlsplit

from connectsec.demo.server import DemoServer
from connectsec.engine.request import ScanRequest
from connectsec.engine.scan import Scanner
from connectsec.model import Finding, Outcome, Report, RequirementResult, Verdict


def scan(request: ScanRequest) -> Report:
    """One full scan, as `connectsec scan` runs it."""

    async def go() -> Report:
        async with Scanner(request) as scanner:
            return await scanner.run()

    return asyncio.run(go())


def scan_demo(server: DemoServer, **options: object) -> Report:
    """Scan a running demo server, trusting its throwaway CA."""
    request = ScanRequest(descriptor=server.descriptor_url, ca_bundle=server.ca_pem)
    return scan(replace(request, **options))  # type: ignore[arg-type]


def requirement(report: Report, rid: str) -> RequirementResult:
    """The result of one requirement."""
    return next(r for r in report.requirements if r.id == rid)


def outcomes(report: Report) -> dict[str, Outcome]:
    """Requirement id → outcome."""
    return {r.id: r.outcome for r in report.requirements}


def problem_paths(
    result: RequirementResult, verdicts: tuple[Verdict, ...] = (Verdict.FAIL, Verdict.WARN)
) -> set[str]:
    """Paths of every URL a requirement's findings point at (cookie findings: the URLs that set them)."""
    paths: set[str] = set()
    for finding in result.findings:
        if finding.verdict not in verdicts:
            continue
        for url in finding_urls(finding):
            paths.add(urlsplit(url).path)
    return paths


def finding_urls(finding: Finding) -> list[str]:
    """The URL(s) a finding is about."""
    extra = dict(finding.extra)
    if "urls" in extra:
        return extra["urls"].split()
    return [finding.location]


def signature(result: RequirementResult) -> tuple[Outcome, frozenset[tuple[str, str, str]]]:
    """What must not change when an unrelated violation is switched on."""
    return result.outcome, frozenset(
        (f.rule, f.verdict.value, _portless(f.location)) for f in result.findings
    )


def _portless(location: str) -> str:
    """A location without scheme, host and port: every demo server listens on another port."""
    rest = location.split("://", 1)[-1]
    return rest.split("/", 1)[-1] if "/" in rest else re.sub(r":\d+", "", rest)
