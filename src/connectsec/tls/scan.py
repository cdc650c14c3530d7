"""R1.1 probe entry point: every protocol, suite and group one TLS endpoint accepts."""

from __future__ import annotations

import asyncio
import ssl
import time

from connectsec.model.hosts import HostTarget
from connectsec.model.tls import PROTOCOLS, ProtocolScan, TlsScan
from connectsec.tls.enumerate import Budget, probe_protocol
from connectsec.tls.wire import sni_name

MAX_HANDSHAKES = 1_500
"""Hellos per endpoint at most (every IANA suite accepted on every protocol stays below this)."""
_OPENSSL_NAMES = {"TLSv1": "TLSv1.0"}


async def scan_tls(target: HostTarget, *, timeout: float = 10.0) -> TlsScan:
    """Probe one endpoint; never raises for network trouble (see `TlsScan.error`, `ProtocolScan.error`)."""
    try:
        return await _scan(target, timeout)
    except Exception as exc:  # a hostile answer must never end the scan
        return TlsScan(target=target, error=f"probe failed: {type(exc).__name__}: {exc}"[:300])


async def _scan(target: HostTarget, timeout: float) -> TlsScan:
    baseline, negotiated, reachable = await _baseline(target, timeout)
    if not reachable:
        return TlsScan(target=target, error=baseline, baseline=baseline)
    budget = Budget(
        target=target,
        timeout=timeout,
        deadline=time.monotonic() + max(60.0, timeout * 12),
        max_handshakes=MAX_HANDSHAKES,
    )
    results = await asyncio.gather(*(probe_protocol(budget, p) for p in PROTOCOLS))
    protocols = _cross_check(tuple(results), negotiated)
    return TlsScan(target=target, protocols=protocols, baseline=baseline, handshakes=budget.sent)


def _cross_check(results: tuple[ProtocolScan, ...], negotiated: str | None) -> tuple[ProtocolScan, ...]:
    """If our hello was refused for the protocol OpenSSL negotiates, no refusal can be trusted."""
    if negotiated is None:
        return results
    own = next((p for p in results if p.protocol == negotiated), None)
    if own is None or own.accepted is not False:
        return results
    reason = (
        f"our {negotiated} hello was refused ({own.evidence}) although a full OpenSSL handshake "
        f"negotiated {negotiated}, so refusals cannot be trusted"
    )
    return tuple(
        ProtocolScan(p.protocol, None, p.evidence, error=reason) if p.accepted is False else p
        for p in results
    )


def _client_context() -> ssl.SSLContext:
    context = ssl.SSLContext(ssl.PROTOCOL_TLS_CLIENT)
    context.check_hostname = False
    context.verify_mode = ssl.CERT_NONE
    context.minimum_version = ssl.TLSVersion.MINIMUM_SUPPORTED
    context.set_ciphers("ALL:@SECLEVEL=0")
    return context


async def _baseline(target: HostTarget, timeout: float) -> tuple[str, str | None, bool]:
    """A full OpenSSL handshake: what it negotiated (or why not), the protocol, and TCP reachability."""
    writer: asyncio.StreamWriter | None = None
    connected = False
    try:
        async with asyncio.timeout(timeout):
            _, writer = await asyncio.open_connection(target.address, target.port)
            connected = True
            await writer.start_tls(_client_context(), server_hostname=sni_name(target.host))
            ssl_object = writer.get_extra_info("ssl_object")
            version = ssl_object.version() if ssl_object else None
            cipher = ssl_object.cipher() if ssl_object else None
    except TimeoutError:
        stage = "TLS handshake" if connected else "TCP connect"
        return f"{stage} did not finish within {timeout:g} s", None, connected
    except ssl.SSLError as exc:
        return f"OpenSSL handshake failed: {exc.reason or exc}", None, True
    except OSError as exc:
        reason = exc.strerror or type(exc).__name__
        if connected:
            return f"OpenSSL handshake failed: {reason}", None, True
        return f"cannot connect to {target.label}: {reason}", None, False
    finally:
        if writer is not None:
            writer.transport.abort()
    name = _OPENSSL_NAMES.get(str(version), str(version))
    suite = cipher[0] if cipher else "?"
    return f"OpenSSL negotiated {name} {suite}", name, True
