"""Signed-install tokens: forging with our own RSA keys and the compliant verifier."""

from __future__ import annotations

import uuid
from typing import Any

import pytest
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import ec

from connectsec.connect_jwt import (
    InstallKeyPair,
    RejectReason,
    TokenVerificationError,
    b64url_encode,
    decode_unverified,
    encode_segments,
    forge_install_token,
    query_string_hash,
    sign_hs256_raw,
    sign_rs256_raw,
    verify_install_token,
)

BASE = "https://app.example.com"
CLIENT_KEY = "forged-client-key-0001"
NOW = 1_700_000_000
INSTALLED = f"{BASE}/installed"
FIXED_MESSAGES = {str(TokenVerificationError(reason)) for reason in RejectReason}


@pytest.fixture(scope="module")
def key() -> InstallKeyPair:
    return InstallKeyPair.generate()


@pytest.fixture(scope="module")
def other_key() -> InstallKeyPair:
    return InstallKeyPair.generate("other-kid")


def _forge(key: InstallKeyPair, **overrides: Any) -> str:
    args: dict[str, Any] = {
        "client_key": CLIENT_KEY,
        "base_url_aud": BASE,
        "url": INSTALLED,
        "base_url": BASE,
        "now": NOW,
        **overrides,
    }
    return forge_install_token(key, **args)


def _verify(token: str, public_pem: bytes, **overrides: Any) -> dict[str, Any]:
    args: dict[str, Any] = {
        "client_key": CLIENT_KEY,
        "base_url": BASE,
        "method": "POST",
        "url": INSTALLED,
        "now": NOW,
        **overrides,
    }
    return verify_install_token(token, public_pem, **args)


def _refusal(token: str, public_pem: bytes, **overrides: Any) -> RejectReason:
    with pytest.raises(TokenVerificationError) as info:
        _verify(token, public_pem, **overrides)
    assert str(info.value) in FIXED_MESSAGES
    return info.value.reason


def test_generated_key(key: InstallKeyPair) -> None:
    assert uuid.UUID(key.kid).version == 4
    assert key.public_pem.startswith(b"-----BEGIN PUBLIC KEY-----")
    assert key.private_key.key_size == 2048
    assert "PRIVATE" not in repr(key)
    assert InstallKeyPair.generate("fixed").kid == "fixed"


def test_forge_verify_round_trip(key: InstallKeyPair) -> None:
    token = _forge(key)
    decoded = decode_unverified(token)
    assert decoded.header == {"alg": "RS256", "typ": "JWT", "kid": key.kid}
    assert decoded.claims == {
        "iss": CLIENT_KEY,
        "aud": BASE,
        "qsh": query_string_hash("POST", "/installed"),
        "iat": NOW,
        "exp": NOW + 180,
    }
    assert _verify(token, key.public_pem) == decoded.claims


def test_base_url_with_path(key: InstallKeyPair) -> None:
    base = "https://app.example.com/connect"
    token = _forge(key, base_url_aud=base, url=f"{base}/installed", base_url=base)
    assert decode_unverified(token).claims["qsh"] == query_string_hash("POST", "/installed")
    assert _verify(token, key.public_pem, base_url=base, url=f"{base}/installed")["aud"] == base


def test_other_key_refused(key: InstallKeyPair, other_key: InstallKeyPair) -> None:
    assert _refusal(_forge(key), other_key.public_pem) is RejectReason.SIGNATURE
    assert _refusal(_forge(other_key, kid=key.kid), key.public_pem) is RejectReason.SIGNATURE


@pytest.mark.parametrize(
    "aud",
    [
        "https://app.example.com.attacker.test",
        "https://attacker.test",
        "https://app.example.com/",
        "https://APP.example.com",
        ["https://attacker.test"],
        None,
    ],
)
def test_wrong_audience_refused(key: InstallKeyPair, aud: Any) -> None:
    assert _refusal(_forge(key, extra_claims={"aud": aud}), key.public_pem) is RejectReason.AUDIENCE


def test_audience_list_holding_base_url_accepted(key: InstallKeyPair) -> None:
    token = _forge(key, extra_claims={"aud": ["https://other.test", BASE]})
    assert _verify(token, key.public_pem)["iss"] == CLIENT_KEY


@pytest.mark.parametrize("iss", ["another-client-key", f"{CLIENT_KEY}x", "", None, 1])
def test_wrong_issuer_refused(key: InstallKeyPair, iss: Any) -> None:
    assert _refusal(_forge(key, extra_claims={"iss": iss}), key.public_pem) is RejectReason.ISSUER


