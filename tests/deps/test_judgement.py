"""The R14 source check on hand-built DependencyScan records (pure judgement)."""

from __future__ import annotations

from datetime import UTC, datetime

from connectsec.checks.source.dependencies import DependencyCheck
from connectsec.engine.rollup import roll_up
from connectsec.model import Inventory, Observations, Outcome
from connectsec.model.source import (
    AdvisoryMatch,
    AdvisorySource,
    DependencyScan,
    ManifestFile,
    ResolvedPackage,
)

from .conftest import NOW, observations

FRESH = AdvisorySource("npm", "dump", 100, datetime(2026, 11, 20, tzinfo=UTC))
PKG = ResolvedPackage("npm", "tar", "1.0.3", "package-lock.json", 7, False, False)
DEV = ResolvedPackage("npm", "ws", "1.0.0", "package-lock.json", 9, False, True)


def match(package: ResolvedPackage, severity: str, score: float | None = None) -> AdvisoryMatch:
    return AdvisoryMatch(
        package, "X-1", ("CVE-1",), "bad", severity, score, "", "<2.0.0", "2.0.0", None, "2.0.0"
    )


def scan(
    *matches: AdvisoryMatch, sources: tuple[AdvisorySource, ...] = (FRESH,), **kw: object
) -> DependencyScan:
    return DependencyScan(
        root="/src",
        manifests=(ManifestFile("package-lock.json", "npm", "package-lock.json v3", 2),),
        packages=(PKG, DEV),
        matches=matches,
        sources=sources,
        checked_at=NOW,
        **kw,  # type: ignore[arg-type]
    )


def outcome(result_scan: DependencyScan, check: DependencyCheck | None = None) -> Outcome:
    result = (check or DependencyCheck()).judge(observations(result_scan))
    return roll_up("R14", "external components", [result]).outcome


def test_clean_fresh_data_passes() -> None:
    assert outcome(scan()) is Outcome.PASS


def test_no_source_is_skipped_and_scan_error_is_error() -> None:
    inventory = observations(scan()).inventory
    assert (
        DependencyCheck().judge(Observations(inventory=inventory)).skipped
        == "no source tree given (--source PATH)"
    )
    assert outcome(DependencyScan(root="/x", error="/x: not a directory")) is Outcome.ERROR
    assert isinstance(inventory, Inventory)


def test_severities_map_to_verdicts() -> None:
    assert outcome(scan(match(PKG, "critical", 9.8))) is Outcome.FAIL
    assert outcome(scan(match(PKG, "high", 7.5))) is Outcome.FAIL
    assert outcome(scan(match(PKG, "medium", 5.0))) is Outcome.WARN
    assert outcome(scan(match(PKG, "low", 2.0))) is Outcome.WARN
    result = DependencyCheck().judge(observations(scan(match(PKG, "unscored"))))
    assert [f.rule for f in result.findings] == ["dependency.vulnerable-unscored"]
    assert "unscored" in result.findings[0].detail


def test_dev_only_high_is_warn_unless_configured() -> None:
    assert outcome(scan(match(DEV, "critical", 9.8))) is Outcome.WARN
    assert outcome(scan(match(DEV, "critical", 9.8), dev_high_is_warn=False)) is Outcome.FAIL


def test_stale_data_caps_at_warn_with_its_age() -> None:
    old = AdvisorySource("npm", "old dump", 100, datetime(2026, 9, 1, tzinfo=UTC))
    result = DependencyCheck().judge(observations(scan(sources=(old,))))
    assert [f.detail.split(" (")[0] for f in result.findings] == ["npm: advisory data is 89 days old"]
    assert outcome(scan(sources=(old,))) is Outcome.WARN
    assert outcome(scan(sources=(old,)), DependencyCheck(stale_days=120)) is Outcome.PASS


def test_finding_has_stable_location_fingerprint_and_upgrade() -> None:
    [finding] = DependencyCheck().judge(observations(scan(match(PKG, "high", 7.5)))).findings
    assert finding.location == "package-lock.json:7"
    extra = dict(finding.extra)
    moved = ResolvedPackage("npm", "tar", "1.0.3", "package-lock.json", 70, False, False)
    [again] = DependencyCheck().judge(observations(scan(match(moved, "high", 7.5)))).findings
    assert dict(again.extra)["fingerprint"] == extra["fingerprint"]
    assert extra["fixed"] == "2.0.0"
    assert "Upgrade to 2.0.0 or later" in finding.detail
    assert finding.evidence[0].curl == "sed -n '7p' package-lock.json"
