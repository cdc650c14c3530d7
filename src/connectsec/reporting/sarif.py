"""SARIF 2.1.0 for GitHub code scanning and other SARIF consumers.

Source findings (`path:line`, `path:line@commit`) point at their file and line. Endpoint findings (URLs,
hosts, cookies) point at the descriptor file, line 1, with the URL in the message and the properties:
code scanning rejects locations with non-file URI schemes. Every result carries a partial fingerprint
(the finding's id), so results sharing that one location stay distinct.
"""

from __future__ import annotations

import json
import os
import posixpath
import re
from dataclasses import dataclass
from importlib import resources
from pathlib import PurePosixPath
from typing import Any
from urllib.parse import quote

from connectsec.catalog.requirements import BY_ID as REQUIREMENTS_BY_ID
from connectsec.catalog.rules import BY_ID as RULES_BY_ID
from connectsec.model import Finding, Report, Severity, Verdict
from connectsec.reporting._common import all_findings

SARIF_VERSION = "2.1.0"
SARIF_SCHEMA_URI = (
    "https://docs.oasis-open.org/sarif/sarif/v2.1.0/errata01/os/schemas/sarif-schema-2.1.0.json"
)
DESCRIPTOR_FILE = "atlassian-connect.json"
"""Where endpoint findings are placed: the descriptor at the repository root."""
SOURCE_ROOT_ID = "SRCROOT"
FINGERPRINT_KEY = "connectsecFingerprint/v1"
VALUE_FINGERPRINT_KEY = "connectsecValueFingerprint/v1"
SOURCE_EVIDENCE = frozenset({"FILE", "GIT", "SOURCE"})
"""Evidence methods of findings in the source tree."""

SECURITY_SEVERITY: dict[Severity, str] = {
    Severity.CRITICAL: "9.5",
    Severity.HIGH: "8.0",
    Severity.MEDIUM: "5.5",
    Severity.LOW: "3.0",
    Severity.INFO: "0.0",
}
"""CVSS-like scores GitHub maps back to critical / high / medium / low."""

_FILE_LOCATION = re.compile(r"^(?P<path>.+?):(?P<line>\d{1,9})(?:@(?P<commit>[0-9A-Fa-f]{4,64}))?$")


@dataclass(frozen=True)
class FileSpot:
    """A finding's place in the source tree."""

    path: str
    line: int
    commit: str | None = None


def sarif_schema() -> dict[str, Any]:
    """The official SARIF 2.1.0 JSON schema shipped with connectsec."""
    text = resources.files("connectsec.data.schemas").joinpath("sarif-schema-2.1.0.json").read_text("utf-8")
    schema: dict[str, Any] = json.loads(text)
    return schema


def render_sarif(report: Report, *, source_root: str | None = None) -> bytes:
    """The report as a SARIF 2.1.0 log (UTF-8 JSON); `source_root` makes absolute paths relative to it."""
    log = report_to_sarif(report, source_root=source_root)
    # Lone surrogates (undecodable bytes from a hostile server) become "?", never invalid UTF-8.
    return (json.dumps(log, indent=2, ensure_ascii=False) + "\n").encode("utf-8", errors="replace")


def report_to_sarif(report: Report, *, source_root: str | None = None) -> dict[str, Any]:
    """The SARIF log as plain data."""
    findings = all_findings(report)
    rule_ids = list(dict.fromkeys(f.rule for f in findings))
    index = {rule_id: n for n, rule_id in enumerate(rule_ids)}
    first = {f.rule: f for f in reversed(findings)}
    root = _root(source_root)
    run: dict[str, Any] = {
        "tool": {
            "driver": {
                "name": report.tool,
                "version": report.tool_version,
                "semanticVersion": report.tool_version,
                "rules": [_rule(first[rule_id]) for rule_id in rule_ids],
            }
        },
        "invocations": [_invocation(report)],
        "results": [_result(f, index[f.rule], root) for f in findings],
        "columnKind": "utf16CodeUnits",
        "properties": _run_properties(report),
    }
    if root is not None:
        run["originalUriBaseIds"] = {SOURCE_ROOT_ID: {"uri": _directory_uri(root)}}
    return {"$schema": SARIF_SCHEMA_URI, "version": SARIF_VERSION, "runs": [run]}


def file_spot(finding: Finding) -> FileSpot | None:
    """Where in the source tree a finding is, or None for endpoint findings (URLs, hosts, cookies)."""
    extra = dict(finding.extra)
    parsed = _FILE_LOCATION.match(finding.location)
    commit = parsed.group("commit") if parsed else None
    line_text = extra.get("line", "")
    if extra.get("path") and line_text.isdigit():
        return FileSpot(extra["path"], int(line_text), commit)
    if parsed and any(e.method in SOURCE_EVIDENCE for e in finding.evidence):
        return FileSpot(parsed.group("path"), int(parsed.group("line")), commit)
    return None


