"""The encodings a sharedSecret can appear in, and where R7 looks for them in one response."""

from __future__ import annotations

import base64
import html
import re
from collections.abc import Iterator
from dataclasses import dataclass
from urllib.parse import parse_qsl, quote, quote_plus, unquote_to_bytes, urlsplit

from connectsec.model import HttpResponse

MIN_SECRET_CHARS = 8
"""Shorter secrets would match by chance; searching for them is refused (an error, not a pass)."""
_MIN_EMBEDDED = 16


@dataclass(frozen=True)
class SecretForm:
    """One way the secret can be written."""

    encoding: str
    value: bytes


def secret_forms(secret: str) -> tuple[SecretForm, ...]:
    """Raw, JSON-escaped, percent-encoded, base64/base64url (padded, unpadded, inside a longer value), hex."""
    raw = secret.encode("utf-8")
    candidates: list[tuple[str, bytes]] = [
        ("raw", raw),
        ("JSON-escaped", secret.replace("/", "\\/").encode("utf-8")),
        ("percent-encoded", quote(secret, safe="").encode("ascii")),
        ("form-encoded", quote_plus(secret, safe="").encode("ascii")),
    ]
    for name, encode in (("base64", base64.b64encode), ("base64url", base64.urlsafe_b64encode)):
        padded = encode(raw)
        candidates += [(name, padded), (f"{name} without padding", padded.rstrip(b"="))]
        for shift in (0, 1, 2):
            encoded = encode(b"\0" * shift + raw)
            start = 4 if shift else 0
            end = 4 * ((shift + len(raw)) // 3)
            candidates.append((f"{name} inside a longer value", encoded[start:end]))
    candidates += [("hex", raw.hex().encode("ascii")), ("HEX", raw.hex().upper().encode("ascii"))]
    forms: dict[bytes, SecretForm] = {}
    for encoding, value in candidates:
        if len(value) >= min(_MIN_EMBEDDED, len(raw)) and value not in forms:
            forms[value] = SecretForm(encoding, value)
    return tuple(forms.values())


@dataclass(frozen=True)
class Part:
    """One searchable part of a response."""

    name: str
    """`body`, `header x-debug`, `cookie session`, `redirect Location`, `URL`."""
    content: bytes
    header: str | None = None
    """The header the part came from, for evidence."""


def response_parts(response: HttpResponse, redirected: bool) -> Iterator[Part]:
    """The body, every header (cookies by name, Location as the redirect target), a redirected URL."""
    if response.body:
        yield Part("body", response.body)
    for name, value in response.headers:
        if name == "set-cookie":
            cookie = value.split(";", 1)[0].split("=", 1)[0].strip() or "(nameless)"
            label = f"cookie {cookie}"
        elif name == "location":
            label = "redirect Location"
        else:
            label = f"header {name}"
        yield Part(label, value.encode("utf-8", "surrogateescape"), name)
    if redirected:
        yield Part("URL reached by a redirect", response.url.encode("utf-8", "surrogateescape"))


def hits(content: bytes, forms: tuple[SecretForm, ...]) -> list[tuple[SecretForm, int]]:
    """The forms found in `content` with their first offset, leaving out forms inside a longer one found."""
    found = [(form, content.find(form.value)) for form in forms]
    found = [(form, at) for form, at in found if at >= 0]
    return [
        (form, at)
        for form, at in found
        if not any(other.value != form.value and form.value in other.value for other, _ in found)
    ]


def decoded_views(content: bytes) -> Iterator[tuple[str | None, bytes]]:
    """The content as sent, then percent-decoded and HTML-unescaped (any character may be escaped)."""
    yield None, content
    if b"%" in content:
        yield "percent-encoded", unquote_to_bytes(content)
    if b"&" in content:
        text = content.decode("utf-8", "surrogateescape")
        yield "HTML-escaped", html.unescape(text).encode("utf-8", "surrogateescape")


def find(content: bytes, forms: tuple[SecretForm, ...]) -> tuple[list[str], bytes, int, SecretForm] | None:
    """Encodings of the secret found in `content`, and the view, offset and form of the first, or None."""
    for view_name, view in decoded_views(content):
        found = hits(view, forms)
        if found:
            names = [f.encoding if view_name is None else f"{f.encoding}, {view_name}" for f, _ in found]
            form, at = found[0]
            return names, view, at, form
    return None


def mask(text: str, forms: tuple[SecretForm, ...]) -> str:
    """`text` with every form replaced by `[sharedSecret, <encoding>]`, longest first."""
    for form in sorted(forms, key=lambda f: len(f.value), reverse=True):
        text = text.replace(form.value.decode("utf-8", "replace"), f"[sharedSecret, {form.encoding}]")
    return text


_FIELD_NAME = r"shared[_-]?secret"
_FIELD_VALUE = re.compile(
    rf"""["']?\b{_FIELD_NAME}\b["']?\s*[:=]\s*["'`]([^"'`\s]{{1,300}})["'`]"""
    rf"""|name\s*=\s*["']{_FIELD_NAME}["'][^>]*?\bvalue\s*=\s*["']([^"']+)["']""",
    re.IGNORECASE,
)
_PLACEHOLDER = re.compile(
    r"^(?:\*+|x+|•+|\.+|-+|null|undefined|none|nil|false|true|redacted|\[redacted\]|hidden|secret"
    r"|shared[_-]?secret|<[^>]*>"
    r"|\$\{[^}]*\}|\{\{[^}]*\}\}|%s|\?+)$",
    re.IGNORECASE,
)
_FIELD_KEYS = frozenset({"sharedsecret", "shared_secret", "shared-secret"})


def secret_fields(part: Part) -> list[str]:
    """Non-empty, non-placeholder values of fields named like sharedSecret in one part (values not shown)."""
    if part.header is not None and re.sub(r"[-_]", "", part.header).endswith("sharedsecret"):
        value = part.content.decode("utf-8", "replace").strip()
        return [value] if value and not _PLACEHOLDER.match(value) else []
    text = part.content.decode("utf-8", "replace")
    values = [m.group(1) or m.group(2) for m in _FIELD_VALUE.finditer(text)]
    if part.name in ("redirect Location", "URL reached by a redirect"):
        try:
            pairs = parse_qsl(urlsplit(text).query, keep_blank_values=True)
        except ValueError:
            pairs = []
        values += [v for k, v in pairs if k.lower() in _FIELD_KEYS]
    return [v for v in values if v and not _PLACEHOLDER.match(v)]
