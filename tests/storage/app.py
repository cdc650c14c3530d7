"""A loopback Connect app whose descriptor, page and script reference storage."""

from __future__ import annotations

import json
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer


def _descriptor(base: str, descriptor_bucket: str) -> bytes:
    return json.dumps(
        {
            "key": "storage-app",
            "baseUrl": base,
            "authentication": {"type": "jwt"},
            "links": {"self": f"{base}/atlassian-connect.json", "documentation": descriptor_bucket},
            "modules": {"generalPages": [{"key": "home", "url": "/home", "name": {"value": "Home"}}]},
        }
    ).encode()


@contextmanager
def storage_app(descriptor_bucket: str, page_html: str, script_js: str) -> Iterator[str]:
    """Serve the app on 127.0.0.1 (plain http); yields the descriptor URL."""

    class Handler(BaseHTTPRequestHandler):
        def do_GET(self) -> None:
            base = f"http://127.0.0.1:{port}"
            path = self.path.split("?", 1)[0]
            routes = {
                "/atlassian-connect.json": ("application/json", _descriptor(base, descriptor_bucket)),
                "/home": ("text/html; charset=utf-8", page_html.encode()),
                "/static/app.js": ("application/javascript", script_js.encode()),
            }
            content_type, body = routes.get(path, ("text/plain", b"not found"))
            self.send_response(200 if path in routes else 404)
            self.send_header("content-type", content_type)
            self.send_header("content-length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)

        def log_message(self, format: str, *args: object) -> None:
            return

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    port = server.server_address[1]
    thread = threading.Thread(target=server.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{port}/atlassian-connect.json"
    finally:
        server.shutdown()
        server.server_close()
