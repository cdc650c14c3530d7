"""One DNS query with dnspython (UDP, TCP when truncated), bounded, as a DnsStep that never raises."""

from __future__ import annotations

import asyncio

import dns.asyncquery
import dns.exception
import dns.flags
import dns.message
import dns.rcode
import dns.rdatatype

from connectsec.domain.psl import normalise
from connectsec.model.dns import DnsStep


class Servers:
    """The servers to ask in turn; the last one that answered is asked first next time."""

    def __init__(self, servers: list[tuple[str, int]]) -> None:
        self._servers = list(servers)

    def ordered(self) -> list[tuple[str, int]]:
        """Servers in the order to try them."""
        return list(self._servers)

    def answered(self, server: tuple[str, int]) -> None:
        """Prefer `server` from now on."""
        if server in self._servers:
            self._servers.remove(server)
            self._servers.insert(0, server)


def server_label(address: str, port: int) -> str:
    """`address:port` (IPv6 in brackets)."""
    return f"[{address}]:{port}" if ":" in address else f"{address}:{port}"


async def query(name: str, rtype: str, servers: Servers, timeout: float, recursion: bool = True) -> DnsStep:
    """Ask each server in turn until one answers; the last failure when none does."""
    message = dns.message.make_query(name, rtype)
    if not recursion:
        message.flags &= ~dns.flags.RD
    step = DnsStep(name, rtype, "ERROR", "", error="no server to ask")
    for address, port in servers.ordered():
        step = await ask(message, address, port, timeout)
        if step.error is None:
            servers.answered((address, port))
            return step
    return step


async def ask(message: dns.message.Message, address: str, port: int, timeout: float) -> DnsStep:
    """One query to one server."""
    return (await ask_raw(message, address, port, timeout))[0]


async def ask_raw(
    message: dns.message.Message, address: str, port: int, timeout: float
) -> tuple[DnsStep, dns.message.Message | None]:
    """One query to one server: the step, and the response when one came."""
    question = message.question[0]
    name, rtype = normalise(question.name.to_text()), dns.rdatatype.to_text(question.rdtype)
    label = server_label(address, port)
    try:
        async with asyncio.timeout(timeout * 2 + 0.5):
            response, _tcp = await dns.asyncquery.udp_with_fallback(message, address, timeout, port)
    except (TimeoutError, dns.exception.Timeout):
        return DnsStep(name, rtype, "TIMEOUT", label, error=f"no answer within {timeout:g} s"), None
    except (OSError, dns.exception.DNSException, ValueError, EOFError) as exc:
        return DnsStep(name, rtype, "ERROR", label, error=f"{type(exc).__name__}: {exc}"[:200]), None
    return _step(response, name, rtype, label), response


def _step(response: dns.message.Message, name: str, rtype: str, label: str) -> DnsStep:
    targets: dict[str, str] = {}
    addresses: dict[str, list[str]] = {}
    for rrset in response.answer:
        owner = normalise(rrset.name.to_text())
        if rrset.rdtype == dns.rdatatype.CNAME and len(rrset):
            targets.setdefault(owner, normalise(rrset[0].target.to_text()))
        elif rrset.rdtype in (dns.rdatatype.A, dns.rdatatype.AAAA):
            addresses.setdefault(owner, []).extend(r.address for r in rrset)
    links: list[tuple[str, str]] = []
    current, visited = name, {name}
    while current in targets:
        target = targets[current]
        links.append((current, target))
        if target in visited:
            break
        visited.add(target)
        current = target
    return DnsStep(
        name=name,
        rtype=rtype,
        rcode=dns.rcode.to_text(response.rcode()),
        server=label,
        cnames=tuple(links),
        addresses=tuple(addresses.get(current, ())),
        authoritative=bool(response.flags & dns.flags.AA),
    )
