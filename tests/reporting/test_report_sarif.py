"""SARIF 2.1.0: valid against the official schema and shaped the way GitHub code scanning accepts."""

from __future__ import annotations

import json
import re
from dataclasses import replace
from typing import Any

import jsonschema
import pytest

from connectsec.catalog.rules import BY_ID
from connectsec.model import Report
from connectsec.reporting._common import all_findings
from connectsec.reporting.sarif import DESCRIPTOR_FILE, render_sarif, sarif_schema
from tests.reporting.factory import sample_report, with_findings
from tests.reporting.formats_factory import ABS_ROOT, HOSTILE, rich_report

_SCHEME = re.compile(r"^[A-Za-z][A-Za-z0-9+.-]*:")


def sarif(report: Report, **kwargs: Any) -> dict[str, Any]:
    data: dict[str, Any] = json.loads(render_sarif(report, **kwargs).decode("utf-8"))
    return data


def validate(log: dict[str, Any]) -> None:
    schema = sarif_schema()
    jsonschema.Draft4Validator.check_schema(schema)
    jsonschema.Draft4Validator(schema).validate(log)


def results_by_location(log: dict[str, Any]) -> dict[str, dict[str, Any]]:
    return {r["properties"]["location"]: r for r in log["runs"][0]["results"]}


@pytest.mark.parametrize("make", [sample_report, rich_report], ids=["sample", "rich"])
def test_valid_against_the_official_schema(make: Any) -> None:
    log = sarif(make(), source_root=ABS_ROOT)
    validate(log)
    assert log["version"] == "2.1.0"
    assert len(log["runs"][0]["results"]) == len(all_findings(make()))


def test_schema_rejects_a_broken_log() -> None:
    log = sarif(rich_report())
    log["runs"][0]["results"][0]["level"] = "fatal"
    with pytest.raises(jsonschema.ValidationError):
        validate(log)


def test_report_without_findings_is_valid() -> None:
    report = sample_report()
    for requirement in ("R1.2", "R2", "R11", "R12"):
        report = with_findings(report, requirement, ())
    log = sarif(report)
    validate(log)
    assert log["runs"][0]["results"] == []
    assert log["runs"][0]["tool"]["driver"]["rules"] == []


def test_every_rule_used_is_described_once_with_help_and_security_severity() -> None:
    report = rich_report()
    driver = sarif(report)["runs"][0]["tool"]["driver"]
    rules = {rule["id"]: rule for rule in driver["rules"]}
    assert len(rules) == len(driver["rules"])
    assert set(rules) == {f.rule for f in all_findings(report)}
    expected = {"critical": "9.5", "high": "8.0", "medium": "5.5", "low": "3.0"}
    for rule_id, rule in rules.items():
        catalog = BY_ID[rule_id]
        assert rule["shortDescription"]["text"] == catalog.title
        assert catalog.title in rule["fullDescription"]["text"]
        assert catalog.remediation in rule["help"]["text"]
        assert catalog.remediation in rule["help"]["markdown"]
        assert rule["properties"]["security-severity"] == expected[catalog.severity]
        assert rule["properties"]["tags"] == ["security", catalog.requirement]
    for result in sarif(report)["runs"][0]["results"]:
        assert driver["rules"][result["ruleIndex"]]["id"] == result["ruleId"]


def test_levels_follow_the_verdict() -> None:
    log = sarif(rich_report())
    levels = {r["ruleId"]: r["level"] for r in log["runs"][0]["results"]}
    assert levels["hsts.missing"] == "error"  # fail
    assert levels["cookie.token-like-no-httponly"] == "warning"  # warn
    assert levels["secret.private-key"] == "error"


def test_source_findings_are_repository_relative_files_with_lines() -> None:
    log = sarif(rich_report(), source_root=ABS_ROOT)
    by_location = results_by_location(log)

    worktree = by_location["src/config.js:12"]["locations"][0]["physicalLocation"]
    assert worktree["artifactLocation"] == {"uri": "src/config.js", "uriBaseId": "SRCROOT"}
    assert worktree["region"] == {"startLine": 12}

    history = by_location["keys/old.pem:1@0123456789ab"]
    assert history["locations"][0]["physicalLocation"]["artifactLocation"]["uri"] == "keys/old.pem"
    assert history["properties"]["commit"] == "0123456789ab"
    assert "0123456789ab" in history["message"]["text"]

    absolute = by_location[f"{ABS_ROOT}/deploy/env.sh:3"]["locations"][0]["physicalLocation"]
    assert absolute["artifactLocation"]["uri"] == "deploy/env.sh"
    assert absolute["region"]["startLine"] == 3
    assert log["runs"][0]["originalUriBaseIds"]["SRCROOT"]["uri"] == f"file://{ABS_ROOT}/"


