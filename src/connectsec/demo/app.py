"""The bundled demo target: a small Atlassian Connect app with switchable security flaws.

With no violations on, the app is clean for HSTS (R1.2), Cache-Control (R2), session cookies (R11)
and Referrer-Policy (R12). Each name in `violations.VIOLATIONS` breaks exactly its listed paths.

With `DemoConfig.tenants`, the app authenticates like a correct Connect app (see `demo.auth`):
`PROTECTED` paths need a valid tenant token (else 401), `ADMIN_ONLY` ones also an admin ``sub``
(else 403). Without tenants every path is open, as it always was.

With tenants the app also keeps a live tenant store (``app.state.tenants``, clientKey → `DemoTenant`)
that signed ``installed`` / ``uninstalled`` callbacks update (see `demo.lifecycle`; install keys in
``app.state.install_keys``, kid → SPKI PEM), and serves per-tenant issues: ``/api/issues`` lists the
caller's own, ``/api/issues/{id}`` returns one to its own tenant only.
"""

from __future__ import annotations

import hashlib
import html
import secrets
import struct
import zlib
from collections import Counter
from collections.abc import Awaitable, Callable, Mapping
from dataclasses import dataclass, field
from typing import Any

from starlette.applications import Starlette
from starlette.datastructures import MutableHeaders
from starlette.exceptions import HTTPException
from starlette.middleware import Middleware
from starlette.requests import Request
from starlette.responses import HTMLResponse, JSONResponse, PlainTextResponse, Response
from starlette.routing import Route
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from connectsec.connect_jwt import TokenVerificationError
from connectsec.demo.auth import (
    AuthResult,
    DemoTenant,
    TenantAuthenticator,
    request_token,
    request_url,
    tenant_index,
)
from connectsec.demo.lifecycle import (
    UNSIGNED_INSTALL_FLAWS,
    InstallVerifier,
    LifecyclePayload,
    check_install_keys,
    parse_payload,
)
from connectsec.demo.violations import VIOLATIONS, check_auth_violations, check_violation_names

APP_KEY = "connectsec-demo"
HSTS_GOOD = "max-age=31536000; includeSubDomains"
REFERRER_GOOD = "strict-origin-when-cross-origin"
CACHE_DYNAMIC = "no-cache, no-store"
CACHE_STATIC = "public, max-age=86400"
CACHE_CACHEABLE_MODULE = "public, max-age=3600"
SESSION_COOKIE = "connect.sid"

_DEFAULT_HEADERS: tuple[tuple[str, str], ...] = (
    ("strict-transport-security", HSTS_GOOD),
    ("referrer-policy", REFERRER_GOOD),
    ("cache-control", CACHE_DYNAMIC),
)

HEADER_VIOLATIONS: dict[str, tuple[str, str | None]] = {
    "hsts-missing": ("strict-transport-security", None),
    "hsts-short": ("strict-transport-security", "max-age=86400; includeSubDomains"),
    "hsts-malformed": ("strict-transport-security", "max-age=31536000; max-age=31536000"),
    "cache-private": ("cache-control", "private"),
    "cache-no-store-only": ("cache-control", "no-store"),
    "referrer-missing": ("referrer-policy", None),
    "referrer-unsafe-url": ("referrer-policy", "unsafe-url"),
    "referrer-nrwd": ("referrer-policy", "no-referrer-when-downgrade"),
    "referrer-list-unsafe": ("referrer-policy", "no-referrer, unsafe-url"),
}
"""Violations that set (or, with None, remove) one response header on their paths."""

AUTH_HEADER_VIOLATIONS: dict[str, tuple[str, str | None]] = {
    "auth-hsts-missing": ("strict-transport-security", None),
    "auth-cache-private": ("cache-control", "private"),
}
"""Like `HEADER_VIOLATIONS`, but only on authenticated responses (requests with a valid token)."""

