"""The JSON report and its schema: the public contract."""

from __future__ import annotations

import copy
import json
from dataclasses import replace
from typing import Any

import pytest
from jsonschema import Draft202012Validator

from connectsec.catalog.requirements import REQUIREMENT_IDS
from connectsec.model import REPORT_SCHEMA, Outcome, Severity
from connectsec.reporting import RENDERERS, ReportSchemaError, load_report, render_json, report_schema
from connectsec.reporting.json_report import json_path, report_to_dict

from .factory import sample_report


@pytest.fixture
def document() -> dict[str, Any]:
    return report_to_dict(sample_report())


def test_schema_is_valid_draft_2020_12() -> None:
    schema = report_schema()
    Draft202012Validator.check_schema(schema)
    assert schema["$id"] == "https://connectsec.invalid/schema/report-1.json"
    assert schema["properties"]["schema"]["const"] == REPORT_SCHEMA


def test_schema_enums_match_the_model() -> None:
    defs = report_schema()["$defs"]
    assert defs["outcome"]["enum"] == [str(o) for o in Outcome]
    assert set(defs["severity"]["enum"]) == {str(s) for s in Severity}


def test_rendered_report_validates_and_has_every_requirement() -> None:
    document = load_report(render_json(sample_report()))
    assert [r["id"] for r in document["requirements"]] == list(REQUIREMENT_IDS)
    assert document["schema"] == "connectsec.report/1"
    assert document["tool"] == {"name": "connectsec", "version": "0.1.0"}


def test_shape(document: dict[str, Any]) -> None:
    assert list(document) == [
        "schema", "tool", "target", "started_at", "finished_at", "duration_s", "options",
        "summary", "requirements", "endpoints", "errors", "warnings",
    ]  # fmt: skip
    assert document["options"] == {"requirements": "all", "timeout": "10"}
    assert document["summary"]["outcomes"] == {
        "pass": 3, "fail": 3, "warn": 1, "error": 2, "manual": 3, "skipped": 4,
    }  # fmt: skip
    assert document["summary"]["findings"] == {"critical": 0, "high": 0, "medium": 6, "low": 2, "info": 0}
    assert document["summary"]["requests_sent"] == 42
    r2 = next(r for r in document["requirements"] if r["id"] == "R2")
    assert r2["coverage"] == {"tested": 3, "untested": 0, "inconclusive": 0, "not_applicable": 2}
    finding = r2["findings"][0]
    assert finding["rule"] == "cache-control.missing"
    assert len(finding["id"]) == 20
    assert finding["evidence"][0]["headers"][0] == ["cache-control", "private"]
    assert document["endpoints"][1]["template"] == "/page?issue={issue.id}"
    assert document["endpoints"][2]["admin_only"] is True


def test_rendering_is_deterministic() -> None:
    first = render_json(sample_report())
    assert first == render_json(sample_report())
    assert first.endswith(b"}\n")
    assert first.decode("utf-8").startswith('{\n  "schema": "connectsec.report/1"')


def test_renderers_mapping() -> None:
    report = sample_report()
    assert RENDERERS["json"](report) == render_json(report)
    assert RENDERERS["markdown"](report).startswith(b"# ")


def _mutate(document: dict[str, Any], path: tuple[str | int, ...], value: Any) -> dict[str, Any]:
    broken = copy.deepcopy(document)
    target: Any = broken
    for part in path[:-1]:
        target = target[part]
    if value is _DELETE:
        del target[path[-1]]
    else:
        target[path[-1]] = value
    return broken


_DELETE = object()


