"""The facts R3 judges, read from one X.509 certificate."""

from __future__ import annotations

from datetime import UTC

from cryptography import x509
from cryptography.exceptions import InvalidSignature, UnsupportedAlgorithm
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import dsa, ec, ed448, ed25519, padding, rsa

from connectsec.model.certificate import CertificateInfo


def certificate_info(cert: x509.Certificate) -> CertificateInfo:
    """Subject, validity, names, key and signature of a parsed certificate."""
    der = cert.public_bytes(serialization.Encoding.DER)
    key_type, key_bits = _key(cert)
    return CertificateInfo(
        der=der,
        subject=cert.subject.rfc4514_string(),
        issuer=cert.issuer.rfc4514_string(),
        serial=format(cert.serial_number, "x"),
        sha256=cert.fingerprint(hashes.SHA256()).hex(),
        not_before=cert.not_valid_before_utc.astimezone(UTC),
        not_after=cert.not_valid_after_utc.astimezone(UTC),
        dns_names=_names(cert, x509.DNSName),
        ip_addresses=_names(cert, x509.IPAddress),
        key_type=key_type,
        key_bits=key_bits,
        signature_algorithm=getattr(cert.signature_algorithm_oid, "_name", None)
        or cert.signature_algorithm_oid.dotted_string,
        signature_hash=_hash_name(cert),
        is_ca=_is_ca(cert),
        self_signed=cert.subject == cert.issuer and _signs_itself(cert),
    )


def _names(cert: x509.Certificate, kind: type[x509.DNSName] | type[x509.IPAddress]) -> tuple[str, ...]:
    try:
        san = cert.extensions.get_extension_for_class(x509.SubjectAlternativeName).value
    except (x509.ExtensionNotFound, ValueError):
        return ()
    return tuple(str(v).lower() for v in san.get_values_for_type(kind))


def _key(cert: x509.Certificate) -> tuple[str, int]:
    try:
        key = cert.public_key()
    except (ValueError, UnsupportedAlgorithm):
        return "unknown", 0
    if isinstance(key, rsa.RSAPublicKey):
        return "RSA", key.key_size
    if isinstance(key, ec.EllipticCurvePublicKey):
        return "EC", key.curve.key_size
    if isinstance(key, dsa.DSAPublicKey):
        return "DSA", key.key_size
    if isinstance(key, ed25519.Ed25519PublicKey):
        return "Ed25519", 256
    if isinstance(key, ed448.Ed448PublicKey):
        return "Ed448", 456
    return type(key).__name__, 0


def _hash_name(cert: x509.Certificate) -> str | None:
    try:
        algorithm = cert.signature_hash_algorithm
    except UnsupportedAlgorithm:
        return "unknown"
    return algorithm.name if algorithm is not None else None


def _is_ca(cert: x509.Certificate) -> bool:
    try:
        return bool(cert.extensions.get_extension_for_class(x509.BasicConstraints).value.ca)
    except (x509.ExtensionNotFound, ValueError):
        return False


def _signs_itself(cert: x509.Certificate) -> bool:
    try:
        key = cert.public_key()
        if isinstance(key, rsa.RSAPublicKey):
            pss = cert.signature_algorithm_parameters
            pad = pss if isinstance(pss, padding.PSS) else padding.PKCS1v15()
            algorithm = cert.signature_hash_algorithm
            if algorithm is None:
                return False
            key.verify(cert.signature, cert.tbs_certificate_bytes, pad, algorithm)
            return True
        cert.verify_directly_issued_by(cert)
    except (InvalidSignature, ValueError, TypeError, UnsupportedAlgorithm):
        return False
    return True
