"""Hand-built HTTP observations for judgement tests."""

from __future__ import annotations

from connectsec.model import (
    Endpoint,
    EndpointKind,
    HttpExchange,
    HttpRequestSpec,
    HttpResponse,
    Inventory,
    Observations,
)

BASE = "https://app.example"
GOOD = (
    ("strict-transport-security", "max-age=31536000; includeSubDomains"),
    ("cache-control", "no-cache, no-store"),
    ("referrer-policy", "strict-origin-when-cross-origin"),
    ("content-type", "text/html; charset=utf-8"),
)


def headers(*overrides: tuple[str, str | None]) -> tuple[tuple[str, str], ...]:
    """GOOD with the named headers replaced (value None drops them); repeated names add lines."""
    names = {name for name, _ in overrides}
    kept = [(k, v) for k, v in GOOD if k not in names]
    return (*kept, *((k, v) for k, v in overrides if v is not None))


def response(
    url: str = f"{BASE}/page",
    status: int = 200,
    hdrs: tuple[tuple[str, str], ...] = GOOD,
    body: bytes = b"",
) -> HttpResponse:
    """One response."""
    return HttpResponse(url=url, status=status, http_version="HTTP/1.1", headers=hdrs, body=body)


def redirect(url: str, location: str, hdrs: tuple[tuple[str, str], ...] = GOOD) -> HttpResponse:
    """A 302 hop."""
    return response(url, 302, (*hdrs, ("location", location)))


def exchange(
    *hops: HttpResponse,
    url: str | None = None,
    kind: EndpointKind = EndpointKind.PAGE,
    cacheable: bool = False,
    error: str | None = None,
    request_headers: tuple[tuple[str, str], ...] = (),
) -> HttpExchange:
    """An exchange for the endpoint at `url` (default: the first hop's URL)."""
    target = url or (hops[0].url if hops else f"{BASE}/page")
    endpoint = Endpoint(url=target, kind=kind, cacheable=cacheable)
    request = HttpRequestSpec(method="GET", url=target, endpoint=endpoint, headers=request_headers)
    return HttpExchange(request=request, hops=hops, error=error)


def observe(*exchanges: HttpExchange) -> Observations:
    """Observations of a fixed inventory."""
    inventory = Inventory(
        descriptor_url=f"{BASE}/atlassian-connect.json",
        app_key="app",
        app_name="App",
        base_url=BASE,
        authentication="jwt",
        endpoints=tuple(e.endpoint for e in exchanges),
        hosts=("app.example",),
    )
    return Observations(inventory=inventory, exchanges=exchanges)
