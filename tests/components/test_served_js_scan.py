"""R14 served JavaScript through the real engine against real pages on loopback, one flaw at a time."""

from __future__ import annotations

import hashlib
import json
from importlib import resources
from pathlib import Path

from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import Route

from connectsec.auth.credentials import Credentials, Tenant
from connectsec.checks.components import SERVED_JS_CHECK, ServedJsCheck
from connectsec.components.identify import normalised_content
from connectsec.components.retire import load_repository
from connectsec.demo.server import TlsAppServer
from connectsec.model import AuthMode, Outcome, Severity, Verdict
from tests.components.served_app import (
    JQUERY_CURRENT,
    JQUERY_OLD,
    JS,
    LODASH_BANNER,
    TINY_WIDGET,
    scan_r14,
    script_app,
)

CDN_HOST = "cdn.connectsec.test"


def test_old_jquery_served_same_origin_is_a_medium_warning() -> None:
    app = script_app(
        {"/old": ["/static/js/jquery-1.8.3.min.js"]},
        {"/static/js/jquery-1.8.3.min.js": (200, JQUERY_OLD, JS)},
    )
    with TlsAppServer(app) as server:
        result = scan_r14(server, SERVED_JS_CHECK)
        base = server.base_url
    assert result.outcome is Outcome.WARN, result.summary
    assert len(result.findings) == 1
    finding = result.findings[0]
    assert finding.rule == "served-js.vulnerable-medium"
    assert (finding.verdict, finding.severity) == (Verdict.WARN, Severity.MEDIUM)
    assert finding.location == f"{base}/static/js/jquery-1.8.3.min.js"
    assert finding.auth_mode is AuthMode.NONE
    extra = dict(finding.extra)
    assert extra["libraries"] == "jquery@1.8.3"
    assert set(extra["identified_by"].split()) == {"filecontent", "filename"}
    assert {"CVE-2012-6708", "CVE-2015-9251", "CVE-2019-11358", "CVE-2020-11023"} <= set(
        extra["advisories"].split()
    )
    assert extra["pages"] == f"{base}/old"
    assert "https://nvd.nist.gov/vuln/detail/CVE-2019-11358" in extra["info"].split()
    assert "Upgrade to 3.5.0 or later" in finding.detail
    assert f"Loaded by {base}/old" in finding.detail
    evidence = finding.evidence[0]
    assert evidence.status == 200
    assert evidence.excerpt is not None
    assert "jQuery v1.8.3" in evidence.excerpt
    assert any("commit fd8df0d" in note for note in result.notes)  # the data and its age are stated


def test_current_jquery_is_clean_and_named() -> None:
    app = script_app(
        {"/new": ["/static/js/jquery-3.7.1.min.js"]},
        {"/static/js/jquery-3.7.1.min.js": (200, JQUERY_CURRENT, JS)},
    )
    with TlsAppServer(app) as server:
        result = scan_r14(server, SERVED_JS_CHECK)
    assert result.outcome is Outcome.PASS, result.summary
    assert result.findings == ()
    assert any("jquery@3.7.1" in note for note in result.notes)
    assert result.coverage.tested == 1


def cdn_app(hits: list[str]) -> Starlette:
    async def anything(request: Request) -> Response:
        hits.append(request.url.path)
        return Response(JQUERY_OLD, media_type=JS)

    return Starlette(routes=[Route("/{path:path}", anything)])


def test_cdn_script_is_judged_by_url_and_never_fetched() -> None:
    hits: list[str] = []
    with TlsAppServer(lambda _base: cdn_app(hits), host_name=CDN_HOST) as cdn:
        src = f"https://{CDN_HOST}:{cdn.port}/ajax/libs/jquery/1.8.3/jquery.min.js"
        app = script_app({"/cdn": [src]}, {})
        with TlsAppServer(app) as server:
            # the CDN host resolves to the counting server: any request to it would be seen
            result = scan_r14(server, SERVED_JS_CHECK, resolve={(CDN_HOST, cdn.port): "127.0.0.1"})
    assert hits == []
    assert result.outcome is Outcome.WARN, result.summary
    [finding] = result.findings
    assert finding.location == src
    assert dict(finding.extra)["identified_by"] == "uri"
    assert "never fetched" in finding.detail
    assert finding.evidence[0].status is None


