"""An HTTPS app whose descriptor URLs are each a different kind of unusable input."""

from __future__ import annotations

import asyncio
import json
from collections.abc import AsyncIterator

from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import JSONResponse, RedirectResponse, Response, StreamingResponse
from starlette.routing import Route

from tests.targets.descriptors import descriptor

FIFTY_MB = 50 * 1024 * 1024


async def html(_: Request) -> Response:
    return Response("<!DOCTYPE html><html><body><h1>Sign in</h1></body></html>", media_type="text/html")


async def huge(_: Request) -> Response:
    async def body() -> AsyncIterator[bytes]:
        yield b'{"key": "huge", "baseUrl": "https://localhost", "authentication": {"type": "jwt"}, "x": "'
        chunk = b"a" * 65536
        for _ in range(FIFTY_MB // len(chunk)):
            yield chunk
        yield b'"}'

    return StreamingResponse(body(), media_type="application/json")


async def truncated(_: Request) -> Response:
    return Response(
        '{"key": "cut", "baseUrl": "https://localhost", "modules": {"generalPages": [',
        media_type="application/json",
    )


async def not_descriptor(_: Request) -> Response:
    return JSONResponse({"name": "some-package", "version": "1.0.0", "dependencies": {}})


async def loop(request: Request) -> Response:
    step = int(request.query_params.get("n", "0"))
    return RedirectResponse(f"/loop?n={(step + 1) % 2}", status_code=302)


async def dribble(_: Request) -> Response:
    async def body() -> AsyncIterator[bytes]:
        for _ in range(600):
            yield b" "
            await asyncio.sleep(1)

    return StreamingResponse(body(), media_type="application/json")


async def missing(_: Request) -> Response:
    return Response("not here", status_code=404)


def descriptor_for(base_url: str) -> bytes:
    """A tiny valid descriptor pointing at `base_url`."""
    return json.dumps(descriptor("hostile-ok", base_url, ["/page"])).encode()


def create_hostile_app() -> Starlette:
    """Routes named after the trap they set."""
    return Starlette(
        routes=[
            Route("/html.json", html),
            Route("/huge.json", huge),
            Route("/truncated.json", truncated),
            Route("/not-descriptor.json", not_descriptor),
            Route("/loop", loop),
            Route("/dribble.json", dribble),
            Route("/missing.json", missing),
        ]
    )
