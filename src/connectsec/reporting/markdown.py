"""The Markdown report for humans (a PR comment, a ticket, a file beside report.json).

Everything the scanned app controls (URLs, headers, details, names, messages) is escaped, so it
cannot break a table, open a code block or inject HTML. Finding titles and remediation are catalog
text and keep their Markdown.
"""

from __future__ import annotations

import re
from collections.abc import Iterable

from connectsec.model import AuthMode, Endpoint, Evidence, Finding, Outcome, Report, RequirementResult
from connectsec.reporting._common import (
    all_findings,
    coverage_label,
    findings_label,
    outcome_counts,
    severity_counts,
    visible,
)

MAX_LOCATIONS_PER_RULE = 50
MAX_ENDPOINT_ROWS = 500

OUTCOME_LABELS: dict[Outcome, str] = {
    Outcome.FAIL: "❌ fail",
    Outcome.WARN: "⚠️ warn",
    Outcome.PASS: "✅ pass",
    Outcome.ERROR: "⛔ error",
    Outcome.MANUAL: "📝 manual",
    Outcome.SKIPPED: "⏭️ skipped",
}

_HTML = {"&": "&amp;", "<": "&lt;", ">": "&gt;"}
_HTML_CHARS = re.compile(r"[&<>]")
_MD_CHARS = re.compile(r"[\\`*_\[\]|~#$]")
# What would open a block (list, setext underline, ordered list) at the start of a line.
_BLOCK_START = re.compile(r"^(?:[-+=]|\d{1,9}(?=[.)]))")
_BACKTICKS = re.compile(r"`+")
_CODE_SPAN = re.compile(r"(`[^`]*`)")


def md(text: str | None, empty: str = "—") -> str:
    """Untrusted text as one line of inline Markdown that renders literally (table-cell safe)."""
    if text is None or not text.strip():
        return empty
    text = visible(text.strip(), newline="\n")
    text = _html(text)
    text = _MD_CHARS.sub(lambda m: "\\" + m.group(), text)
    text = _BLOCK_START.sub(lambda m: m.group() + "\\" if m.group().isdigit() else "\\" + m.group(), text)
    return text.replace("\n", "<br>")


def _html(text: str) -> str:
    return _HTML_CHARS.sub(lambda m: _HTML[m.group()], text)


def code(text: str) -> str:
    """A code span that holds any text (not for table cells: `|` stays literal there)."""
    text = visible(text, newline=" ")
    ticks = "`" * (max((len(run) for run in _BACKTICKS.findall(text)), default=0) + 1)
    pad = " " if text.startswith("`") or text.endswith("`") or not text.strip() else ""
    return f"{ticks}{pad}{text}{pad}{ticks}"


def fenced(text: str, info: str = "") -> list[str]:
    """A fenced code block whose fence no line of `text` can close."""
    text = visible(text.replace("\r\n", "\n"))
    ticks = "`" * max(3, max((len(run) for run in _BACKTICKS.findall(text)), default=0) + 1)
    return [f"{ticks}{info}", *text.split("\n"), ticks]


def trusted(text: str) -> str:
    """Catalog text: its code spans and emphasis are kept, HTML is not, and it stays on one line."""
    parts = _CODE_SPAN.split(visible(text, newline=" ").strip())
    # Odd parts are code spans, where `<` is already literal.
    return "".join(part if index % 2 else _html(part) for index, part in enumerate(parts))


def report_to_markdown(report: Report) -> str:
    """The whole report as a Markdown document."""
    lines: list[str] = []
    _header(lines, report)
    _summary(lines, report)
    for result in report.requirements:
        _requirement(lines, result)
    _inventory(lines, report.endpoints)
    return "\n".join(lines).rstrip("\n") + "\n"


def render_markdown(report: Report) -> bytes:
    """The Markdown report as UTF-8."""
    return report_to_markdown(report).encode("utf-8", errors="replace")


def _row(cells: Iterable[str]) -> str:
    return "| " + " | ".join(cells) + " |"


def _table(header: list[str], rows: Iterable[list[str]]) -> list[str]:
    return [_row(header), _row("---" for _ in header), *(_row(r) for r in rows), ""]


def _header(lines: list[str], report: Report) -> None:
    target = report.target
    app = target.app_name or target.app_key or target.descriptor_url
    rows = [
        ["Descriptor", md(target.descriptor_url)],
        ["App key", md(target.app_key)],
        ["App name", md(target.app_name)],
        ["Base URL", md(target.base_url)],
        ["Started", md(report.started_at)],
        ["Finished", md(report.finished_at)],
        ["Duration", f"{report.stats.duration_s:.1f} s"],
        ["Requests sent", str(report.stats.requests_sent)],
        ["Tool", md(f"{report.tool} {report.tool_version}")],
    ]
    rows += [[f"Option {md(name)}", md(value)] for name, value in report.options]
    lines += [f"# Security report: {md(app)}", "", *_table(["Target", "Value"], rows)]
    if report.errors or report.warnings:
        lines += ["## Scan problems", ""]
        lines += [f"- **Error:** {md(e)}" for e in report.errors]
        lines += [f"- **Warning:** {md(w)}" for w in report.warnings]
        lines.append("")


