"""Data `connectsec db update` keeps in the cache directory, preferred over the bundled snapshots."""

from __future__ import annotations

from pathlib import Path

from connectsec.domain.bootstrap import default_cache_dir
from connectsec.engine.request import ScanRequest

RETIREJS = "retirejs/jsrepository-v5.json"
TAKEOVER = "takeover/fingerprints.json"


def cache_dir(request: ScanRequest) -> Path:
    """The scan's cache directory (--cache-dir, else $XDG_CACHE_HOME/connectsec or ~/.cache/connectsec)."""
    return Path(request.cache_dir) if request.cache_dir else default_cache_dir()


def cached(request: ScanRequest, item: str) -> str | None:
    """The cached copy of `item`, if `db update` fetched one."""
    path = cache_dir(request) / item
    return str(path) if path.is_file() else None


def retire_data(request: ScanRequest) -> str | None:
    """--retire-data, else the cached RetireJS repository, else None (the bundled snapshot)."""
    return request.retire_data or cached(request, RETIREJS)


def takeover_data(request: ScanRequest) -> str | None:
    """--takeover-fingerprints, else the cached fingerprints, else None (the bundled snapshot)."""
    return request.takeover_fingerprints or cached(request, TAKEOVER)