def test_without_source_root_paths_stay_relative_and_no_base_is_declared() -> None:
    log = sarif(rich_report())
    location = results_by_location(log)["src/config.js:12"]["locations"][0]["physicalLocation"]
    assert location["artifactLocation"] == {"uri": "src/config.js"}
    assert "originalUriBaseIds" not in log["runs"][0]


def test_endpoint_findings_sit_on_the_descriptor_with_the_url_in_message_and_properties() -> None:
    log = sarif(rich_report())
    by_location = results_by_location(log)
    for location in ("https://app.example.test/page/0", "app.example.test:443"):
        result = by_location[location]
        physical = result["locations"][0]["physicalLocation"]
        assert physical["artifactLocation"]["uri"] == DESCRIPTOR_FILE
        assert physical["region"]["startLine"] == 1
        assert location in result["message"]["text"]
        assert result["properties"]["endpoint"] == location


def test_no_location_uses_a_non_file_uri_scheme() -> None:
    log = sarif(rich_report(), source_root=ABS_ROOT)
    for result in log["runs"][0]["results"]:
        for location in result["locations"]:
            uri = location["physicalLocation"]["artifactLocation"]["uri"]
            assert not _SCHEME.match(uri) or uri.startswith("file:"), uri


def test_partial_fingerprints_carry_the_finding_id_and_the_secret_value_fingerprint() -> None:
    report = rich_report()
    log = sarif(report)
    ids = [f.id for f in all_findings(report)]
    results = log["runs"][0]["results"]
    assert [r["partialFingerprints"]["connectsecFingerprint/v1"] for r in results] == ids
    secret = results_by_location(log)["src/config.js:12"]
    assert secret["partialFingerprints"]["connectsecValueFingerprint/v1"] == "a1b2c3d4e5f6a7b8c9d0"
    assert len({r["partialFingerprints"]["connectsecFingerprint/v1"] for r in results}) == len(results)


def test_run_properties_carry_every_requirement_outcome() -> None:
    report = rich_report()
    run = sarif(report)["runs"][0]
    outcomes = {r["id"]: r["outcome"] for r in run["properties"]["requirements"]}
    assert outcomes == {r.id: str(r.outcome) for r in report.requirements}
    r2 = next(r for r in run["properties"]["requirements"] if r["id"] == "R2")
    assert r2["suppressed"] == ["fingerprint abc at x: test fixture"]
    texts = [n["message"]["text"] for n in run["invocations"][0]["toolExecutionNotifications"]]
    assert "crawl stopped after 200 pages" in texts
    assert "R3: timeout after 10 s" in texts


def test_history_and_baseline_facts_are_kept() -> None:
    report = rich_report()
    finding = replace(
        all_findings(report)[0], first_seen="2026-10-01", due="2026-11-26", history="open", in_baseline=True
    )
    report = with_findings(report, finding.requirement, (finding,))
    result = next(
        r for r in sarif(report)["runs"][0]["results"] if r["properties"]["location"] == finding.location
    )
    assert result["baselineState"] == "unchanged"
    assert (result["properties"]["first_seen"], result["properties"]["due"]) == ("2026-10-01", "2026-11-26")
    assert result["properties"]["history"] == "open"


def test_hostile_and_undecodable_text_gives_valid_utf8_json() -> None:
    report = rich_report()
    broken = replace(all_findings(report)[0], detail="bad \udcff byte " + HOSTILE)
    report = with_findings(report, broken.requirement, (broken,))
    raw = render_sarif(report)
    log = json.loads(raw.decode("utf-8"))
    validate(log)
    texts = [r["message"]["text"] for r in log["runs"][0]["results"]]
    assert any("<script>alert('x')</script>" in t and "bad ? byte" in t for t in texts)


def test_odd_file_paths_become_percent_encoded_relative_uris() -> None:
    report = rich_report()
    secret = next(f for f in all_findings(report) if f.location == "src/config.js:12")
    odd = replace(secret, location="./src/a b#\udcff<x>.js:7", extra=())
    log = sarif(with_findings(report, "R8", (odd,)))
    validate(log)
    (result,) = [r for r in log["runs"][0]["results"] if r["ruleId"] == "secret.github-token"]
    physical = result["locations"][0]["physicalLocation"]
    assert physical["artifactLocation"]["uri"] == "src/a%20b%23%3F%3Cx%3E.js"
    assert physical["region"]["startLine"] == 7
