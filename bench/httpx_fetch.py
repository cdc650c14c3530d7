"""Peer for the scan benchmark: plain httpx fetching a list of URLs, nothing else.

Usage: python bench/httpx_fetch.py URLS_FILE CA_PEM CONCURRENCY
Shows how much of a scan's time is the HTTP library itself (same library, same parallelism).
"""

from __future__ import annotations

import asyncio
import ssl
import sys

import httpx


async def main(urls: list[str], ca: str, concurrency: int) -> None:
    gate = asyncio.Semaphore(concurrency)
    limits = httpx.Limits(max_connections=concurrency)
    async with httpx.AsyncClient(
        verify=ssl.create_default_context(cafile=ca), http2=True, limits=limits
    ) as client:

        async def one(url: str) -> None:
            async with gate:
                await client.get(url)

        await asyncio.gather(*(one(u) for u in urls))


if __name__ == "__main__":
    path, ca_pem, parallel = sys.argv[1], sys.argv[2], int(sys.argv[3])
    with open(path, encoding="utf-8") as handle:
        asyncio.run(main(handle.read().split(), ca_pem, parallel))
