"""Plain-data judgements of R10, R8 and R7 (no network): one flaw per case."""

from __future__ import annotations

import base64
from dataclasses import replace

import pytest

from connectsec.checks.pages.credentials import CREDENTIAL_COLLECTION_CHECK, judge_script
from connectsec.checks.pages.referer_leak import TOKEN_REFERER_LEAK_CHECK, sends_full_url
from connectsec.checks.pages.secret_exposure import NO_SECRET, SHARED_SECRET_EXPOSURE_CHECK
from connectsec.checks.pages.secret_forms import secret_forms
from connectsec.checks.pages.wording import atlassian_wording
from connectsec.model import AuthMode, EndpointKind, HttpExchange, Observations, Verdict
from tests.checks.exchanges import BASE, GOOD, exchange, headers, observe, redirect, response

SECRET = "s3cr3t-Shared_Secret-value-0123456789abcdefXYZ"
PAGE = f"{BASE}/page"


def html(body: str, url: str = PAGE, hdrs: tuple[tuple[str, str], ...] = GOOD) -> HttpExchange:
    return exchange(response(url, 200, hdrs, f"<!doctype html><html><body>{body}</body></html>".encode()))


def tenant(x: HttpExchange) -> HttpExchange:
    return replace(x, request=replace(x.request, auth=AuthMode.TENANT, tenant="t"))


def rules(observations: Observations, check: object) -> dict[str, Verdict]:
    result = check.judge(observations)  # type: ignore[attr-defined]
    return {f.rule: f.verdict for f in result.findings}


# --- R10 -------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Enter your Jira password", True),
        ("Password for your Atlassian account", True),
        ("https://your-site.atlassian.net", True),
        ("confluenceUsername", True),
        ("Sign in to Acme for Jira", False),
        ("Log in", False),
        ("Connect with Jira Cloud", False),
    ],
)
def test_atlassian_wording(text: str, expected: bool) -> None:
    assert (atlassian_wording([text]) is not None) is expected


@pytest.mark.parametrize(
    ("body", "rule"),
    [
        (
            "<form method=post action=/login><label for=e>Atlassian email</label><input id=e name=email>"
            "<label for=p>Atlassian password</label><input id=p type=password name=pw></form>",
            "credentials.atlassian-password",
        ),
        (
            '<form><input name=site placeholder="your-site.atlassian.net"><input name=u>'
            "<input type=password name=p></form>",
            "credentials.atlassian-password",
        ),
        (
            '<form><input type=email name=email><input name=apiToken placeholder="API token"></form>',
            "credentials.atlassian-api-token",
        ),
        (
            '<p>Create one at <a href="https://id.atlassian.com/manage-profile/security/api-tokens">here</a></p>'
            "<form><input name=value></form>",
            "credentials.atlassian-api-token",
        ),
        (
            "<div><p>Log in with your Jira credentials below please</p><input type=password name=p></div>",
            "credentials.atlassian-password",
        ),
        (
            "<form><label>Email <input type=email name=e></label><label>Password "
            "<input type=password name=p></label><p>Sign in to Acme for Jira</p></form>",
            "credentials.own-login-form",
        ),
    ],
)
def test_credential_forms(body: str, rule: str) -> None:
    found = rules(observe(html(body)), CREDENTIAL_COLLECTION_CHECK)
    assert set(found) == {rule}
    expected = Verdict.WARN if rule == "credentials.own-login-form" else Verdict.FAIL
    assert found[rule] is expected


def test_oauth_link_and_search_box_are_clean() -> None:
    body = (
        '<a href="https://auth.atlassian.com/authorize?audience=api.atlassian.com&client_id=x">'
        "Connect your Atlassian account</a><form><input name=q placeholder=Search></form>"
    )
    result = CREDENTIAL_COLLECTION_CHECK.judge(observe(html(body)))
    assert result.findings == ()
    assert result.coverage.tested == 1


