"""A loopback server shaped like S3, Google Cloud Storage, Azure Blob and Firebase Realtime Database.

Unlike moto's server mode (which either authenticates nothing, so a private bucket lists anonymously, or
crashes on unsigned requests), it answers anonymous requests per bucket permission and any request with
an `Authorization` header as its owner, so "private" really means "refused to the anonymous".
"""

from __future__ import annotations

import contextlib
import json
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import parse_qs, unquote, urlsplit
from xml.sax.saxutils import escape

import httpx

from connectsec.model import HttpExchange, HttpRequestSpec, HttpResponse
from connectsec.storage.probe import Fetch

LIST, READ, WRITE = "list", "read", "write"
PRIVATE: frozenset[str] = frozenset()
PUBLIC_READ = frozenset({READ})
PUBLIC_LIST = frozenset({LIST, READ})
PUBLIC_WRITE = frozenset({WRITE})
_S3_NS = "http://s3.amazonaws.com/doc/2006-03-01/"


@dataclass(frozen=True)
class Answer:
    status: int
    content_type: str
    body: bytes
    headers: tuple[tuple[str, str], ...] = ()


@dataclass
class Bucket:
    """A bucket, container or database: what anonymous callers may do, and its objects (key → type, body)."""

    anonymous: frozenset[str] = PRIVATE
    objects: dict[str, tuple[str, bytes]] = field(default_factory=dict)
    region: str | None = None
    """S3: path-style requests to another region's endpoint get a PermanentRedirect."""
    undeletable: bool = False
    """Anonymous writes succeed but anonymous deletes are refused."""


@dataclass
class Cloud:
    """Every storage service's buckets; hosts not named here are answered 421."""

    s3: dict[str, Bucket] = field(default_factory=dict)
    gcs: dict[str, Bucket] = field(default_factory=dict)
    azure: dict[str, Bucket] = field(default_factory=dict)
    """`account/container` → container."""
    firebase: dict[str, Bucket] = field(default_factory=dict)
    """Database name → database; objects are data paths (`users/1`) with JSON bodies."""
    s3_like: dict[str, str] = field(default_factory=dict)
    """A custom host (CDN, S3-compatible service) → the S3 bucket it serves."""
    raw: dict[str, Answer] = field(default_factory=dict)
    """Hosts that answer every request with a fixed answer."""
    slow_hosts: frozenset[str] = frozenset()
    """Hosts that take 3 s before answering."""
    requests: list[tuple[str, str, str, bool]] = field(default_factory=list)
    """(method, host, path?query, authenticated) of every request."""


def _xml(status: int, root: str) -> Answer:
    return Answer(status, "application/xml", f'<?xml version="1.0" encoding="UTF-8"?>\n{root}'.encode())


def _s3_error(status: int, code: str, extra: str = "") -> Answer:
    return _xml(
        status, f"<Error><Code>{code}</Code><Message>{code}</Message>{extra}<RequestId>R1</RequestId></Error>"
    )


def _json(status: int, value: object) -> Answer:
    return Answer(status, "application/json; charset=utf-8", json.dumps(value).encode())


class _Request:
    def __init__(self, method: str, host: str, target: str, headers: dict[str, str], body: bytes) -> None:
        parts = urlsplit(target)
        self.method, self.host, self.body, self.headers = method, host, body, headers
        self.authenticated = "authorization" in headers
        self.path = parts.path
        self.query = parse_qs(parts.query, keep_blank_values=True)

    def may(self, bucket: Bucket, action: str) -> bool:
        return self.authenticated or action in bucket.anonymous


def _object_access(
    request: _Request, bucket: Bucket, key: str, denied: Answer, missing: Answer, created: int = 200
) -> Answer:
    if request.method in {"PUT", "DELETE"}:
        if not request.may(bucket, WRITE) or (request.method == "DELETE" and bucket.undeletable):
            return denied
        if request.method == "PUT":
            bucket.objects[key] = ("text/plain", request.body)
            return Answer(created, "text/plain", b"")
        bucket.objects.pop(key, None)
        return Answer(204, "text/plain", b"")
    if not request.may(bucket, READ):
        return denied
    if key not in bucket.objects:
        return missing
    content_type, body = bucket.objects[key]
    return Answer(200, content_type, body)


