"""One scan, end to end: descriptor, inventory, probes, crawl, judgement, report."""

from __future__ import annotations

import asyncio
import json
import time
from collections.abc import Sequence
from dataclasses import dataclass, replace
from datetime import UTC, datetime
from urllib.parse import urlsplit

from connectsec import __version__
from connectsec.auth.credentials import Credentials, Tenant
from connectsec.auth.minting import TokenMinter, without_jwt
from connectsec.catalog.requirements import REQUIREMENTS
from connectsec.checks.auth.install import install_requests, uninstall
from connectsec.checks.base import ActiveCheck, AttackContext, Check
from connectsec.checks.registry import CHECKS, configured
from connectsec.connect_jwt import InstallKeyPair
from connectsec.descriptor.errors import DescriptorError
from connectsec.descriptor.fetch import fetch_descriptor, is_url, read_descriptor_file
from connectsec.descriptor.parse import app_url, build_inventory, load_descriptor
from connectsec.engine.api_discovery import discover_api
from connectsec.engine.crawl import discovered_endpoints, origin_of
from connectsec.engine.fresh_data import retire_data
from connectsec.engine.hosts import HostObservations, HostProber
from connectsec.engine.observer import NullObserver, ScanObserver
from connectsec.engine.redaction import redact_result
from connectsec.engine.request import ScanRequest
from connectsec.engine.rollup import NOT_IMPLEMENTED, error_result, roll_up, skipped_result
from connectsec.engine.source_phase import SourceObservations, scan_source
from connectsec.model import (
    AuthMode,
    CheckResult,
    Endpoint,
    EndpointKind,
    HttpExchange,
    HttpRequestSpec,
    Inventory,
    Observations,
    Report,
    RequirementResult,
    ScanStats,
    Target,
)
from connectsec.model.storage import StorageProbe
from connectsec.probes.http import HttpProbe, HttpSettings
from connectsec.probes.netpolicy import ConnectionPolicy
from connectsec.probes.trust import build_trust
from connectsec.redact import Redactor
from connectsec.sources.common import Found
from connectsec.sources.har import har_endpoints
from connectsec.sources.openapi import openapi_endpoints
from connectsec.storage.probe import probe_storage, storage_hosts
from connectsec.storage.references import find_references
from connectsec.suppressions import Suppression, apply_suppressions


@dataclass(frozen=True)
class Discovery:
    """The inventory and the descriptor exchange (None for a local file)."""

    inventory: Inventory
    descriptor_exchange: HttpExchange | None


CONTEXT_TOKEN = "context-token"
"""The `tenant` of requests that carry the user's --context-jwt-file token as it is."""