def test_finding_quotes_the_element_escaped() -> None:
    body = '<form id="steal"><input name="jira\x07password" type="password"></form>'
    result = CREDENTIAL_COLLECTION_CHECK.judge(observe(html(body)))
    (finding,) = result.findings
    assert '<input name="jira\\x07password" type="password">' in finding.detail
    assert finding.evidence[0].excerpt is not None
    assert '<form id="steal">' in finding.evidence[0].excerpt
    assert finding.evidence[0].excerpt is not None
    assert "jira" in finding.evidence[0].excerpt


@pytest.mark.parametrize(
    ("code", "rule"),
    [
        (
            'fetch("https://" + site + ".atlassian.net/rest/api/3/myself", {headers: {Authorization: '
            '"Basic " + btoa(email + ":" + token)}})',
            "credentials.basic-auth-script",
        ),
        ("axios.get(`https://${s}.atlassian.net/wiki`, {auth: {username: u, password: p}})", None),
        ('const help = "https://id.atlassian.com/manage-profile/security/api-tokens";', None),
        ('label.textContent = "Your Jira password";', "credentials.atlassian-password"),
        ('AP.request("/rest/api/3/myself").then(r => r.body)', None),
    ],
)
def test_script_judgement(code: str, rule: str | None) -> None:
    verdict = judge_script(code)
    if "auth: {username" in code:
        assert verdict is not None
        assert verdict.rule == "credentials.basic-auth-script"
    elif "api-tokens" in code:
        assert verdict is not None
        assert verdict.rule == "credentials.atlassian-api-token"
    else:
        assert (verdict.rule if verdict else None) == rule


def test_basic_challenge_on_page_fails_on_api_warns() -> None:
    challenge = headers(("www-authenticate", 'Basic realm="app"'))
    page = exchange(response(PAGE, 401, challenge, b"no"))
    api = exchange(response(f"{BASE}/api/x", 401, challenge, b"no"), kind=EndpointKind.API)
    assert rules(observe(page), CREDENTIAL_COLLECTION_CHECK) == {"credentials.basic-challenge": Verdict.FAIL}
    assert rules(observe(api), CREDENTIAL_COLLECTION_CHECK) == {
        "credentials.basic-challenge-api": Verdict.WARN
    }
    jwt = exchange(response(PAGE, 401, headers(("www-authenticate", "JWT")), b"no"))
    assert rules(observe(jwt), CREDENTIAL_COLLECTION_CHECK) == {}


# --- R8 --------------------------------------------------------------------------------------------

NO_REF = '{referrerPolicy: "no-referrer"}'
IMG = '<img src="https://tracker.example.net/p.gif">'
TOKEN_PAGE = f"{PAGE}?jwt=eyJhbGciOiJIUzI1NiJ9.e30.sig"


@pytest.mark.parametrize(
    ("policy", "page", "target", "leaks"),
    [
        ("unsafe-url", "https://a/", "http://b/", True),
        ("no-referrer-when-downgrade", "https://a/", "https://b/", True),
        ("no-referrer-when-downgrade", "https://a/", "http://b/", False),
        ("strict-origin-when-cross-origin", "https://a/", "https://b/", False),
        ("origin-when-cross-origin", "https://a/", "https://b/", False),
        ("origin", "https://a/", "https://b/", False),
        ("no-referrer", "https://a/", "https://b/", False),
    ],
)
def test_policy_table(policy: str, page: str, target: str, leaks: bool) -> None:
    assert sends_full_url(policy, page, target) is leaks


