"""The terminal summary: one row per requirement, then the scan's own problems.

Text from the scanned app goes into `rich.text.Text`, never through console markup, so a
`[red]` or an escape sequence in a hostile value is shown, not obeyed.
"""

from __future__ import annotations

from rich.console import Console
from rich.table import Table
from rich.text import Text

from connectsec.catalog.requirements import BY_ID
from connectsec.model import AuthMode, Finding, Outcome, Report
from connectsec.reporting._common import (
    all_findings,
    coverage_label,
    findings_label,
    outcome_counts,
    visible,
)

SUMMARY_WIDTH = 80
DETAIL_LOCATIONS = 5
WIDE = 120

OUTCOME_STYLES: dict[Outcome, str] = {
    Outcome.FAIL: "bold red",
    Outcome.WARN: "yellow",
    Outcome.PASS: "green",
    Outcome.ERROR: "bold magenta",
    Outcome.MANUAL: "cyan",
    Outcome.SKIPPED: "dim",
}


def plain(text: str, limit: int | None = None) -> Text:
    """Untrusted text as one line of rich Text, cut to `limit` characters with an ellipsis."""
    line = " ".join(visible(text, newline=" ").split())
    if limit is not None and len(line) > limit:
        line = line[: limit - 1] + "…"
    return Text(line)


def summary_table(report: Report, with_summary: bool = True) -> Table:
    """One row per requirement, in report order (the summary column only where there is room)."""
    target = report.target
    table = Table(
        title=plain(f"connectsec: {target.app_name or target.app_key or target.descriptor_url}"), expand=True
    )
    table.add_column("ID", no_wrap=True)
    table.add_column("Requirement")
    table.add_column("Outcome", no_wrap=True)
    table.add_column("Findings", justify="right", no_wrap=True)
    table.add_column("Coverage", no_wrap=True)
    if with_summary:
        table.add_column("Summary", no_wrap=True, overflow="ellipsis", ratio=1)
    for result in report.requirements:
        cells = [
            plain(result.id),
            plain(BY_ID[result.id].short if result.id in BY_ID else result.title),
            Text(str(result.outcome), style=OUTCOME_STYLES[result.outcome]),
            Text(findings_label(result.findings)),
            Text("-" if result.outcome is Outcome.SKIPPED else coverage_label(result.coverage)),
        ]
        if with_summary:
            cells.append(plain(result.summary, SUMMARY_WIDTH))
        table.add_row(*cells)
    return table


def details(report: Report, per_rule: int = DETAIL_LOCATIONS) -> list[Text]:
    """What to fix: per requirement with findings or errors, each rule with its first locations."""
    lines: list[Text] = []
    for result in report.requirements:
        if not result.findings and not result.errors and not result.manual:
            continue
        head = Text(f"{result.id} {BY_ID[result.id].short if result.id in BY_ID else result.title}: ")
        head.append(str(result.outcome), style=OUTCOME_STYLES[result.outcome])
        lines.append(head)
        by_rule: dict[str, list[Finding]] = {}
        for finding in result.findings:
            by_rule.setdefault(finding.rule, []).append(finding)
        for group in by_rule.values():
            first = group[0]
            line = Text("  ")
            line.append(
                f"{first.verdict} {first.severity}", style=OUTCOME_STYLES[Outcome(first.verdict.value)]
            )
            line.append(" ")
            line.append_text(plain(f"{first.title} ({len(group)})"))
            lines.append(line)
            for finding in group[:per_rule]:
                line = Text("    ") + plain(finding.location, 200)
                if finding.auth_mode is AuthMode.TENANT:
                    line.append(" (with credentials)", style="dim")
                lines.append(line)
            if len(group) > per_rule:
                lines.append(
                    Text(f"    … and {len(group) - per_rule} more (see the JSON or Markdown report)")
                )
        for error in result.errors[:per_rule]:
            lines.append(Text("  error ", style=OUTCOME_STYLES[Outcome.ERROR]) + plain(error, 200))
        if len(result.errors) > per_rule:
            lines.append(Text(f"    … and {len(result.errors) - per_rule} more errors"))
        for item in result.manual:
            lines.append(Text("  verify ", style=OUTCOME_STYLES[Outcome.MANUAL]) + plain(item, 200))
        if result.suppressed:
            lines.append(Text(f"  {len(result.suppressed)} accepted finding(s) suppressed (see the reports)"))
    return lines


def footer(report: Report) -> Text:
    """`16 requirements: 3 fail, 1 warn, 12 pass · 27 findings · 412 requests · 8.4 s`."""
    footer = Text(f"{len(report.requirements)} requirements: ")
    counts = [(o, n) for o, n in outcome_counts(report).items() if n]
    for index, (outcome, count) in enumerate(counts):
        if index:
            footer.append(", ")
        footer.append(f"{count} {outcome}", style=OUTCOME_STYLES[outcome])
    if not counts:
        footer.append("none")
    findings = len(all_findings(report))
    footer.append(
        f" · {findings} finding{'s' if findings != 1 else ''}"
        f" · {report.stats.requests_sent} requests · {report.stats.duration_s:.1f} s"
    )
    return footer


def print_summary(report: Report, console: Console) -> None:
    """Print the table, the footer line and the scan-level errors and warnings."""
    console.print(summary_table(report, with_summary=console.width >= WIDE))
    for line in details(report):
        console.print(line, soft_wrap=True)
    console.print(footer(report))
    for message in report.errors:
        console.print(Text("error: ", style="bold red") + plain(message))
    for message in report.warnings:
        console.print(Text("warning: ", style="bold yellow") + plain(message))
