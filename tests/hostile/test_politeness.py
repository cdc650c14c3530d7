"""Politeness measured by a counting server: --attack-rate per host, per-host concurrency (the scan-level
concurrency test lives in tests/e2e/test_engine.py)."""

from __future__ import annotations

import asyncio
import time
from collections.abc import Iterator

import pytest
from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import HTMLResponse, Response
from starlette.routing import Route

from connectsec.demo.server import TlsAppServer
from connectsec.model import Endpoint, EndpointKind, HttpRequestSpec
from connectsec.probes.http import HttpProbe, HttpSettings
from connectsec.probes.netpolicy import ConnectionPolicy
from connectsec.probes.trust import build_trust
from connectsec.redact import Redactor

RATE = 20.0
REQUESTS = 50


class Counts:
    """Arrival times and the most requests in flight at once."""

    def __init__(self) -> None:
        self.arrivals: list[float] = []
        self.now = 0
        self.peak = 0

    def busiest_second(self) -> int:
        """The most arrivals within any one-second window."""
        times = sorted(self.arrivals)
        return max(sum(1 for t in times[i:] if t < start + 1.0) for i, start in enumerate(times))


def counting_app(counts: Counts) -> Starlette:
    async def page(_: Request) -> Response:
        counts.arrivals.append(time.monotonic())
        counts.now += 1
        counts.peak = max(counts.peak, counts.now)
        await asyncio.sleep(0.1)
        counts.now -= 1
        return HTMLResponse("<p>counted</p>")

    return Starlette(routes=[Route("/p/{n}", page)])


@pytest.fixture
def counted() -> Iterator[tuple[TlsAppServer, Counts]]:
    counts = Counts()
    with TlsAppServer(lambda _base: counting_app(counts)) as server:
        yield server, counts


async def send_all(server: TlsAppServer, purpose: str, settings: HttpSettings) -> list[str | None]:
    policy = ConnectionPolicy(user_hosts={"localhost"})
    async with HttpProbe(settings, build_trust(server.ca_pem), policy, Redactor(())) as probe:
        specs = [
            HttpRequestSpec(
                "GET",
                f"{server.base_url}/p/{i}",
                Endpoint(url=f"{server.base_url}/p/{i}", kind=EndpointKind.PAGE, source="test"),
                purpose=purpose,
            )
            for i in range(REQUESTS)
        ]
        exchanges = await asyncio.gather(*(probe.exchange(s) for s in specs))
    return [x.error for x in exchanges]


@pytest.mark.slow
def test_attack_rate_is_honoured_per_host(counted: tuple[TlsAppServer, Counts]) -> None:
    server, counts = counted
    settings = HttpSettings(timeout=10, attack_rate=RATE, per_host=8)
    errors = asyncio.run(send_all(server, "attack:test", settings))
    assert errors == [None] * REQUESTS
    assert len(counts.arrivals) == REQUESTS
    assert counts.arrivals[-1] - counts.arrivals[0] >= (REQUESTS - 1) / RATE * 0.9  # starts 1/RATE apart
    assert counts.busiest_second() <= RATE * 1.5  # generous: unpaced, all 50 arrive within a second


def test_views_are_not_paced_but_per_host_concurrency_holds(counted: tuple[TlsAppServer, Counts]) -> None:
    server, counts = counted
    settings = HttpSettings(timeout=10, attack_rate=RATE, per_host=4, concurrency=16)
    errors = asyncio.run(send_all(server, "baseline", settings))
    assert errors == [None] * REQUESTS
    assert 1 < counts.peak <= 4
    assert counts.busiest_second() > RATE + 1  # baseline views only obey the concurrency limits
