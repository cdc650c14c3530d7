"""The terminal summary."""

from __future__ import annotations

from dataclasses import replace

from rich.console import Console

from connectsec.catalog.requirements import REQUIREMENT_IDS
from connectsec.model import Coverage
from connectsec.reporting import print_summary, summary_table
from connectsec.reporting._common import coverage_label, findings_label
from connectsec.reporting.terminal import OUTCOME_STYLES

from .factory import findings_for, sample_report, with_findings


def render(report_printer: object) -> str:
    console = Console(record=True, width=200, color_system="truecolor")
    console.print(report_printer)
    return console.export_text()


def test_table_has_a_row_per_requirement_in_order() -> None:
    table = summary_table(sample_report())
    assert table.row_count == len(REQUIREMENT_IDS)
    text = render(table)
    positions = [text.index(f" {rid} ") for rid in REQUIREMENT_IDS]
    assert positions == sorted(positions)
    assert "2 medium" in text
    assert "3/4 tested, 1 untested" in text


def test_print_summary_shows_footer_and_scan_problems() -> None:
    console = Console(record=True, width=200)
    print_summary(sample_report(), console)
    text = console.export_text()
    assert "16 requirements: 3 pass, 3 fail, 1 warn, 2 error, 3 manual, 4 skipped" in text
    assert "8 findings · 42 requests · 12.5 s" in text
    assert "warning: TLS certificate of localhost did not verify: scanned without verification" in text
    assert "error: crawl stopped after 200 pages" in text


def test_outcomes_are_coloured() -> None:
    console = Console(record=True, width=200, color_system="truecolor", force_terminal=True)
    print_summary(sample_report(), console)
    ansi = console.export_text(styles=True)
    assert "\x1b[1;31mfail" in ansi
    assert set(OUTCOME_STYLES) == {r.outcome for r in sample_report().requirements}


def test_hostile_text_is_shown_not_obeyed() -> None:
    report = sample_report()
    results = tuple(
        replace(r, summary="[red]x[/bogus] \x1b[2J" + "y" * 300) if r.id == "R2" else r
        for r in report.requirements
    )
    report = replace(report, requirements=results, warnings=("[/] \x07 bell",))
    console = Console(record=True, width=200)
    print_summary(report, console)
    text = console.export_text()
    assert "[red]x[/bogus] \\x1b[2J" in text
    assert "\\x07 bell" in text
    assert "y" * 300 not in text


def test_labels() -> None:
    assert findings_label(()) == "0"
    report = with_findings(sample_report(), "R2", findings_for("R2", 3) + findings_for("R11", 2))
    r2 = next(r for r in report.requirements if r.id == "R2")
    assert findings_label(r2.findings) == "5 (3 medium)"
    assert coverage_label(Coverage(tested=31)) == "31/31 tested"
    assert coverage_label(Coverage(tested=29, untested=2)) == "29/31 tested, 2 untested"
    assert coverage_label(Coverage(not_applicable=4)) == "none in scope"
