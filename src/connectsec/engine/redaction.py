"""The last line of defence: every string a check returns passes the scan's redactor."""

from __future__ import annotations

import shlex
from dataclasses import replace

from connectsec.model import CheckResult, Evidence, Finding
from connectsec.redact import Redactor


def redact_result(result: CheckResult, redactor: Redactor, curl_options: tuple[str, ...] = ()) -> CheckResult:
    """The same result with known secrets and token shapes masked in every text field.

    `curl_options` (e.g. `--cacert`, `--resolve` from the scan's own options) are added to every
    reproduce command so it reaches the same server the same way.
    """
    return replace(
        result,
        findings=tuple(_finding(f, redactor, curl_options) for f in result.findings),
        tested=redactor.text(result.tested),
        errors=tuple(redactor.text(e) for e in result.errors),
        notes=tuple(redactor.text(n) for n in result.notes),
        skipped=redactor.text(result.skipped) if result.skipped else result.skipped,
    )


def _finding(finding: Finding, redactor: Redactor, curl_options: tuple[str, ...]) -> Finding:
    location = finding.location
    location = redactor.url(location) if "://" in location else redactor.text(location)
    return replace(
        finding,
        location=location,
        detail=redactor.text(finding.detail),
        evidence=tuple(_evidence(e, redactor, curl_options) for e in finding.evidence),
        extra=tuple((k, redactor.text(v)) for k, v in finding.extra),
    )


def _evidence(evidence: Evidence, redactor: Redactor, curl_options: tuple[str, ...]) -> Evidence:
    curl = evidence.curl
    if curl and curl_options and curl.startswith("curl "):
        curl = f"curl {shlex.join(curl_options)} {curl[5:]}"
    return replace(
        evidence,
        url=redactor.url(evidence.url),
        headers=tuple((k, redactor.header(k, v)) for k, v in evidence.headers),
        excerpt=redactor.text(evidence.excerpt) if evidence.excerpt else evidence.excerpt,
        curl=redactor.text(curl) if curl else curl,
    )
