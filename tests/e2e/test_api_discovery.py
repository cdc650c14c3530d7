"""API endpoints found only in the app's scripts, a HAR file or an OpenAPI document join the inventory,
are probed, and are judged by R5 like the descriptor's."""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import HTMLResponse, JSONResponse, PlainTextResponse, Response
from starlette.routing import Route

from connectsec.demo.server import TlsAppServer
from connectsec.engine.request import ScanRequest
from connectsec.model import EndpointKind, Report
from tests.scanning import requirement, scan

SECRET_ISSUES = {
    "issues": [{"key": "ACME-1", "summary": "Quarterly numbers", "reporter": "ana@acme.example"}]
}
BUNDLE = """
fetch("/api/hidden-issues").then(r => r.json()).then(render);
axios.get(`${baseUrl}/api/profile/${user.id}`);
axios.delete("/api/cache");
AP.request("/rest/api/3/myself");
"""


def target_app(base: str) -> Starlette:
    hits: dict[str, int] = {}

    def count(request: Request) -> None:
        key = f"{request.method} {request.url.path}"
        hits[key] = hits.get(key, 0) + 1

    async def descriptor(request: Request) -> Response:
        return JSONResponse(
            {
                "key": "spa-app",
                "name": "SPA app",
                "baseUrl": base,
                "authentication": {"type": "jwt"},
                "lifecycle": {},
                "modules": {
                    "generalPages": [{"key": "main", "url": "/index.html", "name": {"value": "Main"}}]
                },
            }
        )

    async def index(request: Request) -> Response:
        count(request)
        return HTMLResponse(
            '<html><head><script src="/static/bundle.js"></script>'
            '<script>fetch("/api/inline-settings")</script></head><body>app</body></html>'
        )

    async def bundle(request: Request) -> Response:
        count(request)
        return PlainTextResponse(BUNDLE, media_type="application/javascript")

    async def hidden(request: Request) -> Response:
        count(request)
        return JSONResponse(SECRET_ISSUES)  # no authentication at all: the flaw

    async def guarded(request: Request) -> Response:
        count(request)
        return JSONResponse({"error": "unauthorized"}, status_code=401)

    app = Starlette(
        routes=[
            Route("/atlassian-connect.json", descriptor),
            Route("/index.html", index),
            Route("/static/bundle.js", bundle),
            Route("/api/hidden-issues", hidden),
            Route("/api/{rest:path}", guarded, methods=["GET", "POST", "DELETE"]),
        ]
    )
    app.state.hits = hits
    return app


@pytest.fixture(scope="module")
def server() -> Iterator[TlsAppServer]:
    with TlsAppServer(target_app) as running:
        yield running


def r5_paths(report: Report) -> dict[str, str]:
    return {
        f.location.split("://", 1)[1].split("/", 1)[1]: f.rule for f in requirement(report, "R5").findings
    }


def test_api_found_only_in_a_bundle_is_probed_and_fails_r5(server: TlsAppServer) -> None:
    report = scan(
        ScanRequest(descriptor=server.descriptor_url, ca_bundle=server.ca_pem, requirements=("R5",))
    )
    found = {
        (e.method, e.url.split(str(server.port), 1)[1]): e
        for e in report.endpoints
        if e.kind is EndpointKind.API
    }
    assert set(found) >= {
        ("GET", "/api/hidden-issues"),
        ("GET", "/api/profile/10000"),
        ("GET", "/api/inline-settings"),
    }
    assert found[("GET", "/api/hidden-issues")].source.startswith("script ")
    assert found[("GET", "/api/inline-settings")].source.startswith("inline script of ")
    assert r5_paths(report).get("api/hidden-issues") == "auth.unauthenticated-data"
    assert "api/profile/10000" not in r5_paths(report)  # answered 401
    hits: dict[str, int] = server.app.state.hits
    assert "DELETE /api/cache" not in hits  # destructive calls are listed, never sent
    assert not any(k.startswith("GET /rest/") for k in hits)  # AP.request goes to the product


def test_har_and_openapi_add_endpoints(server: TlsAppServer, tmp_path: Path) -> None:
    base = server.base_url
    har: dict[str, Any] = {
        "log": {"entries": [{"request": {"method": "GET", "url": f"{base}/api/from-har"}}]}
    }
    (tmp_path / "s.har").write_text(json.dumps(har))
    (tmp_path / "api.yaml").write_text("openapi: 3.0.0\npaths:\n  /api/from-openapi/{id}:\n    get: {}\n")
    request = ScanRequest(
        descriptor=server.descriptor_url,
        ca_bundle=server.ca_pem,
        requirements=("R5",),
        har=str(tmp_path / "s.har"),
        openapi=str(tmp_path / "api.yaml"),
        crawl_pages=0,
    )
    report = scan(request)
    sources = {e.url.split(str(server.port), 1)[1]: e.source for e in report.endpoints}
    assert sources["/api/from-har"] == "har:s.har"
    assert sources["/api/from-openapi/10000"] == "openapi:api.yaml"
    hits: dict[str, int] = server.app.state.hits
    assert hits.get("GET /api/from-har", 0) >= 1
    assert hits.get("GET /api/from-openapi/10000", 0) >= 1