@pytest.mark.parametrize(
    ("path", "value", "where", "says"),
    [
        (("requirements", 3, "outcome"), "maybe", "$.requirements[3].outcome", "'maybe' is not one of"),
        (("requirements", 2, "id"), _DELETE, "$.requirements[2]", "'id' is a required property"),
        (("requirements", 0, "id"), "R1", "$.requirements[0].id", "does not match"),
        (("requirements", 0, "id"), "R16", "$.requirements[0].id", "does not match"),
        (("requirements", 1, "findings", 0, "severity"), "severe", "findings[0].severity", "not one of"),
        (("requirements", 1, "findings", 0, "verdict"), "pass", "findings[0].verdict", "not one of"),
        (
            ("requirements", 1, "findings", 0, "evidence", 0, "status"),
            "200",
            "evidence[0].status",
            "not of type",
        ),
        (("summary", "outcomes", "maybe"), 1, "$.summary.outcomes", "maybe"),
        (("target", "descriptor_url"), None, "$.target.descriptor_url", "not of type"),
        (("started_at",), "yesterday", "$.started_at", "does not match"),
        (("schema",), "something/1", "$.schema", "'connectsec.report/1' was expected"),
        (("schema",), "connectsec.report/2", "$.schema", "unsupported 'connectsec.report/2'"),
        (("requirements", 2, "id"), "R1.2", "$.requirements[2].id", "duplicate requirement 'R1.2'"),
        (("requirements", 1, "findings", 0, "requirement"), "R2", "findings[0].requirement", "under"),
    ],
)
def test_invalid_reports_are_rejected_naming_the_path(
    document: dict[str, Any], path: tuple[str | int, ...], value: Any, where: str, says: str
) -> None:
    with pytest.raises(ReportSchemaError) as caught:
        load_report(_mutate(document, path, value))
    message = str(caught.value)
    assert "\n" not in message
    assert where in message
    assert says in message
    assert caught.value.path.endswith(where.removeprefix("$"))


def test_invalid_json_and_non_objects_are_rejected() -> None:
    with pytest.raises(ReportSchemaError, match=r"^invalid connectsec report at \$: not valid JSON"):
        load_report(b'{"schema": ')
    with pytest.raises(ReportSchemaError, match="not valid JSON"):
        load_report(b'{"duration_s": NaN}')
    with pytest.raises(ReportSchemaError, match="expected a JSON object"):
        load_report(b"[1, 2]")


def test_long_values_are_cut_in_messages(document: dict[str, Any]) -> None:
    broken = _mutate(document, ("requirements", 0, "outcome"), "x" * 10_000)
    with pytest.raises(ReportSchemaError) as caught:
        load_report(broken)
    assert len(str(caught.value)) < 400


def test_unknown_fields_are_accepted_for_forward_compatibility(document: dict[str, Any]) -> None:
    later = copy.deepcopy(document)
    later["target"]["app_id"] = "b3a1c2"
    later["data_sources"] = {"osv": "2026-11-01"}
    later["requirements"][0]["checks"] = ["tls"]
    finding = later["requirements"][1]["findings"][0]
    finding |= {
        "auth_mode": "tenant",
        "confidence": "firm",
        "commit": "0123abc",
        "first_seen": "2026-10-01T00:00:00Z",
        "due_date": "2026-12-01",
        "suppressed": True,
        "suppressed_reason": "accepted risk",
    }
    finding["evidence"][0]["elapsed_ms"] = 12.5
    later["endpoints"][0]["auth"] = "jwt"
    later["endpoints"][0]["kind"] = "forge-remote"
    assert load_report(json.dumps(later).encode())["target"]["app_id"] == "b3a1c2"


def test_json_path_quotes_odd_keys() -> None:
    assert json_path(["requirements", 3, "outcome"]) == "$.requirements[3].outcome"
    assert json_path(["options", "a b"]) == '$.options["a b"]'


def test_odd_numbers_and_surrogates_still_give_valid_json() -> None:
    report = sample_report()
    report = replace(
        report,
        stats=replace(report.stats, duration_s=float("nan")),
        warnings=("lone surrogate \udc80 from a badly decoded header",),
    )
    raw = render_json(report)
    document = load_report(raw)
    assert document["duration_s"] == 0.0
    assert document["warnings"] == ["lone surrogate \udc80 from a badly decoded header"]
