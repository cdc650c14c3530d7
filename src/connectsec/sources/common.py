"""What every inventory source shares: which URLs count as the app's, and how they become endpoints."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from urllib.parse import urlsplit

from connectsec.auth.minting import without_jwt
from connectsec.model import Endpoint, EndpointKind

MAX_FOUND = 300
"""Endpoints one source may add (a bundle with thousands of literals must not flood the scan)."""

STATE_CHANGING = frozenset({"POST", "PUT", "PATCH", "DELETE"})
DESTRUCTIVE = frozenset({"PUT", "PATCH", "DELETE"})
"""Never sent by the scan: listed in the inventory notes instead."""

_STATIC = re.compile(r"\.(?:js|mjs|css|map|png|jpe?g|gif|svg|ico|woff2?|ttf|eot|webp|avif|mp4|webm)$", re.I)
_UNSAFE = re.compile(
    r"(log[-_]?out|sign[-_]?out|log[-_]?off|delete|remove|destroy|uninstall|revoke|unsubscribe)", re.I
)


def read_bounded(path: str, option: str, max_bytes: int) -> bytes:
    """A file's bytes, at most `max_bytes` (ValueError with one line naming the option otherwise)."""
    try:
        with open(path, "rb") as handle:
            raw = handle.read(max_bytes + 1)
    except OSError as exc:
        raise ValueError(f"{option} {path}: {exc.strerror or exc}") from None
    if len(raw) > max_bytes:
        raise ValueError(f"{option} {path}: larger than {max_bytes // 1_000_000} MB")
    return raw


@dataclass
class Found:
    """Endpoints a source found, and what it left out and why."""

    endpoints: list[Endpoint] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)
    _seen: set[tuple[str, str]] = field(default_factory=set)

    def add(self, method: str, url: str, source: str, origins: set[str]) -> None:
        """Keep `method url` if it is an app URL worth requesting (same origin, not static, not unsafe)."""
        method = method.upper()
        parts = urlsplit(url)
        origin = f"{parts.scheme.lower()}://{parts.netloc.lower()}"
        if origin not in origins or _STATIC.search(parts.path) or (method, url) in self._seen:
            return
        if _UNSAFE.search(parts.path) or method in DESTRUCTIVE:
            self.notes.append(f"not requested (could change or delete data): {method} {url} [{source}]")
            self._seen.add((method, url))
            return
        if len(self.endpoints) >= MAX_FOUND:
            return
        self._seen.add((method, url))
        self.endpoints.append(
            Endpoint(url=without_jwt(url), kind=EndpointKind.API, method=method, source=source)
        )
