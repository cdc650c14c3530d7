"""History through the command line: two scans into one SQLite store, a flaw fixed in between, R15 and
`connectsec sla`; every report format written and readable."""

from __future__ import annotations

import json
import subprocess
import sys
import xml.etree.ElementTree as ET
from pathlib import Path

import jsonschema

from connectsec.demo.server import DemoServer
from connectsec.reporting.sarif import sarif_schema


def connectsec(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "connectsec", *args], capture_output=True, text=True, check=False, timeout=180
    )


def requirement(path: Path, rid: str) -> dict[str, object]:
    return next(r for r in json.loads(path.read_text())["requirements"] if r["id"] == rid)


def test_two_scans_track_history_and_sla(tmp_path: Path) -> None:
    db = f"sqlite:///{tmp_path / 'history.db'}"
    first, second = tmp_path / "first.json", tmp_path / "second.json"
    with DemoServer(violations=["hsts-short", "referrer-missing"]) as server:
        port = server.port
        args = ["scan", server.descriptor_url, "--ca-bundle", server.ca_pem, "--only", "R1.2,R12,R15", "-q"]
        assert connectsec(*args, "--db", db, "--json", str(first)).returncode == 1
    with DemoServer(violations=["hsts-short"], port=port) as server:  # the Referrer-Policy flaw is fixed
        args = ["scan", server.descriptor_url, "--ca-bundle", server.ca_pem, "--only", "R1.2,R12,R15", "-q"]
        out = tmp_path / "out"
        proc = connectsec(
            *args, "--db", db, "--json", str(second), "--sarif", str(out / "r.sarif"),
            "--junit", str(out / "r.xml"), "--html", str(out / "r.html"),
        )  # fmt: skip
    assert proc.returncode == 1, proc.stdout + proc.stderr
    hsts = requirement(second, "R1.2")["findings"]
    assert [(f["history"], f["first_seen"] is not None, f["due"] is not None) for f in hsts] == [
        ("open", True, True)
    ]
    r15 = requirement(second, "R15")
    assert r15["outcome"] == "pass"
    assert "1 open finding" in str(r15["summary"])

    listed = connectsec("sla", "--db", db, "--json")
    assert listed.returncode == 0, listed.stderr
    rules = [f["rule"] for f in json.loads(listed.stdout)]
    assert rules == ["hsts.max-age-short"]  # the fixed one is gone

    sarif = json.loads((out / "r.sarif").read_text())
    jsonschema.validate(sarif, sarif_schema())
    assert {r["ruleId"] for r in sarif["runs"][0]["results"]} == {"hsts.max-age-short"}
    suite = ET.parse(out / "r.xml").getroot()
    assert suite.iter("testcase")
    assert any(case.find("failure") is not None for case in suite.iter("testcase"))
    html = (out / "r.html").read_text()
    assert "hsts.max-age-short" in html
    assert "http://" not in html.replace(f"https://localhost:{port}", "")


def test_no_db_skips_r15_and_a_bad_db_url_is_a_one_line_error(tmp_path: Path) -> None:
    with DemoServer() as server:
        args = ["scan", server.descriptor_url, "--ca-bundle", server.ca_pem, "--only", "R1.2,R15", "-q"]
        proc = connectsec(*args, "--no-db", "--json", str(tmp_path / "r.json"))
    assert proc.returncode == 0, proc.stderr
    r15 = requirement(tmp_path / "r.json", "R15")
    assert r15["outcome"] == "skipped"
    assert "--no-db" in str(r15["summary"])
    bad = connectsec("scan", "https://127.0.0.1:9/x.json", "--db", "mysql://nobody@127.0.0.1/x")
    assert bad.returncode == 2
    assert bad.stderr.strip().startswith("connectsec: error:")
    assert "Traceback" not in bad.stderr
