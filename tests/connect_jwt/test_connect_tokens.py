"""HS256 Connect tokens: decoding, minting, raw building and the verifier's refusals."""

from __future__ import annotations

import base64
import hashlib
import hmac
import json
import re
from typing import Any

import jwt
import pytest
from hypothesis import given
from hypothesis import strategies as st

from connectsec.connect_jwt import (
    CONTEXT_QSH,
    RejectReason,
    TokenFormatError,
    TokenVerificationError,
    b64url_decode,
    b64url_encode,
    decode_unverified,
    encode_segments,
    mint_hs256,
    query_string_hash,
    sign_hs256_raw,
    verify_hs256,
)

SECRET = "tenant-shared-secret-7f3a9c1d5e8b2f4a6c0d"
ISSUER = "client-key-1234"
NOW = 1_700_000_000
BASE = "https://app.example.com/base"
URL = "https://app.example.com/base/page?project=TEST&issue=TEST-1"
REQUEST: dict[str, Any] = {"method": "GET", "url": URL, "base_url": BASE}


def _mint(**overrides: Any) -> str:
    args: dict[str, Any] = {"issuer": ISSUER, "subject": "account-1", "now": NOW, **REQUEST, **overrides}
    return mint_hs256(SECRET, **args)


def _claims(**overrides: Any) -> dict[str, Any]:
    claims: dict[str, Any] = {
        "iss": ISSUER,
        "iat": NOW,
        "exp": NOW + 180,
        "qsh": query_string_hash("GET", URL, BASE),
    }
    claims.update(overrides)
    return {k: v for k, v in claims.items() if v is not None}


FIXED_MESSAGES = {str(TokenVerificationError(reason)) for reason in RejectReason}


def _refusal(token: str, secret: str = SECRET, **kwargs: Any) -> TokenVerificationError:
    args = {**REQUEST, "now": NOW, **kwargs}
    with pytest.raises(TokenVerificationError) as info:
        verify_hs256(token, secret, **args)
    assert str(info.value) in FIXED_MESSAGES
    return info.value


def test_mint_verify_round_trip() -> None:
    token = _mint()
    decoded = decode_unverified(token)
    assert decoded.header == {"alg": "HS256", "typ": "JWT"}
    assert decoded.claims == {
        "iss": ISSUER,
        "iat": NOW,
        "exp": NOW + 180,
        "qsh": query_string_hash("GET", URL, BASE),
        "sub": "account-1",
    }
    assert verify_hs256(token, SECRET, **REQUEST, now=NOW + 10) == decoded.claims
    assert jwt.decode(token, SECRET, algorithms=["HS256"], options={"verify_exp": False}) == decoded.claims


def test_query_order_and_jwt_parameter_do_not_matter_to_verification() -> None:
    token = _mint()
    url = f"https://app.example.com/base/page?issue=TEST-1&jwt={token}&project=TEST"
    assert verify_hs256(token, SECRET, method="get", url=url, base_url=BASE, now=NOW)["iss"] == ISSUER


def test_mint_options() -> None:
    token = _mint(subject=None, lifetime_s=60, extra_claims={"context": {"x": 1}, "exp": NOW + 5}, qsh="q")
    assert decode_unverified(token).claims == {
        "iss": ISSUER,
        "iat": NOW,
        "exp": NOW + 5,
        "qsh": "q",
        "context": {"x": 1},
    }


@pytest.mark.parametrize("secret", ["", "-----BEGIN PUBLIC KEY-----\nMIIB\n-----END PUBLIC KEY-----\n"])
def test_mint_and_verify_refuse_unusable_secrets(secret: str) -> None:
    with pytest.raises(ValueError) as minted:
        mint_hs256(secret, issuer=ISSUER, **REQUEST)
    with pytest.raises(ValueError) as verified:
        verify_hs256(_mint(), secret, **REQUEST, now=NOW)
    for info in (minted, verified):
        assert not isinstance(info.value, TokenVerificationError)
        assert secret == "" or secret not in str(info.value)


