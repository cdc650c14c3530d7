"""scan_dependencies: the R14 source scanner (lockfiles → exact versions → advisories); no network."""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path

from connectsec.deps.advisories import AdvisoryDatabase
from connectsec.deps.discover import discover
from connectsec.deps.match import match_packages, upgrade_target
from connectsec.model.source import DependencyScan, ManifestFile, ResolvedPackage, UncheckedPackage


def scan_dependencies(
    root: str, advisories: AdvisoryDatabase, *, dev_high_is_warn: bool = True
) -> DependencyScan:
    """Resolve every lockfile and manifest under `root` and match the packages against `advisories`."""
    base = Path(root)
    if not base.is_dir():
        return DependencyScan(root=root, error=f"{root}: not a directory", checked_at=advisories.now)
    found = discover(base.resolve())
    packages: dict[tuple[str, str, str, str, int], ResolvedPackage] = {}
    unchecked: list[UncheckedPackage] = []
    manifests: list[ManifestFile] = []
    for parsed in found.parsed:
        for package in parsed.packages:
            key = (package.ecosystem, package.name, package.version, package.path, package.line)
            known = packages.get(key)
            if known is None or (known.development and not package.development):
                packages[key] = package
        unchecked.extend(parsed.unchecked)
        manifests.append(
            ManifestFile(
                parsed.path, parsed.ecosystem, parsed.kind, len(parsed.packages), parsed.transitive_resolved
            )
        )
    resolved = list(packages.values())
    matched = match_packages(resolved, advisories)
    fixes = {m.package: upgrade_target(m.package, advisories) for m in matched.matches}
    matches = tuple(replace(m, upgrade=fixes.get(m.package)) for m in matched.matches)
    present = {p.ecosystem for p in resolved}
    return DependencyScan(
        root=root,
        manifests=tuple(manifests),
        packages=tuple(resolved),
        unchecked=tuple(unchecked),
        matches=matches,
        sources=advisories.sources,
        missing_data=tuple(sorted(present - advisories.ecosystems)),
        unparsed=(*found.problems, *matched.problems, *advisories.problems),
        checked_at=advisories.now,
        dev_high_is_warn=dev_high_is_warn,
    )
