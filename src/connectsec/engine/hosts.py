"""Host-level probing: TLS endpoints, certificates, plain http, DNS chains and RDAP (R1.1, R3, R4)."""

from __future__ import annotations

import asyncio
import ipaddress
import socket
from collections.abc import Awaitable, Callable, Iterable, Sequence
from dataclasses import dataclass, field
from typing import TypeVar
from urllib.parse import urlsplit

from connectsec.certs.fetch import fetch_certificate
from connectsec.domain.psl import special_use
from connectsec.domain.rdap import RdapSettings, lookup_domains
from connectsec.engine.fresh_data import takeover_data
from connectsec.engine.observer import ScanObserver
from connectsec.engine.request import ScanRequest
from connectsec.model import Endpoint, EndpointKind, HttpExchange, HttpRequestSpec, Inventory
from connectsec.model.certificate import CertificateScan
from connectsec.model.dns import HostResolution
from connectsec.model.domain import DomainRecord
from connectsec.model.hosts import HostTarget
from connectsec.model.tls import TlsScan
from connectsec.probes.netpolicy import ConnectionPolicy, PolicyViolation
from connectsec.probes.transport import ResolveMap
from connectsec.takeover.confirm import confirm
from connectsec.takeover.hosts_input import names_from_hosts_file, names_from_zone_file
from connectsec.takeover.resolve import DnsSettings, cname_targets, resolve_names
from connectsec.takeover.services import load_services
from connectsec.tls.scan import scan_tls

T = TypeVar("T")
R = TypeVar("R")

PLAIN_HTTP = "plain-http"
"""The purpose of the `http://host/` requests R1.1 judges."""


@dataclass(frozen=True)
class Unreachable:
    """A host:port whose addresses could not be used, and why."""

    host: str
    port: int
    reason: str


def https_endpoints(inventory: Inventory, *, links: bool = True) -> tuple[tuple[str, int], ...]:
    """Every https host:port the descriptor names, in order: the descriptor URL, baseUrl and endpoint
    URLs, and with `links` the hosts of any other absolute URL in it (vendor site, icons …)."""
    found: dict[tuple[str, int], None] = dict.fromkeys(inventory.https_origins if links else ())
    urls = (inventory.descriptor_url, inventory.base_url, *(e.url for e in inventory.endpoints))
    for url in urls:
        parts = urlsplit(url)
        if parts.scheme.lower() != "https" or not parts.hostname:
            continue
        try:
            port = parts.port or 443
        except ValueError:
            continue
        found[(parts.hostname.lower(), port)] = None
    return tuple(found)


def named_hosts(inventory: Inventory) -> tuple[str, ...]:
    """Every host name the descriptor names (lower case, in order)."""
    hosts: dict[str, None] = {}
    for url in (inventory.descriptor_url, inventory.base_url):
        host = urlsplit(url).hostname
        if host:
            hosts[host.lower()] = None
    for host in inventory.hosts:
        hosts[host.lower()] = None
    return tuple(hosts)


async def resolve_targets(
    endpoints: Iterable[tuple[str, int]],
    resolve: ResolveMap,
    policy: ConnectionPolicy,
    timeout: float,
) -> tuple[list[HostTarget], list[Unreachable]]:
    """One HostTarget per allowed address of every host:port (--resolve honoured, policy enforced)."""
    targets: list[HostTarget] = []
    problems: list[Unreachable] = []
    for host, port in endpoints:
        try:
            addresses = await _addresses(resolve.get((host, port), host), port, timeout)
        except OSError as exc:
            if special_use(host) is None:  # .invalid, .example …: named, but never meant to exist
                problems.append(Unreachable(host, port, f"cannot resolve {host}: {exc.strerror or exc}"))
            continue
        except TimeoutError:
            problems.append(Unreachable(host, port, f"resolving {host} timed out after {timeout:g} s"))
            continue
        for address in addresses:
            try:
                policy.check_address(host, ipaddress.ip_address(address))
            except PolicyViolation as exc:
                problems.append(Unreachable(host, port, str(exc)))
                continue
            targets.append(HostTarget(host, port, address))
        if not addresses:
            problems.append(Unreachable(host, port, f"{host} has no address"))
    return targets, problems


