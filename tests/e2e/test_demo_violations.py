"""Acceptance: each demo violation alone fails its requirement at exactly its paths, nothing else."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

from connectsec.demo.server import DemoServer
from connectsec.demo.violations import VIOLATIONS
from connectsec.model import Outcome, Report, Verdict
from tests.scanning import outcomes, problem_paths, requirement, scan_demo, signature

HEADER_REQUIREMENTS = ("R1.2", "R2", "R11", "R12")
AUTH_REQUIREMENTS = ("R5", "R9", "R13")
HOST_REQUIREMENTS = ("R1.1", "R3", "R4")
PAGE_REQUIREMENTS = ("R6", "R7", "R8", "R10", "R14")


@pytest.fixture(scope="module")
def compliant_report() -> Report:
    with DemoServer() as server:
        return scan_demo(server)


def test_compliant_target_is_clean(compliant_report: Report) -> None:
    for rid in HEADER_REQUIREMENTS:
        result = requirement(compliant_report, rid)
        assert result.outcome is Outcome.PASS, (rid, result.summary, result.findings)
        assert result.findings == ()
        assert result.coverage.tested > 0
        assert result.coverage.untested == 0


def test_compliant_target_reports_every_requirement(compliant_report: Report) -> None:
    ids = [r.id for r in compliant_report.requirements]
    assert ids == ["R1.1", "R1.2", *(f"R{i}" for i in range(2, 16))]
    for result in compliant_report.requirements:
        if result.id not in (
            *HEADER_REQUIREMENTS,
            *AUTH_REQUIREMENTS,
            *HOST_REQUIREMENTS,
            *PAGE_REQUIREMENTS,
        ):
            assert result.outcome is Outcome.SKIPPED, result.id
            assert "not implemented" in result.summary
    # TLS 1.2+ with AEAD suites; a certificate only the throwaway CA trusts; localhost is never looked up
    assert requirement(compliant_report, "R1.1").outcome is Outcome.PASS
    r3 = requirement(compliant_report, "R3")
    assert (r3.outcome, {f.rule for f in r3.findings}) == (Outcome.WARN, {"cert.private-ca"})
    r4 = requirement(compliant_report, "R4")
    assert r4.outcome is Outcome.SKIPPED
    assert "special-use" in r4.summary
    # no storage referenced, no secret known; the open module pages give nothing away
    assert requirement(compliant_report, "R6").outcome is Outcome.SKIPPED
    assert "no storage location referenced" in requirement(compliant_report, "R6").summary
    assert requirement(compliant_report, "R7").outcome is Outcome.SKIPPED
    assert requirement(compliant_report, "R8").outcome is Outcome.PASS
    assert requirement(compliant_report, "R10").outcome is Outcome.PASS
    assert requirement(compliant_report, "R14").outcome is Outcome.PASS  # its one script is no known library
    # the demo without tenants has no authentication at all: R5 says so, R9/R13 have nothing to attack
    assert requirement(compliant_report, "R5").outcome is Outcome.FAIL
    assert requirement(compliant_report, "R9").outcome is Outcome.SKIPPED
    assert requirement(compliant_report, "R13").outcome is Outcome.SKIPPED


def test_compliant_target_cacheable_and_static_out_of_r2_scope(compliant_report: Report) -> None:
    r2 = requirement(compliant_report, "R2")
    assert r2.coverage.not_applicable > 0


@pytest.mark.slow
@pytest.mark.parametrize("name", sorted(n for n, v in VIOLATIONS.items() if not v.needs_auth))
def test_violation_alone_fails_its_requirement_at_its_paths(name: str, compliant_report: Report) -> None:
    violation = VIOLATIONS[name]
    with DemoServer(violations=[name]) as server:
        report = scan_demo(server)
    result = requirement(report, violation.requirement)
    assert result.outcome is Outcome.FAIL, (name, result.summary)
    if violation.paths:
        assert problem_paths(result, (Verdict.FAIL,)) == set(violation.paths), result.findings
        assert problem_paths(result) == set(violation.paths)
    else:  # a property of the server, found at its TLS endpoint only
        assert {f.location.split(" ")[0] for f in result.findings} == {f"tls://localhost:{server.port}"}
    for other in report.requirements:
        if other.id != violation.requirement:
            assert signature(other) == signature(requirement(compliant_report, other.id)), other.id
    assert outcomes(report)[violation.requirement] is Outcome.FAIL


def test_reports_validate_against_the_schema(compliant_report: Report) -> None:
    from connectsec.reporting.json_report import load_report, render_json

    data = load_report(render_json(compliant_report))
    assert [r["id"] for r in data["requirements"]][:3] == ["R1.1", "R1.2", "R2"]
    assert len(data["endpoints"]) == len(compliant_report.endpoints)


def test_demo_command_writes_valid_reports(tmp_path: Path) -> None:
    from connectsec.reporting.json_report import load_report

    proc = subprocess.run(
        [sys.executable, "-m", "connectsec", "demo", "-q", "--json", str(tmp_path / "report.json"),
         "--markdown", str(tmp_path / "report.md")],
        capture_output=True, text=True, check=False, timeout=120,
    )  # fmt: skip
    assert proc.returncode == 1, proc.stderr  # the demo app is deliberately vulnerable
    data = load_report((tmp_path / "report.json").read_bytes())
    failing = {r["id"] for r in data["requirements"] if r["outcome"] == "fail"}
    assert failing == {"R1.1", "R1.2", "R2", "R5", "R10", "R11", "R12"}
    for rid in ["R1.1", "R1.2", *(f"R{i}" for i in range(2, 16))]:
        assert f"│ {rid} " in proc.stdout
    assert "## R12" in (tmp_path / "report.md").read_text()


def test_demo_serve_mode_scans_and_stops_cleanly_on_sigterm() -> None:
    import os
    import signal

    from tests.scanning import scan

    proc = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "connectsec",
            "demo",
            "--serve",
            "--port",
            "0",
            "--violation",
            "referrer-nrwd",
        ],
        stderr=subprocess.PIPE,
        text=True,
    )
    try:
        assert proc.stderr is not None
        lines = [proc.stderr.readline() for _ in range(3)]
        descriptor = lines[1].split("descriptor:", 1)[1].strip()
        ca = lines[2].split("CA certificate:", 1)[1].strip()
        from connectsec.engine.request import ScanRequest

        report = scan(ScanRequest(descriptor=descriptor, ca_bundle=ca, requirements=("R12",)))
        assert problem_paths(requirement(report, "R12")) == {"/help"}
    finally:
        os.kill(proc.pid, signal.SIGTERM)
        code = proc.wait(timeout=20)
    assert code == 0
    assert not Path(ca).exists()
