"""Redaction of secrets before anything reaches a report, a log line or an error message."""

from __future__ import annotations

import base64
import re
from collections.abc import Iterable
from urllib.parse import parse_qsl, quote, urlencode, urlsplit, urlunsplit

MASK = "[REDACTED]"

_JWT = re.compile(r"eyJ[A-Za-z0-9_-]{4,}\.[A-Za-z0-9_-]*\.?[A-Za-z0-9_-]*")
_SECRET_PARAMS = frozenset(
    {
        "jwt",
        "token",
        "access_token",
        "refresh_token",
        "id_token",
        "acpt",
        "secret",
        "sharedsecret",
        "shared_secret",
        "client_secret",
        "password",
        "api_key",
        "apikey",
        "code",
    }
)
_SECRET_HEADERS = frozenset({"authorization", "proxy-authorization", "cookie", "x-acpt", "x-api-key"})


class Redactor:
    """Masks known secrets (in raw, base64, hex and URL-encoded forms) and token-shaped strings."""

    def __init__(self, secrets: Iterable[str] = ()) -> None:
        self._secrets: list[str] = []
        self._known: re.Pattern[str] | None = None
        self.add_secrets(secrets)

    def add_secrets(self, secrets: Iterable[str]) -> None:
        """Also mask these (e.g. a secret learnt during the scan)."""
        self._secrets.extend(secrets)
        forms: set[str] = set()
        for secret in self._secrets:
            if len(secret) < 4:
                continue
            raw = secret.encode()
            forms.update(
                {
                    secret,
                    quote(secret, safe=""),
                    base64.b64encode(raw).decode().rstrip("="),
                    base64.urlsafe_b64encode(raw).decode().rstrip("="),
                    raw.hex(),
                    raw.hex().upper(),
                }
            )
        ordered = sorted(forms, key=len, reverse=True)
        self._known = re.compile("|".join(re.escape(f) for f in ordered)) if ordered else None

    def text(self, value: str) -> str:
        """Mask every known secret and JWT-shaped string in free text."""
        if self._known is not None:
            value = self._known.sub(MASK, value)
        return _JWT.sub(MASK, value)

    def url(self, url: str) -> str:
        """Mask secret-bearing query parameters and secrets anywhere in a URL."""
        parts = urlsplit(url)
        if parts.query:
            pairs = parse_qsl(parts.query, keep_blank_values=True)
            if any(k.lower() in _SECRET_PARAMS and v and v != MASK for k, v in pairs):
                masked = [(k, MASK if k.lower() in _SECRET_PARAMS and v else v) for k, v in pairs]
                parts = parts._replace(query=urlencode(masked, safe="[]"))
        if parts.password:
            netloc = f"{parts.username}:{MASK}@{parts.hostname}"
            if parts.port:
                netloc += f":{parts.port}"
            parts = parts._replace(netloc=netloc)
        return self.text(urlunsplit(parts))

    def header(self, name: str, value: str) -> str:
        """Mask a header value that carries credentials, and secrets in any other."""
        lower = name.lower()
        if lower in _SECRET_HEADERS:
            scheme, _, rest = value.partition(" ")
            if lower in {"authorization", "proxy-authorization"} and rest:
                return f"{scheme} {MASK}"
            return MASK
        if lower == "set-cookie":
            return self.set_cookie(value)
        if lower in {"location", "content-location", "referer"}:
            return self.url(value)
        return self.text(value)

    def set_cookie(self, value: str) -> str:
        """Keep a cookie's name and attributes, mask its value."""
        pair, sep, attrs = value.partition(";")
        name, eq, cookie_value = pair.partition("=")
        if eq and cookie_value.strip():
            pair = f"{name}={MASK}"
        elif not eq and name.strip():
            pair = MASK  # a nameless cookie: the whole pair is its value
        return self.text(pair + sep + attrs)
