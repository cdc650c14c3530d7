"""Atlassian Connect query string hash (qsh): the canonical request and its SHA-256."""

from __future__ import annotations

import hashlib
import re
from urllib.parse import parse_qsl, quote

CONTEXT_QSH = "context-qsh"

_ABSOLUTE = re.compile(r"^[A-Za-z][A-Za-z0-9+.-]*://[^/]*")
_NETWORK_PATH = re.compile(r"^//[^/]*")
_TOKEN_CHARS = re.compile(r"^[!#$%'*+.^_`|~0-9A-Za-z-]+$")


def _split(url: str) -> tuple[str, str]:
    """Split a URL or an origin-relative reference into (raw path, raw query); the fragment is dropped."""
    before_fragment = url.partition("#")[0]
    before_query, _, query = before_fragment.partition("?")
    authority = _ABSOLUTE.match(before_query) or _NETWORK_PATH.match(before_query)
    path = before_query[authority.end() :] if authority else before_query
    if path and not path.startswith("/"):
        raise ValueError("url must be absolute (scheme://host/...) or a path starting with '/'")
    return path, query


def _relative_path(path: str, base_url: str | None) -> str:
    if base_url is None:
        return path
    base_path = _split(base_url)[0].rstrip("/")
    if base_path and (path == base_path or path.startswith(base_path + "/")):
        return path[len(base_path) :]
    return path


def _canonical_path(path: str, base_url: str | None) -> str:
    path = _relative_path(path, base_url)
    if path.endswith("/"):
        path = path[:-1]
    return (path or "/").replace("&", "%26")


def _encode(value: str) -> str:
    return quote(value, safe="-._~", encoding="utf-8", errors="strict")


def _utf16_order(value: str) -> bytes:
    # Java and JavaScript, which sign and check nearly all Connect tokens, compare strings by UTF-16 unit.
    return value.encode("utf-16-be", errors="surrogatepass")


def _canonical_query(query: str) -> str:
    values: dict[str, list[str]] = {}
    for key, value in parse_qsl(query, keep_blank_values=True, encoding="utf-8", errors="replace"):
        if key != "jwt":
            values.setdefault(key, []).append(value)
    encoded = sorted(
        (_encode(key), ",".join(_encode(v) for v in sorted(vals, key=_utf16_order)))
        for key, vals in values.items()
    )
    return "&".join(f"{key}={joined}" for key, joined in encoded)


def canonical_request(method: str, url: str, base_url: str | None = None) -> str:
    """Return ``METHOD&path&query`` for a request, per the Connect qsh rules.

    ``url`` is absolute or a path starting with ``/``; ``base_url`` is the app baseUrl whose path is
    stripped from the request path when it is a whole-segment prefix. Repeated query values are sorted
    by decoded value, keys by their percent-encoded form.

    Raises:
        ValueError: ``method`` is not an HTTP token, ``url`` or ``base_url`` is neither absolute nor a
            ``/`` path, or the URL holds unpaired surrogates.
    """
    if not _TOKEN_CHARS.match(method):
        raise ValueError("method must be a non-empty HTTP token")
    path, query = _split(url)
    return f"{method.upper()}&{_canonical_path(path, base_url)}&{_canonical_query(query)}"


def query_string_hash(method: str, url: str, base_url: str | None = None) -> str:
    """Return the hex SHA-256 of :func:`canonical_request` (the ``qsh`` claim value).

    Raises:
        ValueError: as :func:`canonical_request`.
    """
    return hashlib.sha256(canonical_request(method, url, base_url).encode("utf-8")).hexdigest()
