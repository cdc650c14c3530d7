"""The advisory database: OSV JSON from directories, zip dumps, the download cache, the bundled snapshot."""

from __future__ import annotations

import functools
import json
import os
import zipfile
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime
from importlib import resources
from pathlib import Path
from typing import Any

from connectsec.deps.ecosystems import normalise_name
from connectsec.deps.osv import Advisory, RecordError, advisories_from
from connectsec.model.source import AdvisorySource

BUNDLED: dict[str, tuple[str, datetime]] = {
    "PyPI": (
        "bundled snapshot of pypa/advisory-database (commit 3ccb612, CC-BY-4.0)",
        datetime(2024, 10, 10, 17, 35, 5, tzinfo=UTC),
    ),
    "npm": (
        "bundled snapshot of nodejs/security-wg vuln/npm (commit f1288d0, MIT; records end 2023-01)",
        datetime(2026, 4, 8, 21, 26, 49, tzinfo=UTC),
    ),
}
CACHE_OSV = "osv"
"""Folder of the cache directory holding per-ecosystem OSV dumps (`<Ecosystem>.zip`)."""
CACHE_INDEX = "sources.json"
"""What `update_databases` fetched and when (item → url, fetched_at)."""
MAX_RECORD_BYTES = 10_000_000


@dataclass(frozen=True, eq=False)
class AdvisoryDatabase:
    """Advisories indexed by (ecosystem, normalised name), with the data they came from."""

    index: dict[tuple[str, str], tuple[Advisory, ...]] = field(default_factory=dict)
    sources: tuple[AdvisorySource, ...] = ()
    problems: tuple[str, ...] = ()
    """Files or records that could not be loaded (`origin: reason`)."""
    now: datetime = field(default_factory=lambda: datetime.now(UTC))

    def for_package(self, ecosystem: str, name: str) -> tuple[Advisory, ...]:
        """Every advisory naming the package."""
        return self.index.get((ecosystem, normalise_name(ecosystem, name)), ())

    @property
    def ecosystems(self) -> frozenset[str]:
        """Ecosystems with at least one record loaded."""
        return frozenset(s.ecosystem for s in self.sources if s.records)

    def age_days(self, ecosystem: str) -> int | None:
        """Days since the freshest data of the ecosystem; None when none is dated."""
        dates = [s.date for s in self.sources if s.ecosystem == ecosystem and s.date is not None]
        return max((self.now - max(dates)).days, 0) if dates else None


@dataclass
class _Loader:
    records: dict[str, tuple[str, list[Advisory]]] = field(default_factory=dict)
    sources: list[AdvisorySource] = field(default_factory=list)
    problems: list[str] = field(default_factory=list)

    def add(self, origin: str, records: Iterable[tuple[str, Any]], date: datetime | None = None) -> None:
        """Load records from one origin; `date` None dates each ecosystem by its newest `modified`."""
        counts: dict[str, int] = {}
        newest: dict[str, datetime] = {}
        for where, record in records:
            try:
                advisories = list(advisories_from(record))
            except RecordError as exc:
                self.problems.append(f"{where}: {exc}")
                continue
            if not advisories:
                continue
            for ecosystem in {a.ecosystem for a in advisories}:
                counts[ecosystem] = counts.get(ecosystem, 0) + 1
                modified = _parse_date(advisories[0].modified)
                if modified and (ecosystem not in newest or newest[ecosystem] < modified):
                    newest[ecosystem] = modified
            vid, modified_text = advisories[0].id, advisories[0].modified
            known = self.records.get(vid)
            if known is None or known[0] <= modified_text:
                self.records[vid] = (modified_text, advisories)
        for ecosystem, count in sorted(counts.items()):
            self.sources.append(AdvisorySource(ecosystem, origin, count, date or newest.get(ecosystem)))

    def database(self, now: datetime) -> AdvisoryDatabase:
        index: dict[tuple[str, str], list[Advisory]] = {}
        for _, advisories in self.records.values():
            for advisory in advisories:
                index.setdefault((advisory.ecosystem, advisory.name), []).append(advisory)
        return AdvisoryDatabase(
            {k: tuple(v) for k, v in index.items()}, tuple(self.sources), tuple(self.problems), now
        )


