"""JWT authentication of the demo app's tenant mode, done the way a correct Connect app does it.

A request is authenticated when it carries exactly one token (``?jwt=`` and/or ``Authorization: JWT``,
identical if both), whose unverified ``iss`` names a known tenant, and which `verify_hs256` accepts
with that tenant's secret for the request as received: HS256 only, ``exp`` required (no leeway),
``qsh`` equal to the hash of the request, ``context-qsh`` refused.

Switched on one by one (`TOKEN_FLAWS`), the R9/R13 violations and ``auth-admin-open`` weaken exactly one
of these checks each (see `verify_tenant_token`).
"""

from __future__ import annotations

import secrets
import time
import uuid
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

from starlette.requests import Request

from connectsec.connect_jwt import (
    TokenFormatError,
    TokenVerificationError,
    decode_unverified,
    query_string_hash,
    verify_hs256,
)
from connectsec.connect_jwt.tokens import check_claims, parse_for_verification, verify_signature

TOKEN_FLAWS: frozenset[str] = frozenset(
    {
        "auth-alg-none",
        "auth-any-signature",
        "auth-expired-accepted",
        "auth-exp-missing",
        "auth-unknown-iss",
        "auth-qsh-ignored",
        "auth-context-qsh",
        "auth-admin-open",
    }
)
"""The violations that weaken `TenantAuthenticator` (HS256 tokens on every protected path)."""


@dataclass(frozen=True)
class DemoTenant:
    """One Jira site that installed the demo app: its clientKey, sharedSecret and admin accountIds."""

    client_key: str
    shared_secret: str = field(repr=False)
    admin_account_ids: frozenset[str] = frozenset()
    """The ``sub`` (accountId) values allowed on the admin-only pages."""

    def __post_init__(self) -> None:
        if not isinstance(self.client_key, str) or not self.client_key:
            raise ValueError("client_key must be a non-empty string")
        if not isinstance(self.shared_secret, str) or not self.shared_secret:
            raise ValueError("shared_secret must be a non-empty string")
        if isinstance(self.admin_account_ids, str):
            raise ValueError("admin_account_ids must be a collection of accountIds, not one string")
        object.__setattr__(self, "admin_account_ids", frozenset(self.admin_account_ids))

    @classmethod
    def random(cls, admin_account_ids: Iterable[str] = ()) -> DemoTenant:
        """A tenant with a random uuid4 clientKey and a random 43-character (256-bit) sharedSecret."""
        return cls(str(uuid.uuid4()), secrets.token_urlsafe(32), frozenset(admin_account_ids))


def tenant_index(tenants: Iterable[DemoTenant]) -> dict[str, DemoTenant]:
    """clientKey → tenant; raises ValueError for a non-tenant or a repeated clientKey."""
    index: dict[str, DemoTenant] = {}
    for tenant in tenants:
        if not isinstance(tenant, DemoTenant):
            raise ValueError("tenants must be DemoTenant instances")
        if tenant.client_key in index:
            raise ValueError("two tenants share one client_key")
        index[tenant.client_key] = tenant
    return index


@dataclass(frozen=True)
class AuthResult:
    """What the authenticator decided about one request."""

    status: int
    """200 (authenticated and allowed), 401 (not authenticated) or 403 (authenticated, not allowed)."""
    reason: str
    """``ok``, ``missing``, ``ambiguous``, ``format``, ``issuer``, ``not_admin`` or a `RejectReason` value."""
    tenant: DemoTenant | None = None
    claims: dict[str, Any] | None = None

    @property
    def authenticated(self) -> bool:
        """The request carried a valid token (even if it was then refused with 403)."""
        return self.tenant is not None


def request_url(request: Request, base_url: str) -> str:
    """The URL as received: ``base_url`` + the raw (still percent-encoded) path + ``?`` + the raw query."""
    scope = request.scope
    raw_path: bytes = scope.get("raw_path") or scope["path"].encode("utf-8")
    query: bytes = scope.get("query_string", b"")
    url = base_url.rstrip("/") + raw_path.decode("utf-8", "surrogateescape")
    if query:
        url += "?" + query.decode("utf-8", "surrogateescape")
    return url


def _is_number(value: object) -> bool:
    return isinstance(value, int | float) and not isinstance(value, bool)