AUTH_COOKIE_INSECURE = "auth-cookie-insecure"
AUTHENTICATED_SCOPE_KEY = "connectsec.demo.authenticated"
"""Set (True) in the ASGI scope of a request whose token was valid."""
TENANT_SCOPE_KEY = "connectsec.demo.tenant"
"""The authenticated `DemoTenant`, in the ASGI scope of a request whose token was valid."""

PATH_KINDS: dict[str, str] = {
    "/atlassian-connect.json": "descriptor",
    "/pages/dashboard": "page",
    "/pages/admin": "page",
    "/pages/configure": "page",
    "/pages/project-settings": "page",
    "/pages/issue-panel": "page",
    "/pages/cacheable-panel": "page",
    "/pages/glance": "page",
    "/pages/help-dialog": "page",
    "/pages/settings": "crawl-only",
    "/help": "crawl-only",
    "/about": "crawl-only",
    "/logout": "never-crawl",
    "/api/issues": "api",
    "/static/app.js": "static",
    "/static/app.css": "static",
    "/static/icon.png": "static",
    "/lifecycle/installed": "lifecycle",
    "/lifecycle/uninstalled": "lifecycle",
    "/lifecycle/enabled": "lifecycle",
    "/lifecycle/disabled": "lifecycle",
    "/webhooks/issue-created": "webhook",
}
"""Every fixed path the app serves (bench pages aside); lifecycle and webhook paths take POST."""

PUBLIC_MODULE_PAGES: frozenset[str] = frozenset({"/pages/cacheable-panel"})
"""Module pages that stay public with tenants: cacheable modules are loaded without a token."""

ADMIN_ONLY: frozenset[str] = frozenset(
    {"/pages/admin", "/pages/configure", "/pages/project-settings", "/pages/issue-panel"}
)
"""Admin-only in the descriptor: adminPages, configurePage, project admin tab, admin conditions."""

PROTECTED: frozenset[str] = frozenset(
    {
        *(p for p, kind in PATH_KINDS.items() if p.startswith("/pages/") and p not in PUBLIC_MODULE_PAGES),
        "/api/issues",
        "/lifecycle/enabled",
        "/lifecycle/disabled",
        "/webhooks/issue-created",
    }
)
"""Fixed paths that need a valid tenant token when the app has tenants (bench pages too)."""

UNAUTHENTICATED_PAGE_TITLE = "Please open this page from Jira"
BRANDED_LOGIN_TITLE = "Please log in to Jira to see this page"
"""The 200 page ``auth-branded-login`` serves on the dashboard instead of a 401."""
FORBIDDEN_PAGE_TITLE = "Administrators only"


@dataclass(frozen=True)
class DemoConfig:
    """What the demo app serves: which violations, how many extra pages, which baseUrl."""

    violations: frozenset[str] = frozenset()
    extra_pages: int = 0
    base_url: str = ""
    """The descriptor's baseUrl; empty means derived from each request."""
    tenants: tuple[DemoTenant, ...] = ()
    """Installed tenants; when non-empty, module pages, the API, webhooks and enabled/disabled need JWTs."""
    install_keys: Mapping[str, bytes] = field(default_factory=dict)
    """Signed-install key store, kid → RSA SPKI PEM (Atlassian's key CDN); used with tenants only."""


class _SecurityHeaders:
    """Counts requests per path, adds the compliant default headers, then applies violations.

    ``auth_overrides`` apply after ``overrides``, only to responses of authenticated requests.
    """

    def __init__(
        self,
        app: ASGIApp,
        overrides: Mapping[str, Mapping[str, str | None]],
        hits: Counter[str],
        auth_overrides: Mapping[str, Mapping[str, str | None]] | None = None,
    ) -> None:
        self.app = app
        self.overrides = overrides
        self.hits = hits
        self.auth_overrides = auth_overrides or {}

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        path: str = scope["path"]
        self.hits[path] += 1
        override = self.overrides.get(path, {})

        async def send_with_headers(message: Message) -> None:
            if message["type"] == "http.response.start":
                headers = MutableHeaders(scope=message)
                for name, value in _DEFAULT_HEADERS:
                    if name not in headers:
                        headers[name] = value
                changes = dict(override)
                if scope.get(AUTHENTICATED_SCOPE_KEY):
                    changes.update(self.auth_overrides.get(path, {}))
                for name, new_value in changes.items():
                    if new_value is None:
                        del headers[name]
                    else:
                        headers[name] = new_value
            await send(message)

        await self.app(scope, receive, send_with_headers)


