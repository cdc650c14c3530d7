"""The IANA RDAP bootstrap (dns.json): fetched at most once a day, cached, a stale copy used when offline."""

from __future__ import annotations

import hashlib
import json
import os
import tempfile
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from pathlib import Path

import httpx

from connectsec.domain.rdap_http import RdapFetchError, get
from connectsec.domain.rdap_parse import Bootstrap, RdapFormatError, load_json, parse_bootstrap, parse_date

FRESH_FOR = timedelta(hours=24)
MAX_BOOTSTRAP_BYTES = 4 * 1024 * 1024


@dataclass(frozen=True)
class LoadedBootstrap:
    """The registry and a sentence on where it came from (fresh, cached, stale and how old)."""

    bootstrap: Bootstrap
    source: str


class BootstrapUnavailable(Exception):
    """Neither a download nor a cache; the message says why."""


def default_cache_dir() -> Path:
    """$XDG_CACHE_HOME/connectsec, else ~/.cache/connectsec."""
    base = os.environ.get("XDG_CACHE_HOME") or str(Path.home() / ".cache")
    return Path(base) / "connectsec"


def cache_file(cache_dir: Path, url: str) -> Path:
    """One cache file per bootstrap URL."""
    return cache_dir / f"rdap-bootstrap-{hashlib.sha256(url.encode()).hexdigest()[:16]}.json"


async def load_bootstrap(
    client: httpx.AsyncClient, url: str, cache_dir: Path, timeout: float, now: datetime
) -> LoadedBootstrap:
    """A cache younger than a day, else a download (then cached), else any older cache."""
    path = cache_file(cache_dir, url)
    cached = _read_cache(path)
    if cached is not None and now - cached[1] < FRESH_FOR:
        return LoadedBootstrap(cached[0], f"IANA bootstrap {url} (cached {_age(now - cached[1])} ago)")
    try:
        response = await get(client, url, timeout=timeout, max_bytes=MAX_BOOTSTRAP_BYTES)
        if response.status != 200:
            raise RdapFetchError(f"{url} answered HTTP {response.status}")
        document = load_json(response.body)
        bootstrap = parse_bootstrap(document)
    except (RdapFetchError, RdapFormatError) as exc:
        if cached is not None:
            age = _age(now - cached[1])
            return LoadedBootstrap(
                cached[0], f"IANA bootstrap {url} from a stale cache ({age} old; refresh failed: {exc})"
            )
        raise BootstrapUnavailable(
            f"the RDAP bootstrap could not be fetched and none is cached: {exc}"
        ) from None
    _write_cache(path, url, document, now)
    return LoadedBootstrap(bootstrap, f"IANA bootstrap {url} (fetched now)")


def _read_cache(path: Path) -> tuple[Bootstrap, datetime] | None:
    try:
        if path.stat().st_size > MAX_BOOTSTRAP_BYTES * 2:
            return None
        stored = json.loads(path.read_text("utf-8"))
        fetched_at = parse_date(str(stored["fetched_at"]))
        if fetched_at is None:
            return None
        return parse_bootstrap(stored["document"]), fetched_at
    except (OSError, ValueError, KeyError, TypeError):
        return None


def _write_cache(path: Path, url: str, document: object, now: datetime) -> None:
    """Atomically replace the cache file; a cache that cannot be written is only a lost optimisation."""
    payload = json.dumps({"url": url, "fetched_at": now.astimezone(UTC).isoformat(), "document": document})
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        with tempfile.NamedTemporaryFile("w", dir=path.parent, delete=False, encoding="utf-8") as handle:
            handle.write(payload)
        os.replace(handle.name, path)
    except OSError:
        return


def _age(delta: timedelta) -> str:
    seconds = max(delta.total_seconds(), 0)
    if seconds < 3600:
        return f"{seconds / 60:.0f} min"
    if seconds < 2 * 86400:
        return f"{seconds / 3600:.0f} h"
    return f"{seconds / 86400:.0f} days"