async def _addresses(target: str, port: int, timeout: float) -> list[str]:
    try:
        return [str(ipaddress.ip_address(target.strip("[]")))]
    except ValueError:
        pass
    loop = asyncio.get_running_loop()
    infos = await asyncio.wait_for(
        loop.getaddrinfo(target, port, type=socket.SOCK_STREAM), timeout=max(timeout, 1.0)
    )
    seen: dict[str, None] = {}
    for info in infos:
        seen[str(info[4][0]).split("%", 1)[0]] = None
    return list(seen)


def plain_http_requests(endpoints: Iterable[tuple[str, int]], port: int = 80) -> list[HttpRequestSpec]:
    """`GET http://host/` once per https host: it must redirect to https or refuse (R1.1)."""
    specs: list[HttpRequestSpec] = []
    seen: set[str] = set()
    for host, _port in endpoints:
        if host in seen:
            continue
        seen.add(host)
        name = f"[{host}]" if ":" in host else host
        url = f"http://{name}/" if port == 80 else f"http://{name}:{port}/"
        endpoint = Endpoint(url=url, kind=EndpointKind.PAGE, source="plain http (R1.1)")
        specs.append(HttpRequestSpec("GET", url, endpoint, purpose=PLAIN_HTTP))
    return specs


async def bounded_map(
    items: Sequence[T], work: Callable[[T], Awaitable[R]], limit: int, done: Callable[[], None]
) -> list[R]:
    """`work` on every item with at most `limit` running at once; results in order."""
    slots = asyncio.Semaphore(max(limit, 1))

    async def one(item: T) -> R:
        async with slots:
            result = await work(item)
        done()
        return result

    return list(await asyncio.gather(*(one(i) for i in items)))


@dataclass(frozen=True)
class HostObservations:
    """What the host-level probes saw, for Observations."""

    tls: tuple[TlsScan, ...] = ()
    certificates: tuple[CertificateScan, ...] = ()
    plain_http: tuple[HttpExchange, ...] = ()
    dns: tuple[HostResolution, ...] = ()
    domains: tuple[DomainRecord, ...] = ()
    failed: dict[str, str] = field(default_factory=dict)
    """Observation kinds whose probe crashed, with the reason (their requirements end as `error`)."""


Exchange = Callable[[HttpRequestSpec, int], Awaitable[HttpExchange]]