def verify_tenant_token(
    token: str,
    shared_secret: str,
    *,
    method: str,
    url: str,
    base_url: str,
    flaws: frozenset[str] = frozenset(),
) -> dict[str, Any]:
    """`verify_hs256`, minus whatever the switched-on `TOKEN_FLAWS` skip; returns the claims.

    - ``auth-alg-none``: a header alg of ``none`` in any letter case skips the signature check.
    - ``auth-any-signature``: alg must still be HS256, the signature is not checked.
    - ``auth-expired-accepted``: a numeric ``exp`` in the past passes (a missing one still fails).
    - ``auth-exp-missing``: a missing (or null) ``exp`` passes (a past one still fails).
    - ``auth-qsh-ignored``: ``qsh`` is not looked at (missing, wrong or ``context-qsh`` all pass).
    - ``auth-context-qsh``: ``context-qsh`` passes (any other ``qsh`` must still match).

    Raises:
        TokenVerificationError, ValueError: as `verify_hs256`.
    """
    if not flaws & TOKEN_FLAWS:
        return verify_hs256(token, shared_secret, method=method, url=url, base_url=base_url)
    expected_qsh = query_string_hash(method, url, base_url)
    try:
        alg = decode_unverified(token).header.get("alg")
    except TokenFormatError:
        alg = None
    if "auth-alg-none" in flaws and isinstance(alg, str) and alg.lower() == "none":
        claims = decode_unverified(token).claims
    else:
        claims = parse_for_verification(token, "HS256").claims
        if "auth-any-signature" not in flaws:
            verify_signature(token, shared_secret.encode("utf-8"), "HS256")
    # each flaw rewrites what the correct check sees
    seen = dict(claims)
    exp = seen.get("exp")
    missing_ok = "auth-exp-missing" in flaws and exp is None
    if missing_ok or ("auth-expired-accepted" in flaws and _is_number(exp)):
        seen["exp"] = time.time() + 60
    if "auth-qsh-ignored" in flaws:
        seen["qsh"] = expected_qsh
    check_claims(
        seen, expected_qsh=expected_qsh, leeway_s=0, now=None, allow_context_qsh="auth-context-qsh" in flaws
    )
    return claims


def request_token(request: Request) -> tuple[str | None, str]:
    candidates = list(request.query_params.getlist("jwt"))
    for value in request.headers.getlist("authorization"):
        if value[:4].lower() == "jwt ":
            candidates.append(value[4:].strip())
    distinct = set(candidates)
    if not distinct or distinct == {""}:
        return None, "missing"
    if len(distinct) > 1:
        return None, "ambiguous"
    return distinct.pop(), "ok"


class TenantAuthenticator:
    """Validates Connect HS256 tokens against the tenants' shared secrets.

    `tenants` is the live tenant store (clientKey → tenant) that signed installs update. `flaws` are
    the switched-on `TOKEN_FLAWS`; ``auth-unknown-iss`` tries every tenant's secret for an unknown
    ``iss``, ``auth-admin-open`` skips the admin check.
    """

    def __init__(self, tenants: Iterable[DemoTenant], flaws: Iterable[str] = ()) -> None:
        self.tenants = tenant_index(tenants)
        self.flaws = frozenset(flaws) & TOKEN_FLAWS

    def _verify(self, token: str, tenant: DemoTenant, request: Request, base_url: str) -> dict[str, Any]:
        return verify_tenant_token(
            token,
            tenant.shared_secret,
            method=request.method,
            url=request_url(request, base_url),
            base_url=base_url,
            flaws=self.flaws,
        )

    def authenticate(self, request: Request, base_url: str, *, admin: bool = False) -> AuthResult:
        """Check the request's token; with ``admin``, also require ``sub`` among the tenant's admins."""
        token, reason = request_token(request)
        if token is None:
            return AuthResult(401, reason)
        try:
            issuer = decode_unverified(token).claims.get("iss")
        except TokenFormatError:
            return AuthResult(401, "format")
        tenant = self.tenants.get(issuer) if isinstance(issuer, str) else None
        if tenant is None:
            if "auth-unknown-iss" in self.flaws:
                return self._any_tenant(token, request, base_url, admin=admin)
            return AuthResult(401, "issuer")
        try:
            claims = self._verify(token, tenant, request, base_url)
        except TokenVerificationError as exc:
            return AuthResult(401, exc.reason.value)
        except ValueError:  # a URL the qsh rules cannot canonicalise (e.g. undecodable bytes)
            return AuthResult(401, "url")
        return self._allowed(tenant, claims, admin=admin)

    def _any_tenant(self, token: str, request: Request, base_url: str, *, admin: bool) -> AuthResult:
        """The ``auth-unknown-iss`` flaw: the first tenant whose secret verifies the token wins."""
        for tenant in list(self.tenants.values()):
            try:
                claims = self._verify(token, tenant, request, base_url)
            except (TokenVerificationError, ValueError):
                continue
            return self._allowed(tenant, claims, admin=admin)
        return AuthResult(401, "issuer")

    def _allowed(self, tenant: DemoTenant, claims: dict[str, Any], *, admin: bool) -> AuthResult:
        if admin and "auth-admin-open" not in self.flaws:
            subject = claims.get("sub")
            if not isinstance(subject, str) or subject not in tenant.admin_account_ids:
                return AuthResult(403, "not_admin", tenant, claims)
        return AuthResult(200, "ok", tenant, claims)
