"""Test certificates made to order: a local CA and leaves that are expired, weak, SHA-1 signed …"""

from __future__ import annotations

import datetime as dt
import ipaddress
from dataclasses import dataclass
from pathlib import Path

from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec, padding, rsa
from cryptography.x509.oid import ExtendedKeyUsageOID, NameOID

PrivateKey = rsa.RSAPrivateKey | ec.EllipticCurvePrivateKey
NOW = dt.datetime.now(dt.UTC).replace(microsecond=0)
DAY = dt.timedelta(days=1)


@dataclass(frozen=True)
class Issued:
    """A certificate and its private key."""

    cert: x509.Certificate
    key: PrivateKey

    @property
    def pem(self) -> bytes:
        return self.cert.public_bytes(serialization.Encoding.PEM)

    @property
    def key_pem(self) -> bytes:
        return self.key.private_bytes(
            serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8, serialization.NoEncryption()
        )


def _key(bits: int | None) -> PrivateKey:
    if bits is None:
        return ec.generate_private_key(ec.SECP256R1())
    return rsa.generate_private_key(public_exponent=65537, key_size=bits)


def _name(common_name: str) -> x509.Name:
    return x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, common_name)])


def make_ca(common_name: str = "connectsec test CA", *, bits: int | None = None) -> Issued:
    """A self-signed root CA (EC P-256 unless `bits` asks for RSA)."""
    key = _key(bits)
    ski = x509.SubjectKeyIdentifier.from_public_key(key.public_key())
    cert = (
        x509.CertificateBuilder()
        .subject_name(_name(common_name))
        .issuer_name(_name(common_name))
        .public_key(key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(NOW - 400 * DAY)
        .not_valid_after(NOW + 3650 * DAY)
        .add_extension(x509.BasicConstraints(ca=True, path_length=None), critical=True)
        .add_extension(
            x509.KeyUsage(False, False, False, False, False, True, True, False, False), critical=True
        )
        .add_extension(ski, critical=False)
        .sign(key, hashes.SHA256())
    )
    return Issued(cert, key)


def make_leaf(
    issuer: Issued | None,
    *hosts: str,
    not_before: dt.datetime | None = None,
    not_after: dt.datetime | None = None,
    bits: int | None = 2048,
    sha1: bool = False,
    usage: tuple[x509.ObjectIdentifier, ...] = (ExtendedKeyUsageOID.SERVER_AUTH,),
) -> Issued:
    """A server certificate for `hosts`, signed by `issuer` (self-signed when None)."""
    key = _key(bits)
    sans: list[x509.GeneralName] = []
    for host in hosts:
        try:
            sans.append(x509.IPAddress(ipaddress.ip_address(host)))
        except ValueError:
            sans.append(x509.DNSName(host))
    signer_key = issuer.key if issuer else key
    issuer_name = issuer.cert.subject if issuer else _name(hosts[0])
    builder = (
        x509.CertificateBuilder()
        .subject_name(_name(hosts[0]))
        .issuer_name(issuer_name)
        .public_key(key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(not_before or NOW - 10 * DAY)
        .not_valid_after(not_after or NOW + 200 * DAY)
        .add_extension(x509.SubjectAlternativeName(sans), critical=False)
        .add_extension(x509.BasicConstraints(ca=False, path_length=None), critical=True)
        .add_extension(x509.ExtendedKeyUsage(list(usage)), critical=False)
        .add_extension(
            x509.KeyUsage(True, False, True, False, False, False, False, False, False), critical=True
        )
    )
    if issuer is not None:
        aki = x509.AuthorityKeyIdentifier.from_issuer_public_key(issuer.key.public_key())
        builder = builder.add_extension(aki, critical=False)
    cert = builder.sign(signer_key, hashes.SHA256())
    if sha1:
        cert = _resign_sha1(cert, signer_key)
    return Issued(cert, key)


_SHA256_RSA = bytes.fromhex("2a864886f70d01010b")
_SHA1_RSA = bytes.fromhex("2a864886f70d010105")


def _resign_sha1(cert: x509.Certificate, signer_key: PrivateKey) -> x509.Certificate:
    """The same certificate signed sha1WithRSAEncryption (cryptography no longer signs with SHA-1).

    Both OIDs have the same length and so has the signature, so the DER changes in place.
    """
    assert isinstance(signer_key, rsa.RSAPrivateKey)
    der = cert.public_bytes(serialization.Encoding.DER)
    tbs = cert.tbs_certificate_bytes.replace(_SHA256_RSA, _SHA1_RSA)
    signature = signer_key.sign(tbs, padding.PKCS1v15(), hashes.SHA1())
    assert len(signature) == len(cert.signature)
    return x509.load_der_x509_certificate(der.replace(_SHA256_RSA, _SHA1_RSA)[: -len(signature)] + signature)


def write_pem(directory: Path, name: str, *parts: bytes) -> str:
    """Write PEM blobs to `directory/name`; the path."""
    path = directory / name
    path.write_bytes(b"".join(parts))
    return str(path)
