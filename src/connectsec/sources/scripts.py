"""API endpoints a single-page app calls: URL literals and templates in fetch/XHR/axios/jQuery calls."""

from __future__ import annotations

import re
from urllib.parse import urljoin

from connectsec.descriptor.context_vars import plausible_value
from connectsec.sources.common import Found

_QUOTED = r"""(?P<q>['"`])(?P<url>(?:(?!(?P=q)).){1,500}?)(?P=q)"""
_CALLS = (
    re.compile(r"\bfetch\s*\(\s*" + _QUOTED, re.S),
    re.compile(r"\baxios\s*\.\s*(?P<m>get|post|put|patch|delete|head)\s*\(\s*" + _QUOTED, re.S),
    re.compile(r"\baxios\s*\(\s*" + _QUOTED, re.S),
    re.compile(r"\.\s*open\s*\(\s*['\"](?P<m>GET|POST|PUT|PATCH|DELETE|HEAD)['\"]\s*,\s*" + _QUOTED, re.S),
    re.compile(r"\$\s*\.\s*(?P<m>get|post|getJSON|ajax)\s*\(\s*" + _QUOTED, re.S),
    re.compile(r"\burl\s*:\s*" + _QUOTED, re.S),
    re.compile(r"""(?<![\w$.])(?P<q>['"`])(?P<url>/(?:api|v\d+)/[^'"`\s<>]{0,300})(?P=q)"""),
)
"""Calls whose first argument is a URL, `url:` properties, and bare `/api/…` route literals."""
_AP_REQUEST = re.compile(r"\bAP\s*\.\s*request\s*\(\s*" + _QUOTED, re.S)
_METHOD_NEAR = re.compile(r"""\b(?:method|type)\s*:\s*['"](?P<m>GET|POST|PUT|PATCH|DELETE|HEAD)['"]""", re.I)
_TEMPLATE = re.compile(r"\$\{\s*([^}]{0,80})\}")
_BASE_PREFIX = re.compile(r"^\$\{\s*[\w.$]*(?:base|host|origin|root|api)[\w.$]*\s*\}", re.I)


def script_endpoints(text: str, page_url: str, origins: set[str], source: str, found: Found) -> None:
    """Add the app endpoints `text` (a script) calls; relative URLs resolve against the page's URL."""
    product_calls = {m.start("url") for m in _AP_REQUEST.finditer(text)}
    if product_calls:
        found.notes.append(f"{source}: {len(product_calls)} AP.request call(s) go to the product's REST API")
    claimed: set[int] = set()  # literals a call pattern already read (the bare-route pattern comes last)
    for pattern in _CALLS:
        for match in pattern.finditer(text):
            position = match.start("url")
            if position in claimed or position in product_calls or _inside_product_call(text, match.start()):
                continue
            claimed.add(position)
            if _concatenated(text, match):
                continue  # "/api/" + id: only a prefix of the URL is known
            url = _to_url(match.group("url"), match.group("q"), page_url)
            if url is None:
                continue
            method = (match.groupdict().get("m") or "").upper()
            if method in ("GETJSON", "AJAX", ""):
                method = _declared_method(text, match.start(), match.end())
            found.add(method, url, source, origins)


def _concatenated(text: str, match: re.Match[str]) -> bool:
    after = text[match.end() : match.end() + 3].lstrip()
    before = text[max(0, match.start("q") - 3) : match.start("q")].rstrip()
    return after.startswith("+") or before.endswith("+")


def _declared_method(text: str, start: int, end: int) -> str:
    """`method:`/`type:` in the same call's options (before the URL in its object, or after it)."""
    before = text[max(0, start - 200) : start]
    before = before[before.rfind("{") + 1 :] if "{" in before else ""
    after = text[end : end + 200].split(")", 1)[0].split("}", 1)[0]
    declared = _METHOD_NEAR.search(before + " " + after)
    return declared.group("m").upper() if declared else "GET"


def _inside_product_call(text: str, position: int) -> bool:
    """Whether `position` sits in the argument list of an AP.request(…) call (the product's REST API)."""
    window = text[max(0, position - 300) : position]
    call = window.rfind("AP.request")
    if call < 0:
        return False
    arguments = window[call:]
    return arguments.count("(") > arguments.count(")")


def _to_url(literal: str, quote: str, page_url: str) -> str | None:
    value = literal.strip()
    if quote == "`":
        value = _BASE_PREFIX.sub("", value)
        value = _TEMPLATE.sub(lambda m: plausible_value(m.group(1).strip().split(".")[-1] or "id"), value)
    elif "${" in value:
        return None
    if not value or any(c in value for c in "<>{}\n\\ "):
        return None
    if value.startswith(("http://", "https://")):
        return value
    if value.startswith("//") or ":" in value.split("/", 1)[0]:
        return None  # protocol-relative or another scheme (data:, javascript:, mailto:)
    if not value.startswith("/") and quote != "`" and "/" not in value:
        return None  # a bare word ("json", "GET") is not a URL
    return urljoin(page_url, value)  # as the browser resolves it: against the document's URL
