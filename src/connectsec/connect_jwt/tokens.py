"""Connect HS256 tokens: unverified decoding, minting, verification and raw building for attacks.

No exception raised here carries a token, a secret or a claim value in its message.
"""

from __future__ import annotations

import base64
import binascii
import hashlib
import hmac
import json
import math
import re
import time
from collections.abc import Mapping
from dataclasses import dataclass
from enum import StrEnum
from typing import Any

import jwt

from .qsh import CONTEXT_QSH, query_string_hash

_B64URL = re.compile(r"^[A-Za-z0-9_-]*$")


class TokenFormatError(ValueError):
    """The token is not three base64url segments whose first two are JSON objects."""


class RejectReason(StrEnum):
    """Why a verifier refused a token."""

    FORMAT = "format"
    ALGORITHM = "algorithm"
    SIGNATURE = "signature"
    KID = "kid"
    EXP_MISSING = "exp_missing"
    EXPIRED = "expired"
    LIFETIME = "lifetime"
    NOT_YET_VALID = "not_yet_valid"
    QSH_MISSING = "qsh_missing"
    QSH_MISMATCH = "qsh_mismatch"
    CONTEXT_QSH = "context_qsh"
    ISSUER = "issuer"
    AUDIENCE = "audience"


_MESSAGES = {
    RejectReason.FORMAT: "token is malformed",
    RejectReason.ALGORITHM: "token algorithm is not the one this endpoint accepts",
    RejectReason.SIGNATURE: "token signature is invalid",
    RejectReason.KID: "token header has no usable kid",
    RejectReason.EXP_MISSING: "token has no numeric exp claim",
    RejectReason.EXPIRED: "token has expired",
    RejectReason.LIFETIME: "token exp lies implausibly far in the future",
    RejectReason.NOT_YET_VALID: "token nbf or iat lies in the future",
    RejectReason.QSH_MISSING: "token has no qsh claim",
    RejectReason.QSH_MISMATCH: "token qsh does not match the request",
    RejectReason.CONTEXT_QSH: "context token is not accepted on this request",
    RejectReason.ISSUER: "token iss is not the expected issuer",
    RejectReason.AUDIENCE: "token aud is not the expected audience",
}


class TokenVerificationError(Exception):
    """A verifier refused a token; ``reason`` says why, the message never quotes the token."""

    def __init__(self, reason: RejectReason) -> None:
        super().__init__(_MESSAGES[reason])
        self.reason = reason


@dataclass(frozen=True)
class DecodedToken:
    """The parts of a JWT, decoded but not verified."""

    header: dict[str, Any]
    claims: dict[str, Any]
    signature: bytes
    signing_input: bytes


def b64url_encode(data: bytes) -> str:
    """Base64url without padding."""
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode("ascii")


def b64url_decode(segment: str) -> bytes:
    """Decode base64url, padding optional.

    Raises:
        ValueError: characters outside the base64url alphabet or an impossible length.
    """
    stripped = segment.rstrip("=")
    if not _B64URL.match(stripped) or len(stripped) % 4 == 1:
        raise ValueError("not base64url")
    try:
        return base64.urlsafe_b64decode(stripped + "=" * (-len(stripped) % 4))
    except binascii.Error:
        raise ValueError("not base64url") from None


def _reject_duplicates(pairs: list[tuple[str, Any]]) -> dict[str, Any]:
    result = dict(pairs)
    if len(result) != len(pairs):
        raise ValueError("duplicate key")
    return result


def _json_object(segment: str, part: str, *, strict: bool) -> dict[str, Any]:
    try:
        raw = b64url_decode(segment)
    except ValueError:
        raise TokenFormatError(f"{part} segment is not base64url") from None
    try:
        value = json.loads(raw.decode("utf-8"), object_pairs_hook=_reject_duplicates if strict else None)
    except (ValueError, RecursionError):
        raise TokenFormatError(f"{part} segment is not valid JSON") from None
    if not isinstance(value, dict):
        raise TokenFormatError(f"{part} segment is not a JSON object")
    return value


