"""CNAME chains with dnspython: every hop queried, how the chain ends classified, every query bounded."""

from __future__ import annotations

import asyncio
from collections.abc import Sequence
from dataclasses import dataclass, replace

import dns.exception
import dns.name
import dns.resolver

from connectsec.domain.psl import normalise, registrable_domain, special_use
from connectsec.model.dns import ChainEnd, DnsStep, HostResolution
from connectsec.takeover.lame import confirm_lame
from connectsec.takeover.ownership import is_third_party
from connectsec.takeover.query import Servers, query

_CONCURRENCY = 16


@dataclass(frozen=True)
class DnsSettings:
    """Where and how long to ask."""

    server: tuple[str, int] | None = None
    """--dns-server; None: the system resolver (/etc/resolv.conf)."""
    timeout: float = 5.0
    """Seconds per query; a whole chain gets three times as long."""
    max_chain: int = 16
    nameserver_port: int = 53
    """Port of authoritative name servers asked directly when a lame delegation is suspected (tests)."""


def _servers(settings: DnsSettings) -> tuple[Servers, str, str | None, int]:
    if settings.server is not None:
        host, port = settings.server
        return Servers([(host, port)]), f"{host}:{port}", host, port
    try:
        system = dns.resolver.Resolver(configure=True)
    except dns.exception.DNSException as exc:
        raise ValueError(f"no system DNS resolver: {exc}") from None
    addresses = [str(a) for a in system.nameservers]
    if not addresses:
        raise ValueError("no system DNS resolver configured (/etc/resolv.conf names none)")
    return Servers([(a, 53) for a in addresses]), f"system resolver ({addresses[0]})", None, 53


def _invalid(name: str) -> str | None:
    if not name:
        return "empty name"
    try:
        parsed = dns.name.from_text(name)
    except dns.exception.DNSException as exc:
        return f"not a valid DNS name ({exc})"
    if len(parsed.labels) < 3:
        return "a single-label name is not a public DNS name"
    return None


async def resolve_names(names: Sequence[str], settings: DnsSettings) -> tuple[HostResolution, ...]:
    """The CNAME chain of every name, in order, duplicates removed; ValueError without a resolver."""
    unique = list(dict.fromkeys(normalise(n) for n in names))
    reasons = {name: special_use(name) or _invalid(name) for name in unique}
    if all(reasons.values()):
        return tuple(HostResolution(n, end=ChainEnd.SKIPPED, skipped=reasons[n]) for n in unique)
    servers, label, server, port = _servers(settings)
    base = HostResolution(name="", resolver=label, server=server, port=port)
    limit = asyncio.Semaphore(_CONCURRENCY)

    async def one(name: str) -> HostResolution:
        reason = reasons[name]
        if reason is not None:
            return replace(base, name=name, end=ChainEnd.SKIPPED, skipped=reason)
        async with limit:
            return await _bounded(replace(base, name=name), servers, settings)

    return tuple(await asyncio.gather(*(one(n) for n in unique)))


async def _bounded(start: HostResolution, servers: Servers, settings: DnsSettings) -> HostResolution:
    steps: list[DnsStep] = []
    budget = settings.timeout * 3
    try:
        async with asyncio.timeout(budget):
            result = await _chain(start, servers, settings, steps)
    except TimeoutError:
        return replace(
            start,
            end=ChainEnd.ERROR,
            error=f"the chain was not resolved within {budget:g} s",
            steps=tuple(steps),
        )
    if result.end is ChainEnd.ERROR and result.rcode in ("SERVFAIL", "REFUSED"):
        return await confirm_lame(result, servers, settings.timeout, settings.nameserver_port)
    return result


async def _chain(
    start: HostResolution, servers: Servers, settings: DnsSettings, steps: list[DnsStep]
) -> HostResolution:
    chain: list[str] = []
    seen = {start.name}
    current = start.name

    def done(end: ChainEnd, step: DnsStep, error: str | None = None) -> HostResolution:
        return replace(
            start,
            end=end,
            chain=tuple(chain),
            rcode=step.rcode,
            addresses=step.addresses if end is ChainEnd.RESOLVES else (),
            steps=tuple(steps),
            error=error,
        )

    def extend(step: DnsStep) -> HostResolution | None:
        for _owner, target in step.cnames:
            if target in seen:
                return done(ChainEnd.LOOP, step, f"CNAME loop: {' -> '.join([start.name, *chain, target])}")
            chain.append(target)
            seen.add(target)
            if len(chain) > settings.max_chain:
                return done(ChainEnd.TOO_LONG, step, f"CNAME chain longer than {settings.max_chain} names")
        return None

    while True:
        step = await query(current, "A", servers, settings.timeout)
        steps.append(step)
        if step.rcode not in ("NOERROR", "NXDOMAIN"):
            # A failing resolver drops the whole chain; CNAME queries still show it hop by hop.
            probe = await query(current, "CNAME", servers, settings.timeout)
            steps.append(probe)
            stopped = extend(probe) if probe.rcode == "NOERROR" else None
            if stopped is not None:
                return stopped
            if probe.rcode != "NOERROR" or not probe.cnames:
                return done(ChainEnd.ERROR, step, _failure(step, current))
            current = chain[-1]
            continue
        stopped = extend(step)
        if stopped is not None:
            return stopped
        last = chain[-1] if chain else start.name
        if step.addresses:
            return done(ChainEnd.RESOLVES, step)
        if step.rcode == "NXDOMAIN":
            return done(ChainEnd.NXDOMAIN, step)
        if last != current:
            current = last
            reason = special_use(current)
            if reason is not None:
                skipped = f"the chain leads to {current}, not looked up: {reason}"
                return replace(done(ChainEnd.SKIPPED, step), skipped=skipped)
            continue
        step = await query(current, "AAAA", servers, settings.timeout)
        steps.append(step)
        if step.rcode not in ("NOERROR", "NXDOMAIN"):
            return done(ChainEnd.ERROR, step, _failure(step, current))
        if step.addresses:
            return done(ChainEnd.RESOLVES, step)
        return done(ChainEnd.NXDOMAIN if step.rcode == "NXDOMAIN" else ChainEnd.NODATA, step)


def _failure(step: DnsStep, name: str) -> str:
    if step.rcode == "TIMEOUT":
        return f"no answer from {step.server} for {name} {step.rtype} ({step.error})"
    if step.error is not None:
        return f"no usable answer from {step.server} for {name} {step.rtype}: {step.error}"
    return f"{step.rcode} from {step.server} for {name} {step.rtype}"


def cname_targets(resolutions: Sequence[HostResolution]) -> tuple[str, ...]:
    """Registrable domains of third-party chain ends that do not resolve: they need an RDAP look-up."""
    wanted: dict[str, None] = {}
    for resolution in resolutions:
        if not resolution.chain or resolution.end in (ChainEnd.RESOLVES, ChainEnd.SKIPPED):
            continue
        for target in resolution.chain:
            domain = registrable_domain(target)
            if domain is not None and is_third_party(resolution.name, target):
                wanted[domain] = None
    return tuple(wanted)