def test_context_token_only_where_allowed() -> None:
    token = _mint(qsh=CONTEXT_QSH)
    assert _refusal(token).reason is RejectReason.CONTEXT_QSH
    assert verify_hs256(token, SECRET, **REQUEST, now=NOW, allow_context_qsh=True)["qsh"] == CONTEXT_QSH


@pytest.mark.parametrize("alg", ["none", "None", "NONE", "nOnE"])
@pytest.mark.parametrize("keep_signature", [False, True])
def test_alg_none_refused(alg: str, keep_signature: bool) -> None:
    signature = decode_unverified(_mint()).signature if keep_signature else b""
    token = encode_segments({"alg": alg, "typ": "JWT"}, _claims(), signature)
    assert _refusal(token).reason is RejectReason.ALGORITHM


@pytest.mark.parametrize("alg", ["HS384", "HS512", "RS256", "ES256", "hs256"])
def test_other_algorithms_refused(alg: str) -> None:
    token = sign_hs256_raw({"alg": alg, "typ": "JWT"}, _claims(), SECRET.encode())
    assert _refusal(token).reason is RejectReason.ALGORITHM


@pytest.mark.parametrize(
    "key", [b"", b"another-secret-0123456789abcdefghijk", b"-----BEGIN PUBLIC KEY-----\nMIIB\n"]
)
def test_wrong_key_refused(key: bytes) -> None:
    token = sign_hs256_raw({"alg": "HS256", "typ": "JWT"}, _claims(), key)
    assert _refusal(token).reason is RejectReason.SIGNATURE


def test_signature_stripped_flipped_truncated_or_payload_changed() -> None:
    token = _mint()
    head, payload, sig = token.split(".")
    raw = b64url_decode(sig)
    flipped = bytes([raw[0] ^ 1]) + raw[1:]
    forged_payload = encode_segments({}, _claims(sub="admin")).split(".")[1]
    for bad in (
        f"{head}.{payload}.",
        f"{head}.{payload}.{b64url_encode(flipped)}",
        f"{head}.{payload}.{b64url_encode(raw[:16])}",
        f"{head}.{forged_payload}.{sig}",
    ):
        assert _refusal(bad).reason is RejectReason.SIGNATURE


def _signed(claims: dict[str, Any], header: dict[str, Any] | None = None) -> str:
    return sign_hs256_raw(header or {"alg": "HS256", "typ": "JWT"}, claims, SECRET.encode())


def test_expiry_and_leeway() -> None:
    token = _mint(now=NOW - 200, lifetime_s=180)
    assert _refusal(token).reason is RejectReason.EXPIRED
    assert _refusal(token, leeway_s=15).reason is RejectReason.EXPIRED
    assert verify_hs256(token, SECRET, **REQUEST, now=NOW, leeway_s=30)["iss"] == ISSUER
    assert _refusal(_mint(lifetime_s=0)).reason is RejectReason.EXPIRED


@pytest.mark.parametrize(
    ("claims", "reason"),
    [
        (_claims(exp=None), RejectReason.EXP_MISSING),
        (_claims(exp="9999999999"), RejectReason.EXP_MISSING),
        (_claims(exp=True), RejectReason.EXP_MISSING),
        (_claims(exp=float("nan")), RejectReason.EXP_MISSING),
        (_claims(exp=float("inf")), RejectReason.EXP_MISSING),
        (_claims(nbf=NOW + 60), RejectReason.NOT_YET_VALID),
        (_claims(iat=NOW + 60), RejectReason.NOT_YET_VALID),
        (_claims(iat="now"), RejectReason.NOT_YET_VALID),
        (_claims(qsh=None), RejectReason.QSH_MISSING),
        (_claims(qsh=""), RejectReason.QSH_MISSING),
        (_claims(qsh=["x"]), RejectReason.QSH_MISSING),
        (_claims(qsh=query_string_hash("GET", "https://app.example.com/base/admin", BASE)), "mismatch"),
        (_claims(qsh=query_string_hash("POST", URL, BASE)), "mismatch"),
        (_claims(qsh=query_string_hash("GET", URL + "&extra=1", BASE)), "mismatch"),
        (_claims(qsh=query_string_hash("GET", URL)), "mismatch"),
    ],
)
def test_claim_refusals(claims: dict[str, Any], reason: str) -> None:
    expected = RejectReason.QSH_MISMATCH if reason == "mismatch" else reason
    assert _refusal(_signed(claims)).reason is expected


