"""CI gating: `--baseline` lets only new findings fail; `connectsec diff` says what changed."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

from connectsec.demo.server import DemoServer


def connectsec(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "connectsec", *args], capture_output=True, text=True, check=False, timeout=180
    )


def scan(server: DemoServer, report: Path, *extra: str) -> subprocess.CompletedProcess[str]:
    return connectsec(
        "scan", server.descriptor_url, "--ca-bundle", server.ca_pem, "--only", "R1.2,R12", "-q",
        "--json", str(report), *extra,
    )  # fmt: skip


def test_baseline_fails_only_on_new_findings_and_diff_lists_them(tmp_path: Path) -> None:
    old, same, new = tmp_path / "old.json", tmp_path / "same.json", tmp_path / "new.json"
    with DemoServer(violations=["hsts-short"], port=0) as server:
        assert scan(server, old).returncode == 1
        port = server.port
        again = scan(server, same, "--baseline", str(old))
    assert again.returncode == 0, again.stdout + again.stderr  # nothing new
    findings = [f for r in json.loads(same.read_text())["requirements"] for f in r["findings"]]
    assert findings
    assert all(f["in_baseline"] for f in findings)
    with DemoServer(violations=["hsts-short", "referrer-missing"], port=port) as server:  # same origin
        worse = scan(server, new, "--baseline", str(old))
    assert worse.returncode == 1, worse.stdout + worse.stderr
    marked = {
        f["rule"]: f["in_baseline"]
        for r in json.loads(new.read_text())["requirements"]
        for f in r["findings"]
    }
    assert marked == {"hsts.max-age-short": True, "referrer-policy.missing": False}

    changes = connectsec("diff", str(old), str(new))
    assert changes.returncode == 1  # a new failing finding
    assert changes.stdout.splitlines()[0] == "1 new, 0 fixed, 1 unchanged"
    assert "referrer-policy.missing" in changes.stdout
    as_json = json.loads(connectsec("diff", str(new), str(old), "--json").stdout)
    assert [f["rule"] for f in as_json["fixed"]] == ["referrer-policy.missing"]
    assert as_json["new"] == []


def test_unusable_baseline_is_a_one_line_error(tmp_path: Path) -> None:
    bad = tmp_path / "bad.json"
    bad.write_text('{"schema": "something else"}')
    proc = connectsec("scan", "https://127.0.0.1:9/x.json", "--baseline", str(bad))
    assert proc.returncode == 2
    assert proc.stderr.strip().startswith("connectsec: error: --baseline")
    assert "Traceback" not in proc.stderr
    missing = connectsec("diff", str(tmp_path / "nope.json"), str(bad))
    assert missing.returncode == 2
