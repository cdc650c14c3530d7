"""Arbitrary text from the target never breaks the JSON contract or the Markdown renderer."""

from __future__ import annotations

import json
from dataclasses import replace

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from connectsec.model import Evidence, Finding, Severity, Verdict
from connectsec.reporting import load_report, render_json, report_to_dict, report_to_markdown

from .factory import sample_report, with_findings
from .mdcheck import html_blocks, table_shapes

# Surrogates included: a badly decoded header or body must not break rendering either.
_TEXT = st.text(st.characters(exclude_categories=()), max_size=60)
# Finding.id encodes requirement|rule|location as strict UTF-8, so those carry no lone surrogates.
_FINGERPRINTED = st.text(max_size=60)
_PAIRS = st.lists(st.tuples(_TEXT, _TEXT), max_size=3).map(tuple)

_EVIDENCE = st.builds(
    Evidence,
    method=st.sampled_from(["GET", "POST"]),
    url=_TEXT,
    status=st.none() | st.integers(100, 599),
    headers=_PAIRS,
    excerpt=st.none() | _TEXT,
    curl=st.none() | _TEXT,
)
_FINDING = st.builds(
    Finding,
    requirement=st.just("R2"),
    rule=_FINGERPRINTED.filter(bool),
    verdict=st.sampled_from(Verdict),
    severity=st.sampled_from(Severity),
    title=_TEXT,
    location=_FINGERPRINTED,
    detail=_TEXT,
    remediation=_TEXT,
    evidence=st.lists(_EVIDENCE, max_size=2).map(tuple),
    extra=_PAIRS,
)
_BASE = sample_report()


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(findings=st.lists(_FINDING, max_size=3).map(tuple), summary=_TEXT, warning=_TEXT)
def test_arbitrary_text_validates_round_trips_and_renders(
    findings: tuple[Finding, ...], summary: str, warning: str
) -> None:
    report = with_findings(_BASE, "R2", findings)
    report = replace(report, warnings=(warning,), target=replace(report.target, app_name=summary))
    raw = render_json(report)
    assert load_report(raw) == json.loads(raw) == report_to_dict(report)
    text = report_to_markdown(report)
    assert all(len(set(rows)) == 1 for rows in table_shapes(text))
    with_evidence = sum(bool(f.evidence) for r in report.requirements for f in r.findings)
    assert html_blocks(text).count("</details>") == with_evidence
