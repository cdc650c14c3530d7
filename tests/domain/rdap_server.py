"""A local RDAP server (RFC 9083 JSON, application/rdap+json) with a bootstrap dns.json, for tests."""

from __future__ import annotations

import asyncio
import socket
import threading
import time
from collections import Counter
from collections.abc import AsyncIterator, Iterator
from contextlib import contextmanager
from datetime import UTC, datetime, timedelta
from typing import Any

import uvicorn
from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import JSONResponse, RedirectResponse, Response, StreamingResponse
from starlette.routing import Route

RDAP = "application/rdap+json"
NOW = datetime.now(UTC).replace(microsecond=0)
DAY = timedelta(days=1)


def _date(delta: timedelta) -> str:
    return (NOW + delta).strftime("%Y-%m-%dT%H:%M:%SZ")


def _domain(name: str, *, expires: timedelta | None, status: tuple[str, ...] = ("active",)) -> dict[str, Any]:
    events = [{"eventAction": "registration", "eventDate": _date(-900 * DAY)}]
    if expires is not None:
        events.append({"eventAction": "expiration", "eventDate": _date(expires)})
    events.append({"eventAction": "last update of RDAP database", "eventDate": _date(timedelta())})
    return {
        "objectClassName": "domain",
        "rdapConformance": ["rdap_level_0"],
        "ldhName": name.upper(),
        "status": list(status),
        "events": events,
        "entities": [
            {
                "objectClassName": "entity",
                "roles": ["registrar"],
                "handle": "9999",
                "vcardArray": [
                    "vcard",
                    [["version", {}, "text", "4.0"], ["fn", {}, "text", "Test Registrar"]],
                ],
            }
        ],
    }


DOMAINS: dict[str, dict[str, Any]] = {
    "registered.com": _domain("registered.com", expires=400 * DAY, status=("client transfer prohibited",)),
    "expiring.com": _domain("expiring.com", expires=10 * DAY),
    "expired.com": _domain("expired.com", expires=-5 * DAY),
    "pending.com": _domain("pending.com", expires=-40 * DAY, status=("pending delete", "server hold")),
    "redemption.com": _domain("redemption.com", expires=-35 * DAY, status=("redemption period",)),
    "hold.com": _domain("hold.com", expires=200 * DAY, status=("client hold",)),
    "noexpiry.com": _domain("noexpiry.com", expires=None),
}
"""Domain name → RDAP domain object. Anything else under .com/.net answers 404."""


class RdapServer:
    """Serves /domain/<name>, /dns.json (bootstrap naming itself for com and net) and hostile answers."""

    def __init__(self) -> None:
        self.hits: Counter[str] = Counter()
        self.base_url = ""

    def app(self) -> Starlette:
        return Starlette(routes=[Route("/dns.json", self._bootstrap), Route("/domain/{name}", self._domain)])

    async def _bootstrap(self, request: Request) -> Response:
        self.hits["dns.json"] += 1
        document = {
            "version": "1.0",
            "publication": _date(timedelta()),
            "services": [[["com", "net"], [self.base_url + "/"]], [["org"], ["ftp://nowhere.invalid/"]]],
        }
        return JSONResponse(document)

    async def _domain(self, request: Request) -> Response:
        name = request.path_params["name"].lower()
        self.hits[name] += 1
        if name in DOMAINS:
            return JSONResponse(DOMAINS[name], media_type=RDAP)
        if name == "slow.com":
            await asyncio.sleep(30)
        if name == "huge.com":
            return Response(
                b'{"objectClassName": "domain", "x": "' + b"a" * 3_000_000 + b'"}', media_type=RDAP
            )
        if name == "dribble.com":
            return StreamingResponse(_dribble(), media_type=RDAP)
        if name == "garbage.com":
            return Response(b"<html>not rdap</html>", media_type="text/html")
        if name == "ratelimited.com":
            return JSONResponse({"errorCode": 429}, status_code=429, media_type=RDAP)
        if name == "insecure-redirect.com":
            return RedirectResponse("http://203.0.113.9/domain/insecure-redirect.com", status_code=302)
        if name == "loop.com":
            return RedirectResponse(f"{self.base_url}/domain/loop.com", status_code=302)
        if name == "moved.com":
            return RedirectResponse(f"{self.base_url}/domain/registered.com", status_code=301)
        return JSONResponse({"errorCode": 404, "title": "Not Found"}, status_code=404, media_type=RDAP)


async def _dribble() -> AsyncIterator[bytes]:
    yield b'{"objectClassName": "domain", '
    for _ in range(200):
        await asyncio.sleep(0.1)
        yield b" "


@contextmanager
def serve_http(server: RdapServer) -> Iterator[str]:
    """Serve `server` over plain http on 127.0.0.1; yields its base URL."""
    sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    sock.bind(("127.0.0.1", 0))
    sock.listen(64)
    server.base_url = f"http://127.0.0.1:{sock.getsockname()[1]}"
    config = uvicorn.Config(
        server.app(),
        log_level="warning",
        log_config=None,
        access_log=False,
        lifespan="off",
        timeout_graceful_shutdown=1,
    )
    uv = uvicorn.Server(config)
    thread = threading.Thread(target=lambda: asyncio.run(uv.serve(sockets=[sock])), daemon=True)
    thread.start()
    deadline = time.monotonic() + 10
    while not uv.started:
        if time.monotonic() > deadline or not thread.is_alive():
            raise RuntimeError("the RDAP test server did not start")
        time.sleep(0.01)
    try:
        yield server.base_url
    finally:
        uv.should_exit = True
        thread.join(10)
        sock.close()


def closed_port() -> int:
    """A loopback port nothing listens on."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])
