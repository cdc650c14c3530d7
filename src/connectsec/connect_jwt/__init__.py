"""Atlassian Connect JWT: qsh computation, token decoding, minting, forging and verification (no I/O)."""

from .install import InstallKeyPair, forge_install_token, sign_rs256_raw, verify_install_token
from .qsh import CONTEXT_QSH, canonical_request, query_string_hash
from .tokens import (
    DecodedToken,
    RejectReason,
    TokenFormatError,
    TokenVerificationError,
    b64url_decode,
    b64url_encode,
    decode_unverified,
    encode_json_segment,
    encode_segments,
    mint_hs256,
    sign_hs256_raw,
    verify_hs256,
)

__all__ = [
    "CONTEXT_QSH",
    "DecodedToken",
    "InstallKeyPair",
    "RejectReason",
    "TokenFormatError",
    "TokenVerificationError",
    "b64url_decode",
    "b64url_encode",
    "canonical_request",
    "decode_unverified",
    "encode_json_segment",
    "encode_segments",
    "forge_install_token",
    "mint_hs256",
    "query_string_hash",
    "sign_hs256_raw",
    "sign_rs256_raw",
    "verify_hs256",
    "verify_install_token",
]
