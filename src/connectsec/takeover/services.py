"""The takeover service table: can-i-take-over-xyz fingerprints, cleaned, plus our CNAME additions."""

from __future__ import annotations

import hashlib
import html
import ipaddress
import json
import re
from collections.abc import Sequence
from dataclasses import dataclass, replace
from datetime import UTC, datetime
from importlib import resources
from pathlib import Path
from typing import Any

from connectsec.datafiles import json_document
from connectsec.domain.psl import normalise
from connectsec.model.dns import ChainEnd, HostResolution

VULNERABLE = "Vulnerable"
EDGE_CASE = "Edge case"
NOT_VULNERABLE = "Not vulnerable"
_STATUSES = frozenset({VULNERABLE, EDGE_CASE, NOT_VULNERABLE})
_BUNDLED_COMMIT = "5bd4e12837911c8475486f1da922c9b9c706e632"
_BUNDLED_DATE = datetime(2025, 2, 8, 1, 51, 50, tzinfo=UTC)
_MAX_BYTES = 5_000_000
_HOST = re.compile(r"^(?=.{1,253}$)([a-z0-9_]([a-z0-9_-]{0,61}[a-z0-9])?\.)*[a-z0-9-]{1,63}$")
_STATUS_ONLY = re.compile(r"^HTTP_STATUS=(\d{3})$")


@dataclass(frozen=True)
class Service:
    """One hosted service and how an unclaimed name on it looks."""

    name: str
    status: str
    cnames: tuple[str, ...] = ()
    """CNAME target suffixes (lower case, no trailing dot)."""
    addresses: tuple[str, ...] = ()
    """A-record addresses the service's custom domains point at."""
    fingerprints: tuple[str, ...] = ()
    """Body texts of the unclaimed page (alternatives); `.*` matches up to 120 characters of one line."""
    nxdomain: bool = False
    """Upstream: an NXDOMAIN answer is the fingerprint."""
    http_status: int | None = None

    def body_match(self, body: str) -> str | None:
        """The fingerprint found in `body` (as sent, or with HTML entities decoded), or None."""
        texts = (body, html.unescape(body))
        for fingerprint in self.fingerprints:
            if any(_pattern(fingerprint).search(text) for text in texts):
                return fingerprint
        return None


def _pattern(fingerprint: str) -> re.Pattern[str]:
    return re.compile(r"[^\n]{0,120}?".join(re.escape(part) for part in fingerprint.split(".*")))


@dataclass(frozen=True)
class ServiceTable:
    """Every service, the suffixes where NXDOMAIN is claimable, and where the data came from."""

    services: tuple[Service, ...]
    nxdomain_claimable: tuple[str, ...]
    source: str
    """Human description: origin, version, sha256, age."""
    sha256: str

    def match(self, name: str) -> tuple[Service, str] | None:
        """The service whose CNAME suffix `name` is under (the longest suffix wins), with the suffix."""
        host = normalise(name)
        best: tuple[Service, str] | None = None
        for service in self.services:
            for suffix in service.cnames:
                if (host == suffix or host.endswith("." + suffix)) and (
                    best is None or len(suffix) > len(best[1])
                ):
                    best = (service, suffix)
        return best

    def match_address(self, addresses: Sequence[str]) -> Service | None:
        """The service whose fixed address one of `addresses` is."""
        wanted = set(addresses)
        return next((s for s in self.services if wanted.intersection(s.addresses)), None)

    def claimable_suffix(self, name: str) -> str | None:
        """The NXDOMAIN-claimable suffix `name` is under, or None."""
        host = normalise(name)
        return next((s for s in self.nxdomain_claimable if host == s or host.endswith("." + s)), None)


def clean_fingerprint(raw: str) -> tuple[str, ...]:
    """Upstream's Markdown-escaped fingerprint as plain alternatives."""
    text = html.unescape(raw.replace("&#124;", "\x00"))
    text = re.sub(r"\\([\\`*_{}\[\]()#+\-.!|])", r"\1", text)
    parts = re.split(r"\x00|`\s*`", text)
    return tuple(p.strip().strip("`").strip() for p in parts if p.strip().strip("`").strip())


def _entry(raw: Any, index: int) -> Service:
    if not isinstance(raw, dict):
        raise ValueError(f"entry {index} is not an object")
    name, status = raw.get("service"), raw.get("status")
    if not isinstance(name, str) or not name.strip():
        raise ValueError(f"entry {index} has no service name")
    if status not in _STATUSES:
        raise ValueError(f"entry {index} ({name}): unknown status {status!r}")
    cnames_raw = raw.get("cname") or []
    fingerprint = raw.get("fingerprint") or ""
    if not isinstance(cnames_raw, list) or not all(isinstance(c, str) for c in cnames_raw):
        raise ValueError(f"entry {index} ({name}): cname is not a list of strings")
    if not isinstance(fingerprint, str):
        raise ValueError(f"entry {index} ({name}): fingerprint is not a string")
    cnames: list[str] = []
    addresses: list[str] = []
    for item in cnames_raw:
        value = normalise(item)
        try:
            addresses.append(str(ipaddress.ip_address(value)))
        except ValueError:
            if _HOST.match(value) and "." in value:
                cnames.append(value)
    http_status = raw.get("http_status")
    fingerprints = clean_fingerprint(fingerprint)
    nxdomain = bool(raw.get("nxdomain")) or fingerprints == ("NXDOMAIN",)
    status_only = _STATUS_ONLY.match(fingerprints[0]) if len(fingerprints) == 1 else None
    if status_only:
        http_status, fingerprints = int(status_only.group(1)), ()
    if nxdomain:
        fingerprints = tuple(f for f in fingerprints if f != "NXDOMAIN")
    return Service(
        name=name.strip(),
        status=status,
        cnames=tuple(dict.fromkeys(cnames)),
        addresses=tuple(dict.fromkeys(addresses)),
        fingerprints=fingerprints,
        nxdomain=nxdomain,
        http_status=http_status if isinstance(http_status, int) else None,
    )