def test_issuer_is_compared_with_the_body_client_key(key: InstallKeyPair) -> None:
    assert _refusal(_forge(key), key.public_pem, client_key="victim-client-key") is RejectReason.ISSUER


@pytest.mark.parametrize("kid", ["../../etc/passwd", "https://attacker.test/key", "/dev/null", "a\"b'c"])
def test_kid_override_appears_in_header(key: InstallKeyPair, kid: str) -> None:
    token = _forge(key, kid=kid)
    assert decode_unverified(token).header["kid"] == kid
    assert _verify(token, key.public_pem)["iss"] == CLIENT_KEY


@pytest.mark.parametrize("kid", ["", 5, None])
def test_unusable_kid_refused(key: InstallKeyPair, kid: Any) -> None:
    token = _forge(key, extra_header={"kid": kid})
    assert _refusal(token, key.public_pem) is RejectReason.KID


def test_extra_header_is_kept(key: InstallKeyPair) -> None:
    token = _forge(key, extra_header={"jku": "https://attacker.test/jwks"})
    assert decode_unverified(token).header["jku"] == "https://attacker.test/jwks"


@pytest.mark.parametrize(
    ("overrides", "reason"),
    [
        ({"url": f"{BASE}/uninstalled"}, RejectReason.QSH_MISMATCH),
        ({"method": "GET"}, RejectReason.QSH_MISMATCH),
        ({"extra_claims": {"qsh": "context-qsh"}}, RejectReason.CONTEXT_QSH),
        ({"extra_claims": {"qsh": None}}, RejectReason.QSH_MISSING),
        ({"extra_claims": {"exp": None}}, RejectReason.EXP_MISSING),
        ({"now": NOW - 400}, RejectReason.EXPIRED),
        ({"now": NOW + 400}, RejectReason.NOT_YET_VALID),
        ({"extra_header": {"alg": "HS256"}}, RejectReason.ALGORITHM),
    ],
)
def test_claim_and_header_refusals(
    key: InstallKeyPair, overrides: dict[str, Any], reason: RejectReason
) -> None:
    assert _refusal(_forge(key, **overrides), key.public_pem) is reason


def _claims(key: InstallKeyPair) -> dict[str, Any]:
    return decode_unverified(_forge(key)).claims


def test_rs256_to_hs256_confusion_refused(key: InstallKeyPair) -> None:
    token = sign_hs256_raw({"alg": "HS256", "typ": "JWT", "kid": key.kid}, _claims(key), key.public_pem)
    assert _refusal(token, key.public_pem) is RejectReason.ALGORITHM


@pytest.mark.parametrize("alg", ["none", "None", "NONE", "nOnE"])
def test_alg_none_refused(key: InstallKeyPair, alg: str) -> None:
    token = encode_segments({"alg": alg, "kid": key.kid}, _claims(key))
    assert _refusal(token, key.public_pem) is RejectReason.ALGORITHM


def test_unsigned_and_tampered_refused(key: InstallKeyPair) -> None:
    token = _forge(key)
    head, _, sig = token.split(".")
    stripped = token.rsplit(".", 1)[0] + "."
    tampered = f"{head}.{encode_segments({}, {**_claims(key), 'iss': 'x'}).split('.')[1]}.{sig}"
    for bad in (stripped, tampered):
        assert _refusal(bad, key.public_pem) is RejectReason.SIGNATURE


def test_sign_rs256_raw_signs_any_header(key: InstallKeyPair) -> None:
    token = sign_rs256_raw(
        {"alg": "RS256", "kid": key.kid, "crit": ["x-unknown"]}, _claims(key), key.private_key
    )
    assert _refusal(token, key.public_pem) is RejectReason.FORMAT


def test_bad_public_keys_raise_value_error(key: InstallKeyPair) -> None:
    ec_pem = (
        ec.generate_private_key(ec.SECP256R1())
        .public_key()
        .public_bytes(serialization.Encoding.PEM, serialization.PublicFormat.SubjectPublicKeyInfo)
    )
    token = _forge(key)
    for pem in (ec_pem, b"not a pem", b""):
        with pytest.raises(ValueError) as info:
            _verify(token, pem)
        assert not isinstance(info.value, TokenVerificationError)
        assert token.split(".")[1] not in str(info.value)


def test_refusal_messages_never_quote_the_token(key: InstallKeyPair, other_key: InstallKeyPair) -> None:
    token = _forge(key)
    with pytest.raises(TokenVerificationError) as info:
        _verify(token, other_key.public_pem)
    for segment in token.split("."):
        assert segment not in str(info.value)
    assert b64url_encode(key.public_pem) not in str(info.value)