def _header_overrides(
    violations: frozenset[str], table: Mapping[str, tuple[str, str | None]] = HEADER_VIOLATIONS
) -> dict[str, dict[str, str | None]]:
    overrides: dict[str, dict[str, str | None]] = {}
    for name in sorted(violations):
        if name in table:
            header, value = table[name]
            for path in VIOLATIONS[name].paths:
                overrides.setdefault(path, {})[header] = value
    return overrides


def _png(size: int = 24) -> bytes:
    def chunk(kind: bytes, data: bytes) -> bytes:
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))

    row = b"\x00" + b"\x26\x84\xff\xff" * size
    header = struct.pack(">IIBBBBB", size, size, 8, 6, 0, 0, 0)
    return (
        b"\x89PNG\r\n\x1a\n"
        + chunk(b"IHDR", header)
        + chunk(b"IDAT", zlib.compress(row * size))
        + chunk(b"IEND", b"")
    )


ICON_PNG = _png()
APP_JS = """\
"use strict";
// The settings form posts the XSRF token, read from its (deliberately script-readable) cookie.
function xsrfToken() {
  const match = document.cookie.match(/(?:^|; )XSRF-TOKEN=([^;]*)/);
  return match ? decodeURIComponent(match[1]) : "";
}
document.addEventListener("DOMContentLoaded", () => {
  for (const form of document.querySelectorAll("form")) {
    const input = document.createElement("input");
    input.type = "hidden";
    input.name = "_xsrf";
    input.value = xsrfToken();
    form.appendChild(input);
  }
});
"""
APP_CSS = """\
body { font-family: system-ui, sans-serif; margin: 1.5rem; color: #172b4d; }
nav a { margin-right: 1rem; }
"""


def _html(title: str, body: str, *, head: str = "") -> str:
    safe = html.escape(title)
    return (
        '<!doctype html>\n<html lang="en">\n<head>\n<meta charset="utf-8">\n'
        f"<title>{safe} - connectsec demo</title>\n{head}"
        '<link rel="stylesheet" href="/static/app.css">\n'
        '<script src="/static/app.js" defer></script>\n'
        f"</head>\n<body>\n<h1>{safe}</h1>\n{body}\n</body>\n</html>\n"
    )


_PAGES: dict[str, tuple[str, str]] = {
    "/pages/dashboard": (
        "Dashboard",
        '<nav><a href="/help">Help</a> <a href="/about">About</a> '
        '<a href="/pages/settings">Settings</a> <a href="/api/issues">Issues (JSON)</a></nav>\n'
        "<p>Open issues in this project.</p>",
    ),
    "/pages/admin": (
        "Administration",
        '<nav><a href="/pages/settings">Settings</a> <a href="/help">Help</a></nav>\n'
        "<p>Global settings of the demo app.</p>",
    ),
    "/pages/configure": ("Configure", "<p>Configure the demo app.</p>"),
    "/pages/project-settings": ("Project settings", "<p>Per-project options.</p>"),
    "/pages/issue-panel": ("Issue panel", "<p>Extra details for this issue.</p>"),
    "/pages/cacheable-panel": ("Cacheable panel", "<p>Static content, safe to cache.</p>"),
    "/pages/glance": ("Glance", "<p>A short summary of this issue.</p>"),
    "/pages/help-dialog": ("Help", "<p>How to use the demo app.</p>"),
    "/help": ("Help", '<p>Read the documentation.</p>\n<a href="/pages/dashboard">Back to the dashboard</a>'),
    "/about": (
        "About",
        '<p>connectsec demo app.</p>\n<nav><a href="/help">Help</a> <a href="/logout">Log out</a></nav>',
    ),
}

