"""What the TLS prober saw on one host:port:address (R1.1)."""

from __future__ import annotations

from dataclasses import dataclass

from connectsec.model.hosts import HostTarget

PROTOCOLS: tuple[str, ...] = ("SSLv2", "SSLv3", "TLSv1.0", "TLSv1.1", "TLSv1.2", "TLSv1.3")
"""Every protocol the prober tries, oldest first (the names `ssl` and OpenSSL use)."""


@dataclass(frozen=True)
class ProtocolScan:
    """One protocol version on one endpoint: accepted or not, and with which suites and groups."""

    protocol: str
    """One of PROTOCOLS."""
    accepted: bool | None
    """None when it could not be told (see `error`)."""
    evidence: str = ""
    """What the server answered to the first hello (`ServerHello TLSv1.2 TLS_…`, `alert protocol_version`)."""
    suites: tuple[str, ...] = ()
    """Accepted cipher suites (IANA names), in the server's order when `server_preference` is True."""
    server_preference: bool | None = None
    """Whether the server picks suites by its own order (None: fewer than two suites, or unknown)."""
    groups: tuple[str, ...] = ()
    """Key-exchange groups accepted (TLS 1.2 ECDHE curves, TLS 1.3 groups), in the order found."""
    error: str | None = None
    """Why acceptance, or the suite or group list, is unknown or incomplete."""


@dataclass(frozen=True)
class TlsScan:
    """Protocols, cipher suites and groups one TLS endpoint accepts."""

    target: HostTarget
    error: str | None = None
    """Why the endpoint could not be probed at all (connection refused, timeout …)."""
    protocols: tuple[ProtocolScan, ...] = ()
    """One per protocol of PROTOCOLS that was probed, oldest first."""
    baseline: str | None = None
    """What a full OpenSSL handshake negotiated (`TLSv1.3 TLS_AES_256_GCM_SHA384`), or why it failed."""
    handshakes: int = 0
    """How many raw hellos were sent."""

    def protocol(self, name: str) -> ProtocolScan | None:
        """The result for one protocol, if it was probed."""
        return next((p for p in self.protocols if p.protocol == name), None)

    @property
    def openssl_command(self) -> str:
        """A command that reproduces a handshake with this endpoint."""
        t = self.target
        sni = "" if t.host == t.address else f" -servername {t.host}"
        address = f"[{t.address}]" if ":" in t.address else t.address
        return f"openssl s_client -connect {address}:{t.port}{sni} </dev/null"