def _additions() -> dict[str, Any]:
    text = resources.files("connectsec.data.takeover").joinpath("additions.json").read_text("utf-8")
    data: dict[str, Any] = json.loads(text)
    return data


def _with_additions(services: list[Service]) -> tuple[tuple[Service, ...], tuple[str, ...]]:
    extra = _additions()
    more: dict[str, list[str]] = extra["cname"]
    merged = tuple(
        replace(s, cnames=tuple(dict.fromkeys((*s.cnames, *more.get(s.name, ()))))) for s in services
    )
    claimable = list(extra["nxdomain_claimable"])
    for service in merged:
        if service.nxdomain and service.status == VULNERABLE:
            claimable.extend(service.cnames)
    return merged, tuple(dict.fromkeys(claimable))


def _read(path: str | None) -> tuple[bytes, str]:
    if path is None:
        data = resources.files("connectsec.data.takeover").joinpath("fingerprints.json").read_bytes()
        return data, "bundled"
    file = Path(path)
    try:
        if file.stat().st_size > _MAX_BYTES:
            raise ValueError(f"takeover data {path}: larger than {_MAX_BYTES} bytes")
        return file.read_bytes(), str(file)
    except OSError as exc:
        raise ValueError(f"takeover data {path}: cannot read ({exc.strerror or exc})") from None


def _describe(origin: str, sha: str, count: int, now: datetime, mtime: datetime | None) -> str:
    if origin == "bundled":
        age = (now - _BUNDLED_DATE).days
        return (
            f"bundled can-i-take-over-xyz fingerprints.json (commit {_BUNDLED_COMMIT[:7]}, "
            f"{_BUNDLED_DATE:%Y-%m-%d}, {age} days old), sha256 {sha[:12]}, {count} services"
        )
    when = f", modified {mtime:%Y-%m-%d}" if mtime else ""
    return f"fingerprints from {origin}{when}, sha256 {sha[:12]}, {count} services"


def load_services(path: str | None = None, now: datetime | None = None) -> ServiceTable:
    """The bundled table (or a newer fingerprints.json at `path`), cleaned; ValueError on a bad file."""
    data, origin = _read(path)
    label = "takeover data" if path is None else f"takeover data {path}"
    raw = json_document(data, label)
    if not isinstance(raw, list) or not raw:
        raise ValueError(f"{label}: expected a non-empty JSON list of services")
    try:
        services = [_entry(item, i) for i, item in enumerate(raw)]
    except ValueError as exc:
        raise ValueError(f"{label}: {exc}") from None
    merged, claimable = _with_additions(services)
    sha = hashlib.sha256(data).hexdigest()
    try:
        mtime = None if path is None else datetime.fromtimestamp(Path(path).stat().st_mtime, UTC)
    except OSError:
        mtime = None
    source = _describe(origin, sha, len(merged), now or datetime.now(UTC), mtime)
    return ServiceTable(merged, claimable, source, sha)


def classify(resolutions: Sequence[HostResolution], table: ServiceTable) -> tuple[HostResolution, ...]:
    """Each resolution with the service its chain points at (the last matching name wins)."""
    return tuple(_classified(r, table) for r in resolutions)


def _classified(resolution: HostResolution, table: ServiceTable) -> HostResolution:
    marked = replace(resolution, services_data=table.source)
    if resolution.end is ChainEnd.SKIPPED:
        return marked
    found: tuple[Service, str, str] | None = None
    for name in (resolution.name, *resolution.chain):
        hit = table.match(name)
        if hit is not None:
            found = (hit[0], hit[1], name)
    claimable = table.claimable_suffix(resolution.last_name) is not None
    if found is None:
        by_address = table.match_address(resolution.addresses) if resolution.chain else None
        if by_address is None:
            return replace(marked, nxdomain_claimable=claimable)
        found = (by_address, resolution.addresses[0], resolution.last_name)
    service, suffix, name = found
    return replace(
        marked,
        service=service.name,
        service_status=service.status,
        service_match=f"{name} ({suffix})",
        nxdomain_claimable=claimable,
        fingerprints=service.fingerprints,
        status_fingerprint=service.http_status,
    )


def service_named(table: ServiceTable, name: str | None) -> Service | None:
    """The table's service of that name."""
    return next((s for s in table.services if s.name == name), None)
