"""The demo target over real TLS: compliant baseline, each violation confined to its paths."""

from __future__ import annotations

import os
import re
import socket
import ssl
import threading
import warnings
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from connectsec.demo import (
    DEFAULT_DEMO_VIOLATIONS,
    VIOLATIONS,
    DemoConfig,
    DemoPKI,
    DemoServer,
    create_app,
    serve_forever,
)
from connectsec.demo.app import (
    CACHE_CACHEABLE_MODULE,
    CACHE_DYNAMIC,
    CACHE_STATIC,
    HEADER_VIOLATIONS,
    HSTS_GOOD,
    PATH_KINDS,
    REFERRER_GOOD,
)
from tests.demo.support import client, cookie_attrs, signature

PROBES: list[tuple[str, str]] = [
    ("POST" if kind in ("lifecycle", "webhook") else "GET", path) for path, kind in PATH_KINDS.items()
] + [("GET", "/no/such/page"), ("GET", "/lifecycle/installed"), ("GET", "/pages/bench/0")]
UNAUTHENTICATED_VIOLATIONS = sorted(name for name, v in VIOLATIONS.items() if not v.needs_auth)
"""The violations that show without tenants (the `needs_auth` ones are tested in test_demo_auth)."""


@pytest.fixture(scope="module")
def pki() -> Iterator[DemoPKI]:
    with DemoPKI(extra_hosts=["app.demo.test"]) as shared:
        yield shared


def survey(server: DemoServer) -> dict[tuple[str, str], dict[str, Any]]:
    with client(server) as c:
        return {(method, path): signature(c.request(method, path)) for method, path in PROBES}


@pytest.fixture(scope="module")
def compliant(pki: DemoPKI) -> Iterator[DemoServer]:
    with DemoServer(pki=pki) as server:
        yield server


@pytest.fixture(scope="module")
def baseline(compliant: DemoServer) -> dict[tuple[str, str], dict[str, Any]]:
    return survey(compliant)


def test_descriptor(compliant: DemoServer) -> None:
    with client(compliant) as c:
        response = c.get("/atlassian-connect.json")
    assert response.status_code == 200
    assert response.headers["content-type"] == "application/json"
    descriptor = response.json()
    assert descriptor["baseUrl"] == compliant.base_url == f"https://localhost:{compliant.port}"
    assert descriptor["links"]["self"] == compliant.descriptor_url
    assert descriptor["key"] == "connectsec-demo"
    assert descriptor["authentication"] == {"type": "jwt"}
    assert descriptor["apiMigrations"] == {"signed-install": True, "gdpr": True}
    assert set(descriptor["lifecycle"]) == {"installed", "uninstalled", "enabled", "disabled"}
    modules = descriptor["modules"]
    assert isinstance(modules["configurePage"], dict)
    assert [w["url"] for w in modules["webhooks"]] == ["/webhooks/issue-created"]
    for kind, entries in modules.items():
        if kind == "webhooks":
            continue
        for module in entries if isinstance(entries, list) else [entries]:
            assert module["key"], kind
            assert module["name"]["value"], kind


def test_every_module_url_serves_a_page(compliant: DemoServer) -> None:
    with client(compliant) as c:
        modules = c.get("/atlassian-connect.json").json()["modules"]
        urls = [modules["configurePage"]["url"]]
        for kind, entries in modules.items():
            if isinstance(entries, list) and kind != "webhooks":
                urls += [m.get("url") or m["target"]["url"] for m in entries]
        for url in urls:
            filled = re.sub(r"\{[^}]+\}", "X", url)
            response = c.get(filled)
            assert response.status_code == 200, url
            assert response.headers["content-type"] == "text/html; charset=utf-8"
            assert '<script src="/static/app.js"' in response.text


def test_compliant_default_headers(compliant: DemoServer) -> None:
    jwt = {"Authorization": "JWT x.y.z"}
    with client(compliant) as c:
        cases = {
            "page": (c.get("/pages/dashboard"), 200, CACHE_DYNAMIC),
            "api": (c.get("/api/issues"), 200, CACHE_DYNAMIC),
            "lifecycle": (c.post("/lifecycle/installed"), 401, CACHE_DYNAMIC),
            "jwt": (c.post("/webhooks/issue-created", headers=jwt), 401, CACHE_DYNAMIC),
            "404": (c.get("/no/such/page"), 404, CACHE_DYNAMIC),
            "405": (c.get("/lifecycle/enabled"), 405, CACHE_DYNAMIC),
            "static": (c.get("/static/app.js"), 200, CACHE_STATIC),
            "cacheable": (c.get("/pages/cacheable-panel"), 200, CACHE_CACHEABLE_MODULE),
        }
        for name, (response, status, cache) in cases.items():
            assert response.status_code == status, name
            assert response.headers.get_list("strict-transport-security") == [HSTS_GOOD], name
            assert response.headers.get_list("referrer-policy") == [REFERRER_GOOD], name
            assert response.headers.get_list("cache-control") == [cache], name
        assert cases["lifecycle"][0].json() == {"error": "missing JWT"}
        assert cases["404"][0].headers["content-type"].startswith("text/html")
        assert c.get("/static/icon.png").content.startswith(b"\x89PNG\r\n\x1a\n")
        assert c.get("/static/app.css").headers["content-type"].startswith("text/css")
        assert c.get("/api/issues").json()["issues"]


