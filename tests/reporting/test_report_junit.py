"""JUnit XML: parsed by junitparser (a standard JUnit reader) and by xml.etree."""

from __future__ import annotations

import xml.etree.ElementTree as ET
from dataclasses import replace
from pathlib import Path

from junitparser import Error, Failure, JUnitXml, Skipped, TestCase, TestSuite

from connectsec.model import Outcome, Report
from connectsec.reporting.junit import render_junit, xml_text
from tests.reporting.factory import sample_report, with_findings
from tests.reporting.formats_factory import HOSTILE, hostile_finding, rich_report

TARGET = "https://app.example.test/atlassian-connect.json"


def parse(report: Report, tmp_path: Path) -> TestSuite:
    path = tmp_path / "junit.xml"
    path.write_bytes(render_junit(report))
    xml = JUnitXml.fromfile(str(path))
    suites = list(xml) if isinstance(xml, JUnitXml) else [xml]
    assert len(suites) == 1
    suite: TestSuite = suites[0]
    return suite


def cases(suite: TestSuite) -> dict[str, TestCase]:
    return {case.name: case for case in suite}


def test_one_suite_per_target_one_case_per_requirement(tmp_path: Path) -> None:
    report = rich_report()
    suite = parse(report, tmp_path)
    assert suite.name == TARGET
    names = [case.name for case in suite]
    assert names[:3] == ["R1.1 TLS 1.2+", "R1.2 HSTS", "R2 Cache-Control"]
    assert len(names) == len(report.requirements) == suite.tests
    assert {case.classname for case in suite} == {TARGET}


def test_counts_match_the_outcomes(tmp_path: Path) -> None:
    report = rich_report()
    suite = parse(report, tmp_path)
    outcomes = [r.outcome for r in report.requirements]
    assert suite.failures == outcomes.count(Outcome.FAIL)
    assert suite.errors == outcomes.count(Outcome.ERROR)
    assert suite.skipped == outcomes.count(Outcome.SKIPPED) + outcomes.count(Outcome.MANUAL)
    root = ET.fromstring(render_junit(report))
    assert root.tag == "testsuites"
    assert root.get("failures") == str(suite.failures)
    assert len(root.findall("./testsuite/testcase/failure")) == suite.failures


def test_failures_list_every_failing_finding(tmp_path: Path) -> None:
    report = rich_report()
    by_name = cases(parse(report, tmp_path))
    for result in report.requirements:
        case = by_name[next(n for n in by_name if n.split(" ")[0] == result.id)]
        if result.outcome is not Outcome.FAIL:
            assert not any(isinstance(r, Failure) for r in case.result)
            continue
        (failure,) = case.result
        assert isinstance(failure, Failure)
        assert failure.message == result.summary
        for finding in result.findings:
            assert xml_text(finding.location) in failure.text
            assert finding.id in failure.text


def test_errors_skips_and_passes(tmp_path: Path) -> None:
    by_name = cases(parse(rich_report(), tmp_path))
    (error,) = by_name["R3 Domain & certificate"].result
    assert isinstance(error, Error)
    assert "timeout after 10 s" in error.text
    (skipped,) = by_name["R4 Subdomain takeover"].result
    assert isinstance(skipped, Skipped)
    assert skipped.message == "R4: skipped after testing 3 endpoints"
    (manual,) = by_name["R5 AuthN / AuthZ"].result
    assert isinstance(manual, Skipped)
    assert manual.message.startswith("manual: ")
    assert "check the admin page by hand" in by_name["R5 AuthN / AuthZ"].system_out
    assert by_name["R10 Atlassian credentials"].is_passed


def test_warn_passes_with_its_findings_in_system_out(tmp_path: Path) -> None:
    report = rich_report()
    r11 = next(r for r in report.requirements if r.id == "R11")
    case = cases(parse(report, tmp_path))["R11 Session cookies"]
    assert case.is_passed
    for finding in r11.findings:
        assert finding.location in case.system_out


def test_suppressed_findings_are_listed(tmp_path: Path) -> None:
    case = cases(parse(rich_report(), tmp_path))["R2 Cache-Control"]
    assert "fingerprint abc at x: test fixture" in case.system_out


def test_hostile_text_and_lone_surrogates_stay_well_formed(tmp_path: Path) -> None:
    report = sample_report()
    broken = replace(hostile_finding(), detail="bad \udcff byte \x00 nul " + HOSTILE)
    report = with_findings(report, "R12", (broken,))
    report = replace(report, errors=(HOSTILE,))
    raw = render_junit(report)
    root = ET.fromstring(raw)
    failure = root.find("./testsuite/testcase[@name='R12 Referrer-Policy']/failure")
    assert failure is not None
    text = failure.text or ""
    assert "<script>alert('x')</script>" in text
    for escaped in ("\\udcff", "\\x00", "\\u202e"):
        assert escaped in text
    assert "\u202e" not in text
    case = cases(parse(report, tmp_path))["R12 Referrer-Policy"]
    assert xml_text(broken.location) in case.result[0].text
    assert "\\x1b[31m" in xml_text(broken.location)
