"""The HTTP probe: bounded requests, redirect chains under the connection policy, evidence kept."""

from __future__ import annotations

import asyncio
import logging
import ssl
import time
from collections import defaultdict
from collections.abc import Callable
from dataclasses import dataclass, field
from types import TracebackType
from urllib.parse import urljoin, urlsplit

import httpx

from connectsec import __version__
from connectsec.model import AuthMode, HttpExchange, HttpRequestSpec, HttpResponse
from connectsec.probes.decoding import ACCEPT_ENCODING, BodyDecodingError, BoundedDecoder
from connectsec.probes.netpolicy import ConnectionPolicy, PolicyViolation
from connectsec.probes.transport import FIRST_BYTES, PolicyTransport, ResolveMap
from connectsec.probes.trust import TrustContexts
from connectsec.redact import Redactor

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class HttpSettings:
    """Limits of every HTTP request a scan sends."""

    timeout: float = 10.0
    """Seconds for one request, connect to last body byte."""
    max_body: int = 2_000_000
    concurrency: int = 16
    per_host: int = 8
    max_redirects: int = 5
    http2: bool = True
    insecure: bool = False
    """Send credentials even to hosts whose certificate did not verify (lab use only)."""
    attack_rate: float | None = 100.0
    """Attack requests per second and host (None: no pacing beyond the concurrency limits)."""
    proxy: str | None = None
    resolve: ResolveMap = field(default_factory=dict)
    user_agent: str = f"connectsec/{__version__} (+security scanner)"


@dataclass
class HttpStats:
    """Counters kept while probing."""

    requests_sent: int = 0
    responses_received: int = 0
    bytes_received: int = 0


