"""Demo tenant mode over real TLS: JWT checks like a correct Connect app, auth-only violations."""

from __future__ import annotations

import time
import uuid
from collections.abc import Iterator
from typing import Any

import httpx
import pytest

from connectsec.connect_jwt import CONTEXT_QSH, decode_unverified, encode_segments, sign_hs256_raw
from connectsec.demo import (
    DEFAULT_DEMO_VIOLATIONS,
    VIOLATIONS,
    DemoConfig,
    DemoPKI,
    DemoServer,
    DemoTenant,
    create_app,
)
from connectsec.demo.app import (
    ADMIN_ONLY,
    AUTH_HEADER_VIOLATIONS,
    CACHE_CACHEABLE_MODULE,
    CACHE_DYNAMIC,
    CACHE_STATIC,
    HSTS_GOOD,
    PATH_KINDS,
    PROTECTED,
    REFERRER_GOOD,
)
from tests.demo.support import client, signature, tenant_token

ADMIN = "557058:admin-account"
USER = "557058:plain-user"
AUTH_VIOLATIONS = sorted(set(AUTH_HEADER_VIOLATIONS) | {"auth-cookie-insecure"})
"""The header and cookie violations behind login (the R5/R9/R13 ones are in test_demo_auth_flaws)."""
PROBES: list[tuple[str, str]] = [
    ("POST" if kind in ("lifecycle", "webhook") else "GET", path) for path, kind in PATH_KINDS.items()
] + [
    ("POST", "/pages/settings"),
    ("GET", "/pages/bench/0"),
    ("GET", "/pages/bench/1"),
    ("GET", "/no/such/page"),
    ("GET", "/lifecycle/installed"),
]
PROTECTED_PROBES = [(m, p) for m, p in PROBES if p in PROTECTED or p == "/pages/bench/0"]
TENANT = DemoTenant.random(admin_account_ids={ADMIN})
OTHER = DemoTenant.random()


@pytest.fixture(scope="module")
def pki() -> Iterator[DemoPKI]:
    with DemoPKI() as shared:
        yield shared


@pytest.fixture(scope="module")
def server(pki: DemoPKI) -> Iterator[DemoServer]:
    with DemoServer(extra_pages=1, pki=pki, tenants=[TENANT, OTHER]) as running:
        yield running


def token(server: DemoServer, method: str, path: str, *, sub: str | None = ADMIN, **options: Any) -> str:
    """A token of TENANT (or `tenant=`) for ``method path``."""
    return tenant_token(server, options.pop("tenant", TENANT), method, path, sub, **options)


def with_jwt(path: str, jwt: str) -> str:
    return f"{path}{'&' if '?' in path else '?'}jwt={jwt}"


def survey(server: DemoServer, *, authenticated: bool) -> dict[tuple[str, str], dict[str, Any]]:
    """Every probe, without a token or with a valid admin token in the Authorization header."""
    with client(server) as c:
        result = {}
        for method, path in PROBES:
            headers = {"Authorization": f"JWT {token(server, method, path)}"} if authenticated else {}
            result[method, path] = signature(c.request(method, path, headers=headers))
        return result


def assert_default_headers(response: httpx.Response, cache: str = CACHE_DYNAMIC) -> None:
    assert response.headers.get_list("strict-transport-security") == [HSTS_GOOD]
    assert response.headers.get_list("referrer-policy") == [REFERRER_GOOD]
    assert response.headers.get_list("cache-control") == [cache]


def test_tenant_helpers_and_validation(pki: DemoPKI) -> None:
    tenant = DemoTenant.random()
    assert uuid.UUID(tenant.client_key).version == 4
    assert len(tenant.shared_secret) == 43
    assert tenant.shared_secret not in repr(tenant)
    assert tenant.admin_account_ids == frozenset()
    assert DemoTenant.random().client_key != tenant.client_key
    with pytest.raises(ValueError, match="shared_secret"):
        DemoTenant("key", "")
    with pytest.raises(ValueError, match="client_key"):
        create_app(DemoConfig(tenants=(tenant, DemoTenant(tenant.client_key, "other"))))
    for name in AUTH_VIOLATIONS:
        with pytest.raises(ValueError, match="need tenants"):
            DemoServer([name], pki=pki)
        with pytest.raises(ValueError, match="need tenants"):
            create_app(DemoConfig(violations=frozenset({name})))
    assert not DEFAULT_DEMO_VIOLATIONS & set(AUTH_VIOLATIONS)
    assert len(DEFAULT_DEMO_VIOLATIONS) == 14
    assert all(VIOLATIONS[name].needs_auth for name in AUTH_VIOLATIONS)


