"""The attack set: every attack builds, and a correct verifier refuses every one of them."""

from __future__ import annotations

from dataclasses import replace
from urllib.parse import parse_qsl, urlsplit

import pytest

from connectsec.auth.attacks import (
    TAMPER_ATTACKS,
    TOKEN_ATTACKS,
    Attack,
    AttackInput,
    AttackRequest,
    attack_by_id,
    place,
    valid_request,
)
from connectsec.auth.minting import without_jwt
from connectsec.connect_jwt import (
    TokenFormatError,
    TokenVerificationError,
    b64url_decode,
    decode_unverified,
    query_string_hash,
    verify_hs256,
)

BASE = "https://app.example.com/base"
NOW = 1_700_000_000
CLIENT, SECRET = "tenant-a", "secret-of-tenant-a-0123456789abcdef"
OTHER, OTHER_SECRET = "tenant-b", "secret-of-tenant-b-9876543210fedcba"
SECRETS = {CLIENT: SECRET, OTHER: OTHER_SECRET}
ALL = (*TOKEN_ATTACKS, *TAMPER_ATTACKS)
# A token valid for ten years is only a warning: a verifier without a lifetime cap accepts it.
LENIENT_OK = {"exp-far-future"}


def _input(method: str, url: str, in_query: bool, secret: str | None = SECRET) -> AttackInput:
    return AttackInput(
        method=method,
        url=url,
        base_url=BASE,
        token_in_query=in_query,
        client_key=CLIENT,
        shared_secret=secret,
        subject="557058:11111111-2222-3333-4444-555555555555",
        now=NOW,
        other_tenant=(OTHER, OTHER_SECRET),
    )


TARGETS = {
    "page": _input("GET", f"{BASE}/page", True),
    "page-query": _input("GET", f"{BASE}/page?project=DEMO&issue=DEMO-1&b=x%20y", True),
    "webhook": _input("POST", f"{BASE}/hooks/issue", False),
    "webhook-query": _input("POST", f"{BASE}/hooks/issue?user_id=1", False),
}


def _tokens(request: AttackRequest) -> list[str]:
    found = [v for k, v in parse_qsl(urlsplit(request.url).query, keep_blank_values=True) if k == "jwt"]
    for name, value in request.headers:
        if name.lower() == "authorization" and value.startswith("JWT "):
            found.append(value[4:].strip())
    return found


def _accepted(request: AttackRequest) -> bool:
    """A strict verifier: one token, known iss, HS256 with that tenant's secret, qsh of this request."""
    tokens = _tokens(request)
    if len(tokens) != 1:
        return False
    try:
        secret = SECRETS.get(decode_unverified(tokens[0]).claims.get("iss", ""))
        if secret is None:
            return False
        verify_hs256(
            tokens[0], secret, method=request.method, url=without_jwt(request.url), base_url=BASE, now=NOW
        )
    except (TokenFormatError, TokenVerificationError):
        return False
    return True


def test_ids_unique_and_requirements() -> None:
    ids = [a.id for a in ALL]
    assert len(ids) == len(set(ids))
    assert {a.requirement for a in TOKEN_ATTACKS} == {"R9"}
    assert {a.requirement for a in TAMPER_ATTACKS} == {"R13"}
    assert all(a.needs_secret and a.severity_hint == "high" for a in TAMPER_ATTACKS)
    assert {a.severity_hint for a in ALL} <= {"critical", "high", "warn"}
    assert attack_by_id("alg-nOnE").id == "alg-nOnE"


@pytest.mark.parametrize("target", TARGETS.values(), ids=TARGETS.keys())
def test_valid_request_verifies(target: AttackInput) -> None:
    request = valid_request(target)
    assert _accepted(request)
    assert request.method == target.method


@pytest.mark.parametrize("target", TARGETS.values(), ids=TARGETS.keys())
@pytest.mark.parametrize("attack", ALL, ids=[a.id for a in ALL])
def test_every_attack_is_rejected_by_a_correct_verifier(attack: Attack, target: AttackInput) -> None:
    request = attack.build(target)
    assert request.method == target.method
    assert attack.id in LENIENT_OK or not _accepted(request)


@pytest.mark.parametrize("attack", [a for a in ALL if not a.needs_secret and not a.needs_other_tenant])
def test_no_secret_attacks_build_without_secret(attack: Attack) -> None:
    for target in TARGETS.values():
        request = attack.build(replace(target, shared_secret=None, other_tenant=None))
        assert not _accepted(request)


@pytest.mark.parametrize("attack", [a for a in ALL if a.needs_secret])
def test_secret_attacks_refuse_to_build_without_secret(attack: Attack) -> None:
    with pytest.raises(ValueError, match="secret"):
        attack.build(replace(TARGETS["page"], shared_secret=None))


def test_cross_tenant_needs_other_tenant() -> None:
    with pytest.raises(ValueError, match="second tenant"):
        attack_by_id("cross-tenant-secret").build(replace(TARGETS["page"], other_tenant=None))


