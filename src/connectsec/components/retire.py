"""The Retire.js repository (jsrepository-v5.json): libraries, their extractors and vulnerable ranges."""

from __future__ import annotations

import functools
import hashlib
from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import UTC, datetime
from importlib import resources
from pathlib import Path
from typing import Any

from connectsec.components.patterns import PatternError, VersionPattern, compile_extractor
from connectsec.components.versions import in_range
from connectsec.datafiles import json_document

BUNDLED_COMMIT = "fd8df0d6f1da46d4bc0446321395fcf708619e07"
BUNDLED_DATE = datetime(2026, 8, 20, 6, 18, 30, tzinfo=UTC)
"""When the bundled file last changed upstream (commit db79fa7)."""
SKIPPED_ENTRIES = frozenset({"retire-example", "dont check"})
"""Upstream's dummy entry and its list of URLs never to scan: neither names a library."""
SEVERITIES = ("low", "medium", "high", "critical")
UNKNOWN_SEVERITY = "medium"
"""How an advisory without a recognised severity is judged (a warning, never silence)."""
STALE_DAYS = 90
_MAX_BYTES = 50_000_000
_RUNTIME_ONLY = ("func", "ast")


@dataclass(frozen=True)
class Advisory:
    """One vulnerability record of a library: the affected range and what to tell the vendor."""

    below: str | None
    """Exclusive upper bound (None: no fixed version)."""
    at_or_above: str | None
    """Inclusive lower bound (None: from the first version)."""
    excludes: tuple[str, ...]
    severity: str
    """low, medium, high or critical (UNKNOWN_SEVERITY when the record names none we know)."""
    severity_given: bool
    cves: tuple[str, ...]
    ghsa: str | None
    summary: str | None
    info: tuple[str, ...]
    cwe: tuple[str, ...]

    def affects(self, version: str) -> bool:
        """Whether `version` lies in this advisory's range."""
        return in_range(version, self.below, self.at_or_above, self.excludes)

    @property
    def name(self) -> str:
        """Its CVE ids, else its GitHub advisory id, else its summary."""
        if self.cves:
            return ", ".join(self.cves)
        return self.ghsa or (self.summary or "advisory without id")[:80]

    @property
    def range_text(self) -> str:
        """`>=1.2.1 <1.9.0`."""
        low = f">={self.at_or_above} " if self.at_or_above else ""
        return f"{low}<{self.below}" if self.below else (low.strip() or "every version")


@dataclass(frozen=True)
class Library:
    """One library of the repository and how to recognise it."""

    name: str
    advisories: tuple[Advisory, ...]
    uri: tuple[VersionPattern, ...] = ()
    filename: tuple[VersionPattern, ...] = ()
    filecontent: tuple[VersionPattern, ...] = ()
    filecontentreplace: tuple[VersionPattern, ...] = ()
    npmname: str | None = None

    def vulnerable(self, version: str) -> tuple[Advisory, ...]:
        """The advisories whose range contains `version`."""
        return tuple(a for a in self.advisories if a.affects(version))


@dataclass(frozen=True)
class RetireRepository:
    """The loaded repository and a description of where it came from and how old it is."""

    libraries: tuple[Library, ...]
    hashes: Mapping[str, tuple[str, str]] = field(compare=False)
    """SHA-1 of file content → (library, version)."""
    source: str
    """`bundled Retire.js jsrepository-v5.json (commit fd8df0d, 2026-08-20, 100 days old), …`."""
    sha256: str
    unusable: tuple[str, ...] = ()
    """Extractors Python cannot run, with the reason."""
    runtime_only: int = 0
    """`func` and `ast` extractors skipped: they need a JavaScript runtime."""
    age_days: int = 0
    """Days since the data last changed (the bundled commit date, or a given file's modification time)."""

    @property
    def stale(self) -> bool:
        """Older than STALE_DAYS: advisories published since then are missing."""
        return self.age_days > STALE_DAYS

    def library(self, name: str) -> Library | None:
        """The library of that name."""
        return next((lib for lib in self.libraries if lib.name == name), None)


@functools.lru_cache(maxsize=1)
def bundled_repository() -> RetireRepository:
    """The repository shipped with connectsec (loaded once)."""
    return load_repository(None)


def load_repository(path: str | None, now: datetime | None = None) -> RetireRepository:
    """The bundled repository, or a newer jsrepository-v5.json at `path`; ValueError on a bad file."""
    data, when = _read(path)
    label = "RetireJS data" if path is None else f"RetireJS data {path}"
    raw = json_document(data, label)
    if not isinstance(raw, dict) or not raw:
        raise ValueError(f"{label}: expected a JSON object of libraries")
    libraries: list[Library] = []
    hashes: dict[str, tuple[str, str]] = {}
    unusable: list[str] = []
    runtime_only = 0
    for name, entry in raw.items():
        if name in SKIPPED_ENTRIES:
            continue
        try:
            library, library_hashes, problems, skipped = _library(name, entry)
        except ValueError as exc:
            raise ValueError(f"{label}: library {name!r}: {exc}") from None
        libraries.append(library)
        for digest, version in library_hashes.items():
            hashes.setdefault(digest, (name, version))
        unusable.extend(problems)
        runtime_only += skipped
    if not libraries:
        raise ValueError(f"{label}: no library entries")
    sha = hashlib.sha256(data).hexdigest()
    age = max(((now or datetime.now(UTC)) - when).days, 0)
    source = _describe(path, when, age, sha, len(libraries))
    return RetireRepository(tuple(libraries), hashes, source, sha, tuple(unusable), runtime_only, age)