def _s3(cloud: Cloud, request: _Request, bucket_name: str, key: str, endpoint_region: str | None) -> Answer:
    bucket = cloud.s3.get(bucket_name)
    if bucket is None:
        return _s3_error(404, "NoSuchBucket", f"<BucketName>{escape(bucket_name)}</BucketName>")
    if bucket.region is not None and endpoint_region != bucket.region:
        endpoint = f"<Endpoint>{bucket_name}.s3.{bucket.region}.amazonaws.com</Endpoint>"
        answer = _s3_error(301, "PermanentRedirect", endpoint)
        return Answer(301, answer.content_type, answer.body, (("x-amz-bucket-region", bucket.region),))
    if not key and request.method == "GET":
        if not request.may(bucket, LIST):
            return _s3_error(403, "AccessDenied")
        keys = "".join(f"<Contents><Key>{escape(k)}</Key></Contents>" for k in sorted(bucket.objects))
        return _xml(
            200,
            f'<ListBucketResult xmlns="{_S3_NS}"><Name>{bucket_name}</Name><KeyCount>{len(bucket.objects)}'
            f"</KeyCount>{keys}</ListBucketResult>",
        )
    denied = _s3_error(403, "AccessDenied")
    missing = _s3_error(404, "NoSuchKey") if request.may(bucket, LIST) else denied  # as S3 does
    return _object_access(request, bucket, key, denied, missing)


def _s3_route(cloud: Cloud, request: _Request) -> Answer | None:
    host, path = request.host, unquote(request.path)
    if host in cloud.s3_like:
        return _s3(cloud, request, cloud.s3_like[host], path.lstrip("/"), None)
    if not host.endswith(".amazonaws.com"):
        return None
    labels = host.removesuffix(".amazonaws.com").split(".")
    at = next(i for i, label in enumerate(labels) if label == "s3" or label.startswith("s3-"))
    region = labels[at + 1] if at + 1 < len(labels) else None
    if at == 0:
        bucket, _, key = path.lstrip("/").partition("/")
        return _s3(cloud, request, bucket, key, region)
    return _s3(cloud, request, ".".join(labels[:at]), path.lstrip("/"), region)


def _gcs(cloud: Cloud, request: _Request) -> Answer | None:
    if request.host != "storage.googleapis.com":
        return None
    path = unquote(request.path)
    if path.startswith("/storage/v1/b/"):
        name = path.removeprefix("/storage/v1/b/").split("/", 1)[0]
        bucket = cloud.gcs.get(name)
        if bucket is None:
            return _json(404, {"error": {"code": 404, "message": "The specified bucket does not exist."}})
        if not request.may(bucket, LIST):
            message = "Anonymous caller does not have storage.objects.list access to the bucket."
            return _json(401, {"error": {"code": 401, "message": message}})
        items = [{"kind": "storage#object", "name": k, "bucket": name} for k in sorted(bucket.objects)]
        return _json(200, {"kind": "storage#objects", "items": items})
    name, _, key = path.lstrip("/").partition("/")
    bucket = cloud.gcs.get(name)
    if bucket is None:
        return _s3_error(404, "NoSuchBucket")
    denied = _xml(
        403,
        "<Error><Code>AccessDenied</Code><Message>Anonymous caller does not have access</Message></Error>",
    )
    return _object_access(request, bucket, key, denied, _xml(404, "<Error><Code>NoSuchKey</Code></Error>"))


def _azure_error(status: int, code: str) -> Answer:
    return _xml(status, f"<Error><Code>{code}</Code><Message>{code}</Message></Error>")


def _azure(cloud: Cloud, request: _Request) -> Answer | None:
    if not request.host.endswith(".blob.core.windows.net"):
        return None
    account = request.host.removesuffix(".blob.core.windows.net")
    container, _, blob = unquote(request.path).lstrip("/").partition("/")
    bucket = cloud.azure.get(f"{account}/{container}")
    not_found = _azure_error(404, "ResourceNotFound")  # anonymous: private and missing look alike
    if bucket is None:
        return _azure_error(404, "ContainerNotFound") if request.authenticated else not_found
    if request.query.get("comp") == ["list"] and request.query.get("restype") == ["container"]:
        if not request.may(bucket, LIST):
            return not_found
        blobs = "".join(f"<Blob><Name>{escape(k)}</Name></Blob>" for k in sorted(bucket.objects))
        return _xml(
            200,
            f'<EnumerationResults ContainerName="{container}"><Blobs>{blobs}</Blobs></EnumerationResults>',
        )
    if request.method == "PUT" and "x-ms-blob-type" not in request.headers:
        return _azure_error(400, "MissingRequiredHeader")
    return _object_access(request, bucket, blob, not_found, _azure_error(404, "BlobNotFound"), created=201)


