"""Roll-up, judging with crashing checks, and exit codes (pure, plain data)."""

from __future__ import annotations

import pytest

from connectsec.catalog.rules import RULES, make_finding
from connectsec.cli.exit_codes import exit_code
from connectsec.engine.rollup import roll_up
from connectsec.engine.scan import judge
from connectsec.model import (
    CheckResult,
    Coverage,
    Inventory,
    Observations,
    Outcome,
    Report,
    Severity,
    Target,
)
from connectsec.redact import Redactor

FAIL = make_finding("hsts.missing", "https://a.example/p", "no header")
WARN = make_finding("hsts.no-include-subdomains", "https://a.example/p", "no subdomains")


@pytest.mark.parametrize(
    ("results", "outcome"),
    [
        ([CheckResult("R1.2", (FAIL, WARN), errors=("x: timed out",))], Outcome.FAIL),
        ([CheckResult("R1.2", (WARN,), errors=("x: timed out",))], Outcome.ERROR),
        ([CheckResult("R1.2", (WARN,), coverage=Coverage(tested=1))], Outcome.WARN),
        ([CheckResult("R1.2", coverage=Coverage(tested=3), tested="3 responses")], Outcome.PASS),
        ([CheckResult("R1.2", skipped="no response in scope")], Outcome.SKIPPED),
        ([CheckResult("R1.2", skipped="nothing", errors=("y: refused",))], Outcome.ERROR),
        ([], Outcome.SKIPPED),
        ([CheckResult("R1.2", skipped="a"), CheckResult("R1.2", coverage=Coverage(tested=1))], Outcome.PASS),
    ],
)
def test_roll_up(results: list[CheckResult], outcome: Outcome) -> None:
    assert roll_up("R1.2", "HSTS", results).outcome is outcome


def test_pass_never_without_a_check_that_ran() -> None:
    result = roll_up("R3", "Domain", [])
    assert result.outcome is Outcome.SKIPPED


class _Crashing:
    requirement = "R1.2"
    needs = frozenset({"http"})

    def judge(self, observations: Observations) -> CheckResult:
        raise RuntimeError("boom eyJhbGciOiJub25lIn0.eyJpc3MiOiJ4In0.sig")


class _Passing:
    requirement = "R12"
    needs = frozenset({"http"})

    def judge(self, observations: Observations) -> CheckResult:
        return CheckResult("R12", coverage=Coverage(tested=1), tested="1 response")


def test_a_crashing_check_is_error_and_others_go_on() -> None:
    inventory = Inventory("https://a/d.json", "k", None, "https://a", "jwt", (), ("a",))
    results = {
        r.id: r
        for r in judge([_Crashing(), _Passing()], Observations(inventory), ["R1.2", "R12"], Redactor())
    }
    assert results["R1.2"].outcome is Outcome.ERROR
    assert "RuntimeError" in results["R1.2"].summary
    assert "eyJ" not in results["R1.2"].summary
    assert results["R12"].outcome is Outcome.PASS
    assert results["R2"].outcome is Outcome.SKIPPED
    assert "not requested" in results["R2"].summary
    assert results["R11"].outcome is Outcome.SKIPPED


def _report(*results: CheckResult) -> Report:
    requirements = tuple(roll_up(r.requirement, r.requirement, [r]) for r in results)
    return Report("0", Target("https://a/d.json", "k", None, "https://a"), "t", "t", requirements, ())


@pytest.mark.parametrize(
    ("report", "fail_on", "code"),
    [
        (_report(CheckResult("R1.2", (FAIL,))), Severity.LOW, 1),
        (_report(CheckResult("R1.2", (FAIL,))), Severity.MEDIUM, 1),
        (_report(CheckResult("R1.2", (FAIL,))), Severity.HIGH, 0),
        (_report(CheckResult("R1.2", (FAIL,)), CheckResult("R12", errors=("x",))), Severity.HIGH, 3),
        (_report(CheckResult("R1.2", (WARN,), coverage=Coverage(tested=1))), Severity.LOW, 0),
        (_report(CheckResult("R12", errors=("x",))), Severity.LOW, 3),
        (_report(CheckResult("R12", coverage=Coverage(tested=1))), Severity.LOW, 0),
    ],
)
def test_exit_codes(report: Report, fail_on: Severity, code: int) -> None:
    assert exit_code(report, fail_on) == code


def test_every_rule_has_metadata() -> None:
    for rule in RULES:
        assert rule.title
        assert rule.remediation
        assert rule.requirement
        assert rule.id.split(".")[0]
    assert len({r.id for r in RULES}) == len(RULES)


def test_every_rule_used_by_checks_is_catalogued() -> None:
    import pathlib
    import re

    checks = pathlib.Path(__file__).resolve().parents[2] / "src" / "connectsec" / "checks"
    source = "\n".join(p.read_text() for p in checks.rglob("*.py"))
    used = set(re.findall(r'"((?:hsts|cache-control|cookie|referrer-policy)\.[a-z-]+)"', source))
    assert used <= {r.id for r in RULES}
    assert used, "no rule ids found in the checks"


def test_readme_severity_table_names_every_rule() -> None:
    import pathlib

    readme = (pathlib.Path(__file__).resolve().parents[2] / "README.md").read_text()
    for rule in RULES:
        suffix = rule.id.split(".", 1)[1]
        assert f".{suffix}`" in readme or f"`{rule.id}`" in readme, rule.id