def _decode(token: str, *, strict: bool) -> DecodedToken:
    if not isinstance(token, str):
        raise TokenFormatError("token is not a string")
    segments = token.split(".")
    if len(segments) != 3:
        raise TokenFormatError(f"token has {len(segments)} segments, expected 3")
    header = _json_object(segments[0], "header", strict=strict)
    claims = _json_object(segments[1], "payload", strict=strict)
    try:
        signature = b64url_decode(segments[2])
    except ValueError:
        raise TokenFormatError("signature segment is not base64url") from None
    signing_input = f"{segments[0]}.{segments[1]}".encode("ascii")
    return DecodedToken(header=header, claims=claims, signature=signature, signing_input=signing_input)


def decode_unverified(token: str) -> DecodedToken:
    """Split and decode a JWT without checking anything but its shape (duplicate JSON keys: last wins).

    Raises:
        TokenFormatError: wrong segment count, bad base64url, non-JSON or non-object header/payload.
    """
    return _decode(token, strict=False)


def encode_json_segment(value: Mapping[str, Any]) -> str:
    """Compact JSON, UTF-8, base64url: one header or payload segment."""
    return b64url_encode(json.dumps(dict(value), separators=(",", ":")).encode("utf-8"))


def encode_segments(header: Mapping[str, Any], claims: Mapping[str, Any], signature: bytes = b"") -> str:
    """Assemble ``header.claims.signature`` as given, with no checks at all."""
    return f"{encode_json_segment(header)}.{encode_json_segment(claims)}.{b64url_encode(signature)}"


def sign_hs256_raw(header: Mapping[str, Any], claims: Mapping[str, Any], key: bytes) -> str:
    """HMAC-SHA256-sign any header (whatever its ``alg`` says) with any key, the empty key included."""
    signing_input = f"{encode_json_segment(header)}.{encode_json_segment(claims)}"
    signature = hmac.new(key, signing_input.encode("ascii"), hashlib.sha256).digest()
    return f"{signing_input}.{b64url_encode(signature)}"


def mint_hs256(
    shared_secret: str,
    *,
    issuer: str,
    method: str,
    url: str,
    base_url: str | None,
    subject: str | None = None,
    lifetime_s: int = 180,
    now: int | None = None,
    extra_claims: Mapping[str, Any] | None = None,
    qsh: str | None = None,
) -> str:
    """Mint a Connect HS256 token for a request (``qsh`` overrides the computed hash, e.g. CONTEXT_QSH).

    ``extra_claims`` are applied last and may replace the standard claims.

    Raises:
        ValueError: empty or PEM-shaped ``shared_secret`` (use :func:`sign_hs256_raw` for those), or as
            :func:`query_string_hash`.
    """
    if not shared_secret:
        raise ValueError("shared secret must not be empty")
    issued = int(time.time()) if now is None else now
    claims: dict[str, Any] = {
        "iss": issuer,
        "iat": issued,
        "exp": issued + lifetime_s,
        "qsh": query_string_hash(method, url, base_url) if qsh is None else qsh,
    }
    if subject is not None:
        claims["sub"] = subject
    claims.update(extra_claims or {})
    try:
        return jwt.encode(claims, shared_secret, algorithm="HS256", headers={"typ": "JWT"})
    except jwt.InvalidKeyError:
        raise ValueError("shared secret rejected by PyJWT as an HMAC key") from None


def parse_for_verification(token: str, algorithm: str) -> DecodedToken:
    """Strictly parse a token a verifier is about to check: duplicate JSON keys refused, alg pinned.

    Raises:
        TokenVerificationError: FORMAT or ALGORITHM.
    """
    try:
        decoded = _decode(token, strict=True)
    except TokenFormatError:
        raise TokenVerificationError(RejectReason.FORMAT) from None
    if decoded.header.get("alg") != algorithm:
        raise TokenVerificationError(RejectReason.ALGORITHM)
    return decoded