def load_advisories(
    paths: Sequence[str] = (),
    *,
    include_bundled: bool = True,
    cache_dir: str | None = None,
    now: datetime | None = None,
) -> AdvisoryDatabase:
    """OSV records from `paths` (directories, zip dumps, JSON files), the cache and the bundled snapshot.

    A record id loaded twice keeps its most recently modified version. Raises ValueError (one line)
    for a path that does not exist or is neither a directory, a zip nor a JSON file.
    """
    loader = _Loader()
    if include_bundled:
        for ecosystem, records in _bundled().items():
            origin, date = BUNDLED[ecosystem]
            loader.add(origin, records, date)
    if cache_dir is not None:
        _load_cache(loader, Path(cache_dir))
    for raw in paths:
        path = Path(raw)
        if path.is_dir():
            loader.add(str(path), _directory_records(path, loader.problems))
        elif path.is_file() and zipfile.is_zipfile(path):
            loader.add(str(path), _zip_records(path, loader.problems))
        elif path.is_file() and path.suffix == ".json":
            loader.add(str(path), _json_file_records(path, loader.problems))
        elif path.exists():
            raise ValueError(f"advisory data {raw}: not a directory, zip file or .json file")
        else:
            raise ValueError(f"advisory data {raw}: no such file or directory")
    return loader.database(now or datetime.now(UTC))


@functools.cache
def _bundled() -> dict[str, list[tuple[str, Any]]]:
    root = resources.files("connectsec.data.osv")
    loaded: dict[str, list[tuple[str, Any]]] = {}
    for ecosystem in BUNDLED:
        folder = root / ecosystem
        loaded[ecosystem] = [
            (f"bundled {ecosystem}/{item.name}", json.loads(item.read_bytes()))
            for item in sorted(folder.iterdir(), key=lambda i: i.name)
            if item.name.endswith(".json")
        ]
    return loaded


def _load_cache(loader: _Loader, cache: Path) -> None:
    folder = cache / CACHE_OSV
    if not folder.is_dir():
        return
    fetched = _cache_index(cache)
    for dump in sorted(folder.glob("*.zip")):
        item = f"{CACHE_OSV}/{dump.name}"
        date = fetched.get(item) or datetime.fromtimestamp(dump.stat().st_mtime, UTC)
        if not zipfile.is_zipfile(dump):
            loader.problems.append(f"{dump}: not a zip file")
            continue
        loader.add(f"{dump} (downloaded {date:%Y-%m-%d})", _zip_records(dump, loader.problems), date)


def _cache_index(cache: Path) -> dict[str, datetime]:
    try:
        data = json.loads((cache / CACHE_INDEX).read_text("utf-8"))
    except (OSError, ValueError):
        return {}
    dates: dict[str, datetime] = {}
    if isinstance(data, dict):
        for item, meta in data.items():
            date = _parse_date(meta.get("fetched_at")) if isinstance(meta, dict) else None
            if date is not None:
                dates[str(item)] = date
    return dates


def _directory_records(path: Path, problems: list[str]) -> Iterator[tuple[str, Any]]:
    for dirpath, dirnames, filenames in os.walk(path):
        dirnames.sort()
        for name in sorted(filenames):
            file = Path(dirpath) / name
            if name.endswith(".json"):
                yield from _json_file_records(file, problems)
            elif name.endswith(".zip") and zipfile.is_zipfile(file):
                yield from _zip_records(file, problems)


def _json_file_records(path: Path, problems: list[str]) -> Iterator[tuple[str, Any]]:
    try:
        if path.stat().st_size > MAX_RECORD_BYTES:
            problems.append(f"{path}: larger than {MAX_RECORD_BYTES} bytes, not read")
            return
        data = json.loads(path.read_bytes())
    except (OSError, ValueError) as exc:
        problems.append(f"{path}: {_reason(exc)}")
        return
    yield from _records_in(str(path), data)


def _zip_records(path: Path, problems: list[str]) -> Iterator[tuple[str, Any]]:
    try:
        with zipfile.ZipFile(path) as archive:
            for info in archive.infolist():
                if info.is_dir() or not info.filename.endswith(".json"):
                    continue
                where = f"{path}!{info.filename}"
                if info.file_size > MAX_RECORD_BYTES:
                    problems.append(f"{where}: larger than {MAX_RECORD_BYTES} bytes, not read")
                    continue
                try:
                    data = json.loads(archive.read(info))
                except (ValueError, zipfile.BadZipFile, OSError) as exc:
                    problems.append(f"{where}: {_reason(exc)}")
                    continue
                yield from _records_in(where, data)
    except (OSError, zipfile.BadZipFile) as exc:
        problems.append(f"{path}: {_reason(exc)}")


def _records_in(where: str, data: Any) -> Iterator[tuple[str, Any]]:
    if isinstance(data, list):
        for n, record in enumerate(data):
            yield (f"{where}[{n}]", record)
    else:
        yield (where, data)


def _parse_date(text: Any) -> datetime | None:
    if not isinstance(text, str) or not text:
        return None
    try:
        value = datetime.fromisoformat(text.strip())
    except ValueError:
        return None
    return value if value.tzinfo else value.replace(tzinfo=UTC)


def _reason(exc: BaseException) -> str:
    text = str(exc).splitlines()[0] if str(exc) else type(exc).__name__
    return text[:200]