def test_without_token_protected_paths_give_401_with_default_headers(server: DemoServer) -> None:
    before = server.authenticated_hits.copy()
    with client(server) as c:
        for method, path in PROTECTED_PROBES:
            response = c.request(method, path)
            assert response.status_code == 401, path
            assert_default_headers(response)
            assert response.headers["www-authenticate"] == 'JWT realm="connectsec-demo"'
            if path.startswith("/pages/"):
                assert response.headers["content-type"] == "text/html; charset=utf-8"
                assert "<h1>Please open this page from Jira</h1>" in response.text
            else:
                assert response.json() == {"error": "missing JWT"}, path
        # empty channels are no token either; a non-JWT scheme is ignored
        for headers in ({"Authorization": "JWT"}, {"Authorization": "Bearer abc"}):
            assert c.get("/api/issues", headers=headers).json() == {"error": "missing JWT"}
        assert c.get("/api/issues?jwt=").status_code == 401
        assert c.post("/lifecycle/installed").json() == {"error": "missing JWT"}
        installed = token(server, "POST", "/lifecycle/installed")
        assert (
            c.post("/lifecycle/installed", headers={"Authorization": f"JWT {installed}"}).status_code == 401
        )
    assert server.authenticated_hits == before


def test_valid_token_in_query_or_header(server: DemoServer) -> None:
    before = server.authenticated_hits.copy()
    with client(server) as c:
        for method, path in PROTECTED_PROBES:
            status = 204 if method == "POST" and not path.startswith("/pages/") else 200
            jwt = token(server, method, path)
            by_query = c.request(method, with_jwt(path, jwt))
            by_header = c.request(method, path, headers={"Authorization": f"JWT {jwt}"})
            both = c.request(method, with_jwt(path, jwt), headers={"authorization": f"jwt {jwt}"})
            for response in (by_query, by_header, both):
                assert response.status_code == status, path
                assert_default_headers(response)
                assert "set-cookie" not in response.headers or path == "/pages/settings"
        # the qsh covers the module URL's own query; jwt may sit anywhere in it
        path = "/pages/dashboard?project=DEMO&b=x+y&b=%C3%A9"
        jwt = token(server, "GET", path)
        assert c.get(with_jwt(path, jwt)).status_code == 200
        assert c.get(f"/pages/dashboard?jwt={jwt}&b=%C3%A9&project=DEMO&b=x%20y").status_code == 200
        assert "Open issues" in c.get(with_jwt(path, jwt)).text
    gained = server.authenticated_hits - before
    assert gained["/pages/dashboard"] == 6
    assert gained["/api/issues"] == gained["/webhooks/issue-created"] == gained["/pages/bench/0"] == 3
    assert gained["/pages/settings"] == 6  # GET and POST
    assert server.app.state.authenticated_hits is server.authenticated_hits


def test_bad_tokens_give_401(server: DemoServer) -> None:
    path = "/pages/glance?issue=DEMO-1"
    now = int(time.time())
    good = token(server, "GET", path)
    bad = {
        "wrong secret": (token(server, "GET", path, secret=DemoTenant.random().shared_secret), "signature"),
        "unknown iss": (token(server, "GET", path, issuer=str(uuid.uuid4())), "issuer"),
        "other tenant's secret": (token(server, "GET", path, secret=OTHER.shared_secret), "signature"),
        "expired": (token(server, "GET", path, now=now - 600, lifetime_s=180), "expired"),
        "no exp": (token(server, "GET", path, extra_claims={"exp": None}), "exp_missing"),
        "another URL": (token(server, "GET", "/pages/glance?issue=DEMO-2"), "qsh_mismatch"),
        "another method": (token(server, "POST", path), "qsh_mismatch"),
        "context qsh": (token(server, "GET", path, qsh=CONTEXT_QSH), "context_qsh"),
        "no qsh": (token(server, "GET", path, extra_claims={"qsh": None}), "qsh_missing"),
        "alg none": (encode_segments({"alg": "none"}, decode_unverified(good).claims), "algorithm"),
        "HS512": (
            sign_hs256_raw({"alg": "HS512"}, {"iss": TENANT.client_key}, TENANT.shared_secret.encode()),
            "algorithm",
        ),
        "garbage": ("a.b", "format"),
    }
    with client(server) as c:
        for case, (jwt, reason) in bad.items():
            before = server.auth_rejections["/pages/glance", reason]
            for response in (
                c.get(with_jwt(path, jwt)),
                c.get(path, headers={"Authorization": f"JWT {jwt}"}),
            ):
                assert response.status_code == 401, case
                assert "<h1>Please open this page from Jira</h1>" in response.text
                assert jwt not in response.text, case
                assert_default_headers(response)
            assert server.auth_rejections["/pages/glance", reason] == before + 2, case
        # a query changed after signing, and two different tokens at once
        assert c.get(with_jwt("/pages/glance?issue=DEMO-2", good)).status_code == 401
        other = token(server, "GET", path, sub=USER)
        ambiguous = server.auth_rejections["/pages/glance", "ambiguous"]
        assert c.get(with_jwt(path, good), headers={"Authorization": f"JWT {other}"}).status_code == 401
        assert server.auth_rejections["/pages/glance", "ambiguous"] == ambiguous + 1
        api = c.get("/api/issues", headers={"Authorization": f"JWT {token(server, 'GET', '/pages/glance')}"})
        assert api.status_code == 401
        assert api.json() == {"error": "invalid JWT"}
        assert c.get(with_jwt(path, good)).status_code == 200