@dataclass
class HostProber:
    """Runs the host-level probes a scan's checks need, within the scan's policy and limits."""

    request: ScanRequest
    policy: ConnectionPolicy
    resolve: ResolveMap
    """The scan's mutable --resolve map: takeover confirmation pins names to the DNS answer."""
    exchange: Exchange
    observer: ScanObserver

    async def run(self, inventory: Inventory, needs: set[str]) -> HostObservations:
        """Every host-level observation `needs` asks for (nothing for kinds no selected check needs)."""
        req = self.request
        endpoints = https_endpoints(inventory)
        targets: list[HostTarget] = []
        problems: list[Unreachable] = []
        if needs & {"tls", "certificate"}:
            targets, problems = await resolve_targets(endpoints, self.resolve, self.policy, req.timeout)
        self.observer.phase("hosts", _count(needs, targets, endpoints))
        failed: dict[str, str] = {}
        tls, certificates, plain, resolutions = await asyncio.gather(
            _guarded("tls", self._tls(targets, problems), needs, failed),
            _guarded("certificate", self._certificates(targets, problems), needs, failed),
            _guarded("plain-http", self._plain_http(https_endpoints(inventory, links=False)), needs, failed),
            _guarded("dns", self._dns(inventory), needs, failed),
        )
        domains: tuple[DomainRecord, ...] = ()
        if needs & {"rdap", "dns"}:
            names = [*named_hosts(inventory)] if "rdap" in needs else []
            names += cname_targets(resolutions)
            settings = RdapSettings(
                enabled=req.rdap, rdap_url=req.rdap_url, timeout=req.timeout, ca_bundle=req.ca_bundle
            )
            domains = await _guarded("rdap", lookup_domains(names, settings), needs | {"rdap"}, failed)
        return HostObservations(tls, certificates, plain, resolutions, domains, failed)

    async def _tls(
        self, targets: Sequence[HostTarget], problems: Sequence[Unreachable]
    ) -> tuple[TlsScan, ...]:
        timeout = self.request.timeout
        scans = await bounded_map(
            targets, lambda t: scan_tls(t, timeout=timeout), TARGETS_AT_ONCE, self.observer.advance
        )
        return (*scans, *(TlsScan(HostTarget(p.host, p.port, ""), error=p.reason) for p in problems))

    async def _certificates(
        self, targets: Sequence[HostTarget], problems: Sequence[Unreachable]
    ) -> tuple[CertificateScan, ...]:
        timeout, bundle = self.request.timeout, self.request.ca_bundle
        scans = await bounded_map(
            targets,
            lambda t: fetch_certificate(t, timeout=timeout, ca_bundle=bundle),
            TARGETS_AT_ONCE,
            self.observer.advance,
        )
        return (*scans, *(CertificateScan(HostTarget(p.host, p.port, ""), error=p.reason) for p in problems))

    async def _plain_http(self, endpoints: Sequence[tuple[str, int]]) -> tuple[HttpExchange, ...]:
        specs = plain_http_requests(endpoints, self.request.plain_http_port)
        return tuple(
            await bounded_map(
                specs, lambda s: self.exchange(s, 64 * 1024), TARGETS_AT_ONCE, self.observer.advance
            )
        )

    async def _dns(self, inventory: Inventory) -> tuple[HostResolution, ...]:
        req = self.request
        names = list(named_hosts(inventory))
        if req.zone_file:
            names += names_from_zone_file(req.zone_file)
        if req.hosts_file:
            names += names_from_hosts_file(req.hosts_file)
        extra = {n.lower().rstrip(".") for n in names} - set(named_hosts(inventory))
        self.policy.user_hosts.update(extra)  # the user named them: fingerprint requests may go there
        settings = DnsSettings(server=req.dns_server, timeout=min(req.timeout, 5.0))
        resolutions = await resolve_names(list(dict.fromkeys(names)), settings)
        table = load_services(takeover_data(req))
        return await confirm(resolutions, table, self._fetch)

    async def _fetch(self, url: str, address: str) -> HttpExchange:
        parts = urlsplit(url)
        host = (parts.hostname or "").lower()
        port = parts.port or (443 if parts.scheme == "https" else 80)
        self.resolve.setdefault((host, port), address)  # the DNS view R4 judged, not the system resolver's
        endpoint = Endpoint(url=url, kind=EndpointKind.PAGE, source="takeover fingerprint (R4)")
        return await self.exchange(HttpRequestSpec("GET", url, endpoint, purpose="takeover"), 64 * 1024)


TARGETS_AT_ONCE = 4
"""Hosts probed at once by the TLS and certificate probes (each opens a few sockets of its own)."""


def _count(needs: set[str], targets: Sequence[HostTarget], endpoints: Sequence[tuple[str, int]]) -> int:
    hosts = len({h for h, _p in endpoints})
    return len(targets) * (("tls" in needs) + ("certificate" in needs)) + hosts * ("plain-http" in needs)


async def _guarded(
    kind: str, work: Awaitable[tuple[T, ...]], needs: set[str], failed: dict[str, str]
) -> tuple[T, ...]:
    """Run one probe kind if needed; a crash is recorded, never raised (its checks end as `error`)."""
    if kind not in needs:
        if asyncio.iscoroutine(work):
            work.close()
        return ()
    try:
        return await work
    except ValueError as exc:  # unusable settings, e.g. no system resolver
        failed[kind] = f"{kind}: {exc}"
    except Exception as exc:  # one probe's bug must not stop the scan
        failed[kind] = f"{kind} probe crashed: {type(exc).__name__}: {exc}"
    return ()
