"""The certificate chain one TLS endpoint presented, and how it verified (R3)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from connectsec.model.hosts import HostTarget

PUBLIC_STORE = "public"
"""certifi plus the operating system's roots: what browsers would trust, approximately."""
CA_BUNDLE_STORE = "ca-bundle"
"""Only the certificates of --ca-bundle."""


@dataclass(frozen=True)
class CertificateInfo:
    """The facts of one certificate that R3 judges, with its DER for reproduction."""

    der: bytes
    subject: str
    issuer: str
    serial: str
    """Hexadecimal."""
    sha256: str
    """Fingerprint of the DER, hexadecimal."""
    not_before: datetime
    not_after: datetime
    dns_names: tuple[str, ...]
    """subjectAltName dNSName entries, lower-cased (browsers ignore the subject CN)."""
    ip_addresses: tuple[str, ...]
    key_type: str
    """`RSA`, `EC`, `DSA`, `Ed25519`, `Ed448` or the key class name."""
    key_bits: int
    signature_algorithm: str
    """The signature algorithm's name (`sha256WithRSAEncryption` …) or its OID."""
    signature_hash: str | None
    """`sha256`, `sha1`, `md5` …; None for algorithms without a separate hash (Ed25519)."""
    is_ca: bool
    self_signed: bool
    """Subject equals issuer and the signature verifies with the certificate's own key."""


@dataclass(frozen=True)
class ChainVerification:
    """The chain verified against one trust store (cryptography's X.509 verifier, web PKI policy)."""

    store: str
    """PUBLIC_STORE or CA_BUNDLE_STORE."""
    verified: bool
    """Fully verified: trusted path, the target's host name, valid at `observed_at`."""
    reason: str | None = None
    """Why full verification failed."""
    trusted: bool | None = None
    """A trusted path exists when the host name and the time are set aside (a name the certificate
    holds, a time inside its validity); None when that could not be tried (no name in the certificate)."""
    trusted_reason: str | None = None
    """Why no trusted path exists even then."""
    path: tuple[str, ...] = ()
    """Subjects of the verified path, leaf first, root last."""


@dataclass(frozen=True)
class CertificateScan:
    """The chain a server sent and the verification results."""

    target: HostTarget
    error: str | None = None
    """Why no chain was obtained (refused, timeout, handshake failure, unparsable certificate)."""
    observed_at: datetime | None = None
    """UTC time of the handshake; validity and days to expiry are judged at this instant."""
    chain: tuple[CertificateInfo, ...] = ()
    """As sent by the server, leaf first."""
    protocol: str | None = None
    """The negotiated TLS version (`TLSv1.3` …)."""
    public: ChainVerification | None = None
    ca_bundle: ChainVerification | None = None
    """Only with --ca-bundle."""
    ca_bundle_path: str | None = None

    @property
    def leaf(self) -> CertificateInfo | None:
        """The server's own certificate."""
        return self.chain[0] if self.chain else None
