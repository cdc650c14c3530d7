"""JUnit XML for CI test views: one test suite per target, one test case per requirement.

fail → `<failure>` listing the findings, error → `<error>` with the reasons, manual and skipped →
`<skipped>`; pass and warn pass (warn findings are listed in `<system-out>`).
"""

from __future__ import annotations

import re
import xml.etree.ElementTree as ET

from connectsec.catalog.requirements import BY_ID
from connectsec.model import Finding, Outcome, Report, RequirementResult
from connectsec.reporting._common import findings_label, visible

TOOL_SUITES = "connectsec"
_NOT_XML = re.compile(r"[\ud800-\udfff\ufffe\uffff]")


def xml_text(text: str) -> str:
    """Text XML 1.0 can hold: controls, bidi controls and lone surrogates as visible escapes."""
    return _NOT_XML.sub(lambda m: f"\\u{ord(m.group()):04x}", visible(text))


def target_name(report: Report) -> str:
    """The target as CI shows it: the descriptor URL, else the app key."""
    target = report.target
    return target.descriptor_url or target.app_key or target.app_name or TOOL_SUITES


def case_name(result: RequirementResult) -> str:
    """`R1.1 TLS 1.2+`: the id and the catalog's short name."""
    known = BY_ID.get(result.id)
    return f"{result.id} {known.short if known else result.title}"


def render_junit(report: Report) -> bytes:
    """The report as a JUnit XML document (UTF-8)."""
    root = ET.Element("testsuites", name=TOOL_SUITES)
    suite = ET.SubElement(root, "testsuite", name=xml_text(target_name(report)))
    counts = {"tests": 0, "failures": 0, "errors": 0, "skipped": 0}
    properties = ET.SubElement(suite, "properties")
    target = report.target
    for name, value in (
        ("descriptor_url", target.descriptor_url),
        ("app_key", target.app_key),
        ("app_name", target.app_name),
        ("base_url", target.base_url),
        ("tool", f"{report.tool} {report.tool_version}"),
        *((f"option.{k}", v) for k, v in report.options),
        *(("scan_error", e) for e in report.errors),
        *(("scan_warning", w) for w in report.warnings),
    ):
        if value is not None:
            ET.SubElement(properties, "property", name=xml_text(name), value=xml_text(value))
    for result in report.requirements:
        counts["tests"] += 1
        kind = _case(suite, result, xml_text(target_name(report)))
        if kind:
            counts[kind] += 1
    duration = f"{report.stats.duration_s:.3f}"
    suite.set("timestamp", _timestamp(report.started_at))
    for element in (root, suite):
        for key, count in counts.items():
            element.set(key, str(count))
        element.set("time", duration)
    ET.indent(root)
    document: bytes = ET.tostring(root, encoding="utf-8", xml_declaration=True)
    return document + b"\n"


def _case(suite: ET.Element, result: RequirementResult, classname: str) -> str | None:
    """Adds the requirement's test case; says which counter it adds to (None: it passed)."""
    case = ET.SubElement(suite, "testcase", classname=classname, name=xml_text(case_name(result)), time="0")
    summary = xml_text(result.summary)
    kind: str | None = None
    if result.outcome is Outcome.FAIL:
        failing = [f for f in result.findings if f.verdict == "fail"] or list(result.findings)
        element = ET.SubElement(
            case, "failure", message=summary, type=f"findings {findings_label(result.findings)}"
        )
        element.text = xml_text(_findings_text(failing))
        kind = "failures"
    elif result.outcome is Outcome.ERROR:
        element = ET.SubElement(case, "error", message=summary, type="error")
        element.text = xml_text("\n".join(result.errors) or result.summary)
        kind = "errors"
    elif result.outcome in (Outcome.SKIPPED, Outcome.MANUAL):
        message = summary if result.outcome is Outcome.SKIPPED else f"manual: {summary}"
        ET.SubElement(case, "skipped", message=message)
        kind = "skipped"
    out = _system_out(result, include_findings=result.outcome is not Outcome.FAIL)
    if out:
        ET.SubElement(case, "system-out").text = xml_text(out)
    return kind


def _findings_text(findings: list[Finding]) -> str:
    return "\n\n".join(_finding_text(f) for f in findings)


def _finding_text(finding: Finding) -> str:
    lines = [
        f"[{finding.severity}/{finding.verdict}] {finding.rule}: {finding.title}",
        f"  at {finding.location}",
        f"  {finding.detail}",
        f"  id {finding.id}" + (" (in baseline)" if finding.in_baseline else ""),
    ]
    if finding.due:
        lines.append(f"  due {finding.due} (first seen {finding.first_seen or '?'})")
    lines += [f"  reproduce: {e.curl}" for e in finding.evidence if e.curl]
    lines.append(f"  fix: {finding.remediation}")
    return "\n".join(lines)


def _system_out(result: RequirementResult, *, include_findings: bool) -> str:
    parts = [f"{result.outcome}: {result.summary}"]
    if include_findings and result.findings:
        parts.append(_findings_text(list(result.findings)))
    for label, items in (
        ("errors", result.errors),
        ("to verify by hand", result.manual),
        ("suppressed", result.suppressed),
        ("notes", result.notes),
    ):
        if items:
            parts.append(f"{label}:\n" + "\n".join(f"- {item}" for item in items))
    return "\n\n".join(parts)


def _timestamp(started_at: str) -> str:
    """JUnit's timestamp: ISO 8601 without zone (the scan's times are UTC)."""
    return re.sub(r"(?:Z|[+-]00:00)$", "", started_at).split(".")[0]
