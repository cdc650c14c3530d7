"""CacheControlCheck judgement: final responses that can carry tenant data."""

from __future__ import annotations

import pytest

from connectsec.checks.headers.cache_control import CacheControlCheck
from connectsec.model import EndpointKind, HttpExchange

from .exchanges import BASE, exchange, headers, observe, redirect, response

CC = "cache-control"
CT = "content-type"
PAGE = f"{BASE}/page"


def cc(*values: str) -> HttpExchange:
    return exchange(response(hdrs=headers(*((CC, v) for v in values)) if values else headers((CC, None))))


CASES = [
    ("no-cache, no-store", [cc("no-cache, no-store")], []),
    ("two headers combined", [cc("no-cache", "no-store")], []),
    ("upper case", [cc("NO-STORE, No-Cache, private")], []),
    ("missing", [cc()], [("cache-control.missing", PAGE)]),
    ("private alone", [cc("private")], [("cache-control.private-only", PAGE)]),
    ("private, max-age", [cc("private, max-age=600")], [("cache-control.private-only", PAGE)]),
    ("no-store only", [cc("no-store")], [("cache-control.no-cache-missing", PAGE)]),
    ("no-cache only", [cc("no-cache")], [("cache-control.no-store-missing", PAGE)]),
    ("private, no-store", [cc("private, no-store")], [("cache-control.no-cache-missing", PAGE)]),
    (
        "qualified no-cache",
        [cc('no-cache="Set-Cookie", no-store')],
        [("cache-control.no-cache-missing", PAGE)],
    ),
    (
        "space separated",
        [cc("no-cache no-store")],
        [("cache-control.no-store-missing", PAGE), ("cache-control.no-cache-missing", PAGE)],
    ),
    (
        "max-age only",
        [cc("max-age=0")],
        [("cache-control.no-store-missing", PAGE), ("cache-control.no-cache-missing", PAGE)],
    ),
    (
        "octet-stream download in scope",
        [exchange(response(hdrs=headers((CC, None), (CT, "application/octet-stream"))))],
        [("cache-control.missing", PAGE)],
    ),
    (
        "json api in scope",
        [exchange(response(hdrs=headers((CC, None), (CT, "application/json"))), kind=EndpointKind.API)],
        [("cache-control.missing", PAGE)],
    ),
    ("only the final hop", [exchange(redirect(f"{BASE}/a", PAGE, headers((CC, None))), response())], []),
    (
        "final after redirect",
        [exchange(redirect(f"{BASE}/a", PAGE), response(hdrs=headers((CC, None))))],
        [("cache-control.missing", PAGE)],
    ),
    ("deduplicated", [cc(), cc()], [("cache-control.missing", PAGE)]),
]


@pytest.mark.parametrize(("exchanges", "expected"), [c[1:] for c in CASES], ids=[c[0] for c in CASES])
def test_findings(exchanges: list[HttpExchange], expected: list[tuple[str, str]]) -> None:
    result = CacheControlCheck().judge(observe(*exchanges))
    assert [(f.rule, f.location) for f in result.findings] == expected
    assert result.coverage.tested == 1


BARE = headers((CC, None))
OUT_OF_SCOPE = [
    ("401", exchange(response(status=401, hdrs=BARE))),
    ("404", exchange(response(status=404, hdrs=BARE))),
    ("500", exchange(response(status=500, hdrs=BARE))),
    ("204", exchange(response(status=204, hdrs=BARE))),
    ("205", exchange(response(status=205, hdrs=BARE))),
    ("final redirect", exchange(redirect(PAGE, f"{BASE}/login", BARE))),
    ("static endpoint", exchange(response(hdrs=BARE), kind=EndpointKind.STATIC)),
    (
        "descriptor",
        exchange(response(hdrs=headers((CC, None), (CT, "application/json"))), kind=EndpointKind.DESCRIPTOR),
    ),
    ("cacheable module", exchange(response(hdrs=BARE), cacheable=True)),
    ("javascript", exchange(response(hdrs=headers((CC, None), (CT, "text/javascript; charset=utf-8"))))),
    ("css", exchange(response(hdrs=headers((CC, None), (CT, "text/css"))))),
    ("image", exchange(response(hdrs=headers((CC, None), (CT, "image/svg+xml"))))),
    ("font", exchange(response(hdrs=headers((CC, None), (CT, "font/woff2"))))),
    ("wasm", exchange(response(hdrs=headers((CC, None), (CT, "application/wasm"))))),
    ("video", exchange(response(hdrs=headers((CC, None), (CT, "video/mp4"))))),
]


@pytest.mark.parametrize("item", [c[1] for c in OUT_OF_SCOPE], ids=[c[0] for c in OUT_OF_SCOPE])
def test_out_of_scope_is_skipped_not_passed(item: HttpExchange) -> None:
    result = CacheControlCheck().judge(observe(item))
    assert result.findings == ()
    assert result.coverage.tested == 0
    assert result.coverage.not_applicable == 1
    assert result.skipped is not None
    assert "no response in scope" in result.skipped


def test_errored_static_endpoint_is_not_applicable() -> None:
    result = CacheControlCheck().judge(
        observe(
            exchange(url=f"{BASE}/s.js", kind=EndpointKind.STATIC, error="timeout"), cc("no-cache, no-store")
        )
    )
    assert result.errors == ()
    assert (result.coverage.tested, result.coverage.untested, result.coverage.not_applicable) == (1, 0, 1)


def test_errored_page_is_untested() -> None:
    result = CacheControlCheck().judge(observe(exchange(url=PAGE, error="connect timeout")))
    assert result.skipped is None
    assert result.errors == (f"{PAGE}: connect timeout",)
    assert result.coverage.untested == 1
