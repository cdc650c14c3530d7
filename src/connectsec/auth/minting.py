"""Correct tokens for every request, minted at send time (qsh per URL and method, minutes of life)."""

from __future__ import annotations

from dataclasses import replace
from urllib.parse import parse_qsl, urlencode, urlsplit, urlunsplit

from connectsec.auth.credentials import Tenant
from connectsec.connect_jwt import mint_hs256
from connectsec.model import AuthMode, EndpointKind, HttpRequestSpec

# Products load module iframes with the token in the query; server-to-server calls use the header.
_QUERY_TOKEN_KINDS = frozenset({EndpointKind.PAGE, EndpointKind.CRAWLED, EndpointKind.EXTRA})


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

    def authenticated(self, spec: HttpRequestSpec, tenant: Tenant) -> HttpRequestSpec:
        """The same request as the tenant's product would send it: AuthMode.TENANT, tenant named."""
        return replace(spec, auth=AuthMode.TENANT, tenant=tenant.name)

    def sign(self, spec: HttpRequestSpec, tenant: Tenant) -> HttpRequestSpec:
        """Add a fresh token bound to this method and URL (call right before sending)."""
        if not tenant.shared_secret:
            raise ValueError(f"tenant {tenant.name} has no shared secret")
        url = without_jwt(spec.url)
        token = mint_hs256(
            tenant.shared_secret,
            issuer=tenant.client_key,
            method=spec.method,
            url=url,
            base_url=self._base_url,
            subject=tenant.subject_for(spec.endpoint.admin_only),
            lifetime_s=self._lifetime,
        )
        if spec.method == "GET" and spec.endpoint.kind in _QUERY_TOKEN_KINDS:
            separator = "&" if urlsplit(url).query else "?"
            return replace(spec, url=f"{url}{separator}jwt={token}")
        headers = tuple((k, v) for k, v in spec.headers if k.lower() != "authorization")
        return replace(spec, url=url, headers=(*headers, ("Authorization", f"JWT {token}")))