def test_far_future_exp_and_huge_numbers_are_handled() -> None:
    assert _refusal(_signed(_claims(exp=10**400))).reason is RejectReason.LIFETIME
    assert verify_hs256(_signed(_claims(exp=NOW + 3000)), SECRET, **REQUEST, now=NOW)["exp"] == NOW + 3000
    assert _refusal(_signed(_claims(iat=10**400))).reason is RejectReason.NOT_YET_VALID


def _raw_signed(header_json: bytes, claims: dict[str, Any]) -> str:
    signing_input = f"{b64url_encode(header_json)}.{b64url_encode(json.dumps(claims).encode())}"
    signature = hmac.new(SECRET.encode(), signing_input.encode(), hashlib.sha256).digest()
    return f"{signing_input}.{b64url_encode(signature)}"


@pytest.mark.parametrize(
    "header_json",
    [
        b'{"alg":"none","alg":"HS256","typ":"JWT"}',
        b'{"alg":"HS256","typ":"JWT","crit":["x-unknown"],"x-unknown":1}',
        b'{"alg":"HS256","typ":"JWT","b64":false,"crit":["b64"]}',
        b'{"alg":"HS256","typ":"JWT","pad":"' + b"A" * 20000 + b'","pad":1}',
    ],
)
def test_header_tricks_refused(header_json: bytes) -> None:
    assert _refusal(_raw_signed(header_json, _claims())).reason is RejectReason.FORMAT


@pytest.mark.parametrize(
    "token", ["", "abc", "a.b", "a.b.c.d", "!!!.e30.", "e30.!!!.", "e30.e30.!!!", "W10.e30."]
)
def test_malformed_tokens_refused(token: str) -> None:
    assert _refusal(token).reason is RejectReason.FORMAT


def test_decode_unverified_parts() -> None:
    header = {"alg": "HS256", "typ": "JWT", "kid": "k"}
    token = encode_segments(header, _claims(), b"\x00\xffsig")
    decoded = decode_unverified(token)
    assert decoded.header == header
    assert decoded.claims == _claims()
    assert decoded.signature == b"\x00\xffsig"
    assert decoded.signing_input == token.rsplit(".", 1)[0].encode()
    assert decode_unverified(token.replace(".", "==.", 1)).header == header


def test_sign_hs256_raw_matches_pyjwt() -> None:
    token = sign_hs256_raw({"alg": "HS256", "typ": "JWT"}, {"a": 1}, b"k" * 32)
    assert jwt.decode(token, b"k" * 32, algorithms=["HS256"]) == {"a": 1}
    empty = decode_unverified(sign_hs256_raw({"alg": "HS256"}, {}, b""))
    assert empty.signature == hmac.new(b"", empty.signing_input, hashlib.sha256).digest()


def _b64(data: bytes) -> str:
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode()


