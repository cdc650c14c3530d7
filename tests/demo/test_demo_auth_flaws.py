"""Demo tenant mode as the acceptance target for authentication attacks (R5/R9/R13), over real TLS.

The compliant tenant app refuses every attack; each flaw's app accepts exactly its own attack (plus the
ones it necessarily implies); signed installs verify like a correct Connect app and change the store.
"""

from __future__ import annotations

import secrets
import time
import uuid
from collections.abc import Callable, Iterator
from typing import Any

import httpx
import pytest

from connectsec.connect_jwt import (
    CONTEXT_QSH,
    InstallKeyPair,
    decode_unverified,
    encode_segments,
    forge_install_token,
    sign_hs256_raw,
)
from connectsec.demo import DEFAULT_DEMO_VIOLATIONS, VIOLATIONS, DemoConfig, DemoPKI, DemoServer, DemoTenant
from connectsec.demo.app import (
    ADMIN_ONLY,
    APP_KEY,
    BRANDED_LOGIN_TITLE,
    ISSUE_REPORTER,
    PROTECTED,
    create_app,
    issue_id_prefix,
)
from connectsec.demo.violations import ADMIN_ONLY_PATHS, TOKEN_FLAW_PATHS
from tests.demo.support import client, tenant_token

ADMIN = "557058:admin-account"
USER = "557058:plain-user"
TENANT = DemoTenant.random(admin_account_ids={ADMIN})
OTHER = DemoTenant.random()
API = "/api/issues"
INSTALLED = "/lifecycle/installed"
UNINSTALLED = "/lifecycle/uninstalled"
TOKEN_FLAWS = (
    "auth-alg-none",
    "auth-any-signature",
    "auth-expired-accepted",
    "auth-exp-missing",
    "auth-unknown-iss",
    "auth-qsh-ignored",
    "auth-context-qsh",
)
FLAWS = (
    "auth-missing",
    *TOKEN_FLAWS,
    "auth-unsigned-install",
    "auth-forged-install",
    "auth-install-hijack",
    "auth-admin-open",
    "auth-cross-tenant",
)
REQUIREMENTS = {"auth-missing": "R5", "auth-qsh-ignored": "R13", "auth-context-qsh": "R13"}
REQUIREMENTS |= {name: "R9" for name in TOKEN_FLAWS if name not in REQUIREMENTS}
REQUIREMENTS |= {name: "R5" for name in FLAWS if name not in REQUIREMENTS}
IMPLIED = {"auth-qsh-ignored": {"auth-context-qsh"}, "auth-install-hijack": {"auth-unsigned-install"}}
"""Attacks a flaw lets through by its nature: qsh never looked at, unsigned installs for any clientKey."""
REGISTERED = InstallKeyPair.generate(kid="connect-install-key-1")
ATTACKER = InstallKeyPair.generate(kid="attacker-key")


@pytest.fixture(scope="module")
def pki() -> Iterator[DemoPKI]:
    with DemoPKI() as shared:
        yield shared


def make_server(pki: DemoPKI, violations: tuple[str, ...] = ()) -> DemoServer:
    return DemoServer(violations, pki=pki, tenants=[TENANT, OTHER], install_key=REGISTERED)


def token(server: DemoServer, method: str, path: str, *, sub: str | None = ADMIN, **options: Any) -> str:
    """A token of TENANT for ``method path``."""
    return tenant_token(server, TENANT, method, path, sub, **options)


def status(c: httpx.Client, method: str, path: str, jwt: str) -> int:
    return c.request(method, path, headers={"Authorization": f"JWT {jwt}"}).status_code


def issue_path(tenant: DemoTenant, n: int = 1) -> str:
    return f"{API}/{issue_id_prefix(tenant.client_key)}-{n}"


# --- HS256 token attacks, each a token for (method, path) ----------------------------------------

TokenAttack = Callable[[DemoServer, str, str], str]