def test_place() -> None:
    page = place(TARGETS["page-query"], "a.b.c")
    assert page.url.endswith("&jwt=a.b.c")
    assert page.headers == ()
    hook = place(TARGETS["webhook"], "a.b.c")
    assert hook.url == TARGETS["webhook"].url
    assert hook.headers == (("Authorization", "JWT a.b.c"),)
    assert place(TARGETS["page"], "t").url == f"{BASE}/page?jwt=t"


def test_empty_channels() -> None:
    page = TARGETS["page"]
    ((name, value),) = attack_by_id("empty-authorization").build(page).headers
    assert (name, value.strip()) == ("Authorization", "JWT")
    assert attack_by_id("empty-jwt-param").build(TARGETS["webhook"]).url.endswith("?jwt=")
    assert attack_by_id("no-token").build(page) == AttackRequest("GET", page.url)


@pytest.mark.parametrize("alg", ["none", "None", "NONE", "nOnE"])
def test_alg_none_shape(alg: str) -> None:
    target = TARGETS["page-query"]
    token = _tokens(attack_by_id(f"alg-{alg}").build(target))[0]
    decoded = decode_unverified(token)
    assert token.endswith(".")
    assert decoded.header["alg"] == alg
    assert decoded.claims["iss"] == CLIENT
    assert decoded.claims["qsh"] == query_string_hash("GET", target.url, BASE)
    assert decoded.claims["exp"] == NOW + 180


def test_signature_kept_attacks_reuse_the_valid_signature() -> None:
    target = TARGETS["webhook"]
    valid = _tokens(valid_request(target))[0]
    for ident in ("alg-none-signature-kept", "payload-altered"):
        token = _tokens(attack_by_id(ident).build(target))[0]
        assert token.rsplit(".", 1)[1] == valid.rsplit(".", 1)[1]
    altered = decode_unverified(_tokens(attack_by_id("payload-altered").build(target))[0]).claims
    assert altered["sub"] != target.subject
    assert "context" in altered


def test_oversized_and_malformed_shapes() -> None:
    target = TARGETS["webhook"]
    oversized = _tokens(attack_by_id("oversized-header").build(target))[0]
    assert len(oversized.split(".")[0]) > 8192
    assert len(_tokens(attack_by_id("two-segments").build(target))[0].split(".")) == 2
    bad = _tokens(attack_by_id("bad-base64").build(target))[0]
    with pytest.raises(ValueError):
        b64url_decode(bad.split(".")[0])


def test_claim_attacks() -> None:
    target = TARGETS["page"]

    def claims(ident: str) -> dict[str, object]:
        return decode_unverified(_tokens(attack_by_id(ident).build(target))[0]).claims

    assert (claims("expired")["exp"], claims("expired")["iat"]) == (NOW - 600, NOW - 900)
    assert "exp" not in claims("exp-missing")
    assert claims("exp-far-future")["exp"] == NOW + 10 * 365 * 86400
    assert claims("nbf-future")["nbf"] == NOW + 3600
    assert claims("iat-future")["iat"] == NOW + 3600
    assert "iss" not in claims("iss-missing")
    assert claims("iss-unknown")["iss"] not in SECRETS
    assert claims("cross-tenant-secret")["iss"] == CLIENT
    assert claims("qsh-context")["qsh"] == "context-qsh"
    assert "qsh" not in claims("qsh-missing")


def test_header_query_disagree_carries_two_tokens() -> None:
    request = attack_by_id("header-query-disagree").build(TARGETS["webhook-query"])
    (header_token,) = (v[4:] for k, v in request.headers if k == "Authorization")
    (query_token,) = (v for k, v in parse_qsl(urlsplit(request.url).query) if k == "jwt")
    assert decode_unverified(query_token).header["alg"] == "none"
    assert decode_unverified(query_token).claims["sub"] != decode_unverified(header_token).claims["sub"]
    only_header = AttackRequest(request.method, without_jwt(request.url), request.headers)
    assert _accepted(only_header)


def test_dup_header_and_crit() -> None:
    target = TARGETS["page"]
    dup = _tokens(attack_by_id("dup-header-keys").build(target))[0]
    assert b64url_decode(dup.split(".")[0]).count(b'"alg"') == 2
    crit = decode_unverified(_tokens(attack_by_id("crit-unknown").build(target))[0]).header
    assert crit["crit"] == ["x-connectsec"]
    assert "x-connectsec" in crit


def test_tamper_urls() -> None:
    with_query = TARGETS["page-query"]
    changed = attack_by_id("qsh-query-changed").build(with_query)
    assert "project=connectsec" in changed.url
    assert "issue=DEMO-1" in changed.url
    removed = attack_by_id("qsh-param-removed").build(with_query)
    assert "project=" not in removed.url
    added = attack_by_id("qsh-param-added").build(with_query)
    assert "connectsec=1" in added.url
    no_query = TARGETS["webhook"]
    assert "connectsec=1" in attack_by_id("qsh-query-changed").build(no_query).url
    path = attack_by_id("qsh-path-changed").build(no_query)
    assert path.url == no_query.url
    assert attack_by_id("qsh-param-removed").build(no_query).url == no_query.url
    method = attack_by_id("qsh-method-changed").build(no_query)
    token = _tokens(method)[0]
    assert decode_unverified(token).claims["qsh"] == query_string_hash("GET", no_query.url, BASE)
