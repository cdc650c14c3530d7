"""A small Connect app whose pages load the scripts a test asks for, served over TLS on loopback."""

from __future__ import annotations

import asyncio
from collections.abc import Callable, Mapping

import jwt
from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import HTMLResponse, Response
from starlette.routing import Route

from connectsec.checks.base import Check
from connectsec.demo.server import TlsAppServer
from connectsec.engine.request import ScanRequest
from connectsec.engine.scan import Scanner
from connectsec.model import Report, RequirementResult
from tests.scanning import requirement
from tests.targets.descriptors import SECURE, descriptor_response

JS = "application/javascript"
JQUERY_OLD = (
    b"/*! jQuery v1.8.3 jquery.com | jquery.org/license */\n(function(e,t){var n=function(){};})(window);\n"
)
JQUERY_CURRENT = (
    b"/*! jQuery v3.7.1 | (c) OpenJS Foundation and other contributors | jquery.org/license */\n"
    b"!function(e,t){}(this);\n"
)
LODASH_BANNER = b"/**\n * @license\n * Lodash v4.17.4 lodash.com/license\n */\n;(function(){}).call(this);\n"
TINY_WIDGET = b"/* a widget no banner names */\nwindow.tinyWidget=function(){return 1};\n"


def script_app(
    pages: Mapping[str, list[str]],
    files: Mapping[str, tuple[int, bytes, str]],
    jwt_secret: str | None = None,
) -> Callable[[str], Starlette]:
    """Pages (path → script srcs, `{base}` filled in) and files (path → status, body, media type).

    With `jwt_secret`, pages answer 401 unless `?jwt=` carries an HS256 token signed with it (files stay
    public, as static assets of Connect apps are).
    """

    def factory(base: str) -> Starlette:
        async def descriptor(_: Request) -> Response:
            return descriptor_response("served-js", base, list(pages))

        def page(srcs: list[str]) -> Callable[[Request], Response]:
            tags = "".join(f'<script src="{src.format(base=base)}"></script>' for src in srcs)

            def handler(request: Request) -> Response:
                if jwt_secret is not None:
                    try:
                        jwt.decode(request.query_params.get("jwt", ""), jwt_secret, algorithms=["HS256"])
                    except jwt.InvalidTokenError:
                        return HTMLResponse("<p>log in</p>", 401, SECURE)
                return HTMLResponse(
                    f"<!doctype html><html><head>{tags}</head><body>app</body></html>", 200, SECURE
                )

            return handler

        def file(status: int, body: bytes, media: str) -> Callable[[Request], Response]:
            def handler(_: Request) -> Response:
                return Response(body, status, SECURE, media_type=media)

            return handler

        routes = [Route("/atlassian-connect.json", descriptor)]
        routes += [Route(path, page(srcs)) for path, srcs in pages.items()]
        routes += [Route(path, file(*spec)) for path, spec in files.items()]
        return Starlette(routes=routes)

    return factory


def scan_r14(server: TlsAppServer, check: Check, **options: object) -> RequirementResult:
    """A real scan of `server` with only `check` judging R14."""
    request = ScanRequest(
        descriptor=server.descriptor_url,
        ca_bundle=server.ca_pem,
        requirements=("R14",),
        **options,  # type: ignore[arg-type]
    )

    async def go() -> Report:
        async with Scanner(request) as scanner:
            return await scanner.run((check,))

    return requirement(asyncio.run(go()), "R14")