def verify_signature(token: str, key: Any, algorithm: str) -> None:
    """Check the signature with PyJWT, ``algorithm`` only; PyJWT also refuses unknown ``crit`` entries.

    Raises:
        TokenVerificationError: SIGNATURE, FORMAT or ALGORITHM.
        ValueError: PyJWT refuses the key itself (e.g. a PEM string used as an HMAC secret).
    """
    try:
        jwt.PyJWS().decode_complete(token, key, algorithms=[algorithm])
    except jwt.InvalidSignatureError:
        raise TokenVerificationError(RejectReason.SIGNATURE) from None
    except jwt.InvalidAlgorithmError:
        raise TokenVerificationError(RejectReason.ALGORITHM) from None
    except jwt.InvalidKeyError:
        raise ValueError("verification key rejected by PyJWT") from None
    except jwt.PyJWTError:
        raise TokenVerificationError(RejectReason.FORMAT) from None


def _number(value: object) -> int | float | None:
    if isinstance(value, bool):
        return None
    if isinstance(value, int) or (isinstance(value, float) and math.isfinite(value)):
        return value
    return None


MAX_LIFETIME_S = 3600
"""Connect tokens live minutes; an `exp` further away than this is refused."""


def check_claims(
    claims: Mapping[str, Any],
    *,
    expected_qsh: str,
    leeway_s: int,
    now: int | None,
    allow_context_qsh: bool = False,
) -> None:
    """Require a live ``exp``, no future ``nbf``/``iat``, and a ``qsh`` equal to the request's.

    Raises:
        TokenVerificationError: EXP_MISSING, EXPIRED, LIFETIME, NOT_YET_VALID, QSH_MISSING, CONTEXT_QSH,
            QSH_MISMATCH.
    """
    current = time.time() if now is None else now
    exp = _number(claims.get("exp"))
    if exp is None:
        raise TokenVerificationError(RejectReason.EXP_MISSING)
    if exp <= current - leeway_s:
        raise TokenVerificationError(RejectReason.EXPIRED)
    if exp > current + MAX_LIFETIME_S:  # products mint minutes-long tokens; years mean forgery
        raise TokenVerificationError(RejectReason.LIFETIME)
    for name in ("nbf", "iat"):
        if name in claims:
            value = _number(claims[name])
            if value is None or value > current + leeway_s:
                raise TokenVerificationError(RejectReason.NOT_YET_VALID)
    qsh = claims.get("qsh")
    if not isinstance(qsh, str) or not qsh:
        raise TokenVerificationError(RejectReason.QSH_MISSING)
    if qsh == CONTEXT_QSH:
        if allow_context_qsh:
            return
        raise TokenVerificationError(RejectReason.CONTEXT_QSH)
    if not hmac.compare_digest(qsh.encode("utf-8", "surrogatepass"), expected_qsh.encode("ascii")):
        raise TokenVerificationError(RejectReason.QSH_MISMATCH)


def verify_hs256(
    token: str,
    shared_secret: str,
    *,
    method: str,
    url: str,
    base_url: str | None,
    leeway_s: int = 0,
    now: int | None = None,
    allow_context_qsh: bool = False,
) -> dict[str, Any]:
    """Verify a Connect HS256 token for a request and return its claims.

    HS256 only; ``exp`` and ``qsh`` required; ``qsh`` must equal the request's hash, and
    ``context-qsh`` is refused unless ``allow_context_qsh``. Looking up the secret by ``iss`` is the
    caller's job.

    Raises:
        TokenVerificationError: the token is refused (see ``reason``).
        ValueError: empty or PEM-shaped ``shared_secret``, or a URL :func:`query_string_hash` rejects.
    """
    if not shared_secret:
        raise ValueError("shared secret must not be empty")
    expected_qsh = query_string_hash(method, url, base_url)
    decoded = parse_for_verification(token, "HS256")
    verify_signature(token, shared_secret.encode("utf-8"), "HS256")
    check_claims(
        decoded.claims,
        expected_qsh=expected_qsh,
        leeway_s=leeway_s,
        now=now,
        allow_context_qsh=allow_context_qsh,
    )
    return decoded.claims