class Scanner:
    """Holds one scan's probe, policy and redactor; use `async with`."""

    def __init__(self, request: ScanRequest, observer: ScanObserver | None = None) -> None:
        self.request = request
        self.observer: ScanObserver = observer or NullObserver()
        self.credentials = request.credentials
        """The tenants in use: the user's, or a throwaway one registered by --self-install."""
        self.redactor = Redactor(request.credentials.secrets())
        self.trust = build_trust(request.ca_bundle)
        self.policy = ConnectionPolicy(allow_private=request.allow_private)
        self._resolve = dict(request.resolve)
        """The --resolve map; R4's fingerprint requests pin names to the addresses DNS gave."""
        self.policy.user_hosts.update(h for (h, _p) in request.resolve)
        for url in (request.descriptor, request.base_url or "", *request.extra_endpoints):
            if is_url(url):
                self.policy.user_hosts.add((urlsplit(url).hostname or "").lower())
        settings = HttpSettings(
            timeout=request.timeout,
            max_body=request.max_body,
            concurrency=request.concurrency,
            per_host=request.per_host,
            proxy=request.proxy,
            resolve=self._resolve,
            insecure=request.insecure,
            attack_rate=request.attack_rate,
        )
        self.probe = HttpProbe(settings, self.trust, self.policy, self.redactor)
        self._slots = asyncio.Semaphore(request.concurrency)
        self._minter: TokenMinter | None = None
        self._self_installed: HttpRequestSpec | None = None
        self._install_key: InstallKeyPair | None = None

    async def __aenter__(self) -> Scanner:
        return self

    async def __aexit__(self, *exc: object) -> None:
        await self.probe.aclose()

    async def discover(self) -> Discovery:
        """Fetch and validate the descriptor and build the inventory (DescriptorError if unusable)."""
        req = self.request
        self.observer.phase("descriptor")
        exchange: HttpExchange | None = None
        if is_url(req.descriptor):
            data, exchange = await fetch_descriptor(self.probe, req.descriptor)
            source = req.descriptor
        else:
            data = read_descriptor_file(req.descriptor)
            source = req.descriptor
        model, raw = load_descriptor(data, source)
        base = req.base_url or model.base_url
        self._minter = TokenMinter(base)
        descriptor_url = req.descriptor if is_url(req.descriptor) else f"file:{req.descriptor}"
        inventory = build_inventory(model, raw, descriptor_url, req.base_url)
        self.policy.app_hosts.update(inventory.hosts)
        if req.base_url:
            self.policy.user_hosts.add((urlsplit(req.base_url).hostname or "").lower())
        if not is_url(req.descriptor) and not req.base_url:
            await self._require_reachable(base)
        extras = tuple(_extra_endpoint(base, e) for e in req.extra_endpoints)
        found = Found()
        try:
            if req.har:
                har_endpoints(req.har, self.app_origins(inventory), found)
            if req.openapi:
                openapi_endpoints(req.openapi, base, self.app_origins(inventory), found)
        except ValueError as exc:
            raise DescriptorError(str(exc)) from None
        inventory = inventory.with_endpoints((*extras, *found.endpoints)).with_notes(found.notes)
        return Discovery(inventory, exchange)

    def app_origins(self, inventory: Inventory) -> set[str]:
        """Origins of the app's own pages and APIs (baseUrl and endpoint hosts the scan may reach)."""
        origins = {origin_of(inventory.base_url)} | {
            origin_of(e.url) for e in inventory.endpoints if e.kind is not EndpointKind.STATIC
        }
        return {o for o in origins if urlsplit(o).hostname in self.policy.app_hosts | self.policy.user_hosts}

    async def _require_reachable(self, base: str) -> None:
        endpoint = Endpoint(url=base, kind=EndpointKind.PAGE, source="baseUrl")
        probe = await self.probe.exchange(
            HttpRequestSpec("GET", base, endpoint, purpose="reachability"), 4096
        )
        if probe.final is None:
            raise DescriptorError(
                f"the descriptor's baseUrl {base} is not reachable ({probe.error}); give --base-url"
            )

    def baseline_requests(self, inventory: Inventory) -> list[HttpRequestSpec]:
        """The plain unauthenticated request for every endpoint (the descriptor is already fetched),
        then, with a tenant secret, the same requests as the product would send them."""
        return self.requests_for(inventory.endpoints)

    def requests_for(self, endpoints: Sequence[Endpoint]) -> list[HttpRequestSpec]:
        """Baseline and authenticated-view requests for these endpoints."""
        specs = []
        for endpoint in endpoints:
            if endpoint.kind is EndpointKind.DESCRIPTOR:
                continue
            if endpoint.method == "POST" and not self.request.state_changing:
                continue  # --no-state-changing: no lifecycle or webhook calls at all
            if endpoint.method == "POST":
                spec = HttpRequestSpec(
                    "POST", endpoint.url, endpoint, (("Content-Type", "application/json"),), b"{}"
                )
            else:
                spec = HttpRequestSpec(endpoint.method, endpoint.url, endpoint)
            specs.append(spec)
        return specs + self.authenticated_view(specs)

    def authenticated_view(self, specs: Sequence[HttpRequestSpec]) -> list[HttpRequestSpec]:
        """With a tenant secret: every page, webhook and API request again, carrying a correct token.

        Static assets and cacheable modules are loaded without a token by the product; lifecycle
        callbacks are never replayed with valid tokens (that could disable or reinstall the app).
        """
        skipped = {EndpointKind.STATIC, EndpointKind.DESCRIPTOR, EndpointKind.LIFECYCLE}
        eligible = [
            s
            for s in specs
            if s.auth is AuthMode.NONE and s.endpoint.kind not in skipped and not s.endpoint.cacheable
        ]
        tenant = self.credentials.primary
        if tenant is not None and tenant.shared_secret:
            return [replace(s, auth=AuthMode.TENANT, tenant=tenant.name) for s in eligible]
        context = self.credentials.context_jwt
        if context:  # endpoints the app's front end calls with AP.context.getToken()
            header = ("Authorization", f"JWT {context}")
            return [
                replace(s, auth=AuthMode.TENANT, tenant=CONTEXT_TOKEN, headers=(*s.headers, header))
                for s in eligible
                if s.endpoint.kind in (EndpointKind.API, EndpointKind.EXTRA)
            ]
        return []

    async def probe_all(self, specs: Sequence[HttpRequestSpec]) -> list[HttpExchange]:
        """Send requests concurrently, results in request order; tokens are minted just before sending."""

        async def one(spec: HttpRequestSpec) -> HttpExchange:
            async with self._slots:
                result = await self.probe.exchange(self._signed(spec))
            self.observer.advance()
            return result

        return list(await asyncio.gather(*(one(s) for s in specs)))

    def _signed(self, spec: HttpRequestSpec) -> HttpRequestSpec:
        if spec.prepare is not None:
            return spec.prepare(spec)
        if spec.auth is not AuthMode.TENANT or spec.tenant == CONTEXT_TOKEN:
            return spec
        tenant = next(t for t in self.credentials.tenants if t.name == spec.tenant)
        if self._minter is None:
            raise RuntimeError("no baseUrl known for minting tokens")
        return self._minter.sign(spec, tenant)

    async def probe_script_apis(self, inventory: Inventory, exchanges: list[HttpExchange]) -> Inventory:
        """API endpoints the app's scripts call, added to the inventory and probed like the others
        (so the authentication checks attack them too)."""
        found = discover_api(exchanges, self.app_origins(inventory))
        known = {(e.method, e.url) for e in inventory.endpoints}
        new = tuple(e for e in found.endpoints if (e.method, e.url) not in known)
        if not new and not found.notes:
            return inventory
        inventory = inventory.with_endpoints(new).with_notes(found.notes)
        specs = self.requests_for(new)
        if specs:
            self.observer.phase("probing script APIs", len(specs))
            exchanges.extend(await self.probe_all(specs))
        return inventory

    async def probe_storage(
        self, inventory: Inventory, exchanges: list[HttpExchange]
    ) -> tuple[StorageProbe, ...]:
        """Anonymous list/read (and, if allowed, write) of every storage location the app references."""
        refs = find_references(Observations(inventory, tuple(exchanges)))
        if not refs:
            return ()
        self.policy.app_hosts.update(host for host, _port in storage_hosts(refs))
        buckets = {ref.bucket.lower() for ref in refs}

        async def fetch(spec: HttpRequestSpec) -> HttpExchange:
            parts = urlsplit(spec.url)
            host = (parts.hostname or "").lower()
            first = parts.path.lstrip("/").split("/", 1)[0].lower()
            if host.endswith(".amazonaws.com") and (host.split(".s3", 1)[0] in buckets or first in buckets):
                self.policy.app_hosts.add(host)  # S3's redirect to the bucket's own region
            return await self.probe.exchange(spec)

        self.observer.phase("probing storage", len(refs))
        return await probe_storage(refs, fetch, allow_write=self.request.allow_write_probe)

    async def crawl(
        self, inventory: Inventory, exchanges: list[HttpExchange]
    ) -> tuple[list[Endpoint], list[HttpExchange]]:
        """Follow same-origin links from HTML pages, breadth first, within the page and depth caps."""
        origins = self.app_origins(inventory)
        known = {e.url for e in inventory.endpoints} | {
            without_jwt(x.final.url) for x in exchanges if x.final
        }
        budget = self.request.crawl_pages
        found: list[Endpoint] = []
        crawled: list[HttpExchange] = []
        frontier = exchanges
        for _depth in range(self.request.crawl_depth):
            batch: list[Endpoint] = []
            for exchange in frontier:
                for endpoint in discovered_endpoints(exchange, origins):
                    if endpoint.url in known or len(batch) >= budget:
                        continue
                    known.add(endpoint.url)
                    batch.append(endpoint)
            if not batch:
                break
            budget -= len(batch)
            specs = [HttpRequestSpec("GET", e.url, e, purpose="crawl") for e in batch]
            specs += self.authenticated_view(specs)
            self.observer.phase("crawling", len(specs))
            frontier = await self.probe_all(specs)
            found.extend(batch)
            crawled.extend(frontier)
            if budget <= 0:
                break
        return found, crawled

    async def run(self, checks: Sequence[Check] = CHECKS) -> Report:
        """The whole scan; DescriptorError when the descriptor is unusable."""
        started = datetime.now(UTC)
        clock = time.perf_counter()
        try:
            checks = configured(tuple(checks), retire_data(self.request), self.request.advisory_max_age)
        except ValueError as exc:
            raise DescriptorError(str(exc)) from None
        if not self.request.descriptor:
            return await self.run_source_only(checks, started, clock)
        discovery = await self.discover()
        inventory = discovery.inventory
        needs = {n for c in checks if c.requirement in self.request.requirements for n in c.needs}
        exchanges: list[HttpExchange] = []
        prober = HostProber(self.request, self.policy, self._resolve, self.probe.exchange, NullObserver())
        hosts = asyncio.create_task(prober.run(inventory, needs))  # TLS, DNS, RDAP beside the HTTP scan
        source = asyncio.create_task(self.scan_source(needs))  # and the repository, in threads
        try:
            return await self._scan(
                checks, discovery, inventory, needs, exchanges, started, clock, hosts, source
            )
        finally:
            for task in (hosts, source):
                if not task.done():
                    task.cancel()
            await self.self_uninstall(inventory)

    async def scan_source(self, needs: set[str]) -> SourceObservations:
        """The repository's secrets, dependencies and code, when --source is given and a check needs them."""
        if "source" not in needs or not self.request.source:
            return SourceObservations()
        return await scan_source(self.request, self.redactor)

    async def run_source_only(self, checks: Sequence[Check], started: datetime, clock: float) -> Report:
        """`connectsec scan --source PATH` without a running app: only the checks of the code run."""
        source_checks = [c for c in checks if c.needs and c.needs <= {"source"}]
        needs = {n for c in source_checks if c.requirement in self.request.requirements for n in c.needs}
        source = await self.scan_source(needs)
        inventory = Inventory(f"source:{self.request.source}", "", "source tree", "", "", (), ())
        observations = Observations(
            inventory, secrets=source.secrets, dependencies=source.dependencies, code=source.code
        )
        covered = {c.requirement for c in source_checks}
        disabled = {
            r.id: "needs the running app: give the descriptor URL (this scan read the source only)"
            for r in REQUIREMENTS
            if r.id not in covered
        }
        results = judge(
            source_checks,
            observations,
            self.request.requirements,
            self.redactor,
            disabled=disabled,
            suppressions=self.request.suppressions,
        )
        return self.report(inventory, results, [], started, clock)

    async def _scan(
        self,
        checks: Sequence[Check],
        discovery: Discovery,
        inventory: Inventory,
        needs: set[str],
        exchanges: list[HttpExchange],
        started: datetime,
        clock: float,
        hosts: asyncio.Task[HostObservations],
        source_task: asyncio.Task[SourceObservations],
    ) -> Report:
        if self.request.self_install and not self.credentials.can_mint and self.request.state_changing:
            exchanges.extend(await self.self_install(inventory))
        if "http" in needs:
            specs = self.baseline_requests(inventory)
            self.observer.phase("probing", len(specs))
            exchanges = await self.probe_all(specs)
            crawled_endpoints, crawled = await self.crawl(inventory, exchanges)
            inventory = inventory.with_endpoints(tuple(crawled_endpoints))
            exchanges.extend(crawled)
            inventory = await self.probe_script_apis(inventory, exchanges)
        if discovery.descriptor_exchange is not None:
            exchanges.insert(0, discovery.descriptor_exchange)
        storage: tuple[StorageProbe, ...] = ()
        crashed: dict[str, str] = {}
        if "storage" in needs and self.request.storage_probe:
            try:
                storage = await self.probe_storage(inventory, exchanges)
            except Exception as exc:  # one probe's bug must not stop the scan
                crashed["R6"] = self.redactor.text(f"storage probe crashed: {type(exc).__name__}: {exc}")
        crashed |= await self.run_attacks(checks, inventory, exchanges)
        if not hosts.done():
            self.observer.phase("hosts")
        host_observations = await hosts
        source = await source_task
        for check in checks:
            for kind in sorted(check.needs & host_observations.failed.keys()):
                crashed.setdefault(check.requirement, self.redactor.text(host_observations.failed[kind]))
        unverified = tuple(sorted(self.probe.unverified_hosts))
        observations = Observations(
            inventory,
            tuple(exchanges),
            unverified,
            tls=host_observations.tls,
            certificates=host_observations.certificates,
            domains=host_observations.domains,
            dns=host_observations.dns,
            plain_http=host_observations.plain_http,
            expiry_warn_days=self.request.expiry_warn_days,
            known_secrets=tuple(t.shared_secret for t in self.credentials.tenants if t.shared_secret),
            storage=storage,
            secrets=source.secrets,
            dependencies=source.dependencies,
            code=source.code,
        )
        self.observer.phase("judging", len(REQUIREMENTS))
        disabled = {}
        if not self.request.storage_probe:
            switch = "--offline" if self.request.offline else "--no-storage-probe"
            disabled["R6"] = f"storage probing is off ({switch}): the referenced storage was not contacted"
        results = judge(
            checks,
            observations,
            self.request.requirements,
            self.redactor,
            self.curl_options(),
            crashed,
            disabled,
            self.request.suppressions,
        )
        warnings = [*self.trust.notes, *inventory.notes]
        for host in unverified:
            warnings.insert(
                0,
                f"TLS certificate of {host} did not verify ({self.probe.unverified_hosts[host]}); "
                "scanned without verification, credentials are never sent to it",
            )
        return self.report(inventory, results, warnings, started, clock)

    def report(
        self,
        inventory: Inventory,
        results: tuple[RequirementResult, ...],
        warnings: Sequence[str],
        started: datetime,
        clock: float,
    ) -> Report:
        """The report of this scan, everything the user could see redacted."""
        stats = self.probe.stats
        url = self.redactor.url
        return Report(
            tool_version=__version__,
            target=Target(
                url(inventory.descriptor_url), inventory.app_key, inventory.app_name, url(inventory.base_url)
            ),
            started_at=started.isoformat(timespec="seconds").replace("+00:00", "Z"),
            finished_at=datetime.now(UTC).isoformat(timespec="seconds").replace("+00:00", "Z"),
            requirements=results,
            endpoints=tuple(self.redacted(e) for e in inventory.endpoints),
            options=tuple((k, url(v)) for k, v in self.request.option_pairs()),
            warnings=tuple(self.redactor.text(w) for w in warnings),
            stats=ScanStats(
                requests_sent=stats.requests_sent,
                responses_received=stats.responses_received,
                bytes_received=stats.bytes_received,
                duration_s=round(time.perf_counter() - clock, 3),
            ),
        )

    async def self_install(self, inventory: Inventory) -> list[HttpExchange]:
        """Register a throwaway tenant through an install the app should refuse (opt-in, --self-install).

        Tries the install forgeries in order; the first the app accepts gives the scan a tenant whose
        secret it knows, so R9 and R13 can run. The exchanges are kept: R5 reports the accepted install.
        """
        installed = next((e for e in inventory.endpoints if e.source == "lifecycle.installed"), None)
        if installed is None:
            return []
        key = self._install_key = InstallKeyPair.generate()
        attempts = await self.probe_all(install_requests(inventory, installed, key))
        for exchange in attempts:
            final = exchange.final
            if final is not None and 200 <= final.status < 300:
                payload = json.loads(exchange.request.body or b"{}")
                tenant = Tenant("self-installed", payload["clientKey"], payload["sharedSecret"])
                self.credentials = Credentials((tenant, *self.credentials.tenants))
                self.redactor.add_secrets([payload["sharedSecret"]])
                self._self_installed = exchange.request
                self.observer.note(
                    f"registered a throwaway tenant through an accepted {exchange.request.purpose} install"
                )
                break
        return attempts

    async def self_uninstall(self, inventory: Inventory) -> None:
        """Remove the throwaway tenant again (also after errors and Ctrl-C)."""
        accepted, key = self._self_installed, self._install_key
        uninstalled = next((e for e in inventory.endpoints if e.source == "lifecycle.uninstalled"), None)
        if accepted is None or key is None or uninstalled is None:
            return
        self._self_installed = None
        results = await uninstall([accepted], uninstalled, inventory, key, self.probe_all)
        if not any(x.final is not None and 200 <= x.final.status < 300 for x in results):
            self.observer.note("could not uninstall the throwaway tenant registered by --self-install")

    async def run_attacks(
        self, checks: Sequence[Check], inventory: Inventory, exchanges: list[HttpExchange]
    ) -> dict[str, str]:
        """Let each selected active check send its attacks; their exchanges join `exchanges`.

        Returns the requirements whose attack phase raised, with the (redacted) reason.
        """
        active = [
            c for c in checks if c.requirement in self.request.requirements and isinstance(c, ActiveCheck)
        ]
        crashed: dict[str, str] = {}
        if not active:
            return crashed
        budget = [self.request.max_attack_requests]

        async def send(specs: Sequence[HttpRequestSpec]) -> list[HttpExchange]:
            allowed = list(specs[: max(budget[0], 0)])
            budget[0] -= len(allowed)
            self.observer.phase("attacking", len(specs))
            sent = await self.probe_all(allowed)
            over = [
                HttpExchange(s, error="attack request budget exhausted (--max-attack-requests)")
                for s in specs[len(allowed) :]
            ]
            return sent + over

        baseline = Observations(inventory, tuple(exchanges))
        for check in active:
            context = AttackContext(
                observations=baseline,
                credentials=self.credentials,
                state_changing=self.request.state_changing,
                allow_install_hijack=self.request.allow_install_hijack,
                max_requests=self.request.max_attack_requests,
            )
            try:
                exchanges.extend(await check.attack(context, send))
            except Exception as exc:  # one check's bug must not stop the others
                crashed[check.requirement] = self.redactor.text(
                    f"attacks of {type(check).__name__} crashed: {type(exc).__name__}: {exc}"
                )
        return crashed

    def curl_options(self) -> tuple[str, ...]:
        """curl options that reach the target the way this scan did."""
        options: list[str] = []
        if self.request.ca_bundle:
            options += ["--cacert", self.request.ca_bundle]
        for (host, port), address in sorted(self.request.resolve.items()):
            options += ["--resolve", f"{host}:{port}:{address}"]
        if self.probe.unverified_hosts:
            options.append("--insecure")
        return tuple(options)

    def redacted(self, endpoint: Endpoint) -> Endpoint:
        """The endpoint as reports may show it: tokens in its URL masked."""
        template = self.redactor.url(endpoint.template) if endpoint.template else None
        return replace(endpoint, url=self.redactor.url(endpoint.url), template=template)