class HttpProbe:
    """Sends requests within the scan's limits; one per exchange hop, never raises for I/O."""

    def __init__(
        self,
        settings: HttpSettings,
        trust: TrustContexts,
        policy: ConnectionPolicy,
        redactor: Redactor,
        on_exchange: Callable[[HttpExchange], None] | None = None,
    ) -> None:
        self.settings = settings
        self.policy = policy
        self.stats = HttpStats()
        self.unverified_hosts: dict[str, str] = {}
        """Hosts whose certificate did not verify, with the reason."""
        self._redactor = redactor
        self._on_exchange = on_exchange
        self._global = asyncio.Semaphore(settings.concurrency)
        self._per_host: defaultdict[str, asyncio.Semaphore] = defaultdict(
            lambda: asyncio.Semaphore(settings.per_host)
        )
        self._pacers: defaultdict[str, Pacer] = defaultdict(lambda: Pacer(settings.attack_rate))
        limits = httpx.Limits(
            max_connections=settings.concurrency, max_keepalive_connections=settings.concurrency
        )
        self._clients = {
            verified: httpx.AsyncClient(
                transport=PolicyTransport(
                    verify=ctx,
                    http2=settings.http2,
                    limits=limits,
                    policy=policy,
                    resolve=settings.resolve,
                    proxy=settings.proxy,
                ),
                follow_redirects=False,
                timeout=httpx.Timeout(settings.timeout),
                headers={"User-Agent": settings.user_agent, "Accept-Encoding": ACCEPT_ENCODING},
                trust_env=False,
            )
            for verified, ctx in ((True, trust.verified), (False, trust.unverified))
        }

    async def __aenter__(self) -> HttpProbe:
        return self

    async def __aexit__(
        self, exc_type: type[BaseException] | None, exc: BaseException | None, tb: TracebackType | None
    ) -> None:
        await self.aclose()

    async def aclose(self) -> None:
        """Close every connection."""
        for client in self._clients.values():
            await client.aclose()

    async def exchange(self, spec: HttpRequestSpec, max_body: int | None = None) -> HttpExchange:
        """Send a request, follow allowed redirects, return everything seen (never raises for I/O)."""
        result = await self._exchange(spec, max_body or self.settings.max_body)
        if log.isEnabledFor(logging.DEBUG):
            statuses = " -> ".join(str(h.status) for h in result.hops) or "no response"
            problem = result.error or result.redirect_not_followed or ""
            log.debug("%s %s: %s %s", spec.method, self._redactor.url(spec.url), statuses, problem)
        if self._on_exchange is not None:
            self._on_exchange(result)
        return result

    async def _exchange(self, spec: HttpRequestSpec, max_body: int) -> HttpExchange:
        hops: list[HttpResponse] = []
        method, url, body = spec.method, spec.url, spec.body
        headers = dict(spec.headers)
        seen = {url}
        for _ in range(self.settings.max_redirects + 1):
            host = (urlsplit(url).hostname or "").lower()
            if not self.policy.host_allowed(host):
                return HttpExchange(spec, tuple(hops), error=f"{host} is not a host of the target")
            paced = spec.purpose not in _VIEW_PURPOSES
            try:
                response = await self._send(
                    method, url, headers, body, max_body, self._may_skip_verify(spec), paced
                )
            except _ProbeFailure as failure:
                return HttpExchange(spec, tuple(hops), error=self._redactor.text(str(failure)))
            hops.append(response)
            location = response.header("location")
            if not (300 <= response.status < 400 and location):
                return HttpExchange(spec, tuple(hops))
            target = urljoin(url, location.strip())
            refused = self._redirect_refusal(url, target)
            if refused:
                return HttpExchange(spec, tuple(hops), redirect_not_followed=self._redactor.text(refused))
            if target in seen:
                return HttpExchange(
                    spec, tuple(hops), error=f"redirect loop back to {self._redactor.url(target)}"
                )
            seen.add(target)
            if response.status in (301, 302, 303) and method not in ("GET", "HEAD"):
                method, body = "GET", None
                headers.pop("Content-Type", None)
            url = target
        return HttpExchange(spec, tuple(hops), error=f"more than {self.settings.max_redirects} redirects")

    def _redirect_refusal(self, source: str, target: str) -> str | None:
        parts = urlsplit(target)
        if parts.scheme not in ("http", "https"):
            return f"redirect to a {parts.scheme or 'relative'} URL not followed: {target}"
        host = (parts.hostname or "").lower()
        if not self.policy.host_allowed(host):
            return f"redirect to {host}, a host the target does not name, not followed ({target})"
        if urlsplit(source).scheme == "https" and parts.scheme == "http":
            return f"redirect from https to plain http not followed ({target})"
        return None

    def _may_skip_verify(self, spec: HttpRequestSpec) -> bool:
        """Credentials never travel over a connection whose certificate did not verify, unless --insecure."""
        carries_token = spec.auth is not AuthMode.NONE or spec.tenant is not None or spec.prepare is not None
        return not carries_token or self.settings.insecure

    async def _send(
        self,
        method: str,
        url: str,
        headers: dict[str, str],
        body: bytes | None,
        max_body: int,
        may_skip_verify: bool,
        paced: bool,
    ) -> HttpResponse:
        host = (urlsplit(url).hostname or "").lower()
        verified = host not in self.unverified_hosts
        if not verified and not may_skip_verify:
            raise _ProbeFailure(_WITHHELD.format(host=host))
        async with self._per_host[host]:
            if paced:  # within the host's slot: requests queued for a slot do not start in a burst
                await self._pacers[host].wait()
            async with self._global:
                try:
                    return await self._send_once(method, url, headers, body, max_body, verified)
                except _CertificateFailure as failure:
                    self.unverified_hosts.setdefault(host, str(failure))
                    if not may_skip_verify:
                        raise _ProbeFailure(_WITHHELD.format(host=host)) from None
                    return await self._send_once(method, url, headers, body, max_body, verified=False)

    async def _send_once(
        self,
        method: str,
        url: str,
        headers: dict[str, str],
        body: bytes | None,
        max_body: int,
        verified: bool,
    ) -> HttpResponse:
        client = self._clients[verified]
        started = time.perf_counter()
        self.stats.requests_sent += 1
        first_bytes = bytearray()
        FIRST_BYTES.set(first_bytes)  # a task sends one request at a time, so its context is this request
        try:
            async with asyncio.timeout(self.settings.timeout):
                request = client.build_request(method, url, headers=headers, content=body)
                response = await client.send(request, stream=True)
                try:
                    _check_header_count(response, url)
                    decoder = BoundedDecoder(response.headers.get("content-encoding", ""), max_body)
                    chunks: list[bytes] = []
                    async for raw in response.aiter_raw():
                        chunks.append(decoder.feed(raw))
                        if decoder.full:
                            break
                finally:
                    await response.aclose()
        except BodyDecodingError as exc:
            raise _ProbeFailure(f"{exc} ({url})") from None
        except TimeoutError:
            raise _ProbeFailure(f"timed out after {self.settings.timeout:g} s ({url})") from None
        except httpx.HTTPError as exc:
            raise _classify(exc, url, bytes(first_bytes)) from None
        except PolicyViolation as exc:
            raise _ProbeFailure(f"not connecting: {exc}") from None
        except (ssl.SSLError, OSError) as exc:
            raise _ProbeFailure(f"{type(exc).__name__}: {exc} ({url})") from None
        truncated = decoder.full
        data = b"".join(chunks)[:max_body]
        self.stats.responses_received += 1
        self.stats.bytes_received += len(data)
        return HttpResponse(
            url=url,
            status=response.status_code,
            http_version=response.http_version,
            headers=tuple(
                (k.decode("latin-1").lower(), v.decode("latin-1")) for k, v in response.headers.raw
            ),
            body=data,
            body_truncated=truncated,
            elapsed_ms=(time.perf_counter() - started) * 1000,
            tls_verified=verified or not url.startswith("https://"),
        )


