"""Loopback target apps for the page checks: a descriptor and pages, each flaw switched on alone."""

from __future__ import annotations

import asyncio
from collections.abc import Awaitable, Callable, Mapping, Sequence
from dataclasses import dataclass, field

from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import HTMLResponse, Response
from starlette.routing import Route

from connectsec.auth.credentials import Credentials, Tenant
from connectsec.checks.pages import PAGE_CHECKS
from connectsec.demo import DemoTenant
from connectsec.demo.auth import TenantAuthenticator
from connectsec.demo.server import TlsAppServer
from connectsec.engine.request import ScanRequest
from connectsec.engine.scan import Scanner
from connectsec.model import Report
from tests.targets.descriptors import SECURE, descriptor_response

PAGE_REQUIREMENTS = ("R7", "R8", "R10")
TENANT = DemoTenant.random()


@dataclass(frozen=True)
class PageSpec:
    """One module page: its HTML body, extra or replaced headers, and whether it needs a tenant's JWT."""

    body: str = "<p>Your issues</p>"
    headers: Mapping[str, str] = field(default_factory=dict)
    cookies: Sequence[str] = ()
    """Raw Set-Cookie values."""
    protected: bool = True
    status: int = 200


def page_app(
    pages: Mapping[str, PageSpec], files: Mapping[str, tuple[str, str]] | None = None
) -> Callable[[str], Starlette]:
    """An app whose descriptor declares one generalPage per path; protected pages verify the Connect JWT.

    `files`: more paths the pages load (path → content type, body), served without authentication.
    """
    auth = TenantAuthenticator([TENANT])

    def factory(base: str) -> Starlette:
        async def descriptor(_: Request) -> Response:
            return descriptor_response("pages", base, list(pages))

        def handler(spec: PageSpec) -> Callable[[Request], Awaitable[Response]]:
            async def serve(request: Request) -> Response:
                headers = {**SECURE, **spec.headers}
                if spec.protected and auth.authenticate(request, base).status != 200:
                    return HTMLResponse("<h1>Unauthorized</h1>", 401, headers=SECURE)
                body = f"<!doctype html><html><head><title>App</title></head><body>{spec.body}</body></html>"
                response = HTMLResponse(body, spec.status, headers=headers)
                for cookie in spec.cookies:
                    response.raw_headers.append((b"set-cookie", cookie.encode("latin-1")))
                return response

            return serve

        routes = [Route("/atlassian-connect.json", descriptor)]
        routes += [Route(path, handler(spec)) for path, spec in pages.items()]
        for path, (media, content) in (files or {}).items():
            routes.append(Route(path, _file(media, content)))
        return Starlette(routes=routes)

    return factory


def _file(media: str, content: str) -> Callable[[Request], Awaitable[Response]]:
    async def serve(_: Request) -> Response:
        return Response(content, media_type=media, headers=SECURE)

    return serve


def credentials() -> Credentials:
    """The test tenant, as `--client-key` / `--shared-secret` give it."""
    return Credentials((Tenant("t", TENANT.client_key, TENANT.shared_secret, "user-1"),))


def scan_pages(server: TlsAppServer, *, with_tenant: bool) -> Report:
    """A real scan of R7, R8 and R10 only, with or without the test tenant."""
    request = ScanRequest(
        descriptor=f"{server.base_url}/atlassian-connect.json",
        ca_bundle=server.ca_pem,
        requirements=PAGE_REQUIREMENTS,
        credentials=credentials() if with_tenant else Credentials(),
    )

    async def go() -> Report:
        async with Scanner(request) as scanner:
            return await scanner.run(PAGE_CHECKS)  # the engine hands R7 the tenant's secret

    return asyncio.run(go())