def _firebase(cloud: Cloud, request: _Request) -> Answer | None:
    host = request.host
    if not host.endswith((".firebaseio.com", ".firebasedatabase.app")):
        return None
    database = cloud.firebase.get(host.split(".", 1)[0])
    if database is None:
        message = "Firebase error. Please ensure that you spelled the name of your Firebase correctly"
        return _json(404, {"error": message})
    denied = _json(401, {"error": "Permission denied"})
    path = unquote(request.path).removesuffix(".json").strip("/")
    if not path and request.method == "GET":
        if not request.may(database, READ):
            return denied
        if not database.objects:
            return _json(200, None)
        return _json(200, dict.fromkeys({k.split("/", 1)[0] for k in database.objects}, True))
    answer = _object_access(request, database, path, denied, _json(200, None))
    return (
        Answer(200, "application/json", b"null")
        if request.method == "DELETE" and answer.status < 300
        else answer
    )


def answer(cloud: Cloud, request: _Request) -> Answer:
    """The storage service's answer to one request."""
    if request.host in cloud.raw:
        return cloud.raw[request.host]
    for route in (_s3_route, _gcs, _azure, _firebase):
        found = route(cloud, request)
        if found is not None:
            return found
    return Answer(421, "text/plain", b"misdirected")


@contextmanager
def cloud_server(cloud: Cloud) -> Iterator[int]:
    """Serve `cloud` on 127.0.0.1; yields the port."""

    class Handler(BaseHTTPRequestHandler):
        def _handle(self) -> None:
            host = (self.headers.get("host") or "").split(":")[0].lower()
            length = int(self.headers.get("content-length") or 0)
            body = self.rfile.read(length) if length else b""
            headers = {k.lower(): v for k, v in self.headers.items()}
            request = _Request(self.command, host, self.path, headers, body)
            cloud.requests.append((self.command, host, self.path, request.authenticated))
            if host in cloud.slow_hosts:
                time.sleep(3)
            result = answer(cloud, request)
            self.send_response(result.status)
            self.send_header("content-type", result.content_type)
            for name, value in result.headers:
                self.send_header(name, value)
            self.send_header("content-length", str(len(result.body)))
            self.end_headers()
            with contextlib.suppress(OSError):  # a client that timed out has gone
                self.wfile.write(result.body)

        do_GET = do_PUT = do_DELETE = _handle

        def log_message(self, format: str, *args: object) -> None:
            return

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    server.daemon_threads = True
    thread = threading.Thread(target=server.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True)
    thread.start()
    try:
        yield server.server_address[1]
    finally:
        server.shutdown()
        server.server_close()


def loopback_fetch(port: int, timeout: float = 5.0) -> Fetch:
    """A Fetch sending every request (http or https) as plain http to 127.0.0.1:port with the URL's Host."""

    async def fetch(spec: HttpRequestSpec) -> HttpExchange:
        parts = urlsplit(spec.url)
        target = parts.path + (f"?{parts.query}" if parts.query else "")
        headers = {**dict(spec.headers), "host": parts.hostname or ""}
        try:
            async with httpx.AsyncClient(timeout=timeout) as client:
                got = await client.request(
                    spec.method, f"http://127.0.0.1:{port}{target}", headers=headers, content=spec.body
                )
        except httpx.HTTPError as exc:
            return HttpExchange(spec, error=f"{type(exc).__name__}: {exc}")
        hop = HttpResponse(
            url=spec.url,
            status=got.status_code,
            http_version=got.http_version,
            headers=tuple((k.lower(), v) for k, v in got.headers.multi_items()),
            body=got.content,
        )
        return HttpExchange(spec, hops=(hop,))

    return fetch