@pytest.mark.parametrize(
    ("hdr", "body", "leaks"),
    [
        ("unsafe-url", IMG, True),
        ("strict-origin-when-cross-origin", IMG, False),
        (None, IMG, False),  # browser default
        ("no-referrer-when-downgrade", IMG, True),
        ("no-referrer, unsafe-url", IMG, True),  # last recognised token wins
        ("unsafe-url", '<img referrerpolicy="no-referrer" src="https://tracker.example.net/p.gif">', False),
        ("no-referrer", '<img referrerpolicy="unsafe-url" src="https://tracker.example.net/p.gif">', True),
        ("no-referrer", f'<meta name="referrer" content="unsafe-url">{IMG}', True),
        ("unsafe-url", f'<meta name="referrer" content="no-referrer">{IMG}', False),
        ("unsafe-url", '<a rel="noreferrer" href="https://other.example.org/">x</a>', False),
        ("unsafe-url", '<a href="https://other.example.org/">x</a>', True),
        ("unsafe-url", '<link rel="preconnect" href="https://cdn.example.org">', False),
        ("unsafe-url", '<link rel="stylesheet" href="https://cdn.example.org/s.css">', True),
        ("unsafe-url", '<form action="https://collect.example.org/f"></form>', True),
        ("unsafe-url", '<script>fetch("https://api.example.org/x")</script>', True),
        ("unsafe-url", f'<script>fetch("https://api.example.org/x", {NO_REF})</script>', False),
        ("unsafe-url", '<img src="/same-origin.png">', False),
        ("unsafe-url", '<script src="https://connect-cdn.atl-paas.net/all.js"></script>', False),
    ],
)  # fmt: skip
def test_token_page_leaks(hdr: str | None, body: str, leaks: bool) -> None:
    page = tenant(html(body, TOKEN_PAGE, headers(("referrer-policy", hdr))))
    result = TOKEN_REFERER_LEAK_CHECK.judge(observe(page))
    assert bool(result.findings) is leaks, result.findings
    assert result.coverage.tested == 1
    for finding in result.findings:
        assert finding.rule == "referer.token-leak"
        assert finding.auth_mode is AuthMode.TENANT
        assert "eyJ" not in finding.detail
        assert "eyJ" not in finding.location
        assert "`jwt`" in finding.detail


def test_page_without_token_is_judged_as_if_loaded_with_jwt() -> None:
    page = html(IMG, PAGE, headers(("referrer-policy", "unsafe-url")))
    result = TOKEN_REFERER_LEAK_CHECK.judge(observe(page))
    (finding,) = result.findings
    assert "as if reached with one" in finding.detail
    assert any("judged as if loaded with ?jwt=" in n for n in result.notes)


def test_no_token_page_and_denied_module_is_skipped() -> None:
    denied = exchange(response(PAGE, 401, GOOD, b"<html><title>Unauthorized</title></html>"))
    result = TOKEN_REFERER_LEAK_CHECK.judge(observe(denied))
    assert result.findings == ()
    assert result.skipped is not None
    assert "tenant secret" in result.skipped


def test_redirect_carrying_token_to_other_origin() -> None:
    hop = redirect(f"{BASE}/go?access_token=abc123", "https://elsewhere.example.org/cb?access_token=abc123")
    result = TOKEN_REFERER_LEAK_CHECK.judge(observe(exchange(hop)))
    (finding,) = result.findings
    assert finding.rule == "referer.token-redirect"
    assert "abc123" not in finding.detail
    clean = redirect(f"{BASE}/go?access_token=abc123", "https://elsewhere.example.org/done")
    assert TOKEN_REFERER_LEAK_CHECK.judge(observe(exchange(clean))).findings == ()


# --- R7 --------------------------------------------------------------------------------------------


ESCAPED = SECRET.replace("-", "%2D")


def with_secret(*exchanges: HttpExchange) -> Observations:
    return replace(observe(*exchanges), known_secrets=(SECRET,))


def _b64(value: str) -> str:
    return base64.b64encode(value.encode()).decode()


