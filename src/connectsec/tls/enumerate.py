"""Per protocol: is it accepted, which suites (by elimination), whose preference, which groups."""

from __future__ import annotations

import asyncio
import time
from dataclasses import dataclass, field

from connectsec.model.hosts import HostTarget
from connectsec.model.tls import ProtocolScan
from connectsec.tls.exchange import Reply, ReplyKind, send_hello
from connectsec.tls.registry import registry
from connectsec.tls.wire import SSL2, TLS13, VERSIONS, client_hello, sni_name, ssl2_client_hello


@dataclass
class Budget:
    """Shared limits of one endpoint's scan: concurrent sockets, hellos and a deadline."""

    target: HostTarget
    timeout: float
    deadline: float
    max_handshakes: int
    sockets: asyncio.Semaphore = field(default_factory=lambda: asyncio.Semaphore(8))
    sent: int = 0

    def exhausted(self) -> str | None:
        """Why no further hello may be sent, or None."""
        if self.sent >= self.max_handshakes:
            return f"stopped after {self.sent} handshakes (limit)"
        if time.monotonic() >= self.deadline:
            return "stopped: the endpoint's time budget ran out"
        return None

    async def send(self, hello: bytes, *, want_key_exchange: bool = False, ssl2: bool = False) -> Reply:
        """Send one hello within the limits."""
        async with self.sockets:
            self.sent += 1
            remaining = max(0.1, min(self.timeout, self.deadline - time.monotonic()))
            return await send_hello(
                self.target, hello, timeout=remaining, want_key_exchange=want_key_exchange, ssl2=ssl2
            )


def _first_verdict(protocol: str, version: int, reply: Reply) -> tuple[bool | None, str | None]:
    """Accepted / refused / unknown (with why) from the answer to the first hello."""
    if reply.ssl2 is not None:
        return True, None
    if reply.hello is not None:
        if reply.hello.version == version:
            return True, None
        return False, None
    if reply.refuses:
        return False, None
    if reply.kind is ReplyKind.ALERT:
        return None, f"the server rejected our {protocol} hello as malformed ({reply.text})"
    return None, f"{protocol} could not be tested: {reply.text}"


def _names(codes: list[int]) -> tuple[str, ...]:
    return tuple(registry().suite_name(c) for c in codes)


async def probe_ssl2(budget: Budget) -> ProtocolScan:
    """SSL 2.0: one CLIENT-HELLO with every cipher kind; the SERVER-HELLO lists those accepted."""
    kinds = [s.code for s in registry().ssl2_suites]
    reply = await budget.send(ssl2_client_hello(kinds), ssl2=True)
    accepted, error = _first_verdict("SSLv2", SSL2, reply)
    if reply.ssl2 is None:
        return ProtocolScan("SSLv2", accepted, reply.text, error=error)
    reg = registry()
    names = tuple(
        suite.name if (suite := reg.ssl2_suite(k)) else f"SSLv2 0x{k:06X}" for k in reply.ssl2.kinds
    )
    return ProtocolScan("SSLv2", True, reply.text, suites=names)


def _hello(version: int, suites: list[int], host: str | None, groups: list[int] | None = None) -> bytes:
    reg = registry()
    if groups is None:
        groups = [g.code for g in reg.groups if (g.tls13 if version == TLS13 else g.tls12)]
    return client_hello(version, suites, host=host, groups=groups)


async def probe_protocol(budget: Budget, protocol: str) -> ProtocolScan:
    """SSL 3.0 … TLS 1.3: acceptance, every accepted suite by elimination, preference, groups."""
    if protocol == "SSLv2":
        return await probe_ssl2(budget)
    version = VERSIONS[protocol]
    host = sni_name(budget.target.host)
    offered = [s.code for s in registry().suites if not s.scsv and s.tls13 == (version == TLS13)]
    first = await budget.send(_hello(version, offered, host))
    accepted, error = _first_verdict(protocol, version, first)
    if not accepted or first.hello is None:
        return ProtocolScan(protocol, accepted, first.text, error=error)
    found: list[int] = []
    reply: Reply = first
    remaining = list(offered)
    while True:
        hello = reply.hello
        if hello is None or hello.version != version:
            if not reply.refuses:
                error = f"suite list may be incomplete: {reply.text}"
            break
        if hello.suite not in remaining:
            error = f"the server chose 0x{hello.suite:04X}, which was not offered"
            break
        found.append(hello.suite)
        remaining.remove(hello.suite)
        if not remaining:
            break
        if stop := budget.exhausted():
            error = f"suite list may be incomplete: {stop}"
            break
        reply = await budget.send(_hello(version, remaining, host))
    preference = await _server_preference(budget, version, found, host)
    groups, group_error = await _groups(budget, version, found, host)
    return ProtocolScan(
        protocol,
        True,
        first.text.replace(f"0x{first.hello.suite:04X}", registry().suite_name(first.hello.suite)),
        suites=_names(found),
        server_preference=preference,
        groups=groups,
        error=error or group_error,
    )


async def _server_preference(budget: Budget, version: int, found: list[int], host: str | None) -> bool | None:
    """Offer the accepted suites reversed: a server that keeps its first choice has its own order."""
    if len(found) < 2 or budget.exhausted():
        return None
    reply = await budget.send(_hello(version, found[::-1], host))
    if reply.hello is None or reply.hello.version != version:
        return None
    return reply.hello.suite != found[-1]


async def _groups(
    budget: Budget, version: int, found: list[int], host: str | None
) -> tuple[tuple[str, ...], str | None]:
    """Groups by elimination: TLS 1.3 via HelloRetryRequest, TLS 1.2 via the ECDHE ServerKeyExchange."""
    reg = registry()
    if version == TLS13:
        suites = found
        remaining = [g.code for g in reg.groups if g.tls13]
    else:
        suites = [c for c in found if (s := reg.suite(c)) is not None and s.kex == "ECDHE"]
        remaining = [g.code for g in reg.groups if g.tls12 and g.kind == "ec"]
    if not suites or version < VERSIONS["TLSv1.2"]:
        return (), None
    accepted: list[int] = []
    while remaining:
        if stop := budget.exhausted():
            return tuple(reg.group_name(g) for g in accepted), f"group list may be incomplete: {stop}"
        hello = client_hello(version, suites, host=host, groups=remaining)
        reply = await budget.send(hello, want_key_exchange=version != TLS13)
        if reply.hello is None or reply.hello.version != version:
            if not reply.refuses:
                names = tuple(reg.group_name(g) for g in accepted)
                return names, f"group list may be incomplete: {reply.text}"
            break
        group = reply.hello.group if version == TLS13 else reply.curve
        if group is None or group not in remaining:
            shown = "none" if group is None else reg.group_name(group)
            names = tuple(reg.group_name(g) for g in accepted)
            return names, f"could not tell the key-exchange group (server named {shown})"
        accepted.append(group)
        remaining.remove(group)
    return tuple(reg.group_name(g) for g in accepted), None