def _summary(lines: list[str], report: Report) -> None:
    outcomes = ", ".join(f"{n} {o}" for o, n in outcome_counts(report).items() if n)
    findings = all_findings(report)
    severities = ", ".join(f"{n} {s}" for s, n in severity_counts(findings).items() if n)
    lines += ["## Summary", ""]
    lines.append(
        f"{len(report.requirements)} requirements: {outcomes or 'none'}. "
        f"{len(findings)} findings{f' ({severities})' if severities else ''}."
    )
    lines.append("")
    rows = [
        [
            md(r.id),
            md(r.title),
            OUTCOME_LABELS[r.outcome],
            findings_label(r.findings),
            f"{r.coverage.tested} / {r.coverage.in_scope}" if r.coverage.in_scope else "—",
        ]
        for r in report.requirements
    ]
    lines += _table(["ID", "Requirement", "Outcome", "Findings", "Coverage (tested / in scope)"], rows)


def _requirement(lines: list[str], result: RequirementResult) -> None:
    coverage = coverage_label(result.coverage)
    if result.coverage.not_applicable:
        coverage += f" ({result.coverage.not_applicable} not applicable)"
    lines += [
        f"## {md(result.id)}: {md(result.title)}",
        "",
        f"**Outcome:** {OUTCOME_LABELS[result.outcome]} · **Findings:** {findings_label(result.findings)}"
        f" · **Coverage:** {coverage}",
        "",
        md(result.summary, empty="*No summary.*"),
        "",
    ]
    for label, items in (
        ("Errors", result.errors),
        ("To verify by hand", result.manual),
        ("Suppressed (accepted in connectsec.toml)", result.suppressed),
        ("Notes", result.notes),
    ):
        if items:
            lines += [f"**{label}:**", "", *(f"- {md(item)}" for item in items), ""]
    for findings in _by_rule(result.findings):
        _rule(lines, findings)


def _by_rule(findings: tuple[Finding, ...]) -> list[list[Finding]]:
    groups: dict[str, list[Finding]] = {}
    for finding in findings:
        groups.setdefault(finding.rule, []).append(finding)
    return sorted(groups.values(), key=lambda group: -group[0].severity.rank)


def _rule(lines: list[str], findings: list[Finding]) -> None:
    first = findings[0]
    count = len(findings)
    lines += [
        f"### {trusted(first.title) or md(first.rule)}",
        "",
        f"{code(first.rule)} · severity **{first.severity}** · verdict **{first.verdict}**"
        f" · {count} location{'s' if count != 1 else ''}",
        "",
        f"**Remediation:** {trusted(first.remediation) or '—'}",
        "",
    ]
    for number, finding in enumerate(findings[:MAX_LOCATIONS_PER_RULE], start=1):
        _location(lines, number, finding)
    if count > MAX_LOCATIONS_PER_RULE:
        lines += [f"… and {count - MAX_LOCATIONS_PER_RULE} more (see report.json)", ""]


def _location(lines: list[str], number: int, finding: Finding) -> None:
    needed = " · *found with credentials only*" if finding.auth_mode is AuthMode.TENANT else ""
    parts = [
        f"**{number}.** {md(finding.location)} · id {code(finding.id)}{needed}",
        md(finding.detail, empty=""),
    ]
    if finding.extra:
        parts.append(" · ".join(f"*{md(key)}:* {md(value)}" for key, value in finding.extra))
    lines += ["<br>\n".join(p for p in parts if p), ""]
    if finding.evidence:
        _evidence(lines, finding.evidence)


NON_HTTP = frozenset({"TLS", "DNS", "RDAP"})
"""Evidence methods of host-level probes: no HTTP status to speak of."""


def _evidence(lines: list[str], evidence: tuple[Evidence, ...]) -> None:
    count = len(evidence)
    lines += ["<details>", f"<summary>Evidence: {count} request{'s' if count != 1 else ''}</summary>", ""]
    for item in evidence:
        http = item.url.lower().startswith(("http://", "https://")) and item.method not in NON_HTTP
        exchange = [f"{item.method} {item.url}"]
        if item.status is not None:
            exchange.append(f"HTTP {item.status}")
        elif http:
            exchange.append("no response")
        exchange += [f"{name}: {value}" for name, value in item.headers]
        if item.excerpt:
            exchange += ["", item.excerpt]
        lines += [*fenced("\n".join(exchange), "http" if http else "text"), ""]
        if item.curl:
            lines += ["Reproduce:", "", *fenced(item.curl, "shell"), ""]
    lines += ["</details>", ""]


def _inventory(lines: list[str], endpoints: tuple[Endpoint, ...]) -> None:
    lines += ["## Endpoint inventory", ""]
    if not endpoints:
        lines += ["No endpoints were discovered.", ""]
        return
    total = len(endpoints)
    shown = endpoints[:MAX_ENDPOINT_ROWS]
    lines += [f"{total} endpoint{'s' if total != 1 else ''}.", ""]
    rows = [
        [
            str(number),
            md(e.method),
            md(e.url),
            md(str(e.kind)),
            md(" / ".join(x for x in (e.module_type, e.module_key) if x)),
            md(e.source),
            ", ".join(flag for flag, on in (("admin only", e.admin_only), ("cacheable", e.cacheable)) if on)
            or "—",
        ]
        for number, e in enumerate(shown, start=1)
    ]
    lines += _table(["#", "Method", "URL", "Kind", "Module", "Source", "Flags"], rows)
    if total > MAX_ENDPOINT_ROWS:
        lines += [f"… and {total - MAX_ENDPOINT_ROWS} more endpoints (see report.json)", ""]