_ISSUES: dict[str, Any] = {
    "issues": [
        {"key": "DEMO-1", "summary": "Set up the demo project", "status": "Done"},
        {"key": "DEMO-2", "summary": "Scan the demo app with connectsec", "status": "In Progress"},
    ]
}


ISSUE_REPORTER = "alice@example.test"


def issue_id_prefix(client_key: str) -> str:
    """The first 10 hex digits of SHA-256(clientKey): a tenant's issue ids start with it."""
    return hashlib.sha256(client_key.encode("utf-8")).hexdigest()[:10]


def tenant_issues(client_key: str) -> list[dict[str, str]]:
    """A tenant's issues, ids unique per tenant, each linking ``/api/issues/{id}``."""
    prefix = issue_id_prefix(client_key)
    issues = []
    for n, issue in enumerate(_ISSUES["issues"], start=1):
        issue_id = f"{prefix}-{n}"
        issues.append(
            {"id": issue_id, **issue, "reporter": ISSUE_REPORTER, "self": f"/api/issues/{issue_id}"}
        )
    return issues


def build_descriptor(config: DemoConfig, base_url: str) -> dict[str, Any]:
    """The app descriptor served at /atlassian-connect.json."""
    general_pages: list[dict[str, Any]] = [
        {
            "key": "dashboard",
            "name": {"value": "Demo dashboard"},
            "url": "/pages/dashboard?project={project.key}",
        }
    ]
    general_pages.extend(
        {"key": f"bench-page-{i}", "name": {"value": f"Bench page {i}"}, "url": f"/pages/bench/{i}"}
        for i in range(config.extra_pages)
    )
    issue_panel_conditions = [
        {
            "or": [
                {"condition": "user_is_admin"},
                {"and": [{"condition": "user_is_sysadmin"}, {"condition": "user_is_logged_in"}]},
            ]
        }
    ]
    return {
        "key": APP_KEY,
        "name": "connectsec demo app",
        "description": "A deliberately vulnerable sample app for connectsec.",
        "vendor": {"name": "connectsec", "url": "https://example.invalid/"},
        "baseUrl": base_url,
        "links": {"self": f"{base_url}/atlassian-connect.json"},
        "authentication": {"type": "jwt"},
        "apiMigrations": {"signed-install": True, "gdpr": True},
        "scopes": ["READ"],
        "lifecycle": {
            "installed": "/lifecycle/installed",
            "uninstalled": "/lifecycle/uninstalled",
            "enabled": "/lifecycle/enabled",
            "disabled": "/lifecycle/disabled",
        },
        "modules": {
            "generalPages": general_pages,
            "adminPages": [{"key": "admin", "name": {"value": "Demo admin"}, "url": "/pages/admin"}],
            "configurePage": {
                "key": "configure",
                "name": {"value": "Configure demo"},
                "url": "/pages/configure",
            },
            "jiraProjectAdminTabPanels": [
                {
                    "key": "project-settings",
                    "name": {"value": "Demo project settings"},
                    "url": "/pages/project-settings?projectId={project.id}",
                    "location": "projectgroup4",
                }
            ],
            "webPanels": [
                {
                    "key": "issue-panel",
                    "name": {"value": "Demo issue panel"},
                    "url": "/pages/issue-panel?issueKey={issue.key}&issueId={issue.id}",
                    "location": "atl.jira.view.issue.right.context",
                    "conditions": issue_panel_conditions,
                },
                {
                    "key": "cacheable-panel",
                    "name": {"value": "Demo cacheable panel"},
                    "url": "/pages/cacheable-panel",
                    "location": "atl.jira.view.issue.right.context",
                    "cacheable": True,
                },
            ],
            "jiraIssueGlances": [
                {
                    "key": "glance",
                    "name": {"value": "Glance"},
                    "target": {"type": "web_panel", "url": "/pages/glance?issue={issue.key}"},
                    "content": {"type": "label", "label": {"value": "Demo"}},
                    "icon": {"width": 24, "height": 24, "url": "/static/icon.png"},
                }
            ],
            "webhooks": [{"event": "jira:issue_created", "url": "/webhooks/issue-created"}],
            "dialogs": [{"key": "help-dialog", "name": {"value": "Demo help"}, "url": "/pages/help-dialog"}],
        },
    }