MAX_HEADERS = 1000
"""More response header fields than this and the response is not judged (no real server sends them)."""


def _check_header_count(response: httpx.Response, url: str) -> None:
    count = len(response.headers.raw)
    if count > MAX_HEADERS:
        raise _ProbeFailure(f"{count} response header fields, more than {MAX_HEADERS}; not judged ({url})")


_VIEW_PURPOSES = frozenset({"baseline", "crawl", "descriptor", "reachability"})


class Pacer:
    """Spaces requests to one host at least 1/rate seconds apart, measured when each one goes."""

    def __init__(self, rate: float | None) -> None:
        self._interval = 1.0 / rate if rate else 0.0
        self._next = 0.0
        self._lock = asyncio.Lock()

    async def wait(self) -> None:
        """Return when the next request may start (callers queue in order; a late wake-up never bunches)."""
        if not self._interval:
            return
        async with self._lock:
            delay = self._next - time.monotonic()
            if delay > 0:
                await asyncio.sleep(delay)
            self._next = time.monotonic() + self._interval


_WITHHELD = (
    "credentials not sent: the certificate of {host} did not verify "
    "(give --ca-bundle, or --insecure in a lab)"
)


class _ProbeFailure(Exception):
    """A request that produced no response; the message is the reason shown in reports."""


class _CertificateFailure(_ProbeFailure):
    """The server's certificate did not verify."""


_NOT_TLS = frozenset({"WRONG_VERSION_NUMBER", "RECORD_LAYER_FAILURE", "PACKET_LENGTH_TOO_LONG"})


def _classify(exc: httpx.HTTPError, url: str, first_bytes: bytes = b"") -> _ProbeFailure:
    cause: BaseException | None = exc
    while cause is not None:
        if isinstance(cause, ssl.SSLCertVerificationError):
            return _CertificateFailure(f"certificate did not verify: {cause.verify_message}")
        if isinstance(cause, PolicyViolation):
            return _ProbeFailure(f"not connecting: {cause}")
        if isinstance(cause, ssl.SSLError) and cause.reason in _NOT_TLS:
            return _ProbeFailure(f"the server does not speak TLS ({cause.reason}) ({url})")
        if isinstance(cause, ConnectionRefusedError):
            return _ProbeFailure(f"connection refused ({url})")
        cause = cause.__cause__ or cause.__context__
    text = str(exc) or type(exc).__name__
    if "CERTIFICATE_VERIFY_FAILED" in text:
        return _CertificateFailure(f"certificate did not verify: {text}")
    kinds: dict[type[httpx.HTTPError], str] = {
        httpx.ConnectTimeout: "connect timed out",
        httpx.ReadTimeout: "read timed out",
        httpx.WriteTimeout: "write timed out",
        httpx.PoolTimeout: "connection pool timed out",
        httpx.ConnectError: "cannot connect",
        httpx.ReadError: "connection broken while reading",
        httpx.RemoteProtocolError: "malformed or cut-short response",
    }
    if isinstance(exc, httpx.RemoteProtocolError) and first_bytes and not first_bytes.startswith(b"HTTP/"):
        return _ProbeFailure(
            f"not an HTTP/1 response (HTTP/0.9 or another protocol): {first_bytes!r}… ({url})"
        )
    kind = kinds.get(type(exc), type(exc).__name__)
    return _ProbeFailure(f"{kind}: {text} ({url})")
