"""Registration data of registrable domains, from RDAP (R3, R4)."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class DomainRecord:
    """One registrable domain's registration state."""

    domain: str
    error: str | None = None
