"""Endpoints from a HAR file (the browser's record of what the app's pages requested)."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from connectsec.sources.common import Found, read_bounded

MAX_BYTES = 50_000_000


def har_endpoints(path: str, origins: set[str], found: Found) -> None:
    """Add every request of the HAR to the app's origins (ValueError with one line when unusable)."""
    data = _read(path)
    try:
        entries = data["log"]["entries"]
        requests = [(e["request"]["method"], e["request"]["url"]) for e in entries]
    except (KeyError, TypeError):
        raise ValueError(f"--har {path}: not a HAR file (no log.entries[].request)") from None
    for method, url in requests:
        if isinstance(method, str) and isinstance(url, str):
            found.add(method, url, f"har:{Path(path).name}", origins)


def _read(path: str) -> dict[str, Any]:
    raw = read_bounded(path, "--har", MAX_BYTES)
    try:
        data = json.loads(raw)
    except (UnicodeDecodeError, json.JSONDecodeError) as exc:
        raise ValueError(f"--har {path}: not JSON ({exc})") from None
    if not isinstance(data, dict):
        raise ValueError(f"--har {path}: not a HAR file")
    return data
