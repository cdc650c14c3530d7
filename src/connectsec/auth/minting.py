"""Correct tokens for every request, minted at send time (qsh per URL and method, minutes of life)."""

from __future__ import annotations

from dataclasses import replace
from typing import Final
from urllib.parse import parse_qsl, urlencode, urlsplit, urlunsplit

from connectsec.auth.credentials import Tenant
from connectsec.connect_jwt import mint_hs256
from connectsec.model import Endpoint, EndpointKind, HttpRequestSpec

_QUERY_TOKEN_KINDS = frozenset({EndpointKind.PAGE, EndpointKind.CRAWLED, EndpointKind.EXTRA})
_PRODUCT_SUBJECT: Final = object()


def token_in_query(endpoint: Endpoint) -> bool:
    """Products load iframe pages with the token in `?jwt=`; everything else gets `Authorization: JWT`."""
    return endpoint.method == "GET" and endpoint.kind in _QUERY_TOKEN_KINDS


def without_jwt(url: str) -> str:
    """The URL with any `jwt` query parameter removed (the rest of the query untouched)."""
    parts = urlsplit(url)
    if "jwt" not in parts.query:
        return url
    kept = [(k, v) for k, v in parse_qsl(parts.query, keep_blank_values=True) if k != "jwt"]
    return urlunsplit(parts._replace(query=urlencode(kept)))


class TokenMinter:
    """Mints a tenant's HS256 token for one request and puts it where the product would."""

    def __init__(self, base_url: str, lifetime_s: int = 180) -> None:
        self._base_url = base_url
        self._lifetime = lifetime_s

    def sign(
        self, spec: HttpRequestSpec, tenant: Tenant, subject: str | object | None = _PRODUCT_SUBJECT
    ) -> HttpRequestSpec:
        """Add a fresh token bound to this method and URL (call right before sending).

        `sub` is the account the product would name for this page, unless `subject` says otherwise.
        """
        if not tenant.shared_secret:
            raise ValueError(f"tenant {tenant.name} has no shared secret")
        url = without_jwt(spec.url)
        token = mint_hs256(
            tenant.shared_secret,
            issuer=tenant.client_key,
            method=spec.method,
            url=url,
            base_url=self._base_url,
            subject=tenant.subject_for(spec.endpoint.admin_only)
            if subject is _PRODUCT_SUBJECT
            else subject
            if isinstance(subject, str)
            else None,
            lifetime_s=self._lifetime,
        )
        if token_in_query(spec.endpoint):
            separator = "&" if urlsplit(url).query else "?"
            return replace(spec, url=f"{url}{separator}jwt={token}")
        headers = tuple((k, v) for k, v in spec.headers if k.lower() != "authorization")
        return replace(spec, url=url, headers=(*headers, ("Authorization", f"JWT {token}")))