def alg_none(alg: str = "nOnE", keep_signature: bool = False) -> TokenAttack:
    def make(server: DemoServer, method: str, path: str) -> str:
        good = decode_unverified(token(server, method, path))
        return encode_segments(
            {"alg": alg, "typ": "JWT"}, good.claims, good.signature if keep_signature else b""
        )

    return make


def without_exp(server: DemoServer, method: str, path: str) -> str:
    claims = decode_unverified(token(server, method, path)).claims
    del claims["exp"]
    return sign_hs256_raw({"alg": "HS256", "typ": "JWT"}, claims, TENANT.shared_secret.encode())


TOKEN_ATTACKS: dict[str, TokenAttack] = {
    "auth-alg-none": alg_none(),
    "auth-any-signature": lambda s, m, p: token(s, m, p, secret=secrets.token_urlsafe(32)),
    "auth-expired-accepted": lambda s, m, p: token(s, m, p, now=int(time.time()) - 600, lifetime_s=180),
    "auth-exp-missing": without_exp,
    "auth-unknown-iss": lambda s, m, p: token(s, m, p, issuer=str(uuid.uuid4())),
    "auth-qsh-ignored": lambda s, m, p: token(
        s, m, "/pages/help-dialog" if p != "/pages/help-dialog" else API
    ),
    "auth-context-qsh": lambda s, m, p: token(s, m, p, qsh=CONTEXT_QSH),
}


# --- lifecycle attacks --------------------------------------------------------------------------


def lifecycle_body(client_key: str, shared_secret: str, event: str = "installed") -> dict[str, str]:
    return {
        "key": APP_KEY,
        "clientKey": client_key,
        "sharedSecret": shared_secret,
        "baseUrl": f"https://{client_key[:8]}.atlassian-demo.test",
        "eventType": event,
    }


def install_token(server: DemoServer, client_key: str, path: str = INSTALLED, **options: Any) -> str:
    return forge_install_token(
        options.pop("key", REGISTERED),
        client_key=client_key,
        base_url_aud=options.pop("aud", server.base_url),
        url=server.base_url + options.pop("qsh_path", path),
        base_url=server.base_url,
        **options,
    )


def post_lifecycle(
    c: httpx.Client, body: dict[str, str], jwt: str | None = None, path: str = INSTALLED
) -> httpx.Response:
    headers = {"Authorization": f"JWT {jwt}"} if jwt is not None else {}
    return c.post(path, json=body, headers=headers)


def unsigned_install(server: DemoServer, c: httpx.Client) -> bool:
    client_key, secret = str(uuid.uuid4()), secrets.token_urlsafe(32)
    accepted = post_lifecycle(c, lifecycle_body(client_key, secret)).status_code == 204
    assert accepted == (client_key in server.tenant_store)
    return accepted


def forged_install(server: DemoServer, c: httpx.Client) -> bool:
    client_key, secret = str(uuid.uuid4()), secrets.token_urlsafe(32)
    jwt = install_token(server, client_key, key=ATTACKER, kid=str(uuid.uuid4()))
    accepted = post_lifecycle(c, lifecycle_body(client_key, secret), jwt).status_code == 204
    assert accepted == (client_key in server.tenant_store)
    return accepted


def install_hijack(server: DemoServer, c: httpx.Client) -> bool:
    """Last in the matrix: it replaces OTHER's secret."""
    new_secret = secrets.token_urlsafe(32)
    accepted = post_lifecycle(c, lifecycle_body(OTHER.client_key, new_secret)).status_code == 204
    assert accepted == (server.tenant_store[OTHER.client_key].shared_secret == new_secret)
    return accepted


def dashboard_without_token(server: DemoServer, c: httpx.Client) -> bool:
    response = c.get("/pages/dashboard")
    return response.status_code == 200 and ISSUE_REPORTER in response.text


def token_attack(name: str) -> Callable[[DemoServer, httpx.Client], bool]:
    def attack(server: DemoServer, c: httpx.Client) -> bool:
        return status(c, "GET", API, TOKEN_ATTACKS[name](server, "GET", API)) == 200

    return attack


