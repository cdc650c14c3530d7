"""Takeover runs end to end: loopback DNS and web servers, resolve, confirm, judge."""

from __future__ import annotations

from collections.abc import Sequence

from connectsec.checks.domain.takeover import TAKEOVER_CHECK
from connectsec.model import CheckResult, Inventory, Observations
from connectsec.model.dns import HostResolution
from connectsec.model.domain import DomainRecord
from connectsec.takeover.confirm import Fetch, confirm
from connectsec.takeover.resolve import DnsSettings, resolve_names
from connectsec.takeover.services import load_services

BASE = "https://app.acme-app.com"


def observe(resolutions: Sequence[HostResolution], domains: Sequence[DomainRecord] = ()) -> Observations:
    """Observations holding only DNS (and RDAP) records."""
    inventory = Inventory(
        descriptor_url=f"{BASE}/atlassian-connect.json",
        app_key="app",
        app_name="App",
        base_url=BASE,
        authentication="jwt",
        endpoints=(),
        hosts=("app.acme-app.com",),
    )
    return Observations(inventory=inventory, dns=tuple(resolutions), domains=tuple(domains))


async def run(
    names: Sequence[str],
    server: tuple[str, int],
    fetch: Fetch,
    domains: Sequence[DomainRecord] = (),
    timeout: float = 2.0,
) -> tuple[CheckResult, tuple[HostResolution, ...]]:
    """Resolve, confirm with the bundled table, judge."""
    resolved = await resolve_names(names, DnsSettings(server=server, timeout=timeout))
    confirmed = await confirm(resolved, load_services(), fetch)
    return TAKEOVER_CHECK.judge(observe(confirmed, domains)), confirmed


def found(result: CheckResult) -> set[tuple[str, str]]:
    """(location, rule) of every finding."""
    return {(f.location, f.rule) for f in result.findings}