def _read(path: str | None) -> tuple[bytes, datetime]:
    if path is None:
        file = resources.files("connectsec.data.retirejs").joinpath("jsrepository-v5.json")
        return file.read_bytes(), BUNDLED_DATE
    target = Path(path)
    try:
        if not target.is_file():
            raise ValueError(f"RetireJS data {path}: not a file")
        stat = target.stat()
        if stat.st_size > _MAX_BYTES:
            raise ValueError(f"RetireJS data {path}: larger than {_MAX_BYTES} bytes")
        return target.read_bytes(), datetime.fromtimestamp(stat.st_mtime, UTC)
    except OSError as exc:
        raise ValueError(f"RetireJS data {path}: cannot read ({exc.strerror or exc})") from None


def _describe(path: str | None, when: datetime, age: int, sha: str, count: int) -> str:
    if path is None:
        what = f"bundled Retire.js jsrepository-v5.json (commit {BUNDLED_COMMIT[:7]}, last changed"
    else:
        what = f"Retire.js data from {path} (file modified"
    return f"{what} {when:%Y-%m-%d}, {age} days old), sha256 {sha[:12]}, {count} libraries"


def _strings(value: Any, what: str) -> tuple[str, ...]:
    if value is None:
        return ()
    if isinstance(value, str):
        return (value,)
    if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
        raise ValueError(f"{what} must be a list of strings")
    return tuple(value)


def _optional_version(value: Any, what: str) -> str | None:
    if value is None:
        return None
    if not isinstance(value, str) or not value:
        raise ValueError(f"{what} must be a version string")
    return value


def _advisory(raw: Any, index: int) -> Advisory:
    where = f"vulnerabilities[{index}]"
    if not isinstance(raw, dict):
        raise ValueError(f"{where} is not an object")
    identifiers = raw.get("identifiers") or {}
    if not isinstance(identifiers, dict):
        raise ValueError(f"{where}.identifiers is not an object")
    severity = str(raw.get("severity") or "").lower()
    known = severity in SEVERITIES
    summary = identifiers.get("summary")
    ghsa = identifiers.get("githubID")
    return Advisory(
        below=_optional_version(raw.get("below"), f"{where}.below"),
        at_or_above=_optional_version(raw.get("atOrAbove"), f"{where}.atOrAbove"),
        excludes=_strings(raw.get("excludes"), f"{where}.excludes"),
        severity=severity if known else UNKNOWN_SEVERITY,
        severity_given=known,
        cves=_strings(identifiers.get("CVE"), f"{where}.identifiers.CVE"),
        ghsa=ghsa if isinstance(ghsa, str) else None,
        summary=" ".join(summary.split()) if isinstance(summary, str) else None,
        info=_strings(raw.get("info"), f"{where}.info"),
        cwe=_strings(raw.get("cwe"), f"{where}.cwe"),
    )


def _library(name: str, entry: Any) -> tuple[Library, dict[str, str], list[str], int]:
    if not isinstance(entry, dict):
        raise ValueError("not an object")
    extractors = entry.get("extractors") or {}
    vulnerabilities = entry.get("vulnerabilities") or []
    if not isinstance(extractors, dict) or not isinstance(vulnerabilities, list):
        raise ValueError("extractors must be an object and vulnerabilities a list")
    problems: list[str] = []

    def patterns(kind: str, *, anchored: bool = False, replace: bool = False) -> tuple[VersionPattern, ...]:
        compiled: list[VersionPattern] = []
        content = kind.startswith("filecontent")
        for source in _strings(extractors.get(kind), f"extractors.{kind}"):
            try:
                compiled.append(
                    compile_extractor(source, anchored=anchored, replace=replace, content=content)
                )
            except PatternError as exc:
                problems.append(f"{name} {kind} extractor {source[:60]!r}: {exc}")
        return tuple(compiled)

    raw_hashes = extractors.get("hashes") or {}
    if not isinstance(raw_hashes, dict) or not all(isinstance(v, str) for v in raw_hashes.values()):
        raise ValueError("extractors.hashes must map SHA-1 digests to versions")
    npmname = entry.get("npmname")
    library = Library(
        name=name,
        advisories=tuple(_advisory(v, i) for i, v in enumerate(vulnerabilities)),
        uri=patterns("uri"),
        filename=patterns("filename", anchored=True),
        filecontent=patterns("filecontent"),
        filecontentreplace=patterns("filecontentreplace", replace=True),
        npmname=npmname if isinstance(npmname, str) else None,
    )
    skipped = sum(len(_strings(extractors.get(kind), f"extractors.{kind}")) for kind in _RUNTIME_ONLY)
    return library, {k.lower(): v for k, v in raw_hashes.items()}, problems, skipped