def test_compliant_cookies(compliant: DemoServer) -> None:
    with client(compliant) as c:
        cookies = dict(cookie_attrs(h) for h in c.get("/pages/settings").headers.get_list("set-cookie"))
    assert cookies["connect.sid"] == {"path=/", "secure", "httponly", "samesite=none"}
    assert cookies["theme"] == {"path=/", "secure"}
    assert cookies["XSRF-TOKEN"] == {"path=/", "secure", "samesite=none"}


def test_crawl_links_and_hit_counter(pki: DemoPKI) -> None:
    with DemoServer(pki=pki) as server, client(server) as c:
        dashboard = c.get("/pages/dashboard").text
        about = c.get("/about").text
        for href in ("/help", "/about", "/api/issues", "/pages/settings"):
            assert f'href="{href}"' in dashboard
        assert 'href="/logout"' in about
        assert 'href="/help"' in about
        assert '<form method="post" action="/pages/settings">' in c.get("/pages/settings").text
        assert server.hits["/logout"] == 0
        assert c.get("/logout").text == "logged out"
        assert server.hits == server.app.state.hits
        assert server.hits["/logout"] == 1
        assert server.hits["/pages/dashboard"] == 1


def test_violations_are_all_implemented() -> None:
    special = {
        "cookie-no-httponly",
        "cookie-no-secure",
        "referrer-meta-override",
        "tls-legacy-protocol",
        "atlassian-password-form",
    }
    assert set(HEADER_VIOLATIONS) | special == set(UNAUTHENTICATED_VIOLATIONS)
    assert frozenset(UNAUTHENTICATED_VIOLATIONS) == DEFAULT_DEMO_VIOLATIONS
    for violation in VIOLATIONS.values():
        assert set(violation.paths) <= set(PATH_KINDS) | {"/api/issues/{id}"}, violation.name
        assert violation.requirement in {"R1.1", "R1.2", "R2", "R5", "R9", "R10", "R11", "R12", "R13"}
        assert violation.is_flaw or violation.name == "auth-branded-login"


@pytest.mark.parametrize("name", UNAUTHENTICATED_VIOLATIONS)
def test_violation_changes_only_its_paths(
    name: str, pki: DemoPKI, baseline: dict[tuple[str, str], dict[str, Any]]
) -> None:
    with DemoServer([name], pki=pki) as server:
        observed = survey(server)
    changed = {key[1] for key, sig in observed.items() if sig != baseline[key]}
    assert changed == set(VIOLATIONS[name].paths)
    for path in VIOLATIONS[name].paths:
        sig = observed[("GET", path)]
        if name in HEADER_VIOLATIONS:
            header, value = HEADER_VIOLATIONS[name]
            assert sig[header] == (() if value is None else (value,))
        elif name == "referrer-meta-override":
            assert sig["meta-referrer"] == ("unsafe-url",)
            assert sig["referrer-policy"] == (REFERRER_GOOD,)
        elif name == "atlassian-password-form":
            assert sig["password-inputs"] == 1
        else:
            sid = dict(sig["cookies"])["connect.sid"]
            lost = "httponly" if name == "cookie-no-httponly" else "secure"
            assert sid == {"path=/", "secure", "httponly", "samesite=none"} - {lost}


def test_default_violations_together(pki: DemoPKI, baseline: dict[tuple[str, str], dict[str, Any]]) -> None:
    with DemoServer(DEFAULT_DEMO_VIOLATIONS, pki=pki) as server:
        observed = survey(server)
    changed = {key[1] for key, sig in observed.items() if sig != baseline[key]}
    assert changed == {p for name in DEFAULT_DEMO_VIOLATIONS for p in VIOLATIONS[name].paths}
    assert dict(observed[("GET", "/pages/settings")]["cookies"])["connect.sid"] == {"path=/", "samesite=none"}
    dashboard = observed[("GET", "/pages/dashboard")]
    assert dashboard["strict-transport-security"] == ()
    assert dashboard["cache-control"] == ("no-store",)
    assert dashboard["referrer-policy"] == ("unsafe-url",)