MALFORMED = {
    "one segment": "eyJhbGciOiJIUzI1NiJ9",
    "two segments": "eyJhbGciOiJIUzI1NiJ9.e30",
    "four segments": "e30.e30.e30.e30",
    "bad base64 header": "e3$0.e30.",
    "impossible length": "e30.e3012.",
    "bad base64 signature": "e30.e30.a+b/",
    "non-json header": _b64(b"not json") + ".e30.",
    "utf-16 header": _b64("{}".encode("utf-16")) + ".e30.",
    "latin-1 header": _b64(b'{"a":"\xe9"}') + ".e30.",
    "array header": _b64(b"[1,2]") + ".e30.",
    "string payload": "e30." + _b64(b'"secret-ish"') + ".",
    "null payload": "e30." + _b64(b"null") + ".",
    "deep nesting": _b64(b"[" * 100_000) + ".e30.",
    "huge int": _b64(b'{"a":' + b"9" * 5000 + b"}") + ".e30.",
}
MESSAGE = re.compile(
    r"token is not a string|token has \d+ segments, expected 3"
    r"|(header|payload|signature) segment is not (base64url|valid JSON|a JSON object)"
)


@pytest.mark.parametrize("token", MALFORMED.values(), ids=MALFORMED.keys())
def test_decode_unverified_malformed(token: str) -> None:
    with pytest.raises(TokenFormatError) as info:
        decode_unverified(token)
    assert MESSAGE.fullmatch(str(info.value))
    assert "\n" not in str(info.value)


B64_TEXT = st.text(
    alphabet="ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_=+/", max_size=40
)
JSON_VALUES = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats() | st.text(max_size=5),
    lambda inner: st.lists(inner, max_size=3) | st.dictionaries(st.text(max_size=5), inner, max_size=3),
    max_leaves=8,
)
SEGMENT = st.one_of(
    B64_TEXT,
    st.binary(max_size=40).map(_b64),
    JSON_VALUES.map(lambda v: _b64(json.dumps(v).encode())),
    st.text(max_size=20),
)
GARBAGE = st.one_of(st.text(), st.lists(SEGMENT, min_size=1, max_size=5).map(".".join))


@given(token=GARBAGE)
def test_decode_unverified_raises_only_token_format_error(token: str) -> None:
    error: TokenFormatError | None = None
    try:
        decode_unverified(token)
    except TokenFormatError as caught:
        error = caught
    assert error is None or MESSAGE.fullmatch(str(error))


@given(token=GARBAGE)
def test_verify_hs256_on_garbage_refuses_cleanly(token: str) -> None:
    with pytest.raises(TokenVerificationError) as info:
        verify_hs256(token, SECRET, **REQUEST, now=NOW)
    assert str(info.value) in FIXED_MESSAGES


@given(data=st.binary())
def test_b64url_round_trip(data: bytes) -> None:
    encoded = b64url_encode(data)
    assert "=" not in encoded
    assert b64url_decode(encoded) == data


WRONG_SECRET = "wrong-secret-value-0123456789abcdefghij"


def test_errors_never_quote_token_or_secret() -> None:
    token = _mint()
    head, payload, _ = token.split(".")
    errors: list[BaseException] = []
    for bad, secret in (
        (token, WRONG_SECRET),
        (f"{head}.{payload}", SECRET),
        (f"{head}.{payload}.!!", SECRET),
        (token, "-----BEGIN PUBLIC KEY-----\nMIIB\n-----END PUBLIC KEY-----\n"),
        (_mint(qsh="q"), SECRET),
    ):
        with pytest.raises((ValueError, TokenVerificationError)) as info:
            verify_hs256(bad, secret, **REQUEST, now=NOW)
        errors.append(info.value)
    with pytest.raises(TokenVerificationError) as refused:
        verify_hs256(token, WRONG_SECRET, **REQUEST, now=NOW)
    errors.append(refused.value)
    with pytest.raises(TokenFormatError) as malformed:
        decode_unverified(f"{head}.{payload}")
    errors.append(malformed.value)
    for error in errors:
        for text in (str(error), repr(error)):
            assert head not in text
            assert payload not in text
            assert SECRET not in text
            assert WRONG_SECRET not in text
        assert error.__cause__ is None
