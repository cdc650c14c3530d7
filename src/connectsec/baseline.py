"""Known findings: `--baseline report.json` (only new findings fail the build) and `connectsec diff`."""

from __future__ import annotations

from dataclasses import dataclass, replace
from pathlib import Path
from typing import Any

from connectsec.model import Report
from connectsec.reporting.json_report import load_report


@dataclass(frozen=True)
class KnownFinding:
    """A finding as an earlier JSON report listed it."""

    id: str
    requirement: str
    rule: str
    severity: str
    verdict: str
    location: str
    title: str


def read_findings(path: Path, option: str = "--baseline") -> dict[str, KnownFinding]:
    """Every finding of a connectsec JSON report, by id (ValueError with one line when unusable)."""
    try:
        data = load_report(path.read_bytes())
    except OSError as exc:
        raise ValueError(f"{option} {path}: {exc.strerror or exc}") from None
    except ValueError as exc:
        reason = (str(exc).splitlines() or ["invalid"])[0]
        raise ValueError(f"{option} {path}: not a connectsec JSON report ({reason})") from None
    return {f.id: f for f in _findings(data)}


def _findings(data: dict[str, Any]) -> list[KnownFinding]:
    return [
        KnownFinding(
            f["id"], f["requirement"], f["rule"], f["severity"], f["verdict"], f["location"], f["title"]
        )
        for requirement in data["requirements"]
        for f in requirement["findings"]
    ]


def mark_baseline(report: Report, known: dict[str, KnownFinding]) -> Report:
    """The report with findings already in the baseline marked `in_baseline`."""
    results = tuple(
        replace(r, findings=tuple(replace(f, in_baseline=f.id in known) for f in r.findings))
        for r in report.requirements
    )
    return replace(report, requirements=results)


@dataclass(frozen=True)
class Diff:
    """What changed between two reports."""

    new: tuple[KnownFinding, ...]
    fixed: tuple[KnownFinding, ...]
    unchanged: tuple[KnownFinding, ...]


def diff_reports(old: Path, new: Path) -> Diff:
    """Findings only in `new`, only in `old`, and in both (ValueError when either is unusable)."""
    before = read_findings(old, "diff")
    after = read_findings(new, "diff")
    order = sorted(after.values(), key=lambda f: (f.requirement, f.rule, f.location))
    gone = sorted(before.values(), key=lambda f: (f.requirement, f.rule, f.location))
    return Diff(
        new=tuple(f for f in order if f.id not in before),
        fixed=tuple(f for f in gone if f.id not in after),
        unchanged=tuple(f for f in order if f.id in before),
    )
