"""Getting the descriptor: a bounded https fetch or a local file."""

from __future__ import annotations

from pathlib import Path

from connectsec.descriptor.errors import DescriptorError
from connectsec.model import Endpoint, EndpointKind, HttpExchange, HttpRequestSpec
from connectsec.probes.http import HttpProbe

MAX_DESCRIPTOR_BYTES = 4_000_000


def is_url(descriptor: str) -> bool:
    """Whether the descriptor argument is a URL rather than a file path."""
    return descriptor.lower().startswith(("https://", "http://"))


async def fetch_descriptor(probe: HttpProbe, url: str) -> tuple[bytes, HttpExchange]:
    """Fetch the descriptor within the size cap; DescriptorError (one line) when unusable."""
    endpoint = Endpoint(url=url, kind=EndpointKind.DESCRIPTOR, source="descriptor")
    spec = HttpRequestSpec(
        method="GET",
        url=url,
        endpoint=endpoint,
        headers=(("Accept", "application/json"),),
        purpose="descriptor",
    )
    exchange = await probe.exchange(spec, max_body=MAX_DESCRIPTOR_BYTES + 1)
    final = exchange.final
    if exchange.error:
        raise DescriptorError(f"cannot fetch descriptor: {exchange.error}")
    if exchange.redirect_not_followed:
        raise DescriptorError(f"cannot fetch descriptor: {exchange.redirect_not_followed}")
    assert final is not None
    if final.status != 200:
        raise DescriptorError(f"cannot fetch descriptor: {final.url} answered HTTP {final.status}")
    if final.body_truncated or len(final.body) > MAX_DESCRIPTOR_BYTES:
        raise DescriptorError(
            f"descriptor at {url} is larger than {MAX_DESCRIPTOR_BYTES:,} bytes; not a Connect descriptor"
        )
    return final.body, exchange


def read_descriptor_file(path: str) -> bytes:
    """Read a local descriptor within the size cap."""
    file = Path(path)
    try:
        size = file.stat().st_size
        if not file.is_file():
            raise DescriptorError(f"{path} is not a file")
        if size > MAX_DESCRIPTOR_BYTES:
            raise DescriptorError(
                f"{path} is larger than {MAX_DESCRIPTOR_BYTES:,} bytes; not a Connect descriptor"
            )
        return file.read_bytes()
    except OSError as exc:
        raise DescriptorError(f"cannot read {path}: {exc.strerror or exc}") from None
