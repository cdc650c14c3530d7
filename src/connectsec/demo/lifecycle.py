"""Signed-install lifecycle callbacks of the demo app's tenant mode, checked like a correct Connect app.

``installed`` / ``uninstalled`` carry a JSON body (``key``, ``clientKey``, ``sharedSecret``, ``baseUrl``,
``eventType``) and ``Authorization: JWT <RS256 token>``. The token's alg is pinned to RS256; its ``kid``
is an opaque key id looked up in the install key store (kid → SPKI PEM, standing in for Atlassian's key
CDN; never used as a path or URL); then the signature, ``exp``, ``qsh`` (of the request as received),
``aud`` (exactly the app baseUrl) and ``iss`` (exactly the body's clientKey) are verified. Only then is the
tenant registered, updated or removed.

The ``auth-*-install`` violations (`INSTALL_FLAWS`) weaken ``installed`` only:

- ``auth-unsigned-install``: no token at all is accepted for a clientKey not installed yet.
- ``auth-install-hijack``: no token at all is accepted for any clientKey, an installed one included.
- ``auth-forged-install``: kid and signature are not checked (alg, exp, qsh, aud, iss still are).
"""

from __future__ import annotations

import hmac
import json
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from cryptography.exceptions import UnsupportedAlgorithm
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import rsa

from connectsec.connect_jwt import (
    RejectReason,
    TokenVerificationError,
    query_string_hash,
    verify_install_token,
)
from connectsec.connect_jwt.tokens import check_claims, parse_for_verification

INSTALL_FLAWS: frozenset[str] = frozenset(
    {"auth-unsigned-install", "auth-install-hijack", "auth-forged-install"}
)
"""The violations that weaken the ``installed`` callback."""

UNSIGNED_INSTALL_FLAWS: frozenset[str] = frozenset({"auth-unsigned-install", "auth-install-hijack"})


@dataclass(frozen=True)
class LifecyclePayload:
    """The JSON body of an ``installed`` / ``uninstalled`` callback."""

    key: str
    client_key: str
    shared_secret: str = field(repr=False)
    base_url: str
    event_type: str


_FIELDS = {
    "key": "key",
    "client_key": "clientKey",
    "shared_secret": "sharedSecret",
    "base_url": "baseUrl",
    "event_type": "eventType",
}


def parse_payload(raw: bytes, *, app_key: str, event_type: str) -> LifecyclePayload | None:
    """The body if it is a JSON object with every field a non-empty string, for this app and event."""
    try:
        data = json.loads(raw.decode("utf-8"))
    except (UnicodeDecodeError, ValueError, RecursionError):
        return None
    if not isinstance(data, dict):
        return None
    values: dict[str, str] = {}
    for attr, name in _FIELDS.items():
        value = data.get(name)
        if not isinstance(value, str) or not value:
            return None
        values[attr] = value
    payload = LifecyclePayload(**values)
    if payload.key != app_key or payload.event_type != event_type:
        return None
    return payload


def check_install_keys(keys: Mapping[str, bytes]) -> None:
    """Raise ValueError unless every kid is a non-empty string and every key an RSA SPKI PEM."""
    for kid, pem in keys.items():
        if not isinstance(kid, str) or not kid:
            raise ValueError("install key ids must be non-empty strings")
        try:
            public_key = serialization.load_pem_public_key(pem)
        except (TypeError, ValueError, UnsupportedAlgorithm):
            raise ValueError("install keys must be SPKI PEM public keys (bytes)") from None
        if not isinstance(public_key, rsa.RSAPublicKey):
            raise ValueError("install keys must be RSA public keys")


def _same(a: object, b: str) -> bool:
    return isinstance(a, str) and hmac.compare_digest(
        a.encode("utf-8", "surrogatepass"), b.encode("utf-8", "surrogatepass")
    )


class InstallVerifier:
    """Verifies signed-install tokens against the live install key store (kid → SPKI PEM)."""

    def __init__(self, keys: dict[str, bytes], flaws: frozenset[str] = frozenset()) -> None:
        self.keys = keys
        self.flaws = flaws & INSTALL_FLAWS

    def precheck(self, token: str, *, installed: bool) -> None:
        """What needs no body: the alg is RS256 and (unless forged installs pass) the kid is known.

        Raises:
            TokenVerificationError: FORMAT, ALGORITHM or KID.
        """
        decoded = parse_for_verification(token, "RS256")
        if installed and "auth-forged-install" in self.flaws:
            return
        kid = decoded.header.get("kid")
        if not isinstance(kid, str) or not kid or kid not in self.keys:
            raise TokenVerificationError(RejectReason.KID)

    def verify(
        self, token: str, payload: LifecyclePayload, *, base_url: str, url: str, installed: bool
    ) -> dict[str, Any]:
        """Verify the token for this request and body; returns its claims.

        Raises:
            TokenVerificationError: the token is refused.
            ValueError: a URL the qsh rules cannot canonicalise.
        """
        self.precheck(token, installed=installed)
        if installed and "auth-forged-install" in self.flaws:
            claims = parse_for_verification(token, "RS256").claims
            check_claims(claims, expected_qsh=query_string_hash("POST", url, base_url), leeway_s=0, now=None)
            aud = claims.get("aud")
            if not any(_same(a, base_url) for a in (aud if isinstance(aud, list) else [aud])):
                raise TokenVerificationError(RejectReason.AUDIENCE)
            if not _same(claims.get("iss"), payload.client_key):
                raise TokenVerificationError(RejectReason.ISSUER)
            return claims
        pem = self.keys.get(parse_for_verification(token, "RS256").header["kid"])
        if pem is None:  # removed since the precheck
            raise TokenVerificationError(RejectReason.KID)
        return verify_install_token(
            token, pem, client_key=payload.client_key, base_url=base_url, method="POST", url=url
        )
