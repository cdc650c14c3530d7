"""Attack pacing per host (pure asyncio timing on the event loop's clock)."""

from __future__ import annotations

import asyncio
import time

from connectsec.probes.http import Pacer


def test_pacer_spaces_requests() -> None:
    async def go() -> float:
        pacer = Pacer(rate=50.0)
        started = time.monotonic()
        await asyncio.gather(*(pacer.wait() for _ in range(11)))
        return time.monotonic() - started

    elapsed = asyncio.run(go())
    assert 0.18 <= elapsed < 1.0  # 10 intervals of 20 ms


def test_unpaced_pacer_never_waits() -> None:
    async def go() -> float:
        pacer = Pacer(rate=None)
        started = time.monotonic()
        await asyncio.gather(*(pacer.wait() for _ in range(1000)))
        return time.monotonic() - started

    assert asyncio.run(go()) < 0.5
