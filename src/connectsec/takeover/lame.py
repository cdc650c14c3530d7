"""Lame delegation: after SERVFAIL/REFUSED, ask the name servers the parent zone delegates to directly."""

from __future__ import annotations

import asyncio
from dataclasses import dataclass, replace

import dns.flags
import dns.message
import dns.rdatatype

from connectsec.domain.psl import normalise
from connectsec.model.dns import ChainEnd, DnsStep, HostResolution
from connectsec.takeover.query import Servers, ask_raw, query

_MAX_SERVERS = 4


@dataclass(frozen=True)
class _Verdict:
    lame: bool
    detail: str


async def confirm_lame(result: HostResolution, servers: Servers, timeout: float, port: int) -> HostResolution:
    """`result` as LAME when the delegated servers refuse the zone, else with what was seen added."""
    failed = result.steps[-1].name if result.steps else result.last_name
    steps = list(result.steps)
    try:
        async with asyncio.timeout(timeout * 8):
            verdict = await _check(failed, servers, timeout, port, steps)
    except TimeoutError:
        verdict = _Verdict(False, "the delegation could not be checked in time")
    if verdict.lame:
        return replace(result, end=ChainEnd.LAME, error=None, delegation=verdict.detail, steps=tuple(steps))
    return replace(
        result, error=f"{result.error}; {verdict.detail}", delegation=verdict.detail, steps=tuple(steps)
    )


def _records(response: dns.message.Message | None, section: str, rdtype: int) -> list[tuple[str, str]]:
    """(owner, value) of every record of one type in one section."""
    if response is None:
        return []
    found: list[tuple[str, str]] = []
    for rrset in getattr(response, section):
        if rrset.rdtype == rdtype:
            found.extend((normalise(rrset.name.to_text()), normalise(r.to_text())) for r in rrset)
    return found


async def _addresses(names: list[str], servers: Servers, timeout: float, steps: list[DnsStep]) -> list[str]:
    found: list[str] = []
    for name in names[:_MAX_SERVERS]:
        step = await query(name, "A", servers, timeout)
        steps.append(step)
        found.extend(step.addresses)
    return list(dict.fromkeys(found))


async def _recursive(
    name: str, rtype: str, servers: Servers, timeout: float, steps: list[DnsStep]
) -> dns.message.Message | None:
    message = dns.message.make_query(name, rtype)
    for address, port in servers.ordered():
        step, response = await ask_raw(message, address, port, timeout)
        steps.append(step)
        if response is not None:
            return response
    return None


async def _direct(
    name: str, rtype: str, address: str, port: int, timeout: float, steps: list[DnsStep]
) -> dns.message.Message | None:
    message = dns.message.make_query(name, rtype)
    message.flags &= ~dns.flags.RD
    step, response = await ask_raw(message, address, port, timeout)
    steps.append(step)
    return response


async def _check(failed: str, servers: Servers, timeout: float, port: int, steps: list[DnsStep]) -> _Verdict:
    labels = failed.split(".")
    parent: str | None = None
    parent_ns: list[str] = []
    for i in range(len(labels)):
        zone = ".".join(labels[i:])
        response = await _recursive(zone, "NS", servers, timeout, steps)
        if response is None or response.rcode() != 0:
            continue
        parent_ns = [v for owner, v in _records(response, "answer", dns.rdatatype.NS) if owner == zone]
        if parent_ns:
            parent = zone
            break
    if parent is None:
        return _Verdict(False, "no parent zone of the failing name could be found")
    if parent == failed:
        return _Verdict(False, f"the zone {parent} itself is served; the failure is not a missing zone")
    parent_addresses = await _addresses(parent_ns, servers, timeout, steps)
    child: str | None = None
    child_ns: list[str] = []
    glue: dict[str, list[str]] = {}
    for address in parent_addresses[:_MAX_SERVERS]:
        response = await _direct(failed, "A", address, port, timeout, steps)
        if response is None:
            continue
        if response.flags & dns.flags.AA:
            return _Verdict(False, f"the {parent} name servers answer for {failed} themselves")
        referral = _records(response, "authority", dns.rdatatype.NS)
        if referral:
            child = referral[0][0]
            child_ns = [v for owner, v in referral if owner == child]
            for owner, value in _records(response, "additional", dns.rdatatype.A):
                glue.setdefault(owner, []).append(value)
            break
    if child is None:
        return _Verdict(False, f"the {parent} name servers gave no delegation for {failed}")
    addresses = [a for ns in child_ns for a in glue.get(ns, [])]
    if not addresses:
        addresses = await _addresses(child_ns, servers, timeout, steps)
    answers: list[str] = []
    for address in list(dict.fromkeys(addresses))[:_MAX_SERVERS]:
        response = await _direct(child, "SOA", address, port, timeout, steps)
        if response is None:
            continue
        rcode = response.rcode()
        if response.flags & dns.flags.AA and rcode in (0, 3):
            return _Verdict(False, f"{address} answers authoritatively for {child}")
        answers.append(f"{address}: {steps[-1].rcode}{'' if rcode else ' without authority'}")
    servers_text = ", ".join(child_ns) or "(none)"
    if not answers:
        return _Verdict(False, f"the servers {parent} delegates {child} to ({servers_text}) did not answer")
    return _Verdict(
        True,
        f"{parent} delegates {child} to {servers_text}, which do not serve the zone ({'; '.join(answers)})",
    )