Endpoint = Callable[[Request], Awaitable[Response]]


def create_app(config: DemoConfig | None = None) -> Starlette:
    """Build the demo app; raises ValueError for an unknown violation name, a `needs_auth` violation
    without tenants, or two tenants with one clientKey."""
    config = config or DemoConfig()
    violations = frozenset(config.violations)
    check_violation_names(violations)
    if config.extra_pages < 0:
        raise ValueError("extra_pages must be >= 0")
    tenant_index(config.tenants)
    check_auth_violations(violations, has_tenants=bool(config.tenants))
    check_install_keys(config.install_keys)
    authenticator = TenantAuthenticator(config.tenants, violations) if config.tenants else None
    tenants: dict[str, DemoTenant] = authenticator.tenants if authenticator is not None else {}
    install_keys: dict[str, bytes] = dict(config.install_keys)
    install_verifier = InstallVerifier(install_keys, violations)
    hits: Counter[str] = Counter()
    authenticated_hits: Counter[str] = Counter()
    auth_rejections: Counter[tuple[str, str]] = Counter()

    def app_base_url(request: Request) -> str:
        return config.base_url.rstrip("/") or str(request.base_url).rstrip("/")

    def page_head(path: str) -> str:
        if path == "/pages/configure" and "referrer-meta-override" in violations:
            return '<meta name="referrer" content="unsafe-url">\n'
        return ""

    def add_settings_cookies(response: Response) -> None:
        sid_attrs = ["Path=/"]
        if "cookie-no-secure" not in violations:
            sid_attrs.append("Secure")
        if "cookie-no-httponly" not in violations:
            sid_attrs.append("HttpOnly")
        sid_attrs.append("SameSite=None")
        cookies = (
            f"{SESSION_COOKIE}={secrets.token_hex(16)}; " + "; ".join(sid_attrs),
            "theme=dark; Path=/; Secure",
            f"XSRF-TOKEN={secrets.token_urlsafe(16)}; Path=/; Secure; SameSite=None",
        )
        for cookie in cookies:
            response.headers.append("set-cookie", cookie)

    def refusal(request: Request, result: AuthResult) -> Response:
        path = request.url.path
        if path == "/pages/dashboard" and result.status == 401 and "auth-branded-login" in violations:
            body = "<p>Sign in to your Jira site, then open this app from there.</p>"
            return HTMLResponse(_html(BRANDED_LOGIN_TITLE, body))
        if path.startswith("/pages/"):
            if result.status == 403:
                title, text = (
                    FORBIDDEN_PAGE_TITLE,
                    "Only administrators of this Jira site can open this page.",
                )
            else:
                title, text = UNAUTHENTICATED_PAGE_TITLE, "This page works only inside Jira."
            response: Response = HTMLResponse(
                _html(title, f"<p>{text}</p>", head=page_head(path)), status_code=result.status
            )
            if path == "/pages/settings":  # its cookies come with every response, as without tenants
                add_settings_cookies(response)
        else:
            error = "missing JWT" if result.reason == "missing" else "invalid JWT"
            if result.status == 403:
                error = "forbidden"
            response = JSONResponse({"error": error}, status_code=result.status)
        if result.status == 401:
            response.headers["WWW-Authenticate"] = f'JWT realm="{APP_KEY}"'
        return response

    def guarded(endpoint: Endpoint, *, admin: bool = False) -> Endpoint:
        """With tenants, run `endpoint` only for a valid token (and an admin `sub` if `admin`)."""
        if authenticator is None:
            return endpoint

        async def wrapper(request: Request) -> Response:
            path = request.url.path
            if path == "/pages/dashboard" and "auth-missing" in violations:
                return await endpoint(request)  # the flaw: no check at all
            result = authenticator.authenticate(request, app_base_url(request), admin=admin)
            if result.authenticated:
                authenticated_hits[path] += 1
                request.scope[AUTHENTICATED_SCOPE_KEY] = True
                request.scope[TENANT_SCOPE_KEY] = result.tenant
            if result.status != 200:
                auth_rejections[path, result.reason] += 1
                return refusal(request, result)
            response = await endpoint(request)
            if AUTH_COOKIE_INSECURE in violations and path in VIOLATIONS[AUTH_COOKIE_INSECURE].paths:
                response.headers.append("set-cookie", f"{SESSION_COOKIE}={secrets.token_hex(16)}; Path=/")
            return response

        return wrapper

    async def descriptor(request: Request) -> Response:
        return JSONResponse(build_descriptor(config, app_base_url(request)))

    async def page(request: Request) -> Response:
        title, body = _PAGES[request.url.path]
        if request.url.path == "/pages/dashboard" and "auth-missing" in violations and tenants:
            first = next(iter(tenants.values()))
            body += (
                "\n<ul>\n"
                + "".join(
                    f"<li>{html.escape(i['key'])}: {html.escape(i['summary'])} "
                    f"(reported by {html.escape(i['reporter'])})</li>\n"
                    for i in tenant_issues(first.client_key)
                )
                + "</ul>"
            )
        headers = None
        if request.url.path == "/pages/cacheable-panel":
            headers = {"Cache-Control": CACHE_CACHEABLE_MODULE}
        return HTMLResponse(_html(title, body, head=page_head(request.url.path)), headers=headers)

    async def settings(request: Request) -> Response:
        note = "<p>Saved.</p>\n" if request.method == "POST" else ""
        credentials = (
            '<label>Your Jira email <input type="email" name="jira_email"></label>\n'
            '<label>Your Atlassian password <input type="password" name="jira_password"></label>\n'
            if "atlassian-password-form" in violations
            else ""
        )
        body = (
            f'{note}<form method="post" action="/pages/settings">\n'
            '<label>Display name <input type="text" name="display_name"></label>\n'
            f"{credentials}"
            '<button type="submit">Save</button>\n</form>'
        )
        response = HTMLResponse(_html("Settings", body))
        add_settings_cookies(response)
        return response

    async def bench_content(request: Request) -> Response:
        i: int = request.path_params["i"]
        return HTMLResponse(_html(f"Bench page {i}", f"<p>Benchmark page number {i}.</p>"))

    guarded_bench = guarded(bench_content)

    async def bench_page(request: Request) -> Response:
        if request.path_params["i"] >= config.extra_pages:
            raise HTTPException(404)  # 404s stay public
        return await guarded_bench(request)

    async def logout(request: Request) -> Response:
        return PlainTextResponse("logged out")

    async def issues(request: Request) -> Response:
        tenant: DemoTenant | None = request.scope.get(TENANT_SCOPE_KEY)
        if tenant is None:  # no tenants: the shared sample list, as always
            return JSONResponse(_ISSUES)
        return JSONResponse({"issues": tenant_issues(tenant.client_key)})

    async def issue(request: Request) -> Response:
        tenant: DemoTenant = request.scope[TENANT_SCOPE_KEY]
        issue_id: str = request.path_params["issue_id"]
        owners = list(tenants.values()) if "auth-cross-tenant" in violations else [tenant]
        for owner in owners:
            for item in tenant_issues(owner.client_key):
                if item["id"] == issue_id:
                    return JSONResponse(item)
        return JSONResponse({"error": "not found"}, status_code=404)

    def register(payload: LifecyclePayload) -> None:
        existing = tenants.get(payload.client_key)
        admins = existing.admin_account_ids if existing is not None else frozenset()
        tenants[payload.client_key] = DemoTenant(payload.client_key, payload.shared_secret, admins)

    async def lifecycle(request: Request) -> Response:
        """Signed ``installed`` / ``uninstalled`` (see `demo.lifecycle`): 204, 400 (body) or 401."""
        path = request.url.path
        installed = path == "/lifecycle/installed"
        event_type = "installed" if installed else "uninstalled"
        base_url = app_base_url(request)

        def refuse(reason: str) -> Response:
            auth_rejections[path, reason] += 1
            return refusal(request, AuthResult(401, reason))

        async def body() -> LifecyclePayload | None:
            return parse_payload(await request.body(), app_key=APP_KEY, event_type=event_type)

        bad_body = JSONResponse({"error": "invalid lifecycle payload"}, status_code=400)
        token, reason = request_token(request)
        if token is None:
            if reason != "missing" or not installed or not violations & UNSIGNED_INSTALL_FLAWS:
                return refuse(reason)
            payload = await body()
            if payload is None:
                return bad_body
            if payload.client_key in tenants and "auth-install-hijack" not in violations:
                return refuse(reason)
            register(payload)  # the flaw: an unsigned (legacy) install
            return Response(status_code=204)
        try:
            install_verifier.precheck(token, installed=installed)
        except TokenVerificationError as exc:
            return refuse(exc.reason.value)
        payload = await body()
        if payload is None:
            return bad_body
        try:
            install_verifier.verify(
                token, payload, base_url=base_url, url=request_url(request, base_url), installed=installed
            )
        except TokenVerificationError as exc:
            return refuse(exc.reason.value)
        except ValueError:  # a URL the qsh rules cannot canonicalise, or a broken key added at runtime
            return refuse("url")
        authenticated_hits[path] += 1
        request.scope[AUTHENTICATED_SCOPE_KEY] = True
        if installed:
            register(payload)
        else:
            tenants.pop(payload.client_key, None)
        return Response(status_code=204)

    async def signed_endpoint(request: Request) -> Response:
        auth = request.headers.get("authorization", "")
        error = "invalid JWT" if auth[:4].lower() == "jwt " else "missing JWT"
        return JSONResponse({"error": error}, status_code=401)

    async def accepted(request: Request) -> Response:
        return Response(status_code=204)

    def static(content: str | bytes, media_type: str) -> Endpoint:
        async def endpoint(request: Request) -> Response:
            return Response(content, media_type=media_type, headers={"Cache-Control": CACHE_STATIC})

        return endpoint

    async def not_found(request: Request, exc: Exception) -> Response:
        return HTMLResponse(_html("Not found", "<p>No such page.</p>"), status_code=404)

    def signed_route(path: str) -> Route:
        if authenticator is not None and path in PROTECTED:
            return Route(path, guarded(accepted), methods=["POST"])
        if authenticator is not None and path in ("/lifecycle/installed", "/lifecycle/uninstalled"):
            return Route(path, lifecycle, methods=["POST"])
        return Route(path, signed_endpoint, methods=["POST"])

    def page_route(path: str) -> Route:
        endpoint = page if path not in PROTECTED else guarded(page, admin=path in ADMIN_ONLY)
        return Route(path, endpoint)

    routes = [
        Route("/atlassian-connect.json", descriptor),
        *(page_route(path) for path in _PAGES),
        Route("/pages/settings", guarded(settings), methods=["GET", "POST"]),
        Route("/pages/bench/{i:int}", bench_page),
        Route("/logout", logout),
        Route("/api/issues", guarded(issues)),
        *([Route("/api/issues/{issue_id}", guarded(issue))] if authenticator is not None else []),
        Route("/static/app.js", static(APP_JS, "text/javascript; charset=utf-8")),
        Route("/static/app.css", static(APP_CSS, "text/css; charset=utf-8")),
        Route("/static/icon.png", static(ICON_PNG, "image/png")),
        *(signed_route(path) for path, kind in PATH_KINDS.items() if kind in ("lifecycle", "webhook")),
    ]
    security_headers = Middleware(
        _SecurityHeaders,
        overrides=_header_overrides(violations),
        hits=hits,
        auth_overrides=_header_overrides(violations, AUTH_HEADER_VIOLATIONS),
    )
    app = Starlette(routes=routes, middleware=[security_headers], exception_handlers={404: not_found})
    app.state.hits = hits
    app.state.authenticated_hits = authenticated_hits
    app.state.auth_rejections = auth_rejections
    app.state.config = config
    app.state.tenants = tenants
    app.state.install_keys = install_keys
    return app
