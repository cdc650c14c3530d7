"""`connectsec db update`: fresh OSV dumps, RetireJS repository, takeover fingerprints and the PSL."""

from __future__ import annotations

import json
import os
import tempfile
import zipfile
from collections.abc import Mapping
from datetime import UTC, datetime
from pathlib import Path

import httpx

from connectsec.deps.advisories import CACHE_INDEX, CACHE_OSV
from connectsec.deps.ecosystems import ECOSYSTEMS

_OSV = "https://osv-vulnerabilities.storage.googleapis.com"
DEFAULT_SOURCES: Mapping[str, str] = {
    **{f"{CACHE_OSV}/{e}.zip": f"{_OSV}/{e}/all.zip" for e in ECOSYSTEMS},
    "retirejs/jsrepository-v5.json": (
        "https://raw.githubusercontent.com/RetireJS/retire.js/master/repository/jsrepository-v5.json"
    ),
    "takeover/fingerprints.json": (
        "https://raw.githubusercontent.com/EdOverflow/can-i-take-over-xyz/master/fingerprints.json"
    ),
    "psl/public_suffix_list.dat": "https://publicsuffix.org/list/public_suffix_list.dat",
}  # fmt: skip
"""Cache-relative file → URL. OSV dumps land in `osv/<Ecosystem>.zip`, where load_advisories looks."""
MAX_BYTES = 1_500_000_000


def update_databases(
    cache_dir: str, *, sources: Mapping[str, str] = DEFAULT_SOURCES, timeout: float = 60
) -> list[str]:
    """Download every source into `cache_dir` atomically (a failed item keeps its previous copy).

    Returns one line per item: `ok <item>: …` or `failed <item>: <reason>`.
    """
    cache = Path(cache_dir)
    cache.mkdir(parents=True, exist_ok=True)
    index = _read_index(cache)
    lines: list[str] = []
    with httpx.Client(
        timeout=timeout, follow_redirects=True, headers={"user-agent": "connectsec-db-update"}
    ) as client:
        for item, url in sources.items():
            target = _target(cache, item)
            try:
                size, summary = _fetch(client, url, target, timeout)
            except (httpx.HTTPError, OSError, ValueError, TimeoutError) as exc:
                kept = (
                    f" (kept the copy from {str(index[item].get('fetched_at'))[:10]})"
                    if item in index
                    else ""
                )
                lines.append(f"failed {item}: {_reason(exc)}{kept}")
                continue
            index[item] = {"url": url, "fetched_at": datetime.now(UTC).isoformat(), "bytes": size}
            lines.append(f"ok {item}: {size:,} bytes from {url} ({summary})")
    _write_atomic(cache / CACHE_INDEX, json.dumps(index, indent=2, sort_keys=True).encode())
    return lines


def _target(cache: Path, item: str) -> Path:
    target = (cache / item).resolve()
    if cache.resolve() not in target.parents:
        raise ValueError(f"{item}: outside the cache directory")
    return target


def _fetch(client: httpx.Client, url: str, target: Path, timeout: float) -> tuple[int, str]:
    budget = timeout * 10
    deadline = datetime.now(UTC).timestamp() + budget
    target.parent.mkdir(parents=True, exist_ok=True)
    handle, temporary = tempfile.mkstemp(prefix=f".{target.name}.", dir=target.parent)
    try:
        size = 0
        with os.fdopen(handle, "wb") as out, client.stream("GET", url) as response:
            if response.status_code != 200:
                raise ValueError(f"HTTP {response.status_code} from {url}")
            for chunk in response.iter_bytes(1 << 16):
                size += len(chunk)
                if size > MAX_BYTES:
                    raise ValueError(f"larger than {MAX_BYTES:,} bytes")
                if datetime.now(UTC).timestamp() > deadline:
                    raise TimeoutError(f"download took longer than {budget:.0f} s")
                out.write(chunk)
        summary = _validate(target.name, Path(temporary))
        os.replace(temporary, target)
    except BaseException:
        Path(temporary).unlink(missing_ok=True)
        raise
    return size, summary


def _validate(name: str, path: Path) -> str:
    """Refuse a download that is not what the item should be (an error page, a truncated zip)."""
    if name.endswith(".zip"):
        if not zipfile.is_zipfile(path):
            raise ValueError("not a zip file")
        with zipfile.ZipFile(path) as archive:
            bad = archive.testzip()
            if bad is not None:
                raise ValueError(f"corrupt zip member {bad}")
            count = sum(1 for n in archive.namelist() if n.endswith(".json"))
        if not count:
            raise ValueError("zip without OSV JSON records")
        return f"{count:,} records"
    if name.endswith(".json"):
        try:
            data = json.loads(path.read_bytes())
        except ValueError as exc:
            raise ValueError(f"not JSON ({exc})") from exc
        return f"{len(data):,} entries"
    if name.endswith(".dat"):
        text = path.read_text("utf-8", errors="replace")
        if "===BEGIN ICANN DOMAINS===" not in text:
            raise ValueError("not a public suffix list")
        rules = sum(1 for line in text.splitlines() if line and not line.startswith("//"))
        return f"{rules:,} rules"
    return "saved"


def _read_index(cache: Path) -> dict[str, dict[str, object]]:
    try:
        data = json.loads((cache / CACHE_INDEX).read_text("utf-8"))
    except (OSError, ValueError):
        return {}
    return {str(k): v for k, v in data.items() if isinstance(v, dict)} if isinstance(data, dict) else {}


def _write_atomic(path: Path, content: bytes) -> None:
    handle, temporary = tempfile.mkstemp(prefix=f".{path.name}.", dir=path.parent)
    with os.fdopen(handle, "wb") as out:
        out.write(content)
    os.replace(temporary, path)


def _reason(exc: BaseException) -> str:
    text = str(exc).splitlines()[0] if str(exc) else type(exc).__name__
    return text[:200]
