"""OSV records reduced to what matching needs, and the OSV range evaluation with ecosystem ordering."""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from typing import Any

from connectsec.deps.ecosystems import ECOSYSTEMS, VersionError, normalise_name, same_version, version_key
from connectsec.deps.severity import Rating, rate

_EVENT_ORDER = {"introduced": 0, "last_affected": 1, "fixed": 2}
_SUMMARY_CHARS = 160


class RecordError(ValueError):
    """An OSV record without the fields every record must have."""


@dataclass(frozen=True)
class Advisory:
    """One OSV record's statement about one package."""

    id: str
    aliases: tuple[str, ...]
    ecosystem: str
    name: str
    """Normalised (see ecosystems.normalise_name)."""
    summary: str
    modified: str
    rating: Rating
    url: str
    ranges: tuple[tuple[tuple[str, str], ...], ...]
    """ECOSYSTEM and SEMVER ranges: their events as (kind, version); GIT ranges are left out."""
    versions: tuple[str, ...]

    def affects(self, version: str) -> bool:
        """Whether `version` is in a range or listed; VersionError when a bound cannot be ordered."""
        if any(same_version(self.ecosystem, version, v) for v in self.versions):
            return True
        target = version_key(self.ecosystem, version)
        return any(self._in_range(events, target) for events in self.ranges)

    def _in_range(self, events: tuple[tuple[str, str], ...], target: Any) -> bool:
        affected = False
        for kind, bound in self._sorted(events):
            if kind == "introduced":
                if bound == "0" or target >= version_key(self.ecosystem, bound):
                    affected = True
            elif kind == "fixed":
                if target >= version_key(self.ecosystem, bound):
                    affected = False
            elif kind == "last_affected" and target > version_key(self.ecosystem, bound):
                affected = False
        return affected

    def _sorted(self, events: tuple[tuple[str, str], ...]) -> list[tuple[str, str]]:
        def key(event: tuple[str, str]) -> tuple[int, Any, int]:
            kind, bound = event
            if kind == "introduced" and bound == "0":
                return (0, 0, 0)
            return (1, _Ordered(version_key(self.ecosystem, bound)), _EVENT_ORDER[kind])

        return sorted(events, key=key)

    def fixed_above(self, version: str) -> str | None:
        """The lowest `fixed` bound above `version`, None when no range names one."""
        target = version_key(self.ecosystem, version)
        candidates: list[tuple[Any, str]] = []
        for events in self.ranges:
            for kind, bound in events:
                if kind == "fixed":
                    try:
                        key = version_key(self.ecosystem, bound)
                    except VersionError:
                        continue
                    if key > target:
                        candidates.append((key, bound))
        if not candidates:
            return None
        return min(candidates, key=lambda c: _Ordered(c[0]))[1]

    @property
    def range_text(self) -> str:
        """The ranges as `>=A <B`, alternatives joined by `, `; listed versions when there is no range."""
        parts: list[str] = []
        for events in self.ranges:
            try:
                ordered = self._sorted(events)
            except VersionError:
                ordered = list(events)
            current: list[str] = []
            for kind, bound in ordered:
                if kind == "introduced":
                    if current:
                        parts.append(" ".join(current))
                    current = [] if bound == "0" else [f">={bound}"]
                else:
                    current.append(f"<{bound}" if kind == "fixed" else f"<={bound}")
                    parts.append(" ".join(current))
                    current = []
            if current or (ordered and ordered[-1][0] == "introduced"):
                parts.append(" ".join(current) or "every version")
        if not parts and self.versions:
            shown = ", ".join(self.versions[:5])
            return f"versions {shown}" + (
                f" and {len(self.versions) - 5} more" if len(self.versions) > 5 else ""
            )
        return ", ".join(p for p in parts if p) or "every version"


class _Ordered:
    """Wraps version keys so sorted()/min() accept them (some only define __lt__ against their own type)."""

    def __init__(self, key: Any) -> None:
        self.key = key

    def __lt__(self, other: _Ordered) -> bool:
        return bool(self.key < other.key)


def advisories_from(record: Mapping[str, Any]) -> Iterator[Advisory]:
    """The Advisory per affected package of our ecosystems; nothing for withdrawn records."""
    if not isinstance(record, Mapping):
        raise RecordError("not a JSON object")
    vid = record.get("id")
    affected = record.get("affected")
    if not isinstance(vid, str) or not vid:
        raise RecordError("no id")
    if record.get("withdrawn"):
        return
    if not isinstance(affected, list):
        return
    aliases = tuple(a for a in _list(record.get("aliases")) if isinstance(a, str))
    summary = _summary(record)
    modified = str(record.get("modified") or "")
    url = _url(record, vid)
    for entry in affected:
        if not isinstance(entry, Mapping):
            continue
        package = entry.get("package")
        if not isinstance(package, Mapping):
            continue
        ecosystem, name = package.get("ecosystem"), package.get("name")
        if ecosystem not in ECOSYSTEMS or not isinstance(name, str):
            continue
        ranges = tuple(
            tuple(_events(r.get("events")))
            for r in _list(entry.get("ranges"))
            if isinstance(r, Mapping) and r.get("type") in ("ECOSYSTEM", "SEMVER")
        )
        versions = tuple(v for v in _list(entry.get("versions")) if isinstance(v, str))
        yield Advisory(
            id=vid,
            aliases=aliases,
            ecosystem=ecosystem,
            name=normalise_name(ecosystem, name),
            summary=summary,
            modified=modified,
            rating=rate(record, entry),
            url=url,
            ranges=tuple(r for r in ranges if r),
            versions=versions,
        )


def _list(value: Any) -> list[Any]:
    """A JSON array, or nothing when the field holds another type."""
    return value if isinstance(value, list) else []


def _events(events: Any) -> Iterator[tuple[str, str]]:
    for event in _list(events):
        if isinstance(event, Mapping):
            for kind in ("introduced", "fixed", "last_affected"):
                value = event.get(kind)
                if isinstance(value, str) and value:
                    yield (kind, value)


def _summary(record: Mapping[str, Any]) -> str:
    text = record.get("summary") or record.get("details") or ""
    text = " ".join(str(text).split())
    return text if len(text) <= _SUMMARY_CHARS else text[: _SUMMARY_CHARS - 1] + "…"


def _url(record: Mapping[str, Any], vid: str) -> str:
    references = [r for r in _list(record.get("references")) if isinstance(r, Mapping)]
    for wanted in ("ADVISORY", "WEB"):
        for reference in references:
            if reference.get("type") == wanted and isinstance(reference.get("url"), str):
                return str(reference["url"])
    return f"https://osv.dev/vulnerability/{vid}"
