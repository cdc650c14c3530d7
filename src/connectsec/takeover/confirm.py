"""HTTP confirmation: does the service show its "unclaimed" page for the name?"""

from __future__ import annotations

import asyncio
import re
from collections.abc import Awaitable, Callable, Sequence
from dataclasses import replace
from urllib.parse import urlsplit

from connectsec.model import HttpExchange
from connectsec.model.dns import ChainEnd, HostResolution, WebCheck
from connectsec.takeover.services import NOT_VULNERABLE, Service, ServiceTable, classify, service_named

Fetch = Callable[[str, str], Awaitable[HttpExchange]]
"""(url, IP address to connect to) -> the exchange; sends the URL's Host and SNI, bounded body."""

_EXCERPT = 160


def _address(resolution: HostResolution) -> str | None:
    ipv4 = [a for a in resolution.addresses if ":" not in a]
    ordered = ipv4 or list(resolution.addresses)
    return ordered[0] if ordered else None


def _wanted(resolution: HostResolution, service: Service | None) -> bool:
    return (
        service is not None
        and service.status != NOT_VULNERABLE
        and resolution.end is ChainEnd.RESOLVES
        and bool(resolution.addresses)
        and bool(service.fingerprints or service.http_status)
    )


async def confirm(
    resolutions: Sequence[HostResolution], table: ServiceTable, fetch: Fetch
) -> tuple[HostResolution, ...]:
    """Classify, then fetch http:// and https:// of every name that ends at a claimable-looking service."""
    classified = classify(resolutions, table)

    async def one(resolution: HostResolution) -> HostResolution:
        service = service_named(table, resolution.service)
        address = _address(resolution)
        if service is None or address is None or not _wanted(resolution, service):
            return resolution
        urls = (f"http://{resolution.name}/", f"https://{resolution.name}/")
        checks = await asyncio.gather(*(_check(url, address, service, fetch) for url in urls))
        return replace(resolution, web=tuple(checks))

    return tuple(await asyncio.gather(*(one(r) for r in classified)))


async def _check(url: str, address: str, service: Service, fetch: Fetch) -> WebCheck:
    try:
        exchange = await fetch(url, address)
    except Exception as exc:  # the engine's fetch should not raise; one URL must not sink the rest
        return WebCheck(url, address, error=f"{type(exc).__name__}: {exc}"[:200])
    host = urlsplit(url).hostname or ""
    status: int | None = None
    first_text = ""
    for hop in exchange.hops:
        if (urlsplit(hop.url).hostname or "").lower() != host:
            continue
        status = hop.status
        text = hop.body.decode("utf-8", "replace")
        first_text = first_text or text
        found = service.body_match(text)
        if found is not None:
            return WebCheck(url, address, status, fingerprint=found, excerpt=_excerpt(text, found))
        if service.http_status is not None and hop.status == service.http_status and not service.fingerprints:
            seen = f"HTTP {hop.status}"
            return WebCheck(url, address, status, fingerprint=seen, excerpt=_excerpt(text, ""))
    if status is None:
        return WebCheck(url, address, error=exchange.error or "no response from the name's host")
    return WebCheck(url, address, status, excerpt=_excerpt(first_text, ""))


def _excerpt(text: str, fingerprint: str) -> str:
    flat = re.sub(r"\s+", " ", text).strip()
    head = fingerprint.split(".*", 1)[0]
    at = flat.find(head) if head else 0
    start = max(at - _EXCERPT // 2, 0) if at >= 0 else 0
    return flat[start : start + _EXCERPT]