@pytest.mark.parametrize(
    ("hdrs", "body", "part", "encoding"),
    [
        ((), f"<script>var cfg = {{key: '{SECRET}'}};</script>", "body", "raw"),
        ((("set-cookie", f"s={_b64(SECRET)}; Secure"),), "", "cookie s", "base64"),
        ((("x-debug", SECRET.encode().hex()),), "", "header x-debug", "hex"),
        ((("x-debug", SECRET.encode().hex().upper()),), "", "header x-debug", "HEX"),
        ((), base64.urlsafe_b64encode(SECRET.encode()).decode().rstrip("="), "body", "without padding"),
        ((), _b64(f'{{"clientKey":"k","sharedSecret":"{SECRET}"}}'), "body", "base64 inside a longer value"),
        ((("location", f"https://x.example/?s={ESCAPED}"),), "", "redirect Location", "raw, percent-encoded"),
        ((), f"<p>{SECRET.replace('-', '&#45;')}</p>", "body", "raw, HTML-escaped"),
    ],
)  # fmt: skip
def test_secret_found(hdrs: tuple[tuple[str, str], ...], body: str, part: str, encoding: str | None) -> None:
    x = exchange(response(PAGE, 200, (*GOOD, *hdrs), body.encode()))
    result = SHARED_SECRET_EXPOSURE_CHECK.judge(with_secret(x))
    (finding,) = [f for f in result.findings if f.rule == "shared-secret.exposed"]
    assert finding.verdict is Verdict.FAIL
    assert part in finding.detail
    if encoding is not None:
        assert encoding in finding.detail
    text = repr(finding)
    for form in secret_forms(SECRET):
        assert form.value.decode() not in text


def test_secret_in_attack_error_page_is_found() -> None:
    x = exchange(response(PAGE, 401, GOOD, f"bad token, expected secret {SECRET}".encode()))
    attack = replace(x, request=replace(x.request, purpose="R9:alg-none"))
    result = SHARED_SECRET_EXPOSURE_CHECK.judge(with_secret(attack))
    assert [f.rule for f in result.findings] == ["shared-secret.exposed"]


def test_clean_responses_pass_with_what_was_tested() -> None:
    x = exchange(response(PAGE, 200, GOOD, b"<p>hello</p>"))
    result = SHARED_SECRET_EXPOSURE_CHECK.judge(with_secret(x))
    assert result.findings == ()
    assert result.skipped is None
    assert result.errors == ()
    assert "1 response URL" in result.tested


def test_without_secret_skipped_but_fields_still_warn() -> None:
    plain = exchange(response(PAGE, 200, GOOD, b"<p>hello</p>"))
    assert SHARED_SECRET_EXPOSURE_CHECK.judge(observe(plain)).skipped == NO_SECRET
    leaky = exchange(response(PAGE, 200, GOOD, b'{"sharedSecret": "other-tenant-secret-value"}'))
    result = SHARED_SECRET_EXPOSURE_CHECK.judge(observe(leaky))
    (finding,) = result.findings
    assert finding.rule == "shared-secret.field-exposed"
    assert finding.verdict is Verdict.WARN
    assert "other-tenant" not in repr(finding)
    placeholder = exchange(
        response(PAGE, 200, GOOD, b'{"sharedSecret": "***", "shared_secret": "sharedSecret"}')
    )
    assert SHARED_SECRET_EXPOSURE_CHECK.judge(observe(placeholder)).skipped == NO_SECRET


def test_short_secret_is_an_error_not_a_pass() -> None:
    x = exchange(response(PAGE, 200, GOOD, b"<p>hello</p>"))
    result = SHARED_SECRET_EXPOSURE_CHECK.judge(replace(observe(x), known_secrets=("abc",)))
    assert result.errors
    assert result.skipped is None


def test_foreign_host_responses_are_not_searched() -> None:
    hop = redirect(PAGE, "https://idp.example.org/login")
    foreign = response("https://idp.example.org/login", 200, GOOD, SECRET.encode())
    result = SHARED_SECRET_EXPOSURE_CHECK.judge(with_secret(exchange(hop, foreign)))
    assert result.findings == ()