ATTACKS: dict[str, Callable[[DemoServer, httpx.Client], bool]] = {
    "auth-missing": dashboard_without_token,
    **{name: token_attack(name) for name in TOKEN_ATTACKS},
    "auth-unsigned-install": unsigned_install,
    "auth-forged-install": forged_install,
    "auth-admin-open": lambda s, c: (
        status(c, "GET", "/pages/admin", token(s, "GET", "/pages/admin", sub=USER)) == 200
    ),
    "auth-cross-tenant": lambda s, c: (
        status(c, "GET", issue_path(OTHER), token(s, "GET", issue_path(OTHER))) == 200
    ),
    "auth-install-hijack": install_hijack,
}


def test_catalogue() -> None:
    assert set(ATTACKS) == set(FLAWS)
    for name in FLAWS:
        violation = VIOLATIONS[name]
        assert violation.needs_auth, name
        assert violation.is_flaw, name
        assert violation.requirement == REQUIREMENTS[name], name
    branded = VIOLATIONS["auth-branded-login"]
    assert (branded.requirement, branded.needs_auth, branded.is_flaw) == ("R5", True, False)
    assert branded.description == "protected page answers 200 with a branded login page"
    assert all(v.is_flaw for name, v in VIOLATIONS.items() if name != "auth-branded-login")
    assert set(TOKEN_FLAW_PATHS) == PROTECTED | {"/api/issues/{id}"}
    assert set(ADMIN_ONLY_PATHS) == ADMIN_ONLY == set(VIOLATIONS["auth-admin-open"].paths)
    assert len(DEFAULT_DEMO_VIOLATIONS) == 14
    assert not DEFAULT_DEMO_VIOLATIONS & {*FLAWS, "auth-branded-login"}
    for name in (*FLAWS, "auth-branded-login"):
        with pytest.raises(ValueError, match="need tenants"):
            create_app(DemoConfig(violations=frozenset({name})))
    with pytest.raises(ValueError, match="PEM"):
        create_app(DemoConfig(tenants=(TENANT,), install_keys={"k": b"not a key"}))


@pytest.mark.parametrize("name", [None, *FLAWS, "auth-branded-login"])
def test_each_flaw_accepts_exactly_its_attack(name: str | None, pki: DemoPKI) -> None:
    with make_server(pki, (name,) if name else ()) as server, client(server) as c:
        # liveness: a correct token is accepted, so every refusal below is the app's doing
        assert status(c, "GET", API, token(server, "GET", API)) == 200
        accepted = {attack for attack, run in ATTACKS.items() if run(server, c)}
    expected = {name, *IMPLIED.get(name, ())} if name in FLAWS else set()
    assert accepted == expected


@pytest.mark.parametrize("name", TOKEN_FLAWS)
def test_token_flaws_show_on_every_protected_path(name: str, pki: DemoPKI) -> None:
    probes = [p.replace("{id}", issue_path(TENANT).rsplit("/", 1)[1]) for p in TOKEN_FLAW_PATHS]
    with make_server(pki) as compliant, make_server(pki, (name,)) as flawed:
        for server, expected in ((compliant, 401), (flawed, None)):
            with client(server) as c:
                for path in probes:
                    method = "POST" if path.startswith(("/lifecycle/", "/webhooks/")) else "GET"
                    got = status(c, method, path, TOKEN_ATTACKS[name](server, method, path))
                    assert got == (expected or (204 if method == "POST" else 200)), (name, path)


def test_alg_none_variants(pki: DemoPKI) -> None:
    variants = [alg_none(alg, keep) for alg in ("none", "None", "NONE", "nOnE") for keep in (False, True)]
    with make_server(pki) as compliant, make_server(pki, ("auth-alg-none",)) as flawed:
        for server, expected in ((compliant, 401), (flawed, 200)):
            with client(server) as c:
                for make in variants:
                    assert status(c, "GET", API, make(server, "GET", API)) == expected
                # the issuer must still be a known tenant
                claims = {**decode_unverified(token(server, "GET", API)).claims, "iss": str(uuid.uuid4())}
                assert status(c, "GET", API, encode_segments({"alg": "none"}, claims)) == 401


