"""HTTP confirmation: which names are fetched, which responses count, failures kept as reasons."""

from __future__ import annotations

from connectsec.model import Endpoint, EndpointKind, HttpExchange, HttpRequestSpec, HttpResponse
from connectsec.model.dns import ChainEnd, HostResolution
from connectsec.takeover.confirm import confirm
from connectsec.takeover.services import load_services
from tests.takeover.web import loopback_fetch, page_server

TABLE = load_services()
GHOST_GONE = b"<h1>Failed to resolve DNS path for this host</h1>"


def _ghost(name: str, *addresses: str) -> HostResolution:
    return HostResolution(name, end=ChainEnd.RESOLVES, chain=(f"x.{name}.ghost.io",), addresses=addresses)


async def test_fetches_http_and_https_at_the_resolved_address_preferring_ipv4() -> None:
    seen: list[str] = []
    with page_server({"a.acme-app.com": (404, GHOST_GONE)}) as port:
        (result,) = await confirm(
            [_ghost("a.acme-app.com", "2001:db8::1", "127.0.0.1")], TABLE, loopback_fetch(port, seen)
        )
    assert seen == ["127.0.0.1", "127.0.0.1"]
    assert [w.url for w in result.web] == ["http://a.acme-app.com/", "https://a.acme-app.com/"]
    assert all(w.fingerprint == "Failed to resolve DNS path for this host" for w in result.web)
    assert result.fingerprint_seen is not None
    assert result.service == "Ghost"


async def test_names_that_cannot_show_a_fingerprint_are_not_fetched() -> None:
    seen: list[str] = []
    records = [
        HostResolution("a.acme-app.com", end=ChainEnd.NXDOMAIN, chain=("gone.ghost.io",)),
        HostResolution(
            "b.acme-app.com", end=ChainEnd.RESOLVES, chain=("d1.cloudfront.net",), addresses=("127.0.0.1",)
        ),
        HostResolution(
            "c.acme-app.com", end=ChainEnd.RESOLVES, chain=("c.acme-app.net",), addresses=("127.0.0.1",)
        ),
        HostResolution("localhost", end=ChainEnd.SKIPPED, skipped="special-use"),
    ]
    with page_server({}) as port:
        results = await confirm(records, TABLE, loopback_fetch(port, seen))
    assert seen == []
    assert all(r.web == () for r in results)
    assert [r.service for r in results] == ["Ghost", "Cloudfront", None, None]


async def test_only_responses_from_the_name_itself_count() -> None:
    async def redirecting(url: str, address: str) -> HttpExchange:
        spec = HttpRequestSpec("GET", url, Endpoint(url, EndpointKind.EXTRA))
        away = HttpResponse(url, 302, "HTTP/1.1", (("location", "https://other.example.net/"),))
        there = HttpResponse("https://other.example.net/", 404, "HTTP/1.1", (), body=GHOST_GONE)
        return HttpExchange(spec, hops=(away, there))

    (result,) = await confirm([_ghost("a.acme-app.com", "127.0.0.1")], TABLE, redirecting)
    assert result.fingerprint_seen is None
    assert [w.status for w in result.web] == [302, 302]


async def test_a_failing_fetch_is_recorded_not_raised() -> None:
    async def broken(url: str, address: str) -> HttpExchange:
        if url.startswith("https"):
            raise RuntimeError("boom")
        spec = HttpRequestSpec("GET", url, Endpoint(url, EndpointKind.EXTRA))
        return HttpExchange(spec, error="connection reset")

    (result,) = await confirm([_ghost("a.acme-app.com", "127.0.0.1")], TABLE, broken)
    assert [w.error for w in result.web] == ["connection reset", "RuntimeError: boom"]
    assert result.fingerprint_seen is None
