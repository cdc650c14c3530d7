"""R14 (source): resolved dependencies with known vulnerabilities, judged from a DependencyScan."""

from __future__ import annotations

import hashlib
import shlex
from collections.abc import Sequence
from datetime import datetime

from connectsec.catalog.rules import make_finding
from connectsec.model import CheckResult, Coverage, Evidence, Finding, Observations
from connectsec.model.source import AdvisoryMatch, DependencyScan, ResolvedPackage

STALE_DAYS = 30
_RANK = {"unscored": 0, "low": 1, "medium": 2, "high": 3, "critical": 4}
_LISTED = 10
_MAX_ERRORS = 20


class DependencyCheck:
    """R14 source part: every pinned package inside an advisory's range; stale or missing data said so."""

    requirement = "R14"
    needs: frozenset[str] = frozenset({"source"})

    def __init__(self, stale_days: int = STALE_DAYS) -> None:
        self.stale_days = stale_days

    def judge(self, observations: Observations) -> CheckResult:
        """Findings per vulnerable package location; errors for unreadable files and missing data."""
        scan = observations.dependencies
        if scan is None:
            return CheckResult(requirement="R14", skipped="no source tree given (--source PATH)")
        if scan.error is not None:
            return CheckResult(requirement="R14", errors=(f"dependency scan: {scan.error}",))
        if not scan.manifests and not scan.unparsed:
            return CheckResult(
                requirement="R14",
                skipped="no lockfile or dependency manifest found in the source tree",
            )
        present = sorted({p.ecosystem for p in scan.packages})
        findings = [*self._vulnerable(scan), *self._stale(scan, present)]
        errors = [f"could not read {p}" for p in scan.unparsed]
        for ecosystem in scan.missing_data:
            count = sum(1 for p in scan.packages if p.ecosystem == ecosystem)
            errors.append(
                f"no advisory data loaded for {ecosystem}: {count} pinned package(s) not checked "
                "(load an OSV dump with --advisories, or run `connectsec db update`)"
            )
        if len(errors) > _MAX_ERRORS:
            errors = [*errors[:_MAX_ERRORS], f"and {len(errors) - _MAX_ERRORS} more"]
        judged = [p for p in scan.packages if p.ecosystem not in scan.missing_data]
        files = len(scan.manifests)
        tested = (
            f"{len(judged)} pinned package(s) from {files} lockfile(s)/manifest(s) ({', '.join(present)}) "
            "matched against OSV advisories"
            if judged
            else ""
        )
        return CheckResult(
            requirement="R14",
            findings=tuple(findings),
            coverage=Coverage(
                tested=len(judged),
                untested=len(scan.packages) - len(judged) + len(scan.unparsed),
                inconclusive=len(scan.unchecked),
            ),
            tested=tested,
            errors=tuple(errors),
            notes=tuple(self._notes(scan, present)),
            skipped=None if judged or errors else "no pinned dependency found (see notes for unpinned ones)",
        )

    def _vulnerable(self, scan: DependencyScan) -> list[Finding]:
        by_package: dict[ResolvedPackage, list[AdvisoryMatch]] = {}
        for match in scan.matches:
            by_package.setdefault(match.package, []).append(match)
        return [_finding(p, ms, scan.dev_high_is_warn) for p, ms in by_package.items()]

    def _stale(self, scan: DependencyScan, present: Sequence[str]) -> list[Finding]:
        findings: list[Finding] = []
        for ecosystem in present:
            if ecosystem in scan.missing_data:
                continue
            dates = [s.date for s in scan.sources if s.ecosystem == ecosystem and s.date is not None]
            age = _age(scan.checked_at, max(dates)) if dates else None
            if age is not None and age <= self.stale_days:
                continue
            said = f"advisory data is {age} days old" if age is not None else "advisory data has no date"
            origins = "; ".join(s.origin for s in scan.sources if s.ecosystem == ecosystem)
            findings.append(
                make_finding(
                    "dependency.advisory-data-stale",
                    f"advisory-data:{ecosystem}",
                    f"{ecosystem}: {said} (allowed: {self.stale_days} days), so advisories published since "
                    f"are missing and a clean result cannot be trusted. Data: {origins}.",
                    extra=(("ecosystem", ecosystem), ("age_days", "" if age is None else str(age))),
                )
            )
        return findings

    def _notes(self, scan: DependencyScan, present: Sequence[str]) -> list[str]:
        notes: list[str] = []
        for source in scan.sources:
            if source.ecosystem in present:
                dated = f"dated {source.date:%Y-%m-%d}" if source.date else "undated"
                notes.append(
                    f"advisory data: {source.ecosystem}: {source.origin}, {source.records} records, {dated}"
                )
        if scan.unchecked:
            listed = [f"{u.name} {u.spec} ({u.path}:{u.line}: {u.reason})" for u in scan.unchecked]
            notes.append(f"not checked ({len(listed)}, no exact version): {_listed(listed)}")
        partial = [m.path for m in scan.manifests if not m.transitive_resolved]
        if partial:
            notes.append(
                "transitive dependencies not resolvable offline (no lockfile), not checked: "
                + _listed(partial)
            )
        unscored = sum(1 for m in scan.matches if m.severity == "unscored")
        if unscored:
            notes.append(
                f"{unscored} matched advisory record(s) carry no CVSS vector or severity: reported as "
                "unscored"
            )
        return notes


