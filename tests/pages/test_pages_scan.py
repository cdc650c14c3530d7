"""R10, R8 and R7 through the real engine against real pages on loopback, one flaw at a time."""

from __future__ import annotations

import base64
from urllib.parse import urlsplit

import pytest

from connectsec.demo.server import TlsAppServer
from connectsec.model import AuthMode, Outcome, Report, Verdict
from tests.pages.targets import TENANT, PageSpec, page_app, scan_pages
from tests.scanning import requirement

THIRD_PARTY_IMG = '<img src="https://tracker.example.net/pixel.gif" alt="">'
SECRET = TENANT.shared_secret
B64 = base64.b64encode(SECRET.encode()).decode()


def scanned(pages: dict[str, PageSpec], *, with_tenant: bool = True) -> Report:
    with TlsAppServer(page_app(pages)) as server:
        return scan_pages(server, with_tenant=with_tenant)


def paths(report: Report, rid: str) -> set[str]:
    return {urlsplit(f.location).path for f in requirement(report, rid).findings}


def test_compliant_target_is_clean() -> None:
    pages = {
        "/issues": PageSpec(f"<p>Issues</p>{THIRD_PARTY_IMG}"),
        "/connect": PageSpec(
            '<a href="https://auth.atlassian.com/authorize?audience=api.atlassian.com">Connect your '
            "Atlassian account</a>",
            protected=False,
        ),
    }
    report = scanned(pages)
    for rid in ("R7", "R8", "R10"):
        result = requirement(report, rid)
        assert result.outcome is Outcome.PASS, (rid, result.summary, result.findings, result.errors)
        assert result.coverage.tested >= 2, rid
    assert "token-bearing page" in requirement(report, "R8").summary


def test_atlassian_password_form_fails() -> None:
    form = (
        '<form method="post" action="/sync"><label for="e">Atlassian email</label><input id="e" name="email">'
        '<label for="p">Jira password</label><input id="p" type="password" name="password"></form>'
    )
    report = scanned({"/settings": PageSpec(form, protected=False), "/issues": PageSpec()}, with_tenant=False)
    result = requirement(report, "R10")
    assert result.outcome is Outcome.FAIL
    (finding,) = result.findings
    assert finding.rule == "credentials.atlassian-password"
    assert urlsplit(finding.location).path == "/settings"
    assert 'name="password"' in finding.detail


def test_own_login_form_warns() -> None:
    form = (
        '<form method="post" action="/login"><input type="email" name="email" placeholder="Email">'
        '<input type="password" name="password" placeholder="Password"><button>Sign in</button></form>'
    )
    report = scanned({"/login": PageSpec(form, protected=False)}, with_tenant=False)
    result = requirement(report, "R10")
    assert result.outcome is Outcome.WARN, result.summary
    assert {f.rule for f in result.findings} == {"credentials.own-login-form"}
    assert paths(report, "R10") == {"/login"}


def test_basic_auth_script_and_basic_challenge_fail() -> None:
    script = (
        "export async function sync(site, email, token) {\n"
        "  const r = await fetch(`https://${site}.atlassian.net/rest/api/3/search`, {\n"
        "    headers: {Authorization: 'Basic ' + btoa(email + ':' + token)}});\n  return r.json();\n}\n"
    )
    pages = {
        "/sync": PageSpec(
            '<p>Sync</p><script type="module" src="/static/sync.js"></script>', protected=False
        ),
        "/admin": PageSpec(status=401, headers={"WWW-Authenticate": 'Basic realm="acme"'}, protected=False),
    }
    with TlsAppServer(page_app(pages, {"/static/sync.js": ("text/javascript", script)})) as server:
        report = scan_pages(server, with_tenant=False)
    result = requirement(report, "R10")
    assert result.outcome is Outcome.FAIL
    by_rule = {f.rule: urlsplit(f.location).path for f in result.findings}
    assert by_rule == {
        "credentials.basic-auth-script": "/static/sync.js",
        "credentials.basic-challenge": "/admin",
    }


@pytest.mark.slow
@pytest.mark.parametrize(
    ("policy", "leaks"), [("unsafe-url", True), ("strict-origin-when-cross-origin", False)]
)
def test_jwt_page_with_third_party_image(policy: str, leaks: bool) -> None:
    pages = {"/issues": PageSpec(THIRD_PARTY_IMG, {"Referrer-Policy": policy})}
    with TlsAppServer(page_app(pages)) as server:
        authenticated = scan_pages(server, with_tenant=True)
        anonymous = scan_pages(server, with_tenant=False)
    result = requirement(authenticated, "R8")
    if not leaks:
        assert result.outcome is Outcome.PASS, (result.summary, result.findings)
        return
    assert result.outcome is Outcome.FAIL
    (finding,) = result.findings
    assert finding.rule == "referer.token-leak"
    assert finding.auth_mode is AuthMode.TENANT
    assert urlsplit(finding.location).path == "/issues"
    assert "jwt" not in urlsplit(finding.location).query
    assert "tracker.example.net/pixel.gif" in finding.detail
    assert "`jwt`" in finding.detail
    assert "eyJ" not in repr(finding)
    # without the tenant the page answers 401: nothing was reached with a token
    skipped = requirement(anonymous, "R8")
    assert skipped.outcome is Outcome.SKIPPED
    assert "tenant secret" in skipped.summary


def test_open_module_page_judged_as_if_loaded_with_jwt() -> None:
    pages = {"/issues": PageSpec(THIRD_PARTY_IMG, {"Referrer-Policy": "unsafe-url"}, protected=False)}
    report = scanned(pages, with_tenant=False)
    result = requirement(report, "R8")
    assert result.outcome is Outcome.FAIL
    (finding,) = result.findings
    assert finding.auth_mode is AuthMode.NONE
    assert "as if reached with one" in finding.detail


@pytest.mark.parametrize(
    ("spec", "part", "encoding"),
    [
        (PageSpec(f"<script>window.cfg = {{secret: '{SECRET}'}};</script>"), "body", "raw"),
        (PageSpec(cookies=(f"cfg={B64}; Secure; HttpOnly",)), "cookie cfg", "base64"),
        (PageSpec(headers={"X-Debug-Token": SECRET.encode().hex()}), "header x-debug-token", "hex"),
    ],
)  # fmt: skip
def test_secret_in_response_fails(spec: PageSpec, part: str, encoding: str) -> None:
    report = scanned({"/issues": spec, "/help": PageSpec(protected=False)})
    result = requirement(report, "R7")
    assert result.outcome is Outcome.FAIL, result.summary
    (finding,) = result.findings
    assert finding.rule == "shared-secret.exposed"
    assert finding.verdict is Verdict.FAIL
    assert urlsplit(finding.location).path == "/issues"
    assert f"{part} ({encoding}" in finding.detail
    assert finding.auth_mode is AuthMode.TENANT
    rendered = repr(finding)
    for form in (SECRET, base64.b64encode(SECRET.encode()).decode().rstrip("="), SECRET.encode().hex()):
        assert form not in rendered


def test_without_secret_r7_is_skipped() -> None:
    report = scanned({"/issues": PageSpec(protected=False)}, with_tenant=False)
    result = requirement(report, "R7")
    assert result.outcome is Outcome.SKIPPED
    assert "no sharedSecret known" in result.summary
