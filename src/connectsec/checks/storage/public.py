"""R6: referenced storage must refuse anonymous listing, reading of tenant data and writing."""

from __future__ import annotations

import shlex
from dataclasses import dataclass, field, replace

from connectsec.auth.minting import without_jwt
from connectsec.catalog.rules import make_finding
from connectsec.model import AuthMode, CheckResult, Coverage, Evidence, Finding, Observations
from connectsec.model.storage import Access, Provider, StorageProbe, StorageRequest
from connectsec.redact import Redactor
from connectsec.storage.references import find_references, searched_sources

_PROVIDERS = {
    Provider.S3: "S3 bucket",
    Provider.GCS: "Google Cloud Storage bucket",
    Provider.AZURE: "Azure Blob container",
    Provider.FIREBASE: "Firebase Realtime Database",
}
_UNDETERMINED = (Access.ERROR, Access.UNRECOGNISED)
_SOURCES_SHOWN = 3


def _names(items: tuple[str, ...]) -> str:
    return ", ".join(repr(i[:60]) for i in items[:3])


@dataclass
class _Result:
    redactor: Redactor
    findings: list[Finding] = field(default_factory=list)
    errors: list[str] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)

    def url(self, url: str) -> str:
        return self.redactor.url(without_jwt(url))

    def evidence(self, request: StorageRequest) -> Evidence:
        url = self.url(request.url)
        parts = ["curl", "-sS", "-D", "-"]
        if request.method != "GET":
            parts += ["-X", request.method]
        if request.action == "write":
            parts += ["--data-binary", "connectsec write probe"]
        headers = (("content-type", request.content_type),) if request.content_type else ()
        return Evidence(
            method=request.method,
            url=url,
            status=request.status,
            headers=headers,
            excerpt=self.redactor.text(request.excerpt) or None,
            curl=shlex.join([*parts, url]),
        )

    def add(
        self, rule: str, probe: StorageProbe, location: str, detail: str, evidence: tuple[Evidence, ...]
    ) -> None:
        sources = "; ".join(self.redactor.text(s) for s in probe.sources[:_SOURCES_SHOWN])
        more = len(probe.sources) - _SOURCES_SHOWN
        if more > 0:
            sources += f" and {more} more"
        extra = (("provider", probe.provider.value), ("referenced in", sources))
        finding = make_finding(
            rule, self.redactor.text(location), self.redactor.text(detail), evidence, extra
        )
        mode = AuthMode.TENANT if probe.tenant_only else AuthMode.NONE
        self.findings.append(replace(finding, auth_mode=mode))


def _listing_detail(probe: StorageProbe, listing: StorageRequest) -> str:
    kind = _PROVIDERS[probe.provider]
    if probe.provider is Provider.FIREBASE:
        if listing.item_count == 0:
            return (
                f"Anyone can read the {kind} {probe.location}: `/.json?shallow=true` answered `null` "
                "without credentials (empty now, but its rules allow public reads)."
            )
        return (
            f"Anyone can read the whole {kind} {probe.location}: `/.json?shallow=true` answered without "
            f"credentials with {listing.item_count} top-level keys ({_names(listing.items)})."
        )
    count = f"{listing.item_count} objects" if listing.item_count is not None else "objects"
    sample = f" ({_names(listing.items)} …)" if listing.items else ""
    return f"Anyone can list the {kind} {probe.location}: an anonymous listing returned {count}{sample}."


def _judge_reads(probe: StorageProbe, result: _Result) -> None:
    for read in probe.actions("read"):
        url = result.url(read.url)
        if read.access in _UNDETERMINED:
            result.errors.append(f"{url}: anonymous read could not be judged: {read.error or read.detail}")
        elif read.access is Access.ALLOWED and read.tenant_data is not None:
            detail = (
                f"The referenced object {url} of {probe.location} is readable without credentials and holds "
                f"what looks like tenant data: {read.tenant_data}."
            )
            result.add("storage.public-read-tenant-data", probe, url, detail, (result.evidence(read),))
        elif read.access is Access.ALLOWED and read.data_file:
            detail = (
                f"The data file {url} of {probe.location} is readable without credentials "
                f"({read.content_type or 'no content type'}); no tenant data was recognised in it."
            )
            result.add("storage.public-read-data-file", probe, url, detail, (result.evidence(read),))
        elif read.access is Access.ALLOWED:
            what = "static asset" if read.static_asset else "object"
            result.notes.append(f"{url}: public {what}, readable anonymously as expected (not a finding)")
        elif read.access is Access.NOT_FOUND:
            result.notes.append(f"{url}: referenced object does not exist ({read.code or read.status})")


