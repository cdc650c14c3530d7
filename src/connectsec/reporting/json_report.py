"""The JSON report (schema connectsec.report/1): the stable public contract."""

from __future__ import annotations

import json
import math
import re
from collections.abc import Mapping
from functools import cache
from importlib import resources
from typing import Any

from connectsec.model import REPORT_SCHEMA, Coverage, Endpoint, Evidence, Finding, Report, RequirementResult
from connectsec.reporting._common import all_findings, outcome_counts, severity_counts

SCHEMA_RESOURCE = "schema/report-1.schema.json"
_MAX_MESSAGE = 300
_IDENTIFIER = re.compile(r"^[A-Za-z_][A-Za-z0-9_]*$")


class ReportSchemaError(ValueError):
    """A document that is not a valid connectsec report; the message names the JSON path."""

    def __init__(self, path: str, message: str) -> None:
        self.path = path
        self.reason = " ".join(message.split())
        if len(self.reason) > _MAX_MESSAGE:
            self.reason = self.reason[: _MAX_MESSAGE - 1] + "…"
        super().__init__(f"invalid connectsec report at {path}: {self.reason}")


def report_schema() -> dict[str, Any]:
    """The JSON Schema of the report (draft 2020-12), a fresh copy."""
    loaded: dict[str, Any] = json.loads(_schema_text())
    return loaded


@cache
def _schema_text() -> str:
    return resources.files("connectsec.reporting").joinpath(SCHEMA_RESOURCE).read_text("utf-8")


@cache
def _validator() -> Any:
    from jsonschema import Draft202012Validator  # only readers of reports pay for its import

    return Draft202012Validator(report_schema())


def report_to_dict(report: Report) -> dict[str, Any]:
    """The report as JSON-ready data, keys in schema order."""
    return {
        "schema": report.schema,
        "tool": {"name": report.tool, "version": report.tool_version},
        "target": {
            "descriptor_url": report.target.descriptor_url,
            "app_key": report.target.app_key,
            "app_name": report.target.app_name,
            "base_url": report.target.base_url,
        },
        "started_at": report.started_at,
        "finished_at": report.finished_at,
        "duration_s": _duration(report.stats.duration_s),
        "options": dict(report.options),
        "summary": _summary(report),
        "requirements": [_requirement(r) for r in report.requirements],
        "endpoints": [_endpoint(e) for e in report.endpoints],
        "errors": list(report.errors),
        "warnings": list(report.warnings),
    }


def render_json(report: Report) -> bytes:
    """The report as UTF-8 JSON, indented; the same report always gives the same bytes."""
    text = json.dumps(report_to_dict(report), indent=2, ensure_ascii=False, allow_nan=False)
    # Lone surrogates can only sit inside JSON strings, where `\udXXX` is exactly their JSON escape.
    return (text + "\n").encode("utf-8", errors="backslashreplace")


def load_report(data: bytes | str | Mapping[str, Any]) -> dict[str, Any]:
    """Parse (when bytes or str) and validate a report; raises ReportSchemaError."""
    document = _parse(data) if isinstance(data, bytes | str) else dict(data)
    if not isinstance(document, dict):
        raise ReportSchemaError("$", f"expected a JSON object, got {type(document).__name__}")
    version = document.get("schema")
    if isinstance(version, str) and version != REPORT_SCHEMA and version.startswith("connectsec.report/"):
        raise ReportSchemaError("$.schema", f"unsupported {version!r}, this reader knows {REPORT_SCHEMA}")
    from jsonschema.exceptions import best_match

    error = best_match(_validator().iter_errors(document))
    if error is not None:
        raise ReportSchemaError(json_path(error.absolute_path), error.message)
    _check_consistency(document)
    return document


def json_path(parts: Any) -> str:
    """`$.requirements[3].outcome` from a sequence of keys and indexes."""
    path = "$"
    for part in parts:
        if isinstance(part, int):
            path += f"[{part}]"
        elif _IDENTIFIER.match(part):
            path += f".{part}"
        else:
            path += f"[{json.dumps(part)}]"
    return path