def judge(
    checks: Sequence[Check],
    observations: Observations,
    requested: Sequence[str],
    redactor: Redactor,
    curl_options: tuple[str, ...] = (),
    crashed: dict[str, str] | None = None,
    disabled: dict[str, str] | None = None,
    suppressions: Sequence[Suppression] = (),
) -> tuple[RequirementResult, ...]:
    """Run every requested check; a check that raises ends its requirement as `error`; a requirement
    the user switched off (`disabled`, with the reason) is `skipped`."""
    today = datetime.now(UTC).date()
    by_requirement: dict[str, list[Check]] = {}
    for check in checks:
        by_requirement.setdefault(check.requirement, []).append(check)
    results: list[RequirementResult] = []
    for requirement in REQUIREMENTS:
        if requirement.id not in requested:
            results.append(skipped_result(requirement.id, "not requested (--only/--skip)"))
            continue
        checks_for = by_requirement.get(requirement.id, [])
        if requirement.id in (disabled or {}):
            results.append(skipped_result(requirement.id, (disabled or {})[requirement.id]))
            continue
        if not checks_for:
            results.append(skipped_result(requirement.id, NOT_IMPLEMENTED))
            continue
        outputs: list[CheckResult] = []
        failure: str | None = (crashed or {}).get(requirement.id)
        for check in checks_for:
            if failure:
                break
            try:
                judged = redact_result(check.judge(observations), redactor, curl_options)
                outputs.append(apply_suppressions(judged, suppressions, today))
            except Exception as exc:  # one check's bug must not stop the others
                failure = redactor.text(f"check {type(check).__name__} crashed: {type(exc).__name__}: {exc}")
                break
        if failure:
            results.append(error_result(requirement.id, failure))
        else:
            results.append(roll_up(requirement.id, requirement.title, outputs))
    return tuple(results)


def _extra_endpoint(base: str, entry: str) -> Endpoint:
    url = app_url(base, entry.strip())
    return Endpoint(url=url, kind=EndpointKind.EXTRA, source="--endpoints")
