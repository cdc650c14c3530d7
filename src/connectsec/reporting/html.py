"""The HTML report: one self-contained file (inline CSS, JS and SVG charts, no external URL at all).

Everything is escaped by Jinja2's autoescape, and control and bidi characters are made visible. A
Content-Security-Policy with the hashes of the one style and one script block stops anything else
from running or loading, should hostile text ever get through.
"""

from __future__ import annotations

import base64
import hashlib
import re
from collections import Counter
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from importlib import resources

import jinja2
from markupsafe import Markup, escape

from connectsec.catalog.requirements import BY_ID
from connectsec.model import Evidence, Finding, Report, RequirementResult, Severity
from connectsec.reporting._common import (
    all_findings,
    coverage_label,
    findings_label,
    outcome_counts,
    severity_counts,
    visible,
)

SEVERITIES = tuple(sorted(Severity, key=lambda s: s.rank, reverse=True))
"""Worst first."""
CHART_WIDTH = 640
BAR_ROW = 22
LABEL_WIDTH = 170
BAR_SPACE = CHART_WIDTH - LABEL_WIDTH - 50
TREND_HEIGHT = 220
_CODE_SPAN = re.compile(r"(`[^`]+`)")
TREND_PAD = (44, 14, 16, 34)
"""Left, right, top, bottom."""


@dataclass(frozen=True)
class TrendPoint:
    """One earlier scan's counts, for the trend chart."""

    started_at: str
    by_requirement: Mapping[str, int]
    by_severity: Mapping[str, int]


@dataclass(frozen=True)
class Segment:
    """A piece of a bar: x offset, width and the severity it counts."""

    x: float
    width: float
    severity: str
    count: int


@dataclass(frozen=True)
class Bar:
    """One row of a bar chart."""

    label: str
    total: int
    y: int
    segments: tuple[Segment, ...]

    @property
    def end(self) -> float:
        """Where the count is written: just after the bar."""
        return round(LABEL_WIDTH + sum(s.width for s in self.segments) + 6, 2)


@dataclass(frozen=True)
class BarChart:
    """A horizontal bar chart, bars split by severity."""

    title: str
    height: int
    bars: tuple[Bar, ...]


@dataclass(frozen=True)
class Series:
    """One line of the trend chart."""

    name: str
    points: str
    """SVG polyline points."""
    dots: tuple[tuple[float, float, int, str], ...]
    """x, y, value, scan time."""


@dataclass(frozen=True)
class TrendChart:
    """Findings over scans."""

    series: tuple[Series, ...]
    labels: tuple[tuple[float, str], ...]
    ticks: tuple[tuple[float, int], ...]
    rows: tuple[TrendRow, ...]


@dataclass(frozen=True)
class TrendRow:
    """One scan in the trend table."""

    started_at: str
    total: int
    by_severity: tuple[int, ...]
    by_requirement: str


@dataclass(frozen=True)
class Section:
    """One requirement with its findings, in report order."""

    result: RequirementResult
    name: str
    coverage: str
    findings_label: str
    findings: tuple[Finding, ...] = field(default_factory=tuple)


def render_html(report: Report, history: Sequence[TrendPoint] = ()) -> bytes:
    """The report as one HTML page (UTF-8); `history` (oldest first) adds the trend over scans."""
    css = _asset("report.css")
    js = _asset("report.js")
    policy = (
        "default-src 'none'; img-src data:; base-uri 'none'; form-action 'none'; "
        f"style-src '{_digest(css)}'; script-src '{_digest(js)}'"
    )
    findings = all_findings(report)
    page = (
        _environment()
        .get_template("report.html.j2")
        .render(
            report=report,
            title=report.target.app_name or report.target.app_key or report.target.descriptor_url,
            css=Markup(css),  # noqa: S704 - our own file, hashed into the policy
            js=Markup(js),  # noqa: S704 - our own file, hashed into the policy
            policy=policy,
            outcomes=[(str(o), n) for o, n in outcome_counts(report).items() if n],
            severities=[(str(s), n) for s, n in severity_counts(findings).items() if n],
            finding_count=len(findings),
            sections=[_section(r) for r in report.requirements],
            by_requirement=_requirement_chart(report),
            by_severity=_severity_chart(findings),
            trend=_trend(report, history) if history else None,
            severity_names=[str(s) for s in SEVERITIES],
        )
    )
    return page.encode("utf-8", errors="replace")


def _environment() -> jinja2.Environment:
    env = jinja2.Environment(
        loader=jinja2.PackageLoader("connectsec.reporting", "templates"),
        autoescape=True,
        undefined=jinja2.StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
    )
    env.filters["v"] = _visible
    env.filters["exchange"] = exchange_text
    env.filters["code_spans"] = code_spans
    return env


def _visible(value: object) -> str:
    return "" if value is None else visible(str(value))