def _parse(data: bytes | str) -> Any:
    try:
        return json.loads(data, parse_constant=_reject_constant)
    except json.JSONDecodeError as exc:
        where = f"line {exc.lineno}, column {exc.colno}"
        raise ReportSchemaError("$", f"not valid JSON: {exc.msg} ({where})") from exc
    except (ValueError, RecursionError) as exc:
        raise ReportSchemaError("$", f"not valid JSON: {exc}") from exc


def _reject_constant(name: str) -> Any:
    raise ValueError(f"{name} is not a JSON number")


def _check_consistency(document: dict[str, Any]) -> None:
    """What the schema cannot say: unique requirement ids, findings filed under their requirement."""
    seen: set[str] = set()
    for index, requirement in enumerate(document["requirements"]):
        rid = requirement["id"]
        if rid in seen:
            raise ReportSchemaError(f"$.requirements[{index}].id", f"duplicate requirement {rid!r}")
        seen.add(rid)
        for f_index, finding in enumerate(requirement["findings"]):
            if finding["requirement"] != rid:
                raise ReportSchemaError(
                    f"$.requirements[{index}].findings[{f_index}].requirement",
                    f"{finding['requirement']!r} listed under requirement {rid!r}",
                )


def _duration(seconds: float) -> float:
    return round(max(seconds, 0.0), 3) if math.isfinite(seconds) else 0.0


def _summary(report: Report) -> dict[str, Any]:
    return {
        "outcomes": {str(o): n for o, n in outcome_counts(report).items()},
        "findings": {str(s): n for s, n in severity_counts(all_findings(report)).items()},
        "requests_sent": report.stats.requests_sent,
        "responses_received": report.stats.responses_received,
        "bytes_received": report.stats.bytes_received,
    }


def _requirement(result: RequirementResult) -> dict[str, Any]:
    return {
        "id": result.id,
        "title": result.title,
        "outcome": str(result.outcome),
        "summary": result.summary,
        "coverage": _coverage(result.coverage),
        "errors": list(result.errors),
        "notes": list(result.notes),
        "manual": list(result.manual),
        "suppressed": list(result.suppressed),
        "findings": [_finding(f) for f in result.findings],
    }


def _coverage(coverage: Coverage) -> dict[str, int]:
    return {
        "tested": coverage.tested,
        "untested": coverage.untested,
        "inconclusive": coverage.inconclusive,
        "not_applicable": coverage.not_applicable,
    }


def _finding(finding: Finding) -> dict[str, Any]:
    return {
        "id": finding.id,
        "requirement": finding.requirement,
        "rule": finding.rule,
        "verdict": str(finding.verdict),
        "severity": str(finding.severity),
        "title": finding.title,
        "location": finding.location,
        "detail": finding.detail,
        "remediation": finding.remediation,
        "extra": dict(finding.extra),
        "auth_mode": str(finding.auth_mode),
        "first_seen": finding.first_seen,
        "due": finding.due,
        "history": finding.history,
        "in_baseline": finding.in_baseline,
        "evidence": [_evidence(e) for e in finding.evidence],
    }


def _evidence(evidence: Evidence) -> dict[str, Any]:
    return {
        "method": evidence.method,
        "url": evidence.url,
        "status": evidence.status,
        "headers": [[name, value] for name, value in evidence.headers],
        "excerpt": evidence.excerpt,
        "curl": evidence.curl,
    }


def _endpoint(endpoint: Endpoint) -> dict[str, Any]:
    return {
        "url": endpoint.url,
        "method": endpoint.method,
        "kind": str(endpoint.kind),
        "source": endpoint.source,
        "module_type": endpoint.module_type,
        "module_key": endpoint.module_key,
        "template": endpoint.template,
        "admin_only": endpoint.admin_only,
        "cacheable": endpoint.cacheable,
    }
