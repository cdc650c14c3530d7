"""With a test tenant the scanner also sees what the product sees, and finds what hides behind login."""

from __future__ import annotations

import base64
import subprocess
import sys
from pathlib import Path
from urllib.parse import urlsplit

import pytest

from connectsec.auth.credentials import Credentials, Tenant
from connectsec.demo import DemoTenant
from connectsec.demo.server import DemoServer
from connectsec.demo.violations import VIOLATIONS
from connectsec.engine.request import ScanRequest
from connectsec.model import AuthMode, Outcome, Verdict
from tests.scanning import problem_paths, requirement, scan

TENANT = DemoTenant.random(admin_account_ids=("admin-1",))
AUTH_VIOLATIONS = sorted(
    n for n, v in VIOLATIONS.items() if v.needs_auth and v.requirement in ("R1.2", "R2", "R11", "R12")
)


def credentials(secret: str | None = TENANT.shared_secret) -> Credentials:
    return Credentials((Tenant("t", TENANT.client_key, secret, "user-1", "admin-1"),))


HEADER_REQUIREMENTS = ("R1.2", "R2", "R11", "R12")


def request_for(server: DemoServer, creds: Credentials | None = None, **options: object) -> ScanRequest:
    """The header requirements only: the attack checks have their own tests."""
    return ScanRequest(
        descriptor=server.descriptor_url,
        ca_bundle=server.ca_pem,
        credentials=creds or Credentials(),
        requirements=HEADER_REQUIREMENTS,
        **options,  # type: ignore[arg-type]
    )


def test_compliant_app_behind_jwt_is_clean_and_really_authenticated() -> None:
    with DemoServer(tenants=[TENANT]) as server:
        anonymous = scan(request_for(server))
        authenticated = scan(request_for(server, credentials()))
        hits = sum(server.authenticated_hits.values())
        rejected = dict(server.auth_rejections)
    # without credentials every module page answers 401: nothing can carry tenant data
    assert requirement(anonymous, "R2").outcome is Outcome.SKIPPED
    for rid in ("R1.2", "R2", "R11", "R12"):
        result = requirement(authenticated, rid)
        assert result.outcome is Outcome.PASS, (rid, result.summary, result.findings)
    assert requirement(authenticated, "R2").coverage.tested >= 5
    assert hits >= 8, "the app verified the scanner's tokens (qsh per URL and method)"
    assert not [r for (_path, r) in rejected if r != "missing"], rejected


@pytest.mark.parametrize("name", AUTH_VIOLATIONS)
def test_violation_behind_login_found_only_with_credentials(name: str) -> None:
    violation = VIOLATIONS[name]
    with DemoServer(violations=[name], tenants=[TENANT]) as server:
        anonymous = scan(request_for(server))
        authenticated = scan(request_for(server, credentials()))
    assert requirement(anonymous, violation.requirement).outcome is not Outcome.FAIL
    result = requirement(authenticated, violation.requirement)
    assert result.outcome is Outcome.FAIL, result.summary
    offending = {urlsplit(e.url).path for f in result.findings for e in f.evidence}
    assert offending == set(violation.paths)
    if violation.requirement != "R11":  # a cookie finding lists every URL that set the cookie
        assert problem_paths(result, (Verdict.FAIL,)) == set(violation.paths)
    assert {f.auth_mode for f in result.findings} == {AuthMode.TENANT}
    for finding in result.findings:
        assert "jwt=" not in finding.location


def test_client_key_without_secret_sends_no_tokens() -> None:
    with DemoServer(tenants=[TENANT]) as server:
        report = scan(request_for(server, credentials(secret=None)))
        hits = sum(server.authenticated_hits.values())
    assert hits == 0
    assert requirement(report, "R2").outcome is Outcome.SKIPPED


def test_credentials_never_sent_over_an_unverified_connection() -> None:
    with DemoServer(tenants=[TENANT]) as server:
        report = scan(
            ScanRequest(descriptor=server.descriptor_url, credentials=credentials())
        )  # no CA: all checks
        hits = sum(server.authenticated_hits.values())
        insecure = scan(
            ScanRequest(descriptor=server.descriptor_url, credentials=credentials(), insecure=True)
        )
        insecure_hits = sum(server.authenticated_hits.values()) - hits
    assert hits == 0
    r12 = requirement(report, "R12")
    assert r12.outcome is Outcome.ERROR
    assert any("credentials not sent" in e for e in r12.errors)
    assert insecure_hits > 0
    assert requirement(insecure, "R12").outcome is Outcome.PASS


def test_tenant_secret_and_tokens_never_reach_any_output(tmp_path: Path) -> None:
    secret_file = tmp_path / "secret"
    secret_file.write_text(TENANT.shared_secret)
    with DemoServer(violations=["auth-hsts-missing", "auth-cookie-insecure"], tenants=[TENANT]) as server:
        reports = ["--json", str(tmp_path / "r.json"), "--markdown", str(tmp_path / "r.md")]
        proc = subprocess.run(
            [sys.executable, "-m", "connectsec", "scan", server.descriptor_url, "--ca-bundle", server.ca_pem,
             "--client-key", TENANT.client_key, "--shared-secret-file", str(secret_file),
             "--user-account-id", "user-1", *reports, "-v"],
            capture_output=True, text=True, check=False, timeout=120,
        )  # fmt: skip
        assert sum(server.authenticated_hits.values()) > 0
    assert proc.returncode == 1, proc.stderr
    outputs = [proc.stdout, proc.stderr, (tmp_path / "r.json").read_text(), (tmp_path / "r.md").read_text()]
    secret = TENANT.shared_secret
    forms = [secret, base64.b64encode(secret.encode()).decode().rstrip("="), secret.encode().hex(), "eyJ"]
    for text in outputs:
        for form in forms:
            assert form not in text
    assert '"auth_mode": "tenant"' in outputs[2]


def test_context_token_is_sent_to_api_endpoints_and_never_reported() -> None:
    from connectsec.connect_jwt import CONTEXT_QSH, mint_hs256
    from connectsec.reporting.json_report import render_json

    with DemoServer(tenants=[TENANT]) as server:
        context = mint_hs256(
            TENANT.shared_secret,
            issuer=TENANT.client_key,
            method="GET",
            url=server.base_url + "/api/issues",
            base_url=server.base_url,
            qsh=CONTEXT_QSH,
            lifetime_s=900,
        )
        creds = Credentials((Tenant("t", TENANT.client_key, None),), context_jwt=context)
        report = scan(request_for(server, creds, extra_endpoints=("/api/issues",)))
        rejections = dict(server.auth_rejections)
    # the demo app is correct: context-qsh tokens are refused on this endpoint
    assert rejections.get(("/api/issues", "context_qsh"), 0) >= 1
    assert context not in render_json(report).decode()
