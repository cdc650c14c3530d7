"""Signed-install (RS256) lifecycle tokens: forging with our own keys, and strict verification."""

from __future__ import annotations

import hmac
import time
import uuid
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from cryptography.exceptions import UnsupportedAlgorithm
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import padding, rsa

from .qsh import query_string_hash
from .tokens import (
    RejectReason,
    TokenVerificationError,
    b64url_encode,
    check_claims,
    encode_json_segment,
    parse_for_verification,
    verify_signature,
)


@dataclass(frozen=True)
class InstallKeyPair:
    """An RSA 2048 key pair standing in for an install key published at the Connect key CDN."""

    kid: str
    public_pem: bytes
    private_key: rsa.RSAPrivateKey = field(repr=False, compare=False)

    @classmethod
    def generate(cls, kid: str | None = None) -> InstallKeyPair:
        """Generate a fresh key pair; ``kid`` defaults to a random UUID4."""
        private_key = rsa.generate_private_key(public_exponent=65537, key_size=2048)
        public_pem = private_key.public_key().public_bytes(
            serialization.Encoding.PEM, serialization.PublicFormat.SubjectPublicKeyInfo
        )
        return cls(
            kid=str(uuid.uuid4()) if kid is None else kid, public_pem=public_pem, private_key=private_key
        )


def sign_rs256_raw(
    header: Mapping[str, Any], claims: Mapping[str, Any], private_key: rsa.RSAPrivateKey
) -> str:
    """RSASSA-PKCS1-v1_5 SHA-256-sign any header (whatever its ``alg`` says) and claims."""
    signing_input = f"{encode_json_segment(header)}.{encode_json_segment(claims)}"
    signature = private_key.sign(signing_input.encode("ascii"), padding.PKCS1v15(), hashes.SHA256())
    return f"{signing_input}.{b64url_encode(signature)}"


def forge_install_token(
    key: InstallKeyPair,
    *,
    client_key: str,
    base_url_aud: str,
    method: str = "POST",
    url: str,
    base_url: str | None,
    lifetime_s: int = 180,
    now: int | None = None,
    kid: str | None = None,
    extra_header: Mapping[str, Any] | None = None,
    extra_claims: Mapping[str, Any] | None = None,
) -> str:
    """Build a signed-install token as Atlassian would send it to ``url``, signed with ``key``.

    ``kid`` overrides the header kid (e.g. ``../../etc/passwd``); ``extra_header`` and ``extra_claims``
    are applied last and may replace anything, even the ``alg`` label (the signature stays RS256).

    Raises:
        ValueError: as :func:`query_string_hash`.
    """
    issued = int(time.time()) if now is None else now
    header: dict[str, Any] = {"alg": "RS256", "typ": "JWT", "kid": key.kid if kid is None else kid}
    header.update(extra_header or {})
    claims: dict[str, Any] = {
        "iss": client_key,
        "aud": base_url_aud,
        "qsh": query_string_hash(method, url, base_url),
        "iat": issued,
        "exp": issued + lifetime_s,
    }
    claims.update(extra_claims or {})
    return sign_rs256_raw(header, claims, key.private_key)


def _audience_matches(aud: object, base_url: str) -> bool:
    audiences = aud if isinstance(aud, list) else [aud]
    return any(isinstance(a, str) and _same(a, base_url) for a in audiences)


def _same(a: str, b: str) -> bool:
    return hmac.compare_digest(a.encode("utf-8", "surrogatepass"), b.encode("utf-8", "surrogatepass"))


def verify_install_token(
    token: str,
    public_pem: bytes,
    *,
    client_key: str,
    base_url: str,
    method: str,
    url: str,
    leeway_s: int = 0,
    now: int | None = None,
) -> dict[str, Any]:
    """Verify a signed-install token and return its claims.

    RS256 only; header ``kid`` must be a non-empty string; ``aud`` must be exactly ``base_url`` (or a
    list holding it); ``iss`` exactly ``client_key``; ``exp`` required; ``qsh`` must equal the hash of
    the request relative to ``base_url`` (``context-qsh`` refused).

    Raises:
        TokenVerificationError: the token is refused (see ``reason``).
        ValueError: ``public_pem`` is not an RSA SPKI PEM public key, or a URL the qsh rules reject.
    """
    try:
        public_key = serialization.load_pem_public_key(public_pem)
    except (ValueError, UnsupportedAlgorithm):
        raise ValueError("install public key is not a PEM public key") from None
    if not isinstance(public_key, rsa.RSAPublicKey):
        raise ValueError("install public key is not an RSA key")
    expected_qsh = query_string_hash(method, url, base_url)
    decoded = parse_for_verification(token, "RS256")
    kid = decoded.header.get("kid")
    if not isinstance(kid, str) or not kid:
        raise TokenVerificationError(RejectReason.KID)
    verify_signature(token, public_key, "RS256")
    check_claims(decoded.claims, expected_qsh=expected_qsh, leeway_s=leeway_s, now=now)
    if not _audience_matches(decoded.claims.get("aud"), base_url):
        raise TokenVerificationError(RejectReason.AUDIENCE)
    iss = decoded.claims.get("iss")
    if not isinstance(iss, str) or not _same(iss, client_key):
        raise TokenVerificationError(RejectReason.ISSUER)
    return decoded.claims
