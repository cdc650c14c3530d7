"""Anonymous probes of referenced storage: list, read referenced objects, and (opt-in) write then delete."""

from __future__ import annotations

import asyncio
import json
import secrets
from collections.abc import Awaitable, Callable, Sequence
from dataclasses import dataclass, replace
from urllib.parse import quote, urlsplit

from connectsec.model import Endpoint, EndpointKind, HttpExchange, HttpRequestSpec
from connectsec.model.storage import Access, Provider, StorageProbe, StorageRef, StorageRequest
from connectsec.storage.answers import classify, redirect_endpoint

Fetch = Callable[[HttpRequestSpec], Awaitable[HttpExchange]]
"""The engine's HttpProbe.exchange with its connection policy already opened to `storage_hosts`."""

MAX_READS = 3
LIST_PAGE = 20
CONCURRENT_LOCATIONS = 8
WRITE_BODY = b"connectsec anonymous write probe: this object proves anonymous write access; delete it.\n"
_AZURE_VERSION = "2021-08-06"


@dataclass(frozen=True)
class _Target:
    """Where one location's requests go (S3 may move to the region a redirect names)."""

    ref: StorageRef
    endpoint: str


def storage_hosts(refs: Sequence[StorageRef]) -> tuple[tuple[str, int], ...]:
    """(host, port) of every request `probe_storage` sends first, in order; S3 region redirects may
    add `s3.<region>.amazonaws.com` or `<bucket>.s3.<region>.amazonaws.com`."""
    hosts: dict[tuple[str, int], None] = {}
    for ref in refs:
        for url in (ref.endpoint, list_url(ref.endpoint, ref)):
            parts = urlsplit(url)
            port = parts.port or (443 if parts.scheme == "https" else 80)
            hosts[((parts.hostname or "").lower(), port)] = None
    return tuple(hosts)


def list_url(endpoint: str, ref: StorageRef) -> str:
    """The anonymous listing request of a location."""
    if ref.provider is Provider.GCS:
        bucket = quote(ref.bucket, safe="")
        return f"https://storage.googleapis.com/storage/v1/b/{bucket}/o?maxResults={LIST_PAGE}"
    if ref.provider is Provider.AZURE:
        return f"{endpoint.rstrip('/')}?restype=container&comp=list&maxresults={LIST_PAGE}"
    if ref.provider is Provider.FIREBASE:
        return f"{endpoint}.json?shallow=true"
    return f"{endpoint}?list-type=2&max-keys={LIST_PAGE}"


def object_url(endpoint: str, ref: StorageRef, key: str) -> str:
    """The URL of one object (Firebase: of one data path)."""
    key = key.lstrip("/")
    return f"{endpoint}{key}.json" if ref.provider is Provider.FIREBASE else f"{endpoint}{key}"


def _spec(
    ref: StorageRef,
    action: str,
    method: str,
    url: str,
    headers: tuple[tuple[str, str], ...] = (),
    body: bytes | None = None,
) -> HttpRequestSpec:
    endpoint = Endpoint(url=url, kind=EndpointKind.EXTRA, method=method, source=f"storage {ref.location}")
    return HttpRequestSpec(method, url, endpoint, headers=headers, body=body, purpose=f"R6:{action}")


async def _send(fetch: Fetch, ref: StorageRef, spec: HttpRequestSpec, action: str) -> StorageRequest:
    try:
        exchange = await fetch(spec)
    except Exception as exc:  # the engine's fetch should not raise; one location must not sink the rest
        exchange = HttpExchange(spec, error=f"{type(exc).__name__}: {exc}"[:200])
    return classify(ref.provider, action, exchange)


def _moved(target: _Target, listing: StorageRequest, new_host: str | None) -> _Target | None:
    """The regional endpoint an S3 PermanentRedirect names, for one retry."""
    if new_host is None or target.ref.provider is not Provider.S3 or not new_host.endswith(".amazonaws.com"):
        return None
    if listing.code not in {"PermanentRedirect", "TemporaryRedirect", None}:
        return None
    bucket = target.ref.bucket
    if new_host.startswith(f"{bucket}."):
        endpoint = f"https://{new_host}/" if "." not in bucket else None
    else:
        endpoint = f"https://{new_host}/{bucket}/"
    if endpoint is None or endpoint == target.endpoint:
        return None
    return replace(target, endpoint=endpoint)


