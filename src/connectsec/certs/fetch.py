"""R3 probe: the chain an endpoint presents, parsed and verified against the public roots and --ca-bundle."""

from __future__ import annotations

import asyncio
import functools
from collections.abc import Sequence
from datetime import UTC, datetime

from cryptography import x509

from connectsec.certs.handshake import HandshakeError, collect_chain
from connectsec.certs.parse import certificate_info
from connectsec.certs.stores import BundleError, public_roots, read_bundle
from connectsec.certs.verify import verify_chain
from connectsec.model.certificate import (
    CA_BUNDLE_STORE,
    PUBLIC_STORE,
    CertificateScan,
    ChainVerification,
)
from connectsec.model.hosts import HostTarget


async def fetch_certificate(
    target: HostTarget, *, timeout: float = 10.0, ca_bundle: str | None = None
) -> CertificateScan:
    """Handshake with target.address (SNI target.host), then verify; failures end in `error`, never raise."""
    observed_at = datetime.now(UTC)
    try:
        async with asyncio.timeout(timeout + 1.0):
            handshake = await asyncio.to_thread(collect_chain, target, timeout)
    except HandshakeError as exc:
        return CertificateScan(target, error=str(exc), observed_at=observed_at)
    except TimeoutError:
        return CertificateScan(
            target, error=f"TLS handshake timed out after {timeout:g} s", observed_at=observed_at
        )
    return await asyncio.to_thread(
        functools.partial(
            scan_from_chain,
            target,
            handshake.chain,
            observed_at,
            ca_bundle=ca_bundle,
            protocol=handshake.protocol,
        )
    )


def scan_from_chain(
    target: HostTarget,
    certs: Sequence[x509.Certificate],
    observed_at: datetime,
    *,
    ca_bundle: str | None = None,
    protocol: str | None = None,
    roots: Sequence[x509.Certificate] | None = None,
) -> CertificateScan:
    """The record of a chain: parsed, verified against `roots` (default certifi + system) and the bundle."""
    try:
        chain = tuple(certificate_info(c) for c in certs)
    except ValueError as exc:
        return CertificateScan(
            target, error=f"a certificate of the chain cannot be read: {exc}", observed_at=observed_at
        )
    public = verify_chain(
        certs, target.host, observed_at, public_roots() if roots is None else roots, PUBLIC_STORE
    )
    bundle: ChainVerification | None = None
    if ca_bundle:
        try:
            roots = read_bundle(ca_bundle)
        except BundleError as exc:
            bundle = ChainVerification(CA_BUNDLE_STORE, False, f"--ca-bundle unusable: {exc}")
        else:
            bundle = verify_chain(certs, target.host, observed_at, roots, CA_BUNDLE_STORE)
    return CertificateScan(
        target,
        observed_at=observed_at,
        chain=chain,
        protocol=protocol,
        public=public,
        ca_bundle=bundle,
        ca_bundle_path=ca_bundle,
    )
