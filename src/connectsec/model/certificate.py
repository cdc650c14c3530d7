"""The certificate chain one TLS endpoint presented, and how it verified (R3)."""

from __future__ import annotations

from dataclasses import dataclass

from connectsec.model.hosts import HostTarget


@dataclass(frozen=True)
class CertificateScan:
    """The chain a server sent and the verification result."""

    target: HostTarget
    error: str | None = None