def test_library_found_only_by_its_banner() -> None:
    app = script_app(
        {"/bundle": ["/assets/vendor.js"]}, {"/assets/vendor.js": (200, LODASH_BANNER, "text/javascript")}
    )
    with TlsAppServer(app) as server:
        result = scan_r14(server, SERVED_JS_CHECK)
        base = server.base_url
    assert result.outcome is Outcome.FAIL, result.summary
    [finding] = result.findings
    assert finding.rule == "served-js.vulnerable-high"
    assert finding.location == f"{base}/assets/vendor.js"
    extra = dict(finding.extra)
    assert extra["libraries"] == "lodash@4.17.4"
    assert extra["identified_by"] == "filecontent"
    assert "CVE-2019-10744" in extra["advisories"].split()


def test_library_found_only_by_hash_with_a_newer_repository_file(tmp_path: Path) -> None:
    data = json.loads(
        resources.files("connectsec.data.retirejs").joinpath("jsrepository-v5.json").read_text()
    )
    digest = hashlib.sha1(normalised_content(TINY_WIDGET).encode(), usedforsecurity=False).hexdigest()
    data["tiny-widget"] = {
        "vulnerabilities": [
            {
                "below": "1.3.0",
                "severity": "critical",
                "identifiers": {"summary": "remote code in widgets", "CVE": ["CVE-2099-0001"]},
                "info": ["https://example.org/tiny-widget/advisory"],
            }
        ],
        "extractors": {"hashes": {digest: "1.2.0"}},
    }
    path = tmp_path / "jsrepository-v5.json"
    path.write_text(json.dumps(data))
    check = ServedJsCheck(load_repository(str(path)))
    app = script_app({"/w": ["/w/widget.js?v=7"]}, {"/w/widget.js": (200, TINY_WIDGET, JS)})
    with TlsAppServer(app) as server:
        result = scan_r14(server, check)
        base = server.base_url
    assert result.outcome is Outcome.FAIL, result.summary
    [finding] = result.findings
    assert finding.rule == "served-js.vulnerable-critical"
    assert finding.location == f"{base}/w/widget.js?v=7"
    assert dict(finding.extra)["identified_by"] == "hash"
    assert "tiny-widget 1.2.0" in finding.detail
    assert "CVE-2099-0001" in finding.detail
    assert any(str(path) in note for note in result.notes)  # the report names the data used


def test_pages_without_scripts_are_skipped() -> None:
    app = script_app({"/plain": []}, {})
    with TlsAppServer(app) as server:
        result = scan_r14(server, SERVED_JS_CHECK)
    assert result.outcome is Outcome.SKIPPED
    assert "no JavaScript found" in result.summary


def test_script_that_cannot_be_fetched_is_an_error_not_a_pass() -> None:
    app = script_app(
        {"/broken": ["/static/app.js", "/static/missing.js"]},
        {"/static/app.js": (500, b"oops", "text/plain"), "/static/missing.js": (404, b"", "text/plain")},
    )
    with TlsAppServer(app) as server:
        result = scan_r14(server, SERVED_JS_CHECK)
    assert result.outcome is Outcome.ERROR, result.summary
    assert any("/static/app.js: HTTP 500" in e for e in result.errors)
    assert not any("missing.js" in e for e in result.errors)  # a 404 serves nothing: noted, not an error
    assert any("missing.js" in n for n in result.notes)


def test_script_loaded_only_by_authenticated_pages_says_so() -> None:
    secret = "s" * 32
    app = script_app(
        {"/inside": ["/static/js/jquery-1.8.3.min.js"]},
        {"/static/js/jquery-1.8.3.min.js": (200, JQUERY_OLD, JS)},
        jwt_secret=secret,
    )
    with TlsAppServer(app) as server:
        anonymous = scan_r14(server, SERVED_JS_CHECK)
        credentials = Credentials((Tenant("t", "client-key", secret, "user-1"),))
        authenticated = scan_r14(server, SERVED_JS_CHECK, credentials=credentials)
    assert anonymous.outcome is Outcome.SKIPPED  # every page answers 401 without a token
    assert "refused access (401/403)" in anonymous.summary
    assert authenticated.outcome is Outcome.WARN, authenticated.summary
    [finding] = authenticated.findings
    assert finding.auth_mode is AuthMode.TENANT
    assert secret not in json.dumps([f.detail for f in authenticated.findings] + list(authenticated.notes))
    assert "jwt=" not in finding.detail