def test_admin_pages_need_an_admin_sub(server: DemoServer) -> None:
    assert {"/pages/admin", "/pages/configure", "/pages/project-settings", "/pages/issue-panel"} == ADMIN_ONLY
    with client(server) as c:
        for path in sorted(ADMIN_ONLY):
            for sub in (USER, None):
                response = c.get(with_jwt(path, token(server, "GET", path, sub=sub)))
                assert response.status_code == 403, path
                assert "<h1>Administrators only</h1>" in response.text
                assert_default_headers(response)
            assert c.get(with_jwt(path, token(server, "GET", path))).status_code == 200
            # the other tenant's admin list is its own (empty)
            assert c.get(with_jwt(path, token(server, "GET", path, tenant=OTHER))).status_code == 403
        for path in ("/pages/dashboard", "/pages/settings", "/api/issues"):
            assert c.get(with_jwt(path, token(server, "GET", path, sub=USER))).status_code == 200
            assert (
                c.get(with_jwt(path, token(server, "GET", path, tenant=OTHER, sub=None))).status_code == 200
            )


def test_public_paths_stay_public_and_unchanged(server: DemoServer, pki: DemoPKI) -> None:
    public = [(m, p) for m, p in PROBES if (m, p) not in PROTECTED_PROBES]
    with DemoServer(extra_pages=1, pki=pki) as plain, client(plain) as c:
        expected = {(m, p): signature(c.request(m, p)) for m, p in public}
    with client(server) as c:
        for method, path in public:
            assert signature(c.request(method, path)) == expected[method, path], path
        cacheable = c.get("/pages/cacheable-panel")
        assert cacheable.status_code == 200
        assert_default_headers(cacheable, CACHE_CACHEABLE_MODULE)
        assert_default_headers(c.get("/static/app.js"), CACHE_STATIC)
        assert c.get("/help").status_code == c.get("/about").status_code == 200
        assert c.get("/atlassian-connect.json").json()["baseUrl"] == server.base_url
        assert c.get("/pages/bench/1").status_code == 404


def test_classic_violations_unchanged_on_401s(pki: DemoPKI) -> None:
    with DemoServer(DEFAULT_DEMO_VIOLATIONS, extra_pages=1, pki=pki) as plain:
        expected = survey(plain, authenticated=False)
    with DemoServer(DEFAULT_DEMO_VIOLATIONS, extra_pages=1, pki=pki, tenants=[TENANT]) as guarded:
        unauthenticated = survey(guarded, authenticated=False)
        authenticated = survey(guarded, authenticated=True)
    for key, sig in expected.items():  # the status aside (401, or 204 for webhooks), no header changes
        refused = {**unauthenticated[key], "status": sig["status"], "password-inputs": sig["password-inputs"]}
        assert refused == sig, key  # a 401 has no page body, so no form either
        assert {**authenticated[key], "status": sig["status"]} == sig, key


@pytest.fixture(scope="module")
def auth_baseline(server: DemoServer) -> dict[bool, dict[tuple[str, str], dict[str, Any]]]:
    return {flag: survey(server, authenticated=flag) for flag in (False, True)}


@pytest.mark.parametrize("name", AUTH_VIOLATIONS)
def test_auth_violation_changes_only_authenticated_responses_of_its_paths(
    name: str, pki: DemoPKI, auth_baseline: dict[bool, dict[tuple[str, str], dict[str, Any]]]
) -> None:
    with DemoServer([name], extra_pages=1, pki=pki, tenants=[TENANT, OTHER]) as server:
        unauthenticated = survey(server, authenticated=False)
        authenticated = survey(server, authenticated=True)
        with client(server) as c:  # a valid token refused with 403 is still an authenticated response
            path = "/pages/issue-panel"
            forbidden = c.get(with_jwt(path, token(server, "GET", path, sub=USER)))
    assert unauthenticated == auth_baseline[False]
    changed = {key[1] for key, sig in authenticated.items() if sig != auth_baseline[True][key]}
    assert changed == set(VIOLATIONS[name].paths)
    sig = authenticated["GET", VIOLATIONS[name].paths[0]]
    if name in AUTH_HEADER_VIOLATIONS:
        header, value = AUTH_HEADER_VIOLATIONS[name]
        assert sig[header] == (() if value is None else (value,))
    else:
        assert sig["cookies"] == (("connect.sid", frozenset({"path=/"})),)
        assert unauthenticated["GET", "/pages/dashboard"]["cookies"] == ()
    assert forbidden.status_code == 403
    expected_cache = ["private"] if name == "auth-cache-private" else [CACHE_DYNAMIC]
    assert forbidden.headers.get_list("cache-control") == expected_cache
