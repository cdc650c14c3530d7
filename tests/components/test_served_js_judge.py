"""The served-JS judgement on hand-built observations: the cases a loopback app does not reach easily."""

from __future__ import annotations

from dataclasses import replace
from importlib import resources
from pathlib import Path

from connectsec.checks.components import SERVED_JS_CHECK, served_js_check
from connectsec.components.retire import bundled_repository
from connectsec.model import EndpointKind, HttpResponse
from tests.checks.exchanges import BASE, exchange, observe, response
from tests.components.served_app import JQUERY_CURRENT, JQUERY_OLD

HTML = (("content-type", "text/html"),)
JS = (("content-type", "application/javascript"),)


def page(*tags: str, url: str = f"{BASE}/page") -> HttpResponse:
    return response(url, hdrs=HTML, body=f"<html><head>{''.join(tags)}</head></html>".encode())


def script(path: str, body: bytes, truncated: bool = False) -> HttpResponse:
    return replace(response(f"{BASE}{path}", hdrs=JS, body=body), body_truncated=truncated)


def test_truncated_script_without_a_banner_is_an_error() -> None:
    result = SERVED_JS_CHECK.judge(
        observe(
            exchange(page('<script src="/big.js"></script>')),
            exchange(script("/big.js", b"var x=1;" * 100, truncated=True), kind=EndpointKind.STATIC),
        )
    )
    assert result.findings == ()
    assert any("/big.js: body truncated" in e for e in result.errors)


def test_truncated_script_with_a_banner_is_still_judged() -> None:
    result = SERVED_JS_CHECK.judge(
        observe(
            exchange(page('<script src="/jq.js"></script>')),
            exchange(script("/jq.js", JQUERY_OLD, truncated=True), kind=EndpointKind.STATIC),
        )
    )
    assert [f.rule for f in result.findings] == ["served-js.vulnerable-medium"]
    assert result.errors == ()


def test_unfetched_same_origin_script_is_judged_by_its_name_or_is_an_error() -> None:
    result = SERVED_JS_CHECK.judge(
        observe(
            exchange(page('<script src="/js/jquery-1.8.3.js"></script><script src="/js/app.js"></script>'))
        )
    )
    assert [f.location for f in result.findings] == [f"{BASE}/js/jquery-1.8.3.js"]
    assert "could not be fetched (not fetched" in result.findings[0].detail
    assert result.errors == (f"{BASE}/js/app.js: not fetched (the crawl's page limit?)",)
    assert any("judged by URL only" in n and "jquery-1.8.3.js" in n for n in result.notes)


def test_unidentified_third_party_script_is_inconclusive_and_noted() -> None:
    result = SERVED_JS_CHECK.judge(
        observe(exchange(page('<script src="https://cdn.example/widget/app.js"></script>')))
    )
    assert result.findings == ()
    assert result.errors == ()
    assert result.coverage.inconclusive == 1
    assert any("cdn.example/widget/app.js" in n and "not identified" in n for n in result.notes)


def test_non_script_types_and_data_urls_are_not_scripts() -> None:
    result = SERVED_JS_CHECK.judge(
        observe(
            exchange(
                page(
                    '<script type="text/template" src="https://cdn.example/jquery-1.8.3.js"></script>',
                    '<script src="data:text/javascript,alert(1)"></script>',
                )
            )
        )
    )
    assert result.skipped is not None
    assert result.findings == ()


def test_attack_traffic_is_ignored() -> None:
    attack = exchange(script("/jq.js", JQUERY_OLD), kind=EndpointKind.STATIC)
    attack = replace(attack, request=replace(attack.request, purpose="R9:alg-none"))
    result = SERVED_JS_CHECK.judge(observe(attack))
    assert result.findings == ()
    assert result.skipped is not None


def test_script_fetched_as_an_endpoint_of_its_own_is_judged() -> None:
    result = SERVED_JS_CHECK.judge(
        observe(exchange(script("/lib/x.js", JQUERY_OLD), kind=EndpointKind.STATIC))
    )
    [finding] = result.findings
    assert finding.location == f"{BASE}/lib/x.js"
    assert "no page of the scan loads it" in finding.detail


def test_html_fallback_for_a_script_is_not_served_javascript() -> None:
    result = SERVED_JS_CHECK.judge(
        observe(
            exchange(page('<script src="/js/jquery-1.8.3.js"></script>')),
            exchange(page(url=f"{BASE}/js/jquery-1.8.3.js"), kind=EndpointKind.STATIC),
        )
    )
    assert result.findings == ()
    assert any("not served as" in n for n in result.notes)


def test_same_script_on_two_pages_is_one_finding_naming_both() -> None:
    result = SERVED_JS_CHECK.judge(
        observe(
            exchange(page('<script src="/jq.js"></script>', url=f"{BASE}/a")),
            exchange(page('<script src="/jq.js#x"></script>', url=f"{BASE}/b")),
            exchange(script("/jq.js", JQUERY_OLD), kind=EndpointKind.STATIC),
        )
    )
    [finding] = result.findings
    assert dict(finding.extra)["pages"] == f"{BASE}/a {BASE}/b"


def test_two_libraries_in_one_bundle() -> None:
    bundle = JQUERY_OLD + b"\n" + JQUERY_CURRENT.replace(b"jQuery", b"x")  # only one real banner
    bundle += b"/**\n * @license\n * Lodash v4.17.4 lodash.com/license\n */\n"
    result = SERVED_JS_CHECK.judge(
        observe(
            exchange(page('<script src="/b.js"></script>')),
            exchange(script("/b.js", bundle), kind=EndpointKind.STATIC),
        )
    )
    [finding] = result.findings
    assert finding.rule == "served-js.vulnerable-high"  # the worst advisory of either library
    assert dict(finding.extra)["libraries"] == "jquery@1.8.3 lodash@4.17.4"


def test_stale_data_is_said(tmp_path: Path) -> None:
    observations = observe(
        exchange(page('<script src="https://cdn.example/jquery/3.7.1/jquery.min.js"></script>'))
    )
    bundled = SERVED_JS_CHECK.judge(observations)
    assert any("more than 90 days old" in n for n in bundled.notes) == bundled_repository().stale
    fresh = tmp_path / "jsrepository-v5.json"
    fresh.write_bytes(
        resources.files("connectsec.data.retirejs").joinpath("jsrepository-v5.json").read_bytes()
    )
    result = served_js_check(str(fresh)).judge(observations)
    assert not any("days old:" in n for n in result.notes)
    assert any(f"data from {fresh} (file modified" in n and "0 days old" in n for n in result.notes)
    assert served_js_check(None) is SERVED_JS_CHECK
