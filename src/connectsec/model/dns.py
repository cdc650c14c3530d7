"""DNS resolution of one host name: its CNAME chain, how it ends, and the takeover evidence (R4)."""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum


class ChainEnd(StrEnum):
    """How a name's CNAME chain ends."""

    RESOLVES = "resolves"
    """The last name has A or AAAA records."""
    NXDOMAIN = "nxdomain"
    NODATA = "nodata"
    """The last name exists but has no address."""
    LOOP = "loop"
    TOO_LONG = "too-long"
    ERROR = "error"
    """No answer could be had (SERVFAIL, REFUSED, timeout …): see `error`."""
    LAME = "lame-delegation"
    """The recursive resolver failed and the name servers the parent delegates to do not serve the zone."""
    SKIPPED = "skipped"
    """Never looked up (IP literal, special-use or invalid name): see `skipped`."""


@dataclass(frozen=True)
class DnsStep:
    """One query sent and what came back."""

    name: str
    rtype: str
    rcode: str
    """NOERROR, NXDOMAIN, SERVFAIL, REFUSED … or TIMEOUT when nothing came back."""
    server: str
    """`address` or `address:port` the query went to."""
    cnames: tuple[tuple[str, str], ...] = ()
    """(owner, target) CNAME records of the answer, in chain order."""
    addresses: tuple[str, ...] = ()
    authoritative: bool = False
    error: str | None = None
    """Why no usable answer came back (rcode TIMEOUT or ERROR)."""


@dataclass(frozen=True)
class WebCheck:
    """One HTTP request for a service's "unclaimed" page."""

    url: str
    address: str
    status: int | None = None
    error: str | None = None
    fingerprint: str | None = None
    """The service fingerprint the response matched, if any."""
    excerpt: str = ""
    """Body text around the match (or its start)."""


@dataclass(frozen=True)
class HostResolution:
    """A name's CNAME chain and where it ends, with the service it points at."""

    name: str
    error: str | None = None
    """Why the chain's end could not be determined (end ERROR, LOOP, TOO_LONG)."""
    skipped: str | None = None
    end: ChainEnd = ChainEnd.ERROR
    chain: tuple[str, ...] = ()
    """CNAME targets in order (the name itself not included)."""
    rcode: str = ""
    """The rcode of the last query."""
    addresses: tuple[str, ...] = ()
    """A/AAAA of the chain's last name."""
    resolver: str = ""
    """The resolver asked: `address:port`, or `system resolver (address)`."""
    server: str | None = None
    """Address of the resolver asked (for `dig @server`)."""
    port: int = 53
    steps: tuple[DnsStep, ...] = ()
    delegation: str | None = None
    """What asking the delegated name servers directly showed, after a SERVFAIL or REFUSED."""
    service: str | None = None
    """The fingerprint table's service a chain name matched."""
    service_status: str | None = None
    """`Vulnerable`, `Edge case` or `Not vulnerable`."""
    service_match: str | None = None
    """The chain name and suffix that matched: `x.herokuapp.com (herokuapp.com)`."""
    nxdomain_claimable: bool = False
    """The matched suffix lets anyone create a missing name there."""
    fingerprints: tuple[str, ...] = ()
    """The service's "unclaimed" body fingerprints, as matched."""
    status_fingerprint: int | None = None
    """An HTTP status the service answers for unclaimed names (a weak sign)."""
    web: tuple[WebCheck, ...] = ()
    """HTTP requests for the service's unclaimed page (none: not fetched)."""
    services_data: str = ""
    """Which fingerprint data was used (source, version, sha256, age)."""

    @property
    def last_name(self) -> str:
        """The chain's last name (the name itself without CNAMEs)."""
        return self.chain[-1] if self.chain else self.name

    @property
    def fingerprint_seen(self) -> WebCheck | None:
        """The first HTTP response that showed the service's unclaimed fingerprint."""
        return next((w for w in self.web if w.fingerprint is not None), None)
