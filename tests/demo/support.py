"""Helpers shared by the demo-target tests: a TLS client, tokens, response signatures."""

from __future__ import annotations

import re
import ssl
from typing import Any

import httpx

from connectsec.connect_jwt import mint_hs256
from connectsec.demo import DemoTenant
from connectsec.demo.server import DemoServer

SECURITY_HEADERS = ("strict-transport-security", "referrer-policy", "cache-control")
META_REFERRER = re.compile(r'<meta\s+name="referrer"\s+content="([^"]*)"', re.IGNORECASE)


def client(server: DemoServer, base_url: str | None = None) -> httpx.Client:
    """An httpx client trusting the server's throwaway CA."""
    ctx = ssl.create_default_context(cafile=server.ca_pem)
    return httpx.Client(verify=ctx, base_url=base_url or server.base_url, timeout=5)


def tenant_token(
    server: DemoServer, tenant: DemoTenant, method: str, path: str, sub: str | None, **options: Any
) -> str:
    """A token of `tenant` for ``method path`` (path with its query, without ``jwt``); options override."""
    return mint_hs256(
        options.pop("secret", tenant.shared_secret),
        issuer=options.pop("issuer", tenant.client_key),
        method=method,
        url=server.base_url + path,
        base_url=server.base_url,
        subject=sub,
        **options,
    )


def cookie_attrs(set_cookie: str) -> tuple[str, frozenset[str]]:
    """A cookie's name and its lower-cased attributes, the value left out."""
    name_value, *attrs = (part.strip() for part in set_cookie.split(";"))
    return name_value.split("=", 1)[0], frozenset(a.lower() for a in attrs)


def signature(response: httpx.Response) -> dict[str, Any]:
    """The security-relevant parts of a response, random cookie values left out."""
    sig: dict[str, Any] = {h: tuple(response.headers.get_list(h)) for h in SECURITY_HEADERS}
    sig["status"] = response.status_code
    sig["cookies"] = tuple(sorted(cookie_attrs(c) for c in response.headers.get_list("set-cookie")))
    sig["meta-referrer"] = tuple(META_REFERRER.findall(response.text))
    sig["password-inputs"] = response.text.count('type="password"')
    return sig
