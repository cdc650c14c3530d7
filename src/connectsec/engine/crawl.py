"""The bounded same-origin crawl: which links of a page become new endpoints (pure)."""

from __future__ import annotations

import re
from collections.abc import Iterable
from urllib.parse import urlsplit, urlunsplit

from connectsec.auth.minting import without_jwt
from connectsec.html.page import is_html, parse_page
from connectsec.model import Endpoint, EndpointKind, HttpExchange

# State-changing links a crawler must never follow, even unauthenticated.
_UNSAFE_PATH = re.compile(
    r"(log[-_]?out|sign[-_]?out|log[-_]?off|delete|remove|destroy|uninstall|revoke|unsubscribe)",
    re.IGNORECASE,
)
_STATIC_TYPES = ("script", "stylesheet")


def origin_of(url: str) -> str:
    """scheme://host[:port], lower-cased."""
    parts = urlsplit(url)
    return f"{parts.scheme}://{parts.netloc}".lower()


def _normalise(url: str) -> str:
    parts = urlsplit(url)
    return urlunsplit((parts.scheme.lower(), parts.netloc.lower(), parts.path or "/", parts.query, ""))


def discovered_endpoints(exchange: HttpExchange, app_origins: set[str]) -> list[Endpoint]:
    """Same-origin pages, GET form targets, scripts and stylesheets linked from an HTML response."""
    final = exchange.final
    if final is None or not 200 <= final.status < 300 or not is_html(final.content_type, final.body):
        return []
    page = parse_page(final.body, final.url, final.header("content-type"))
    found: list[Endpoint] = []
    source = f"crawl:{exchange.request.endpoint.url}"

    def add(urls: Iterable[str], kind: EndpointKind) -> None:
        for url in urls:
            if origin_of(url) not in app_origins or _UNSAFE_PATH.search(urlsplit(url).path):
                continue
            found.append(Endpoint(url=_normalise(without_jwt(url)), kind=kind, source=source))

    add(page.links, EndpointKind.CRAWLED)
    add(page.iframes, EndpointKind.CRAWLED)
    add((f.action for f in page.forms if f.method == "GET"), EndpointKind.CRAWLED)
    add((s.src for s in page.scripts if s.src), EndpointKind.STATIC)
    add(page.stylesheets, EndpointKind.STATIC)
    return found
