"""What the TLS prober saw on one host:port:address (R1.1)."""

from __future__ import annotations

from dataclasses import dataclass

from connectsec.model.hosts import HostTarget


@dataclass(frozen=True)
class TlsScan:
    """Protocols, cipher suites and groups one TLS endpoint accepts."""

    target: HostTarget
    error: str | None = None
    """Why the endpoint could not be probed at all (connection refused, timeout …)."""
