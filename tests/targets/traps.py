"""One HTTPS app, one trap per route: `/d/{trap}.json` is a descriptor with pages `/ok` and the trap."""

from __future__ import annotations

import asyncio
import functools
import gzip
import struct
import zlib
from collections.abc import AsyncIterator

from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import HTMLResponse, RedirectResponse, Response, StreamingResponse
from starlette.routing import Route

from tests.targets.descriptors import SECURE, descriptor_response

MB = 1 << 20
BIG_BODY = 200 * MB
BOMB_SIZE = 1024 * MB
CHAIN_HOPS = 30
HEADER_COUNT = 10_000
MANY_ENDPOINTS = 5_000


@functools.cache
def deflate_of_zeros(size: int = BOMB_SIZE) -> bytes:
    """A raw deflate stream of `size` zero bytes (a thousandth of that), built without compressing it all.

    Once the window is all zeros, every flushed megabyte compresses to the same bytes; they are repeated.
    """
    zeros = b"\0" * MB
    deflater = zlib.compressobj(9, zlib.DEFLATED, -zlib.MAX_WBITS)
    first = deflater.compress(zeros) + deflater.flush(zlib.Z_SYNC_FLUSH)
    steady = deflater.compress(zeros) + deflater.flush(zlib.Z_SYNC_FLUSH)
    return first + steady * (size // MB - 1) + deflater.flush()


@functools.cache
def gzip_of_zeros(size: int = BOMB_SIZE) -> bytes:
    """`size` zero bytes as one gzip member (about 1 MB per GB)."""
    crc = 0
    zeros = b"\0" * MB
    for _ in range(size // MB):
        crc = zlib.crc32(zeros, crc)
    header = b"\x1f\x8b\x08\x00\x00\x00\x00\x00\x02\xff"
    return header + deflate_of_zeros(size) + struct.pack("<II", crc, size & 0xFFFFFFFF)


@functools.cache
def nested_gzip_bomb() -> bytes:
    """A few kilobytes that are a gigabyte once gzip is undone twice (`Content-Encoding: gzip, gzip`)."""
    return gzip.compress(gzip_of_zeros(), 9)


async def ok(_: Request) -> Response:
    return HTMLResponse("<p>fine</p>", headers=SECURE)


async def dribble(_: Request) -> Response:
    async def body() -> AsyncIterator[bytes]:
        for _ in range(600):
            yield b" "
            await asyncio.sleep(2)

    return StreamingResponse(body(), media_type="text/html", headers=SECURE)


async def loop(request: Request) -> Response:
    step = int(request.query_params.get("n", "0"))
    return RedirectResponse(f"/t/loop?n={(step + 1) % 3}", status_code=302, headers=SECURE)


async def chain(request: Request) -> Response:
    step = int(request.path_params["n"])
    if step < CHAIN_HOPS:
        return RedirectResponse(f"/t/chain/{step + 1}", status_code=302, headers=SECURE)
    return HTMLResponse("<p>end of the chain</p>", headers=SECURE)


async def metadata(_: Request) -> Response:
    return RedirectResponse("http://169.254.169.254/latest/meta-data/iam/", status_code=302, headers=SECURE)


async def private(_: Request) -> Response:
    return RedirectResponse("https://10.0.0.1/admin", status_code=302, headers=SECURE)


async def big(_: Request) -> Response:
    async def body() -> AsyncIterator[bytes]:
        chunk = b"<p>" + b"a" * (MB - 3)
        for _ in range(BIG_BODY // MB):
            yield chunk

    return StreamingResponse(body(), media_type="text/html", headers=SECURE)


def _encoded(body: bytes, encoding: str) -> Response:
    return Response(body, media_type="text/html", headers={**SECURE, "Content-Encoding": encoding})


async def gzip_bomb(_: Request) -> Response:
    return _encoded(gzip_of_zeros(), "gzip")


async def deflate_bomb(_: Request) -> Response:
    return _encoded(deflate_of_zeros(), "deflate")


async def nested_bomb(_: Request) -> Response:
    return _encoded(nested_gzip_bomb(), "gzip, gzip")


async def brotli_bomb(_: Request) -> Response:
    import brotli  # type: ignore[import-not-found]  # tests using this route skip without it

    return _encoded(brotli.compress(b"\0" * (64 * MB), quality=11), "br")


async def many_headers(_: Request) -> Response:
    response = HTMLResponse("<p>headers</p>", headers=SECURE)
    response.raw_headers.extend((f"x-{i}".encode(), b"1") for i in range(HEADER_COUNT))
    return response


async def bad_bytes(_: Request) -> Response:
    response = Response(
        b"<p>\xff\xfe\x00\x00 not \xc3\x28 utf-8 \x00</p>", media_type="text/html", headers=SECURE
    )
    response.raw_headers.append((b"x-latin", b"caf\xe9 \xff\xfe \x80"))
    return response


TRAPS = {
    "dribble": "/t/dribble",
    "loop": "/t/loop",
    "chain": "/t/chain/0",
    "metadata": "/t/metadata",
    "private": "/t/private",
    "big": "/t/big",
    "gzip-bomb": "/t/gzip-bomb",
    "deflate-bomb": "/t/deflate-bomb",
    "nested-bomb": "/t/nested-bomb",
    "brotli-bomb": "/t/brotli-bomb",
    "headers": "/t/headers",
    "bad-bytes": "/t/bad-bytes",
    "ok": "/ok",
}


def trap_app(base: str) -> Starlette:
    """Every trap behind its own descriptor, next to a page that behaves."""

    async def descriptor(request: Request) -> Response:
        trap = request.path_params["trap"]
        return descriptor_response(f"trap-{trap}", base, sorted({"/ok", TRAPS[trap]}))

    async def many(_: Request) -> Response:
        return descriptor_response("trap-many", base, [f"/p/{i}" for i in range(MANY_ENDPOINTS)])

    return Starlette(
        routes=[
            Route("/d/many.json", many),
            Route("/d/{trap}.json", descriptor),
            Route("/p/{n}", ok),
            Route("/ok", ok),
            Route("/t/dribble", dribble),
            Route("/t/loop", loop),
            Route("/t/chain/{n}", chain),
            Route("/t/metadata", metadata),
            Route("/t/private", private),
            Route("/t/big", big),
            Route("/t/gzip-bomb", gzip_bomb),
            Route("/t/deflate-bomb", deflate_bomb),
            Route("/t/nested-bomb", nested_bomb),
            Route("/t/brotli-bomb", brotli_bomb),
            Route("/t/headers", many_headers),
            Route("/t/bad-bytes", bad_bytes),
        ]
    )
