"""Bounded GETs to RDAP servers: one deadline per request, capped bodies, redirects followed by hand."""

from __future__ import annotations

import asyncio
import ipaddress
import ssl
from dataclasses import dataclass
from urllib.parse import urljoin, urlsplit

import certifi
import httpx

MAX_REDIRECTS = 5
USER_AGENT = "connectsec (RDAP registration check)"


class RdapFetchError(Exception):
    """No usable answer; the message says why in one line."""


@dataclass(frozen=True)
class RdapResponse:
    """The final answer of a GET."""

    url: str
    status: int
    body: bytes


def make_client(timeout: float, ca_bundle: str | None) -> httpx.AsyncClient:
    """A client trusting certifi (plus `ca_bundle`), ignoring proxy variables, never following redirects."""
    context = ssl.create_default_context(cafile=certifi.where())
    if ca_bundle:
        try:
            context.load_verify_locations(cafile=ca_bundle)
        except (OSError, ssl.SSLError) as exc:
            raise RdapFetchError(f"--ca-bundle {ca_bundle} unusable for RDAP: {exc}") from None
    return httpx.AsyncClient(
        verify=context,
        timeout=httpx.Timeout(timeout),
        follow_redirects=False,
        trust_env=False,
        headers={"accept": "application/rdap+json, application/json", "user-agent": USER_AGENT},
    )


def is_loopback_http(url: str) -> bool:
    """Whether the URL is plain http to a loopback address (allowed for local test servers only)."""
    try:
        parts = urlsplit(url)
        return parts.scheme == "http" and ipaddress.ip_address(parts.hostname or "").is_loopback
    except ValueError:
        return False


def allowed(url: str, loopback_http: bool) -> bool:
    """https, or loopback http when the lookup started there."""
    try:
        scheme = urlsplit(url).scheme.lower()
    except ValueError:
        return False
    return scheme == "https" or (loopback_http and is_loopback_http(url))


async def get(client: httpx.AsyncClient, url: str, *, timeout: float, max_bytes: int) -> RdapResponse:
    """GET `url`, following up to MAX_REDIRECTS redirects that stay on https; all within `timeout`."""
    loopback_http = is_loopback_http(url)
    if not allowed(url, loopback_http):
        raise RdapFetchError(f"refusing {url}: RDAP is queried over https only")
    try:
        async with asyncio.timeout(timeout):
            for _ in range(MAX_REDIRECTS + 1):
                response, location = await _get_once(client, url, max_bytes)
                if response.status not in (301, 302, 303, 307, 308) or not location:
                    return response
                target = urljoin(url, location)
                if not allowed(target, loopback_http):
                    raise RdapFetchError(f"{url} redirects to {target}, which is not https")
                url = target
    except TimeoutError:
        raise RdapFetchError(f"no answer from {url} within {timeout:g} s") from None
    except httpx.HTTPError as exc:
        raise RdapFetchError(f"{url}: {_describe(exc)}") from None
    raise RdapFetchError(f"more than {MAX_REDIRECTS} redirects from {url}")


async def _get_once(client: httpx.AsyncClient, url: str, max_bytes: int) -> tuple[RdapResponse, str | None]:
    async with client.stream("GET", url) as response:
        chunks: list[bytes] = []
        size = 0
        async for chunk in response.aiter_bytes():
            size += len(chunk)
            if size > max_bytes:
                raise RdapFetchError(f"{url}: answer larger than {max_bytes // 1024} KB")
            chunks.append(chunk)
        body = b"".join(chunks)
        return RdapResponse(url, response.status_code, body), response.headers.get("location")


def _describe(exc: httpx.HTTPError) -> str:
    if isinstance(exc, httpx.ConnectError):
        return f"cannot connect ({exc})" if str(exc) else "cannot connect"
    return f"{type(exc).__name__}: {exc}" if str(exc) else type(exc).__name__