def _finding(package: ResolvedPackage, matches: list[AdvisoryMatch], dev_high_is_warn: bool) -> Finding:
    matches = sorted(matches, key=lambda m: (-_RANK[m.severity], -(m.score or 0.0), m.id))
    worst = matches[0].severity
    dev_only = package.development and dev_high_is_warn and worst in ("high", "critical")
    rule = f"dependency.dev-vulnerable-{worst}" if dev_only else f"dependency.vulnerable-{worst}"
    relation = {True: "direct", False: "transitive", None: "direct or transitive: unknown"}[package.direct]
    scope = "development only" if package.development else "runtime"
    count = len(matches)
    known = "1 known vulnerability" if count == 1 else f"{count} known vulnerabilities"
    listed = "; ".join(_advisory_text(m) for m in matches[:_LISTED])
    if count > _LISTED:
        listed += f"; and {count - _LISTED} more"
    upgrade = matches[0].upgrade
    advice = (
        f"Upgrade to {upgrade} or later (the first release outside every loaded advisory)."
        if upgrade
        else "At least one advisory names no fixed release: replace the package or upgrade past its range."
    )
    detail = (
        f"{package.name} {package.version} ({package.ecosystem}, {relation}, {scope}) has {known}: "
        f"{listed}. {advice}"
    )
    if dev_only:
        detail += " Reachable only through development dependencies, so this is a warning."
    ids = [i for m in matches for i in (m.id, *m.aliases)]
    fingerprint = hashlib.sha256(
        f"{package.ecosystem}|{package.name}|{package.version}|{package.path}".encode()
    ).hexdigest()[:20]
    evidence = Evidence(
        method="FILE",
        url=f"{package.path}:{package.line}",
        status=None,
        excerpt=f"{package.path}:{package.line} pins {package.name} {package.version}",
        curl=f"sed -n '{package.line}p' {shlex.quote(package.path)}",
    )
    extra = (
        ("ecosystem", package.ecosystem),
        ("package", package.name),
        ("version", package.version),
        ("direct", {True: "direct", False: "transitive", None: "unknown"}[package.direct]),
        ("scope", "development" if package.development else "runtime"),
        ("advisories", " ".join(dict.fromkeys(ids))),
        ("fixed", upgrade or ""),
        ("info", " ".join(dict.fromkeys(m.url for m in matches if m.url))),
        ("fingerprint", fingerprint),
    )
    return make_finding(rule, package.location, detail, (evidence,), extra)


def _advisory_text(match: AdvisoryMatch) -> str:
    aliases = f" ({', '.join(match.aliases[:3])})" if match.aliases else ""
    if match.score is not None:
        severity = f"{match.severity} {match.score:.1f}"
    elif match.severity == "unscored":
        severity = "unscored"
    else:
        severity = f"{match.severity} (database severity)"
    fixed = f"; fixed in {match.fixed}" if match.fixed else "; no fixed release"
    summary = f" {match.summary}" if match.summary else ""
    return f"{match.id}{aliases} [{severity}; affects {match.affected}{fixed}]{summary}"


def _age(now: datetime | None, date: datetime) -> int | None:
    return max((now - date).days, 0) if now is not None else None


def _listed(items: Sequence[str]) -> str:
    more = f" and {len(items) - _LISTED} more" if len(items) > _LISTED else ""
    return ", ".join(items[:_LISTED]) + more


SOURCE_DEPENDENCIES_CHECK = DependencyCheck()