def code_spans(text: str) -> Markup:
    """Catalog text with its `code spans` as <code>; everything escaped."""
    parts = _CODE_SPAN.split(visible(text))
    return Markup("").join(
        Markup("<code>{}</code>").format(part[1:-1]) if index % 2 else escape(part)
        for index, part in enumerate(parts)
    )


def exchange_text(evidence: Evidence) -> str:
    """The request line, status, headers and excerpt of one piece of evidence."""
    lines = [f"{evidence.method} {evidence.url}"]
    if evidence.status is not None:
        lines.append(f"HTTP {evidence.status}")
    lines += [f"{name}: {value}" for name, value in evidence.headers]
    if evidence.excerpt:
        lines += ["", evidence.excerpt]
    return "\n".join(lines)


def _asset(name: str) -> str:
    return resources.files("connectsec.reporting").joinpath("templates", name).read_text("utf-8")


def _digest(text: str) -> str:
    return "sha256-" + base64.b64encode(hashlib.sha256(text.encode("utf-8")).digest()).decode("ascii")


def _name(requirement_id: str, title: str) -> str:
    known = BY_ID.get(requirement_id)
    return f"{requirement_id} {known.short if known else title}"


def _section(result: RequirementResult) -> Section:
    coverage = coverage_label(result.coverage)
    if result.coverage.not_applicable:
        coverage += f" ({result.coverage.not_applicable} not applicable)"
    ordered = tuple(sorted(result.findings, key=lambda f: -f.severity.rank))
    return Section(result, _name(result.id, result.title), coverage, findings_label(result.findings), ordered)


def _segments(counts: Mapping[Severity, int], scale: float) -> tuple[Segment, ...]:
    x = float(LABEL_WIDTH)
    segments = []
    for severity in SEVERITIES:
        count = counts.get(severity, 0)
        if count:
            width = round(count * scale, 2)
            segments.append(Segment(round(x, 2), width, str(severity), count))
            x += width
    return tuple(segments)


def _bar_chart(title: str, rows: list[tuple[str, Mapping[Severity, int]]]) -> BarChart:
    most = max((sum(c.values()) for _, c in rows), default=0)
    scale = BAR_SPACE / most if most else 0.0
    bars = tuple(
        Bar(label, sum(counts.values()), index * BAR_ROW, _segments(counts, scale))
        for index, (label, counts) in enumerate(rows)
    )
    return BarChart(title, max(len(bars), 1) * BAR_ROW, bars)


def _requirement_chart(report: Report) -> BarChart:
    rows = [(_name(r.id, r.title), Counter(f.severity for f in r.findings)) for r in report.requirements]
    return _bar_chart("Findings by requirement", list(rows))


def _severity_chart(findings: list[Finding]) -> BarChart:
    counts = severity_counts(findings)
    return _bar_chart("Findings by severity", [(str(s), {s: counts[s]}) for s in SEVERITIES])


def _trend(report: Report, history: Sequence[TrendPoint]) -> TrendChart:
    points = list(history)
    if not points or points[-1].started_at != report.started_at:
        findings = all_findings(report)
        points.append(
            TrendPoint(
                report.started_at,
                {r.id: len(r.findings) for r in report.requirements},
                {str(s): n for s, n in severity_counts(findings).items()},
            )
        )
    left, right, top, bottom = TREND_PAD
    width, height = CHART_WIDTH - left - right, TREND_HEIGHT - top - bottom
    totals = [sum(p.by_severity.values()) for p in points]
    most = max(max(totals, default=0), 1)
    step = width / (len(points) - 1) if len(points) > 1 else 0.0

    def x(index: int) -> float:
        return round(left + (index * step if len(points) > 1 else width / 2), 2)

    def y(value: int) -> float:
        return round(top + height - value * height / most, 2)

    lines: list[tuple[str, list[int]]] = [("total", totals)]
    lines += [(str(s), [int(p.by_severity.get(str(s), 0)) for p in points]) for s in SEVERITIES]
    series = tuple(
        Series(
            name,
            " ".join(f"{x(i)},{y(v)}" for i, v in enumerate(values)),
            tuple((x(i), y(v), v, points[i].started_at) for i, v in enumerate(values)),
        )
        for name, values in lines
        if name == "total" or any(values)
    )
    every = max(1, (len(points) + 7) // 8)
    labels = tuple(
        (x(i), p.started_at[:10]) for i, p in enumerate(points) if i % every == 0 or i == len(points) - 1
    )
    ticks = tuple((y(v), v) for v in sorted({0, most // 2, most}))
    rows = tuple(
        TrendRow(
            p.started_at,
            total,
            tuple(int(p.by_severity.get(str(s), 0)) for s in SEVERITIES),
            ", ".join(f"{k}: {n}" for k, n in p.by_requirement.items() if n) or "none",
        )
        for p, total in zip(points, totals, strict=True)
    )
    return TrendChart(series, labels, ticks, rows)