def test_unknown_iss_tries_every_tenant_secret(pki: DemoPKI) -> None:
    with make_server(pki, ("auth-unknown-iss",)) as server, client(server) as c:
        stranger = str(uuid.uuid4())
        response = c.get(API, headers={"Authorization": f"JWT {token(server, 'GET', API, issuer=stranger)}"})
        assert response.json()["issues"][0]["id"].startswith(issue_id_prefix(TENANT.client_key))
        other = token(server, "GET", API, issuer=stranger, secret=OTHER.shared_secret)
        assert (
            c.get(API, headers={"Authorization": f"JWT {other}"})
            .json()["issues"][0]["id"]
            .startswith(issue_id_prefix(OTHER.client_key))
        )
        # a known iss with another tenant's secret is still refused, as is a random secret
        assert status(c, "GET", API, token(server, "GET", API, secret=OTHER.shared_secret)) == 401
        assert status(c, "GET", API, token(server, "GET", API, issuer=stranger, secret="x" * 43)) == 401


def test_exp_flaws_are_distinct(pki: DemoPKI) -> None:
    expired = TOKEN_ATTACKS["auth-expired-accepted"]
    with make_server(pki, ("auth-exp-missing",)) as a, make_server(pki, ("auth-expired-accepted",)) as b:
        with client(a) as c:
            assert status(c, "GET", API, without_exp(a, "GET", API)) == 200
            assert status(c, "GET", API, expired(a, "GET", API)) == 401
        with client(b) as c:
            assert status(c, "GET", API, without_exp(b, "GET", API)) == 401
            assert status(c, "GET", API, expired(b, "GET", API)) == 200


def test_auth_missing_and_branded_login_dashboards(pki: DemoPKI) -> None:
    keys = [issue["key"] for issue in [{"key": "DEMO-1"}, {"key": "DEMO-2"}]]
    with make_server(pki, ("auth-missing",)) as server, client(server) as c:
        page = c.get("/pages/dashboard")
        assert page.status_code == 200
        assert ISSUE_REPORTER in page.text
        assert all(key in page.text for key in keys)
        assert 'href="/api/issues"' in page.text
        assert c.get("/pages/glance").status_code == 401  # only the dashboard
    with make_server(pki, ("auth-branded-login",)) as server, client(server) as c:
        for headers in ({}, {"Authorization": f"JWT {token(server, 'GET', '/pages/glance')}"}):
            page = c.get("/pages/dashboard", headers=headers)
            assert page.status_code == 200
            assert f"<h1>{BRANDED_LOGIN_TITLE}</h1>" in page.text
            assert ISSUE_REPORTER not in page.text
            assert "DEMO-1" not in page.text
            assert "www-authenticate" not in page.headers
        good = c.get(
            "/pages/dashboard", headers={"Authorization": f"JWT {token(server, 'GET', '/pages/dashboard')}"}
        )
        assert good.status_code == 200
        assert "Open issues" in good.text
        assert c.get("/pages/glance").status_code == 401
        assert c.get(API).status_code == 401
    with make_server(pki) as server, client(server) as c:
        page = c.get(
            "/pages/dashboard", headers={"Authorization": f"JWT {token(server, 'GET', '/pages/dashboard')}"}
        )
        assert ISSUE_REPORTER not in page.text
        assert 'href="/api/issues"' in page.text