async def _list(fetch: Fetch, target: _Target) -> tuple[_Target, list[StorageRequest]]:
    ref = target.ref
    spec = _spec(ref, "list", "GET", list_url(target.endpoint, ref))
    try:
        exchange = await fetch(spec)
    except Exception as exc:  # see _send
        exchange = HttpExchange(spec, error=f"{type(exc).__name__}: {exc}"[:200])
    listing = classify(ref.provider, "list", exchange)
    final = exchange.final
    if listing.access is Access.UNRECOGNISED and final is not None and final.status in (301, 307):
        moved = _moved(target, listing, redirect_endpoint(final))
        if moved is not None:
            retry = await _send(fetch, ref, _spec(ref, "list", "GET", list_url(moved.endpoint, ref)), "list")
            return moved, [listing, retry]
    return target, [listing]


def _read_keys(ref: StorageRef, listing: StorageRequest) -> list[str]:
    keys = list(ref.keys[:MAX_READS])
    if (
        not keys
        and listing.access is Access.ALLOWED
        and listing.items
        and ref.provider is not Provider.FIREBASE
    ):
        keys.append(quote(listing.items[0], safe="/"))
    return keys


async def _write(fetch: Fetch, target: _Target) -> list[StorageRequest]:
    ref = target.ref
    name = f"connectsec-write-probe-{secrets.token_hex(8)}"
    headers: tuple[tuple[str, str], ...] = (("content-type", "text/plain"),)
    body = WRITE_BODY
    if ref.provider is Provider.AZURE:
        headers += (("x-ms-blob-type", "BlockBlob"), ("x-ms-version", _AZURE_VERSION))
    if ref.provider is Provider.FIREBASE:
        headers, body = (("content-type", "application/json"),), json.dumps(WRITE_BODY.decode()).encode()
    else:
        name += ".txt"
    url = object_url(target.endpoint, ref, name)
    written = await _send(fetch, ref, _spec(ref, "write", "PUT", url, headers, body), "write")
    if written.access is not Access.ALLOWED:
        return [written]
    version = (("x-ms-version", _AZURE_VERSION),) if ref.provider is Provider.AZURE else ()
    deleted = await _send(fetch, ref, _spec(ref, "delete", "DELETE", url, version), "delete")
    return [written, deleted]


async def _probe(fetch: Fetch, ref: StorageRef, allow_write: bool) -> StorageProbe:
    target, requests = await _list(fetch, _Target(ref, ref.endpoint))
    listing = requests[-1]
    for key in _read_keys(ref, listing):
        url = object_url(target.endpoint, ref, key)
        requests.append(await _send(fetch, ref, _spec(ref, "read", "GET", url), "read"))
    write = allow_write and listing.access is not Access.MISSING
    if write:
        requests.extend(await _write(fetch, target))
    error = None
    if listing.access in (Access.ERROR, Access.UNRECOGNISED):
        error = f"anonymous listing could not be judged: {listing.error or listing.detail}"
    return StorageProbe(
        location=ref.location,
        error=error,
        provider=ref.provider,
        bucket=ref.bucket,
        endpoint=target.endpoint,
        sources=ref.sources,
        references=ref.references,
        tenant_only=ref.tenant_only,
        requests=tuple(requests),
        write_probed=write,
    )


async def probe_storage(
    refs: Sequence[StorageRef], fetch: Fetch, *, allow_write: bool = False
) -> tuple[StorageProbe, ...]:
    """Probe every referenced location anonymously: list, read referenced objects, and only with
    `allow_write` write a random object and delete it again. Never raises for a location's failure."""
    slots = asyncio.Semaphore(CONCURRENT_LOCATIONS)

    async def one(ref: StorageRef) -> StorageProbe:
        async with slots:
            return await _probe(fetch, ref, allow_write)

    return tuple(await asyncio.gather(*(one(ref) for ref in refs)))
