"""Renderers: pure functions from a Report to the bytes of one format."""

from __future__ import annotations

from collections.abc import Callable, Mapping

from connectsec.model import Report
from connectsec.reporting.json_report import (
    ReportSchemaError,
    load_report,
    render_json,
    report_schema,
    report_to_dict,
)
from connectsec.reporting.markdown import render_markdown, report_to_markdown
from connectsec.reporting.terminal import print_summary, summary_table

Renderer = Callable[[Report], bytes]

RENDERERS: Mapping[str, Renderer] = {
    "json": render_json,
    "markdown": render_markdown,
}
"""Format name → renderer."""

__all__ = [
    "RENDERERS",
    "Renderer",
    "ReportSchemaError",
    "load_report",
    "print_summary",
    "render_json",
    "render_markdown",
    "report_schema",
    "report_to_dict",
    "report_to_markdown",
    "summary_table",
]
