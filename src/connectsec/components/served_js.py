"""The JavaScript an app serves: script URLs its pages load and the same-origin files the crawl fetched."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from urllib.parse import urlsplit, urlunsplit

from connectsec.auth.minting import without_jwt
from connectsec.html.page import is_html, parse_page
from connectsec.model import AuthMode, EndpointKind, HttpExchange, HttpResponse, Observations

_JS_TYPES = frozenset(
    {
        "",
        "module",
        "text/javascript",
        "application/javascript",
        "application/x-javascript",
        "text/ecmascript",
        "application/ecmascript",
        "text/jscript",
        "text/x-javascript",
    }
)
_JS_SUFFIXES = (".js", ".mjs", ".cjs")
_GONE = frozenset({404, 410})
_NOT_SCRIPT = frozenset({"text/css", "application/json", "text/csv"})


@dataclass(frozen=True)
class ServedScript:
    """One script URL: where it is loaded from, and its content when the scan fetched it."""

    url: str
    """Absolute, without the minted `jwt` parameter and fragment."""
    same_origin: bool
    """On one of the app's origins (the crawl fetches these; other hosts are never contacted)."""
    pages: tuple[str, ...]
    """Pages whose `<script src>` loads it (none: fetched as an endpoint of its own)."""
    auth: AuthMode
    """TENANT when only authenticated pages load it."""
    exchange: HttpExchange | None = None
    response: HttpResponse | None = None
    """The 2xx JavaScript response whose body is judged."""
    problem: str | None = None
    """Why a same-origin script's content could not be judged."""
    gone: bool = False
    """The app answered 404/410 or something browsers do not run as script (HTML, CSS, JSON, images)."""

    @property
    def body(self) -> bytes | None:
        """The fetched content, if any."""
        return self.response.body if self.response is not None else None


def script_key(url: str) -> str:
    """The URL as scripts are keyed: no `jwt`, no fragment, scheme and host lower-cased, path at least `/`."""
    try:
        parts = urlsplit(without_jwt(url))
    except ValueError:
        return url
    return urlunsplit((parts.scheme.lower(), parts.netloc.lower(), parts.path or "/", parts.query, ""))


def _origin(url: str) -> str:
    try:
        parts = urlsplit(url)
    except ValueError:
        return ""
    return f"{parts.scheme}://{parts.netloc}".lower()


def app_origins(observations: Observations) -> frozenset[str]:
    """scheme://host:port of the base URL and every endpoint (what the crawl calls same-origin)."""
    inventory = observations.inventory
    origins = {_origin(inventory.base_url), *(e.origin for e in inventory.endpoints)}
    origins.discard("")
    return frozenset(origins)


def _is_javascript(response: HttpResponse, referenced: bool) -> bool:
    media = response.content_type
    if "javascript" in media or "ecmascript" in media:
        return True
    if (
        is_html(media, response.body)
        or media in _NOT_SCRIPT
        or media.startswith(("image/", "font/", "audio/", "video/"))
    ):
        return False
    return referenced or urlsplit(response.url).path.lower().endswith(_JS_SUFFIXES)


def collect_scripts(exchanges: Sequence[HttpExchange], origins: frozenset[str]) -> tuple[ServedScript, ...]:
    """Every script the pages of `exchanges` load or that was fetched as JavaScript, in first-seen order.

    `exchanges` are the app as a browser sees it (no attack traffic); `origins` the app's own.
    """
    pages: dict[str, dict[str, None]] = {}
    open_to_all: set[str] = set()
    for exchange in exchanges:
        final = exchange.final
        if final is None or not 200 <= final.status < 300 or not is_html(final.content_type, final.body):
            continue
        page = parse_page(final.body, final.url, final.header("content-type"))
        for script in page.scripts:
            if script.src is None or (script.type or "") not in _JS_TYPES:
                continue
            if urlsplit(script.src).scheme.lower() not in ("http", "https"):
                continue
            key = script_key(script.src)
            pages.setdefault(key, {})[script_key(final.url)] = None
            if exchange.request.auth is AuthMode.NONE:
                open_to_all.add(key)

    fetched: dict[str, list[HttpExchange]] = {}
    for exchange in exchanges:
        key = script_key(exchange.request.url)
        final = exchange.final
        javascript = final is not None and 200 <= final.status < 300 and _is_javascript(final, key in pages)
        if key in pages or exchange.endpoint.kind is EndpointKind.STATIC or javascript:
            fetched.setdefault(key, []).append(exchange)

    keys = dict.fromkeys([*pages, *fetched])
    scripts: list[ServedScript] = []
    for key in keys:
        referenced = key in pages
        tries = fetched.get(key, [])
        if not referenced and not any(_served_js(x, referenced=False) for x in tries):
            continue  # a stylesheet, an image, or a failed fetch of something that is not a script
        same_origin = _origin(key) in origins
        auth = AuthMode.NONE if key in open_to_all or not referenced else AuthMode.TENANT
        scripts.append(_script(key, same_origin, tuple(pages.get(key, ())), auth, tries, referenced))
    return tuple(scripts)


def _served_js(exchange: HttpExchange, referenced: bool) -> bool:
    final = exchange.final
    return final is not None and 200 <= final.status < 300 and _is_javascript(final, referenced)


def _script(
    key: str,
    same_origin: bool,
    pages: tuple[str, ...],
    auth: AuthMode,
    tries: list[HttpExchange],
    referenced: bool,
) -> ServedScript:
    base = ServedScript(url=key, same_origin=same_origin, pages=pages, auth=auth)
    ordered = sorted(tries, key=lambda x: x.request.auth is not AuthMode.NONE)
    for exchange in ordered:
        if _served_js(exchange, referenced):
            final = exchange.final
            return ServedScript(key, same_origin, pages, auth, exchange, final)
    if not same_origin and not tries:
        return base
    if not tries:
        return ServedScript(key, same_origin, pages, auth, problem="not fetched (the crawl's page limit?)")
    exchange = ordered[0]
    final = exchange.final
    if final is None:
        return ServedScript(key, same_origin, pages, auth, exchange, problem=exchange.error or "no response")
    if final.status in _GONE:
        return ServedScript(key, same_origin, pages, auth, exchange, gone=True)
    if 200 <= final.status < 300:  # HTML (a single-page app's fallback), CSS, JSON, an image: not run
        return ServedScript(key, same_origin, pages, auth, exchange, gone=True)
    return ServedScript(key, same_origin, pages, auth, exchange, problem=f"HTTP {final.status}")