def _rule(finding: Finding) -> dict[str, Any]:
    rule = RULES_BY_ID.get(finding.rule)
    title = rule.title if rule else finding.title
    remediation = rule.remediation if rule else finding.remediation
    severity = rule.severity if rule else finding.severity
    verdict = rule.verdict if rule else finding.verdict
    requirement = rule.requirement if rule else finding.requirement
    known = REQUIREMENTS_BY_ID.get(requirement)
    requirement_text = f"{requirement} {known.title}" if known else requirement
    return {
        "id": finding.rule,
        "shortDescription": {"text": title},
        "fullDescription": {"text": f"{title} (Marketplace security requirement {requirement_text})."},
        "help": {
            "text": f"{remediation}\n\nRequirement {requirement_text}.",
            "markdown": f"**Remediation:** {remediation}\n\n**Requirement:** {requirement_text}.",
        },
        "defaultConfiguration": {"level": _level(verdict, severity)},
        "properties": {
            "security-severity": SECURITY_SEVERITY[severity],
            "tags": ["security", requirement],
            "severity": str(severity),
            "verdict": str(verdict),
        },
    }


def _level(verdict: Verdict, severity: Severity) -> str:
    if severity is Severity.INFO:
        return "note"
    return "error" if verdict is Verdict.FAIL else "warning"


def _result(finding: Finding, rule_index: int, root: str | None) -> dict[str, Any]:
    spot = file_spot(finding)
    properties: dict[str, Any] = {
        "requirement": finding.requirement,
        "severity": str(finding.severity),
        "verdict": str(finding.verdict),
        "location": finding.location,
        "authMode": str(finding.auth_mode),
    }
    if spot is None:
        properties["endpoint"] = finding.location
        where = f"{finding.title}: {finding.location}"
        location = _physical(DESCRIPTOR_FILE, 1, root)
    else:
        where = f"{finding.title}"
        if spot.commit:
            properties["commit"] = spot.commit
            where += f" (in commit {spot.commit}, no longer in the working tree)"
        location = _physical(_relative(spot.path, root), spot.line, root)
    for key in ("first_seen", "due", "history"):
        value = getattr(finding, key)
        if value is not None:
            properties[key] = value
    if finding.extra:
        properties["extra"] = dict(finding.extra)
    if finding.evidence:
        properties["evidence"] = [
            {"method": e.method, "url": e.url, "status": e.status, "reproduce": e.curl}
            for e in finding.evidence
        ]
    text = where + (f". {finding.detail}" if finding.detail.strip() else "")
    result: dict[str, Any] = {
        "ruleId": finding.rule,
        "ruleIndex": rule_index,
        "level": _level(finding.verdict, finding.severity),
        "message": {"text": text},
        "locations": [location],
        "partialFingerprints": _fingerprints(finding),
        "properties": properties,
    }
    if finding.in_baseline:
        result["baselineState"] = "unchanged"
    return result


def _fingerprints(finding: Finding) -> dict[str, str]:
    prints = {FINGERPRINT_KEY: finding.id}
    value = dict(finding.extra).get("fingerprint")
    if value:
        prints[VALUE_FINGERPRINT_KEY] = value
    return prints


def _physical(uri: str, line: int, root: str | None) -> dict[str, Any]:
    artifact: dict[str, Any] = {"uri": uri}
    if root is not None and not uri.startswith("file:"):
        artifact["uriBaseId"] = SOURCE_ROOT_ID
    return {"physicalLocation": {"artifactLocation": artifact, "region": {"startLine": max(line, 1)}}}


def _root(source_root: str | None) -> str | None:
    if not source_root:
        return None
    return posixpath.normpath(os.path.abspath(source_root).replace("\\", "/"))


def _relative(path: str, root: str | None) -> str:
    """A repository-relative URI reference for `path`, or a file URI for an absolute path outside the root."""
    path = path.replace("\\", "/")
    if posixpath.isabs(path):
        normal = posixpath.normpath(path)
        if root is not None and (normal == root or normal.startswith(root.rstrip("/") + "/")):
            path = posixpath.relpath(normal, root)
        else:
            return "file://" + quote(normal, safe="/", errors="replace")
    parts = [p for p in PurePosixPath(posixpath.normpath(path)).parts if p != "."]
    return quote("/".join(parts), safe="/", errors="replace") or DESCRIPTOR_FILE


def _directory_uri(root: str) -> str:
    return "file://" + quote(root.rstrip("/") + "/", safe="/", errors="replace")


def _utc(timestamp: str) -> str:
    return timestamp.replace("+00:00", "Z")


def _invocation(report: Report) -> dict[str, Any]:
    notifications = [{"level": "error", "message": {"text": text}} for text in report.errors]
    notifications += [{"level": "warning", "message": {"text": text}} for text in report.warnings]
    notifications += [
        {"level": "error", "message": {"text": f"{r.id}: {text}"}}
        for r in report.requirements
        for text in r.errors
    ]
    invocation: dict[str, Any] = {
        "executionSuccessful": True,
        "startTimeUtc": _utc(report.started_at),
        "endTimeUtc": _utc(report.finished_at),
    }
    if notifications:
        invocation["toolExecutionNotifications"] = notifications
    return invocation


def _run_properties(report: Report) -> dict[str, Any]:
    target = report.target
    return {
        "target": {
            "descriptorUrl": target.descriptor_url,
            "appKey": target.app_key,
            "appName": target.app_name,
            "baseUrl": target.base_url,
        },
        "options": dict(report.options),
        "requirements": [
            {
                "id": r.id,
                "title": r.title,
                "outcome": str(r.outcome),
                "summary": r.summary,
                "findings": len(r.findings),
                "errors": list(r.errors),
                "manual": list(r.manual),
                "suppressed": list(r.suppressed),
            }
            for r in report.requirements
        ],
    }
