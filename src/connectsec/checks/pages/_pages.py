"""What the page checks share: the HTML pages of the app's hosts, token parameters, quoting elements."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from urllib.parse import parse_qsl, urlsplit

from connectsec.checks.headers._judging import app_hosts, host_of, viewed
from connectsec.html.page import Page, is_html, parse_page
from connectsec.model import HttpExchange, HttpResponse, Observations

TOKEN_PARAMETERS = frozenset(
    {
        "jwt",
        "acpt",
        "access_token",
        "refresh_token",
        "id_token",
        "token",
        "auth_token",
        "code",
        "api_key",
        "apikey",
        "client_secret",
        "secret",
        "sharedsecret",
        "shared_secret",
    }
)
"""Query parameters whose value is a credential (`code`: an OAuth authorization code)."""
QUOTE_CHARS = 160


@dataclass(frozen=True)
class SeenPage:
    """One HTML response of the app and its parsed page."""

    exchange: HttpExchange
    response: HttpResponse
    page: Page


def html_pages(observations: Observations) -> Iterator[SeenPage]:
    """Every final HTML response of the app's hosts in the browser's view (attack traffic left out)."""
    hosts = app_hosts(observations)
    for exchange in viewed(observations):
        response = exchange.final
        if response is None or response.is_redirect or not response.body:
            continue
        if host_of(response.url) not in hosts:
            continue
        content_type = response.header("content-type") or ""
        if is_html(content_type, response.body):
            yield SeenPage(exchange, response, parse_page(response.body, response.url, content_type))


def token_parameters(url: str) -> tuple[str, ...]:
    """Names of the query parameters of `url` that carry a credential (non-empty), in order."""
    try:
        query = urlsplit(url).query
    except ValueError:
        return ()
    names = (k for k, v in parse_qsl(query, keep_blank_values=True) if v and k.lower() in TOKEN_PARAMETERS)
    return tuple(dict.fromkeys(names))


def token_values(url: str) -> frozenset[str]:
    """The values of the credential parameters of `url`."""
    try:
        query = urlsplit(url).query
    except ValueError:
        return frozenset()
    pairs = parse_qsl(query, keep_blank_values=True)
    return frozenset(v for k, v in pairs if v and k.lower() in TOKEN_PARAMETERS)


def origin(url: str) -> str:
    """`scheme://host:port` with the default port made explicit ('' when the URL does not parse)."""
    try:
        parts = urlsplit(url)
        port = parts.port
    except ValueError:
        return ""
    scheme = parts.scheme.lower()
    if port is None:
        port = {"https": 443, "http": 80}.get(scheme)
    return f"{scheme}://{(parts.hostname or '').lower()}:{port}"


def quote(text: str, limit: int = QUOTE_CHARS) -> str:
    """A short one-line excerpt, control characters escaped, for a finding's text."""
    flat = " ".join(text.split())
    escaped = "".join(c if c.isprintable() else f"\\x{ord(c):02x}" for c in flat)
    return escaped if len(escaped) <= limit else escaped[: limit - 1] + "…"
