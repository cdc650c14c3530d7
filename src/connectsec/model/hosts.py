"""Where host-level probes (TLS, certificates) connect: one name, one port, one address."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True, order=True)
class HostTarget:
    """A TLS endpoint the descriptor names, at one of its resolved addresses."""

    host: str
    """The name the descriptor uses (sent as SNI and checked against the certificate)."""
    port: int
    address: str
    """The IP address to connect to (already allowed by the connection policy)."""

    @property
    def label(self) -> str:
        """`host:port` (with the address when it is not the host itself)."""
        base = f"{self.host}:{self.port}"
        return base if self.address == self.host else f"{base} ({self.address})"
