"""Registration data of registrable domains, from RDAP (R3, R4)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from enum import StrEnum


class DomainState(StrEnum):
    """What the RDAP lookup of a domain concluded."""

    REGISTERED = "registered"
    UNREGISTERED = "unregistered"
    """The authoritative RDAP server answered 404: nobody holds the domain."""
    ERROR = "error"
    """No answer that can be judged (unreachable, no RDAP service for the TLD, bad JSON …)."""
    SKIPPED = "skipped"
    """Never registrable (IP literal, special-use name) or not below a public suffix."""
    DISABLED = "disabled"
    """RDAP lookups are turned off."""


@dataclass(frozen=True)
class DomainRecord:
    """One registrable domain's registration state (or one name that has none)."""

    domain: str
    """The registrable domain; for a skipped name, the name itself."""
    error: str | None = None
    state: DomainState = DomainState.ERROR
    for_hosts: tuple[str, ...] = ()
    """The host names that map to this domain."""
    observed_at: datetime | None = None
    """UTC time of the answer; days to expiry are judged at this instant."""
    expires: datetime | None = None
    """The `expiration` event; None when the record has none."""
    registered: datetime | None = None
    last_changed: datetime | None = None
    statuses: tuple[str, ...] = ()
    """RDAP status values (RFC 8056 mapping of EPP statuses), lower-case: `client hold` …"""
    registrar: str | None = None
    rdap_url: str | None = None
    """The URL whose answer this is (after redirects)."""
    http_status: int | None = None
    source: str | None = None
    """How the RDAP server was chosen: `--rdap-url`, the IANA bootstrap (fresh or cached, and how old)."""
    reason: str | None = None
    """Why the name was skipped, or why lookups are disabled."""