def _judge_write(probe: StorageProbe, result: _Result) -> None:
    writes, deletes = probe.actions("write"), probe.actions("delete")
    for write in writes:
        if write.access in _UNDETERMINED:
            url = result.url(write.url)
            result.errors.append(f"{url}: anonymous write could not be judged: {write.error or write.detail}")
        elif write.access is Access.ALLOWED:
            url = result.url(write.url)
            kind = _PROVIDERS[probe.provider]
            detail = f"Anyone can write to the {kind} {probe.location}: an anonymous PUT of {url} succeeded"
            evidence = [result.evidence(write)]
            deleted = next((d for d in deletes if d.url == write.url), None)
            if deleted is not None and deleted.access is Access.ALLOWED:
                detail += " (the probe object was deleted again)."
            else:
                answer = f"HTTP {deleted.status}" if deleted and deleted.status else "no answer"
                detail += f"; deleting it again failed ({answer}): delete {url} by hand."
            evidence += [result.evidence(d) for d in deletes if d.url == write.url]
            result.add("storage.public-write", probe, probe.location, detail, tuple(evidence))


def _judge_probe(probe: StorageProbe, result: _Result) -> bool:
    """Judge one location; whether its listing could be judged."""
    if probe.error is not None:
        result.errors.append(f"{probe.location}: {probe.error}")
    listings = probe.actions("list")
    listing = listings[-1] if listings else None
    if listing is not None and listing.access is Access.ALLOWED:
        evidence = (result.evidence(listing),)
        result.add("storage.public-list", probe, probe.location, _listing_detail(probe, listing), evidence)
    elif listing is not None and listing.access is Access.MISSING:
        sources = ", ".join(probe.sources[:_SOURCES_SHOWN]) or "the app"
        detail = (
            f"The {_PROVIDERS[probe.provider]} {probe.location} referenced by {sources} does not exist "
            f"({listing.code or f'HTTP {listing.status}'}): whoever creates it serves content to the app's "
            "users and receives what the app stores there."
        )
        result.add("storage.missing-bucket", probe, probe.location, detail, (result.evidence(listing),))
    _judge_reads(probe, result)
    _judge_write(probe, result)
    return probe.error is None and listing is not None


class StorageCheck:
    """R6: judges the anonymous probes of every storage location the app references."""

    requirement = "R6"
    needs: frozenset[str] = frozenset({"storage"})

    def __init__(self, redactor: Redactor | None = None) -> None:
        self._redactor = redactor or Redactor()

    def judge(self, observations: Observations) -> CheckResult:
        """Findings per location; referenced locations without a probe record are errors."""
        result = _Result(self._redactor)
        probes = observations.storage
        probed = {p.location for p in probes}
        unprobed = [r for r in find_references(observations) if r.location not in probed]
        for ref in unprobed:
            result.errors.append(f"{ref.location}: referenced ({ref.sources[0]}) but not probed")
        judged = sum(_judge_probe(p, result) for p in probes)
        if probes and not any(p.write_probed for p in probes):
            result.notes.append("anonymous write was not probed (it needs --allow-write-probe)")
        searched = searched_sources(observations).describe()
        skipped = None if probes or unprobed else f"no storage location referenced (searched {searched})"
        reads = sum(len(p.actions("read")) for p in probes)
        tested = ""
        if probes:
            tested = f"{len(probes)} referenced storage locations probed anonymously (listing"
            tested += f", {reads} referenced objects read" if reads else ""
            tested += ", write and delete)" if any(p.write_probed for p in probes) else ")"
        return CheckResult(
            requirement=self.requirement,
            findings=tuple(result.findings),
            coverage=Coverage(tested=judged, untested=len(probes) - judged + len(unprobed)),
            tested=tested,
            errors=tuple(self._redactor.text(e) for e in result.errors),
            notes=tuple(self._redactor.text(n) for n in result.notes),
            skipped=skipped,
        )


STORAGE_CHECK = StorageCheck()
