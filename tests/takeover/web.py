"""Loopback HTTP servers playing a hosting service, and a Fetch that maps any URL to them."""

from __future__ import annotations

import threading
from collections.abc import Iterator
from contextlib import contextmanager
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import urlsplit

import httpx

from connectsec.model import Endpoint, EndpointKind, HttpExchange, HttpRequestSpec, HttpResponse
from connectsec.takeover.confirm import Fetch


@contextmanager
def page_server(pages: dict[str, tuple[int, bytes]]) -> Iterator[int]:
    """Answer each Host (without port) with its (status, body); unknown hosts get 421. Yields the port."""

    class Handler(BaseHTTPRequestHandler):
        def do_GET(self) -> None:
            host = (self.headers.get("host") or "").split(":")[0].lower()
            status, body = pages.get(host, (421, b"misdirected"))
            self.send_response(status)
            self.send_header("content-type", "text/html; charset=utf-8")
            self.send_header("content-length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)

        def log_message(self, format: str, *args: object) -> None:
            return

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    thread = threading.Thread(target=server.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True)
    thread.start()
    try:
        yield server.server_address[1]
    finally:
        server.shutdown()
        server.server_close()


def loopback_fetch(port: int, addresses_seen: list[str] | None = None) -> Fetch:
    """A Fetch sending every URL (http or https) as plain http to 127.0.0.1:port with the URL's Host."""

    async def fetch(url: str, address: str) -> HttpExchange:
        if addresses_seen is not None:
            addresses_seen.append(address)
        host = urlsplit(url).hostname or ""
        spec = HttpRequestSpec("GET", url, Endpoint(url, EndpointKind.EXTRA), purpose="R4:fingerprint")
        try:
            async with httpx.AsyncClient(timeout=5.0) as client:
                answer = await client.get(f"http://127.0.0.1:{port}/", headers={"host": host})
        except httpx.HTTPError as exc:
            return HttpExchange(spec, error=f"{type(exc).__name__}: {exc}")
        hop = HttpResponse(
            url=url,
            status=answer.status_code,
            http_version=answer.http_version,
            headers=tuple((k.lower(), v) for k, v in answer.headers.items()),
            body=answer.content,
        )
        return HttpExchange(spec, hops=(hop,))

    return fetch
