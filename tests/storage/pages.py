"""Hand-built observations holding storage references, and the pipeline the engine runs after the crawl."""

from __future__ import annotations

from dataclasses import replace

from connectsec.checks.storage import STORAGE_CHECK
from connectsec.model import AuthMode, CheckResult, EndpointKind, Observations
from connectsec.model.storage import StorageProbe
from connectsec.storage.probe import Fetch, probe_storage
from connectsec.storage.references import find_references
from tests.checks.exchanges import BASE, exchange, observe, response


def page(*snippets: str, url: str = f"{BASE}/page", auth: AuthMode = AuthMode.NONE) -> Observations:
    """Observations of one HTML page whose body holds the snippets."""
    body = ("<html><body>" + "\n".join(snippets) + "</body></html>").encode()
    seen = exchange(response(url, body=body))
    if auth is AuthMode.TENANT:
        seen = replace(seen, request=replace(seen.request, auth=auth))
    return observe(seen)


def script(text: str, url: str = f"{BASE}/static/app.js") -> Observations:
    """Observations of one same-origin script."""
    hdrs = (("content-type", "application/javascript"),)
    return observe(exchange(response(url, hdrs=hdrs, body=text.encode()), kind=EndpointKind.STATIC))


async def exchange_of(fetch: Fetch, url: str) -> Observations:
    """Observations of one URL fetched as the crawl would (a same-origin script, say)."""
    spec = exchange(response(url), kind=EndpointKind.STATIC).request
    return observe(await fetch(replace(spec, purpose="crawl")))


async def probed(observations: Observations, fetch: Fetch, allow_write: bool = False) -> Observations:
    """What the engine does after the crawl: find references, probe them, hand the records over."""
    probes: tuple[StorageProbe, ...] = await probe_storage(
        find_references(observations), fetch, allow_write=allow_write
    )
    return replace(observations, storage=probes)


async def judged(observations: Observations, fetch: Fetch, allow_write: bool = False) -> CheckResult:
    """Probe and judge."""
    return STORAGE_CHECK.judge(await probed(observations, fetch, allow_write))


def rules(result: CheckResult) -> set[tuple[str, str]]:
    """(rule, location) of every finding."""
    return {(f.rule, f.location) for f in result.findings}
