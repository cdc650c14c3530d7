"""Reports for the SARIF, JUnit and HTML renderers: source, host and hostile findings beside the sample."""

from __future__ import annotations

from dataclasses import replace

from connectsec.catalog.rules import make_finding
from connectsec.model import Evidence, Finding, Outcome, Report
from tests.reporting.factory import BASE, sample_report, with_findings

HOSTILE = "<script>alert('x')</script> \"quoted\" & ünïcødé ✓ \u202e \x1b[31m"
ABS_ROOT = "/srv/checkout/app"


def source_findings() -> tuple[Finding, ...]:
    """Committed secrets: one in the working tree, one only in history, one by absolute path."""
    worktree = make_finding(
        "secret.github-token",
        "src/config.js:12",
        "GitHub token: ghp_…[REDACTED]",
        (Evidence("FILE", "file:src/config.js#L12", None, curl="sed -n '12p' src/config.js"),),
        (("fingerprint", "a1b2c3d4e5f6a7b8c9d0"), ("preview", "ghp_…"), ("kind", "github")),
    )
    history = make_finding(
        "secret.private-key",
        "keys/old.pem:1@0123456789ab",
        "Private key, removed since",
        (
            Evidence(
                "GIT", "git:0123456789ab:keys/old.pem#L1", None, curl="git show 0123456789ab:keys/old.pem"
            ),
        ),
        (("fingerprint", "ffeeddccbbaa99887766"), ("commit", "0123456789abcdef0123")),
    )
    absolute = make_finding(
        "secret.aws-access-key",
        f"{ABS_ROOT}/deploy/env.sh:3",
        "AWS access key id",
        (Evidence("FILE", f"file:{ABS_ROOT}/deploy/env.sh#L3", None),),
        (("fingerprint", "00112233445566778899"),),
    )
    return (worktree, history, absolute)


def host_finding() -> Finding:
    """A TLS finding located at `host:port` (looks like `path:line`, but is an endpoint)."""
    return make_finding(
        "tls.legacy-protocol",
        "app.example.test:443",
        "TLS 1.0 accepted",
        (Evidence("TLS", "tls://app.example.test:443 (127.0.0.1)", None, curl="openssl s_client -tls1"),),
    )


def hostile_finding() -> Finding:
    """An endpoint finding whose location, detail and evidence carry markup, quotes and controls."""
    url = f"{BASE}/x?q={HOSTILE}"
    evidence = Evidence(
        "GET",
        url,
        200,
        headers=(("x-evil", HOSTILE),),
        excerpt=f"<html>{HOSTILE}</html>",
        curl=f"curl '{url}'",
    )
    return make_finding("referrer-policy.unsafe", url, f"detail {HOSTILE}", (evidence,), (("note", HOSTILE),))


def rich_report() -> Report:
    """The sample report plus source findings (R8), a host finding (R1.1) and a hostile finding (R12)."""
    report = sample_report()
    r12 = next(r for r in report.requirements if r.id == "R12")
    report = with_findings(report, "R8", source_findings())
    report = with_findings(report, "R1.1", (host_finding(),))
    report = with_findings(report, "R12", (*r12.findings, hostile_finding()))
    results = tuple(
        replace(r, outcome=Outcome.FAIL)
        if r.id in ("R1.1", "R8")
        else replace(r, suppressed=("fingerprint abc at x: test fixture",))
        if r.id == "R2"
        else replace(r, manual=("check the admin page by hand",))
        if r.id == "R5"
        else r
        for r in report.requirements
    )
    return replace(report, requirements=results)
