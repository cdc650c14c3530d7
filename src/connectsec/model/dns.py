"""DNS resolution of one host name: its CNAME chain and how it ends (R4)."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class HostResolution:
    """A name's CNAME chain and where it ends."""

    name: str
    error: str | None = None
