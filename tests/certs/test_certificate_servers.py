"""R3 certificates against real loopback TLS servers: each configuration gives exactly its findings."""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path

import pytest

from connectsec.certs.fetch import fetch_certificate, scan_from_chain
from connectsec.certs.handshake import collect_chain
from connectsec.checks.domain.certificate import CertificateCheck
from connectsec.engine.rollup import roll_up
from connectsec.model import Outcome
from connectsec.model.certificate import CertificateScan
from tests.certs.pki import DAY, NOW, Issued, make_ca, make_leaf, write_pem
from tests.certs.servers import HOST, garbage_server, observations, silent_server, target, tls_server

CA = make_ca(bits=2048)
OTHER_CA = make_ca("somebody else's CA")


@pytest.fixture
def bundle(tmp_path: Path) -> str:
    """--ca-bundle holding the test CA."""
    return write_pem(tmp_path, "ca.pem", CA.pem)


async def _scan(
    tmp_path: Path, leaf: Issued, *intermediates: Issued, ca_bundle: str | None
) -> CertificateScan:
    with tls_server(tmp_path, leaf, *intermediates) as port:
        return await fetch_certificate(target(port), timeout=5, ca_bundle=ca_bundle)


def _rules(scan: CertificateScan) -> set[str]:
    result = CertificateCheck().judge(observations(scan))
    assert not result.errors
    return {f.rule for f in result.findings}


CASES = {
    "valid": (lambda: make_leaf(CA, HOST), set()),
    "expired": (
        lambda: make_leaf(CA, HOST, not_before=NOW - 90 * DAY, not_after=NOW - 2 * DAY),
        {"cert.expired"},
    ),
    "not-yet-valid": (lambda: make_leaf(CA, HOST, not_before=NOW + 3 * DAY), {"cert.not-yet-valid"}),
    "wrong-host": (lambda: make_leaf(CA, "other.test"), {"cert.hostname-mismatch"}),
    "rsa-1024": (lambda: make_leaf(CA, HOST, bits=1024), {"cert.weak-key"}),
    "sha1": (lambda: make_leaf(CA, HOST, sha1=True), {"cert.weak-signature"}),
    "expiring": (lambda: make_leaf(CA, HOST, not_after=NOW + 10 * DAY), {"cert.expiring"}),
}


@pytest.mark.parametrize("case", sorted(CASES))
async def test_configuration_under_ca_bundle(case: str, tmp_path: Path, bundle: str) -> None:
    make, expected = CASES[case]
    scan = await _scan(tmp_path, make(), ca_bundle=bundle)
    assert scan.error is None
    # Trusted only through --ca-bundle: always the private-CA warning, plus the configuration's own finding.
    assert _rules(scan) == expected | {"cert.private-ca"}


async def test_self_signed(tmp_path: Path, bundle: str) -> None:
    scan = await _scan(tmp_path, make_leaf(None, HOST), ca_bundle=bundle)
    assert _rules(scan) == {"cert.self-signed"}


async def test_unknown_ca_is_untrusted(tmp_path: Path, bundle: str) -> None:
    scan = await _scan(tmp_path, make_leaf(OTHER_CA, HOST), ca_bundle=bundle)
    result = CertificateCheck().judge(observations(scan))
    assert [f.rule for f in result.findings] == ["cert.untrusted"]
    assert "no path to a trusted root" in result.findings[0].detail
    assert roll_up("R3", "t", [result]).outcome is Outcome.FAIL


async def test_without_ca_bundle_local_ca_is_untrusted(tmp_path: Path) -> None:
    scan = await _scan(tmp_path, make_leaf(CA, HOST), ca_bundle=None)
    assert scan.ca_bundle is None
    assert _rules(scan) == {"cert.untrusted"}


async def test_intermediate_sent_verifies_and_missing_intermediate_does_not(
    tmp_path: Path, bundle: str
) -> None:
    intermediate = make_ca("connectsec test intermediate")
    intermediate = Issued(_sign_as_intermediate(intermediate), intermediate.key)
    leaf = make_leaf(intermediate, HOST)
    full = await _scan(tmp_path, leaf, intermediate, ca_bundle=bundle)
    assert len(full.chain) == 2
    assert _rules(full) == {"cert.private-ca"}
    assert full.ca_bundle is not None
    assert full.ca_bundle.verified
    assert len(full.ca_bundle.path) == 3
    partial = await _scan(tmp_path, leaf, ca_bundle=bundle)
    assert _rules(partial) == {"cert.untrusted"}


def _sign_as_intermediate(intermediate: Issued):  # type: ignore[no-untyped-def]
    from cryptography import x509
    from cryptography.hazmat.primitives import hashes

    cert = intermediate.cert
    builder = (
        x509.CertificateBuilder()
        .subject_name(cert.subject)
        .issuer_name(CA.cert.subject)
        .public_key(cert.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(cert.not_valid_before_utc)
        .not_valid_after(cert.not_valid_after_utc - DAY)
    )
    for ext in cert.extensions:
        builder = builder.add_extension(ext.value, ext.critical)
    aki = x509.AuthorityKeyIdentifier.from_issuer_public_key(CA.key.public_key())  # type: ignore[arg-type]
    return builder.add_extension(aki, critical=False).sign(CA.key, hashes.SHA256())


async def test_compliant_host_passes_when_its_ca_is_a_public_root(tmp_path: Path) -> None:
    """A valid chain from a CA in the public store (here: the test CA passed as that store) passes."""
    with tls_server(tmp_path, make_leaf(CA, HOST)) as port:
        handshake = collect_chain(target(port), timeout=5)
    scan = scan_from_chain(target(port), handshake.chain, datetime.now(UTC), roots=(CA.cert,))
    assert scan.public is not None
    assert scan.public.verified
    result = CertificateCheck().judge(observations(scan))
    assert result.findings == ()
    assert not result.errors
    assert roll_up("R3", "t", [result]).outcome is Outcome.PASS


async def test_refused_connection_is_an_error(tmp_path: Path) -> None:
    with tls_server(tmp_path, make_leaf(CA, HOST)) as port:
        pass  # closed again: nothing listens on the port now
    scan = await fetch_certificate(target(port), timeout=2)
    assert scan.error is not None
    assert "cannot connect" in scan.error
    result = CertificateCheck().judge(observations(scan))
    assert result.findings == ()
    assert roll_up("R3", "t", [result]).outcome is Outcome.ERROR


async def test_silent_server_times_out() -> None:
    with silent_server() as port:
        scan = await fetch_certificate(target(port), timeout=0.5)
    assert scan.error is not None
    assert "timed out" in scan.error
    assert roll_up("R3", "t", [CertificateCheck().judge(observations(scan))]).outcome is Outcome.ERROR


async def test_non_tls_server_is_a_handshake_error() -> None:
    with garbage_server(b"HTTP/1.1 400 Bad Request\r\n\r\n" * 100) as port:
        scan = await fetch_certificate(target(port), timeout=2)
    assert scan.error is not None
    assert "TLS handshake failed" in scan.error
    assert scan.chain == ()


async def test_host_name_that_cannot_be_sent_as_sni_is_an_error(tmp_path: Path) -> None:
    with tls_server(tmp_path, make_leaf(CA, HOST)) as port:
        scan = await fetch_certificate(target(port, host="a" * 70 + ".com"), timeout=2)
    assert scan.error is not None
    assert "server name" in scan.error
