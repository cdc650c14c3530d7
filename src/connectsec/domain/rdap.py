"""R3 probe: registration state of the registrable domains behind host names, over RDAP."""

from __future__ import annotations

import asyncio
from collections.abc import Sequence
from dataclasses import dataclass, replace
from datetime import UTC, datetime
from pathlib import Path

import httpx

from connectsec.domain.bootstrap import BootstrapUnavailable, default_cache_dir, load_bootstrap
from connectsec.domain.psl import normalise, registrable_domain, special_use
from connectsec.domain.rdap_http import RdapFetchError, get, make_client
from connectsec.domain.rdap_parse import Bootstrap, RdapFormatError, load_json, parse_domain
from connectsec.model.domain import DomainRecord, DomainState

MAX_RDAP_BYTES = 1024 * 1024
CONCURRENCY = 4
DISABLED_REASON = "RDAP lookups are turned off (--no-rdap or --offline): domain registration was not checked"


@dataclass(frozen=True)
class RdapSettings:
    """How registrations are looked up."""

    enabled: bool = True
    rdap_url: str | None = None
    """--rdap-url: base URL of one RDAP server used for every domain."""
    bootstrap_url: str = "https://data.iana.org/rdap/dns.json"
    cache_dir: str | None = None
    """Default: $XDG_CACHE_HOME/connectsec or ~/.cache/connectsec."""
    timeout: float = 10.0
    ca_bundle: str | None = None
    """Extra trust for RDAP https (tests use a local CA or plain loopback http)."""


@dataclass(frozen=True)
class _Servers:
    """Where to ask: one fixed server, or the bootstrap's choice per TLD."""

    source: str
    fixed: str | None = None
    bootstrap: Bootstrap | None = None

    def for_domain(self, domain: str) -> tuple[str, ...]:
        if self.fixed is not None:
            return (self.fixed,)
        return self.bootstrap.servers_for(domain) if self.bootstrap is not None else ()


async def lookup_domains(names: Sequence[str], settings: RdapSettings) -> tuple[DomainRecord, ...]:
    """One record per registrable domain of `names` (with the names that map to it), plus one per name
    that has none (IP literal, special-use name, a public suffix itself: state `skipped`, with the reason).

    Disabled lookups give `disabled` records without any network traffic. Never raises for network
    or server trouble: those records are `error`, with the reason.
    """
    groups: dict[str, list[str]] = {}
    skipped: list[DomainRecord] = []
    for raw in names:
        name = normalise(raw)
        if not name:
            continue
        reason = special_use(name)
        domain = None if reason else registrable_domain(name)
        if domain is None:
            why = reason or "the name is a public suffix itself, or not below any: no registrable domain"
            if not any(r.domain == name for r in skipped):
                skipped.append(DomainRecord(name, state=DomainState.SKIPPED, for_hosts=(name,), reason=why))
            continue
        hosts = groups.setdefault(domain, [])
        if name not in hosts:
            hosts.append(name)
    if not settings.enabled:
        disabled = [
            DomainRecord(d, state=DomainState.DISABLED, for_hosts=tuple(h), reason=DISABLED_REASON)
            for d, h in groups.items()
        ]
        return (*disabled, *skipped)
    if not groups:
        return tuple(skipped)
    return (*await _lookup_all(groups, settings), *skipped)


async def _lookup_all(groups: dict[str, list[str]], settings: RdapSettings) -> list[DomainRecord]:
    now = datetime.now(UTC)
    try:
        client = make_client(settings.timeout, settings.ca_bundle)
    except RdapFetchError as exc:
        return [_error(d, h, str(exc), now) for d, h in groups.items()]
    async with client:
        try:
            servers = await _servers(client, settings, now)
        except BootstrapUnavailable as exc:
            reason = f"{exc}; give --rdap-url, or check the registration at the registrar"
            return [_error(d, h, reason, now) for d, h in groups.items()]
        slots = asyncio.Semaphore(CONCURRENCY)

        async def one(domain: str, hosts: list[str]) -> DomainRecord:
            async with slots:
                return await _lookup(client, domain, tuple(hosts), servers, settings.timeout)

        return list(await asyncio.gather(*(one(d, h) for d, h in groups.items())))


async def _servers(client: httpx.AsyncClient, settings: RdapSettings, now: datetime) -> _Servers:
    if settings.rdap_url:
        base = settings.rdap_url if settings.rdap_url.endswith("/") else settings.rdap_url + "/"
        return _Servers(source=f"--rdap-url {settings.rdap_url}", fixed=base)
    cache_dir = Path(settings.cache_dir) if settings.cache_dir else default_cache_dir()
    loaded = await load_bootstrap(client, settings.bootstrap_url, cache_dir, settings.timeout, now)
    return _Servers(source=loaded.source, bootstrap=loaded.bootstrap)


async def _lookup(
    client: httpx.AsyncClient, domain: str, hosts: tuple[str, ...], servers: _Servers, timeout: float
) -> DomainRecord:
    bases = servers.for_domain(domain)
    if not bases:
        tld = domain.rsplit(".", 1)[-1]
        reason = f"no RDAP service for .{tld} in the bootstrap; check the registration at the registrar"
        return _error(domain, hosts, reason, datetime.now(UTC), source=servers.source)
    failures: list[str] = []
    for base in bases:
        url = f"{base}domain/{domain}"
        observed_at = datetime.now(UTC)
        try:
            response = await get(client, url, timeout=timeout, max_bytes=MAX_RDAP_BYTES)
        except RdapFetchError as exc:
            failures.append(str(exc))
            continue
        answer = DomainRecord(
            domain,
            state=DomainState.UNREGISTERED,
            for_hosts=hosts,
            observed_at=observed_at,
            rdap_url=response.url,
            http_status=response.status,
            source=servers.source,
        )
        if response.status == 404:
            return answer
        if response.status != 200:
            failures.append(f"{response.url} answered HTTP {response.status}{_hint(response.status)}")
            continue
        try:
            facts = parse_domain(load_json(response.body))
        except RdapFormatError as exc:
            failures.append(f"{response.url}: {exc}")
            continue
        return replace(
            answer,
            state=DomainState.REGISTERED,
            expires=facts.expires,
            registered=facts.registered,
            last_changed=facts.last_changed,
            statuses=facts.statuses,
            registrar=facts.registrar,
        )
    return _error(domain, hosts, "; ".join(failures), datetime.now(UTC), source=servers.source)


def _hint(status: int) -> str:
    if status == 429:
        return " (rate limited; try again later)"
    if status in (401, 403):
        return " (the RDAP server refuses anonymous queries)"
    return ""


def _error(
    domain: str, hosts: Sequence[str], reason: str, now: datetime, source: str | None = None
) -> DomainRecord:
    return DomainRecord(
        domain,
        error=f"RDAP lookup of {domain} failed: {reason}",
        state=DomainState.ERROR,
        for_hosts=tuple(hosts),
        observed_at=now,
        source=source,
    )