def test_unknown_violation_is_rejected(pki: DemoPKI) -> None:
    with pytest.raises(ValueError, match="no-such-thing"):
        create_app(DemoConfig(violations=frozenset({"no-such-thing"})))
    with pytest.raises(ValueError, match="no-such-thing"):
        DemoServer(["hsts-short", "no-such-thing"], pki=pki)
    with pytest.raises(ValueError, match="extra_pages"):
        create_app(DemoConfig(extra_pages=-1))


def test_extra_pages(pki: DemoPKI) -> None:
    with DemoServer(extra_pages=5, pki=pki) as server, client(server) as c:
        pages = c.get("/atlassian-connect.json").json()["modules"]["generalPages"]
        assert [p["key"] for p in pages[1:]] == [f"bench-page-{i}" for i in range(5)]
        assert c.get("/pages/bench/4").status_code == 200
        assert c.get("/pages/bench/5").status_code == 404


def test_extra_host_name(pki: DemoPKI) -> None:
    with DemoServer(host_name="app.demo.test", pki=pki) as server:
        assert server.base_url == f"https://app.demo.test:{server.port}"
        ctx = ssl.create_default_context(cafile=server.ca_pem)
        with (
            socket.create_connection(("127.0.0.1", server.port)) as raw,
            ctx.wrap_socket(raw, server_hostname="app.demo.test") as tls,
        ):
            assert tls.version() in ("TLSv1.2", "TLSv1.3")
        with client(server, f"https://127.0.0.1:{server.port}") as c:
            assert c.get("/atlassian-connect.json").json()["baseUrl"] == server.base_url
    with pytest.raises(ValueError, match="does not cover"):
        DemoServer(host_name="other.demo.test", pki=pki)


def test_serve_forever_returns_when_server_stops() -> None:
    seen: list[str] = []

    def on_ready(server: DemoServer) -> None:
        seen.append(server.base_url)
        server.stop()

    serve_forever(["hsts-short"], port=0, on_ready=on_ready)
    assert len(seen) == 1


def open_fds() -> int | None:
    fd_dir = Path("/proc/self/fd")
    return len(os.listdir(fd_dir)) if fd_dir.is_dir() else None


@pytest.mark.slow
def test_twenty_servers_leak_nothing() -> None:
    def run_one() -> Path:
        with DemoServer() as server, client(server) as c:
            assert c.get("/pages/dashboard").status_code == 200
            return Path(server.ca_pem).parent

    run_one()  # warm-up: imports and lazily created resources
    threads_before = set(threading.enumerate())
    fds_before = open_fds()
    pki_dirs = [run_one() for _ in range(20)]
    assert set(threading.enumerate()) - threads_before == set()
    fds_after = open_fds()
    if fds_before is not None and fds_after is not None:
        assert fds_after <= fds_before
    assert not any(d.exists() for d in pki_dirs)


@pytest.mark.parametrize(("violations", "legacy_accepted"), [((), False), (("tls-legacy-protocol",), True)])
def test_tls_legacy_protocol_violation(
    violations: tuple[str, ...], legacy_accepted: bool, pki: DemoPKI
) -> None:
    with DemoServer(violations, pki=pki) as server:
        for version in (ssl.TLSVersion.TLSv1, ssl.TLSVersion.TLSv1_1):
            assert handshake_version(server.port, version) == (
                version.name.replace("_", ".") if legacy_accepted else None
            )
        assert handshake_version(server.port, ssl.TLSVersion.TLSv1_2) == "TLSv1.2"


def handshake_version(port: int, version: ssl.TLSVersion) -> str | None:
    """The protocol a handshake pinned to `version` negotiates, or None when the server refuses it."""
    context = ssl.SSLContext(ssl.PROTOCOL_TLS_CLIENT)
    context.check_hostname = False
    context.verify_mode = ssl.CERT_NONE
    context.set_ciphers("ALL:@SECLEVEL=0")
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", DeprecationWarning)
        context.minimum_version = context.maximum_version = version
    try:
        with (
            socket.create_connection(("127.0.0.1", port), timeout=5) as raw,
            context.wrap_socket(raw, server_hostname="localhost") as tls,
        ):
            return tls.version()
    except (ssl.SSLError, ConnectionError):
        return None
