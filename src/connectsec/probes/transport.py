"""An httpx transport with curl-style --resolve and the connection policy enforced at connect time."""

from __future__ import annotations

import contextvars
import ipaddress
import socket
import ssl
import typing

import anyio
import httpcore
import httpx
from httpcore._backends.auto import AutoBackend

from connectsec.probes.netpolicy import ConnectionPolicy, PolicyViolation

ResolveMap = dict[tuple[str, int], str]

FIRST_BYTES: contextvars.ContextVar[bytearray | None] = contextvars.ContextVar("first_bytes", default=None)
"""Set by a request: the first bytes its HTTP/1 connection read, to tell HTTP/0.9 or garbage from a cut."""

_KEPT = 16


class RecordingStream(httpcore.AsyncNetworkStream):
    """A network stream that copies the first bytes each request reads into FIRST_BYTES (not over HTTP/2)."""

    def __init__(self, inner: httpcore.AsyncNetworkStream) -> None:
        self._inner = inner

    async def read(self, max_bytes: int, timeout: float | None = None) -> bytes:
        data = await self._inner.read(max_bytes, timeout)
        kept = FIRST_BYTES.get()
        if kept is not None and len(kept) < _KEPT:
            kept.extend(data[: _KEPT - len(kept)])
        return data

    async def write(self, buffer: bytes, timeout: float | None = None) -> None:
        await self._inner.write(buffer, timeout)

    async def aclose(self) -> None:
        await self._inner.aclose()

    async def start_tls(
        self, ssl_context: ssl.SSLContext, server_hostname: str | None = None, timeout: float | None = None
    ) -> httpcore.AsyncNetworkStream:
        stream = await self._inner.start_tls(ssl_context, server_hostname, timeout)
        tls = stream.get_extra_info("ssl_object")
        if isinstance(tls, ssl.SSLObject) and tls.selected_alpn_protocol() == "h2":
            return stream
        return RecordingStream(stream)

    def get_extra_info(self, info: str) -> typing.Any:
        return self._inner.get_extra_info(info)


class GuardedBackend(httpcore.AsyncNetworkBackend):
    """Resolves names itself so the policy sees the address actually connected to."""

    def __init__(self, policy: ConnectionPolicy, resolve: ResolveMap) -> None:
        self._policy = policy
        self._resolve = resolve
        self._inner = AutoBackend()

    async def connect_tcp(
        self,
        host: str,
        port: int,
        timeout: float | None = None,
        local_address: str | None = None,
        socket_options: typing.Iterable[httpcore.SOCKET_OPTION] | None = None,
    ) -> httpcore.AsyncNetworkStream:
        target = self._resolve.get((host.lower(), port), host)
        addresses = await _addresses(target, port)
        for address in addresses:
            self._policy.check_address(host, address)
        last: Exception | None = None
        for address in addresses:
            try:
                return RecordingStream(
                    await self._inner.connect_tcp(str(address), port, timeout, local_address, socket_options)
                )
            except (httpcore.ConnectError, httpcore.ConnectTimeout) as exc:
                last = exc
        assert last is not None
        raise last

    async def connect_unix_socket(
        self,
        path: str,
        timeout: float | None = None,
        socket_options: typing.Iterable[httpcore.SOCKET_OPTION] | None = None,
    ) -> httpcore.AsyncNetworkStream:
        raise httpcore.ConnectError("unix sockets are not used by connectsec")

    async def sleep(self, seconds: float) -> None:
        await self._inner.sleep(seconds)


async def _addresses(target: str, port: int) -> list[ipaddress.IPv4Address | ipaddress.IPv6Address]:
    try:
        return [ipaddress.ip_address(target.strip("[]"))]
    except ValueError:
        pass
    try:
        infos = await anyio.getaddrinfo(target, port, type=socket.SOCK_STREAM)
    except OSError as exc:
        raise httpcore.ConnectError(f"cannot resolve {target}: {exc.strerror or exc}") from None
    seen: dict[str, None] = {}
    for info in infos:
        seen[str(info[4][0]).split("%", 1)[0]] = None
    return [ipaddress.ip_address(a) for a in seen]


class PolicyTransport(httpx.AsyncHTTPTransport):
    """httpx's transport, with our network backend when no proxy is used."""

    def __init__(
        self,
        *,
        verify: ssl.SSLContext,
        http2: bool,
        limits: httpx.Limits,
        policy: ConnectionPolicy,
        resolve: ResolveMap,
        proxy: str | None,
    ) -> None:
        super().__init__(verify=verify, http2=http2, limits=limits, proxy=proxy, trust_env=False)
        if proxy is None:
            # httpx takes no network backend, so its pool is rebuilt with ours.
            self._pool = httpcore.AsyncConnectionPool(
                ssl_context=verify,
                max_connections=limits.max_connections,
                max_keepalive_connections=limits.max_keepalive_connections,
                keepalive_expiry=limits.keepalive_expiry,
                http1=True,
                http2=http2,
                network_backend=GuardedBackend(policy, resolve),
            )


__all__ = ["FIRST_BYTES", "GuardedBackend", "PolicyTransport", "PolicyViolation", "ResolveMap"]
