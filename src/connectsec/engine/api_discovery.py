"""API endpoints of single-page apps, found in the scripts the scan already fetched (pure)."""

from __future__ import annotations

from collections.abc import Iterable, Iterator

from connectsec.html.page import is_html, parse_page
from connectsec.model import EndpointKind, HttpExchange
from connectsec.sources.common import Found
from connectsec.sources.scripts import script_endpoints

_JS_TYPES = ("javascript", "ecmascript", "jscript")


def discover_api(exchanges: Iterable[HttpExchange], origins: set[str]) -> Found:
    """Same-origin API calls in inline scripts of HTML pages and in same-origin script files."""
    found = Found()
    for text, page_url, source in _scripts(list(exchanges), origins):
        script_endpoints(text, page_url, origins, source, found)
    return found


def _scripts(exchanges: list[HttpExchange], origins: set[str]) -> Iterator[tuple[str, str, str]]:
    loaded_by: dict[str, str] = {}
    seen: set[str] = set()
    for exchange in exchanges:
        final = exchange.final
        if final is None or not 200 <= final.status < 300 or not is_html(final.content_type, final.body):
            continue
        page = parse_page(final.body, final.url, final.header("content-type"))
        for number, script in enumerate(page.scripts):
            if script.src:
                loaded_by.setdefault(script.src.split("#", 1)[0], final.url)
            elif script.inline_text and f"{final.url}#{number}" not in seen:
                seen.add(f"{final.url}#{number}")
                yield script.inline_text, final.url, f"inline script of {_short(final.url)}"
    for exchange in exchanges:
        final = exchange.final
        if final is None or not 200 <= final.status < 300 or final.url in seen:
            continue
        is_script = any(t in final.content_type for t in _JS_TYPES) or (
            exchange.endpoint.kind is EndpointKind.STATIC
            and final.url.split("?", 1)[0].endswith((".js", ".mjs"))
        )
        if not is_script or not any(final.url.startswith(o + "/") for o in origins):
            continue
        seen.add(final.url)
        text = final.body.decode("utf-8", "replace")
        yield text, loaded_by.get(final.url, final.url), f"script {_short(final.url)}"


def _short(url: str) -> str:
    return url.split("?", 1)[0]