def test_per_tenant_issues(pki: DemoPKI) -> None:
    with make_server(pki) as server, client(server) as c:
        issues = c.get(API, headers={"Authorization": f"JWT {token(server, 'GET', API)}"}).json()["issues"]
        prefix = issue_id_prefix(TENANT.client_key)
        assert [i["id"] for i in issues] == [f"{prefix}-1", f"{prefix}-2"]
        assert issues[0]["key"] == "DEMO-1"
        assert issues[0]["reporter"] == ISSUE_REPORTER
        for issue in issues:
            assert issue["self"] == f"{API}/{issue['id']}"
            path = issue["self"]
            response = c.get(path, headers={"Authorization": f"JWT {token(server, 'GET', path)}"})
            assert response.status_code == 200
            assert response.json() == issue
            assert c.get(path).status_code == 401
        theirs = issue_path(OTHER)
        for path in (theirs, f"{API}/{prefix}-9", f"{API}/nope"):
            response = c.get(path, headers={"Authorization": f"JWT {token(server, 'GET', path)}"})
            assert response.status_code == 404
            assert response.json() == {"error": "not found"}
        other = token(server, "GET", theirs, issuer=OTHER.client_key, secret=OTHER.shared_secret)
        assert status(c, "GET", theirs, other) == 200


def test_signed_install_update_and_uninstall(pki: DemoPKI) -> None:
    with make_server(pki) as server, client(server) as c:
        assert server.install_keys == {REGISTERED.kid: REGISTERED.public_pem}
        client_key, secret = str(uuid.uuid4()), secrets.token_urlsafe(32)
        body = lifecycle_body(client_key, secret)
        assert post_lifecycle(c, body, install_token(server, client_key)).status_code == 204
        assert server.tenant_store[client_key].shared_secret == secret
        as_new = token(server, "GET", API, issuer=client_key, secret=secret)
        response = c.get(API, headers={"Authorization": f"JWT {as_new}"})
        assert response.json()["issues"][0]["id"].startswith(issue_id_prefix(client_key))

        # a signed reinstall replaces the secret (admins kept); the old one stops working
        admins = server.tenant_store[TENANT.client_key].admin_account_ids
        rotated = secrets.token_urlsafe(32)
        jwt = install_token(server, TENANT.client_key)
        assert post_lifecycle(c, lifecycle_body(TENANT.client_key, rotated), jwt).status_code == 204
        assert server.tenant_store[TENANT.client_key].shared_secret == rotated
        assert server.tenant_store[TENANT.client_key].admin_account_ids == admins
        assert status(c, "GET", API, token(server, "GET", API)) == 401
        assert status(c, "GET", API, token(server, "GET", API, secret=rotated)) == 200

        # a key added at runtime works at once
        later = server.add_install_key()
        assert later.kid in server.install_keys
        jwt = install_token(server, client_key, UNINSTALLED, key=later)
        assert (
            post_lifecycle(c, lifecycle_body(client_key, secret, "uninstalled"), jwt, UNINSTALLED).status_code
            == 204
        )
        assert client_key not in server.tenant_store
        assert status(c, "GET", API, as_new) == 401


