"""Matching resolved packages against advisories: evaluation, alias de-duplication, fix suggestion."""

from __future__ import annotations

from dataclasses import dataclass, field

from connectsec.deps.advisories import AdvisoryDatabase
from connectsec.deps.ecosystems import VersionError, version_key
from connectsec.deps.osv import Advisory
from connectsec.deps.severity import RANKS
from connectsec.model.source import AdvisoryMatch, ResolvedPackage


@dataclass
class MatchResult:
    """Matches for many packages, and the advisories that could not be evaluated against a version."""

    matches: list[AdvisoryMatch] = field(default_factory=list)
    problems: list[str] = field(default_factory=list)


def match_packages(packages: list[ResolvedPackage], database: AdvisoryDatabase) -> MatchResult:
    """Every (package, issue) pair; records naming the same issue (shared id or alias) count once."""
    result = MatchResult()
    for package in packages:
        hits: list[Advisory] = []
        for advisory in database.for_package(package.ecosystem, package.name):
            try:
                if advisory.affects(package.version):
                    hits.append(advisory)
            except VersionError as exc:
                result.problems.append(
                    f"{advisory.id} could not be evaluated for {package.name} {package.version} "
                    f"at {package.location}: {exc}"
                )
        for group in _issues(hits):
            result.matches.append(_match(package, group))
    return result


def _issues(hits: list[Advisory]) -> list[list[Advisory]]:
    groups: list[tuple[set[str], list[Advisory]]] = []
    for advisory in hits:
        names = {advisory.id, *advisory.aliases}
        joined = [g for g in groups if g[0] & names]
        merged_names, merged = set(names), [advisory]
        for group in joined:
            merged_names |= group[0]
            merged = group[1] + merged
            groups.remove(group)
        groups.append((merged_names, merged))
    return [g[1] for g in groups]


def _match(package: ResolvedPackage, group: list[Advisory]) -> AdvisoryMatch:
    lead = max(group, key=lambda a: (RANKS[a.rating.severity], a.rating.score or 0.0))
    names = dict.fromkeys(n for a in group for n in (a.id, *a.aliases))
    names.pop(lead.id, None)
    fixes = [f for f in (a.fixed_above(package.version) for a in group) if f is not None]
    fixed = max(fixes, key=lambda f: _Key(package.ecosystem, f)) if fixes else None
    return AdvisoryMatch(
        package=package,
        id=lead.id,
        aliases=tuple(names),
        summary=lead.summary,
        severity=lead.rating.severity,
        score=lead.rating.score,
        severity_source=lead.rating.source,
        affected=lead.range_text,
        fixed=fixed,
        url=lead.url,
    )


class _Key:
    def __init__(self, ecosystem: str, version: str) -> None:
        self.key = version_key(ecosystem, version)

    def __lt__(self, other: _Key) -> bool:
        return bool(self.key < other.key)


def upgrade_target(package: ResolvedPackage, database: AdvisoryDatabase) -> str | None:
    """The lowest fixed version above the installed one that no loaded advisory affects; None if none."""
    advisories = database.for_package(package.ecosystem, package.name)
    candidate = package.version
    for _ in range(len(advisories) + 1):
        try:
            hits = [a for a in advisories if a.affects(candidate)]
        except VersionError:
            return None
        if not hits:
            return None if candidate == package.version else candidate
        fixes = [a.fixed_above(candidate) for a in hits]
        if any(f is None for f in fixes):
            return None
        candidate = max((f for f in fixes if f is not None), key=lambda f: _Key(package.ecosystem, f))
    return None