def test_bad_installs_are_refused(pki: DemoPKI) -> None:
    with make_server(pki, ()) as server, client(server) as c:
        new_key, secret = str(uuid.uuid4()), secrets.token_urlsafe(32)
        body = lifecycle_body(new_key, secret)
        now = int(time.time())
        bad = {
            "unknown kid": install_token(server, new_key, kid="unknown-kid"),
            "other key, registered kid": install_token(server, new_key, key=ATTACKER, kid=REGISTERED.kid),
            "aud prefix": install_token(server, new_key, aud=server.base_url + ".attacker.test"),
            "aud missing": install_token(server, new_key, extra_claims={"aud": None}),
            "iss not the body clientKey": install_token(server, str(uuid.uuid4())),
            "qsh of another path": install_token(server, new_key, qsh_path=UNINSTALLED),
            "expired": install_token(server, new_key, now=now - 600),
            "exp missing": install_token(server, new_key, extra_claims={"exp": None}),
            "kid missing": install_token(server, new_key, extra_header={"kid": None}),
            "kid traversal": install_token(server, new_key, kid="../../../etc/passwd"),
            "kid URL": install_token(server, new_key, kid=f"https://evil.test/{REGISTERED.kid}"),
            "alg HS256 with the body secret": sign_hs256_raw(
                {"alg": "HS256", "kid": REGISTERED.kid},
                decode_unverified(install_token(server, new_key)).claims,
                secret.encode(),
            ),
            "alg HS256 with the public key": sign_hs256_raw(
                {"alg": "HS256", "kid": REGISTERED.kid},
                decode_unverified(install_token(server, new_key)).claims,
                REGISTERED.public_pem,
            ),
            "alg none": encode_segments(
                {"alg": "none", "kid": REGISTERED.kid},
                decode_unverified(install_token(server, new_key)).claims,
            ),
            "garbage": "a.b",
        }
        before = dict(server.tenant_store)
        for case, jwt in bad.items():
            response = post_lifecycle(c, body, jwt)
            assert response.status_code == 401, case
            assert response.json() == {"error": "invalid JWT"}, case
            assert response.headers["www-authenticate"] == 'JWT realm="connectsec-demo"'
        for path in (INSTALLED, UNINSTALLED):
            response = post_lifecycle(c, lifecycle_body(TENANT.client_key, "x" * 43), path=path)
            assert response.status_code == 401
            assert response.json() == {"error": "missing JWT"}
        assert server.tenant_store == before
        assert server.auth_rejections[INSTALLED, "kid"] == 4  # unknown, missing, traversal, URL
        # a valid token with a broken or mismatched body: 400
        jwt = install_token(server, new_key)
        for broken in (
            {**body, "sharedSecret": ""},
            {**body, "eventType": "uninstalled"},
            {**body, "key": "x"},
        ):
            assert post_lifecycle(c, broken, jwt).status_code == 400
        assert c.post(INSTALLED, content=b"[", headers={"Authorization": f"JWT {jwt}"}).status_code == 400
        assert server.tenant_store == before


def test_install_flaws_touch_only_installed(pki: DemoPKI) -> None:
    with make_server(pki, ("auth-install-hijack",)) as server, client(server) as c:
        body = lifecycle_body(OTHER.client_key, "x" * 43, "uninstalled")
        assert post_lifecycle(c, body, path=UNINSTALLED).status_code == 401
        assert OTHER.client_key in server.tenant_store
    with make_server(pki, ("auth-unsigned-install",)) as server, client(server) as c:
        assert post_lifecycle(c, lifecycle_body(TENANT.client_key, "x" * 43)).status_code == 401
        assert server.tenant_store[TENANT.client_key].shared_secret == TENANT.shared_secret
    with make_server(pki, ("auth-forged-install",)) as server, client(server) as c:
        new_key = str(uuid.uuid4())
        body = lifecycle_body(new_key, "x" * 43)
        for jwt in (
            install_token(server, new_key, key=ATTACKER, aud=server.base_url + ".attacker.test"),
            install_token(server, str(uuid.uuid4()), key=ATTACKER),
            install_token(server, new_key, key=ATTACKER, qsh_path=UNINSTALLED),
        ):
            assert post_lifecycle(c, body, jwt).status_code == 401
        forged = install_token(server, new_key, UNINSTALLED, key=ATTACKER)
        assert post_lifecycle(c, {**body, "eventType": "uninstalled"}, forged, UNINSTALLED).status_code == 401
        assert new_key not in server.tenant_store


def test_install_key_helpers(pki: DemoPKI) -> None:
    server = DemoServer(pki=pki, tenants=[TENANT], install_keys={"a": REGISTERED.public_pem})
    key = server.add_install_key(ATTACKER)
    assert server.install_keys == {"a": REGISTERED.public_pem, ATTACKER.kid: ATTACKER.public_pem}
    with server, client(server) as c:
        assert server.install_keys == {"a": REGISTERED.public_pem, ATTACKER.kid: ATTACKER.public_pem}
        client_key = str(uuid.uuid4())
        jwt = install_token(server, client_key, key=key)
        assert post_lifecycle(c, lifecycle_body(client_key, "s" * 43), jwt).status_code == 204
        assert list(server.tenant_store) == [TENANT.client_key, client_key]
    with pytest.raises(ValueError, match="PEM"):
        DemoServer(pki=pki, tenants=[TENANT], install_keys={"k": b"-----BEGIN nonsense"})
