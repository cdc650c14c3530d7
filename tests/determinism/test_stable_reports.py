"""Issue 8 item 4: two scans of the same target give the same reports, after the normalisation defined in
tests/determinism/normalise.py (clock, durations, traffic counters, today's date)."""

from __future__ import annotations

import json
import subprocess
import sys
from collections.abc import Sequence
from pathlib import Path
from typing import Any

import pytest

from connectsec.connect_jwt import InstallKeyPair
from connectsec.demo import DemoTenant
from connectsec.demo.server import DemoServer
from connectsec.demo.violations import DEFAULT_DEMO_VIOLATIONS
from tests.determinism import normalise
from tests.leaks.test_secrets_never_leak import make_repo

FORMATS = {"json": "r.json", "sarif": "r.sarif", "junit": "r.xml", "markdown": "r.md"}


def run_scan(server: DemoServer, out: Path, extra: Sequence[str], env: dict[str, str] | None = None) -> None:
    out.mkdir()
    args = [sys.executable, "-m", "connectsec", "scan", server.descriptor_url, "--ca-bundle", server.ca_pem,
            "--db", f"sqlite:///{out / 'history.db'}", "-q", *extra]  # fmt: skip
    for kind, name in FORMATS.items():
        args += [f"--{kind}", str(out / name)]
    proc = subprocess.run(args, capture_output=True, text=True, check=False, timeout=600, env=env)
    assert proc.returncode in (1, 3), proc.stderr[-3000:]


def normalised(out: Path, varied: frozenset[str]) -> dict[str, Any]:
    read = {kind: (out / name).read_text(encoding="utf-8") for kind, name in FORMATS.items()}
    return {
        "json": normalise.json_report(read["json"], varied),
        "sarif": normalise.json_report(read["sarif"], varied),
        "junit": normalise.junit(read["junit"], varied),
        "markdown": normalise.markdown(read["markdown"], varied),
    }


def fingerprints(out: Path) -> tuple[list[str], list[str]]:
    """Finding ids in report order, and the SARIF results' partial fingerprints in order."""
    report = json.loads((out / "r.json").read_text())
    ids = [f["id"] for r in report["requirements"] for f in r["findings"]]
    sarif = json.loads((out / "r.sarif").read_text())
    prints = [
        json.dumps(res.get("partialFingerprints"), sort_keys=True) for res in sarif["runs"][0]["results"]
    ]
    return ids, prints


def differences(a: Any, b: Any, path: str = "") -> list[str]:
    """Where two normalised reports differ (for the failure message)."""
    if isinstance(a, dict) and isinstance(b, dict):
        return [d for k in sorted(set(a) | set(b)) for d in differences(a.get(k), b.get(k), f"{path}.{k}")]
    if isinstance(a, list) and isinstance(b, list) and len(a) == len(b):
        return [
            d for i, (x, y) in enumerate(zip(a, b, strict=True)) for d in differences(x, y, f"{path}[{i}]")
        ]
    return [] if a == b else [f"{path}: {str(a)[:300]!r} != {str(b)[:300]!r}"]


def assert_same(first: Path, second: Path, varied: frozenset[str] = frozenset()) -> None:
    a, b = normalised(first, varied), normalised(second, varied)
    for kind in FORMATS:
        assert a[kind] == b[kind], (kind, differences(a[kind], b[kind])[:5])
    ids, prints = fingerprints(first)
    assert len(ids) >= 10
    assert len(set(ids)) == len(ids)
    assert (ids, prints) == fingerprints(second)


@pytest.mark.slow
def test_two_scans_of_the_demo_give_identical_reports(tmp_path: Path) -> None:
    with DemoServer(violations=sorted(DEFAULT_DEMO_VIOLATIONS)) as server:
        run_scan(server, tmp_path / "1", [])
        run_scan(server, tmp_path / "2", [])
    assert_same(tmp_path / "1", tmp_path / "2")


@pytest.mark.slow
def test_tenant_attacks_and_source_stable_whatever_the_concurrency(tmp_path: Path) -> None:
    """Attack answers arrive in another order with one request at a time; the reports must not notice."""
    repo = make_repo(tmp_path / "app")
    tenant = DemoTenant.random(admin_account_ids=("admin-a",))
    (tmp_path / "secret").write_text(tenant.shared_secret)
    violations = [
        "auth-qsh-ignored",
        "auth-alg-none",
        "auth-admin-open",
        "hsts-missing",
        "cookie-no-httponly",
    ]
    common = ["--client-key", tenant.client_key, "--shared-secret-file", str(tmp_path / "secret"),
              "--user-account-id", "user-a", "--admin-account-id", "admin-a",
              "--source", str(repo)]  # fmt: skip
    with DemoServer(violations=violations, tenants=[tenant], install_key=InstallKeyPair.generate()) as server:
        run_scan(server, tmp_path / "1", common)
        run_scan(server, tmp_path / "2", [*common, "--concurrency", "1", "--per-host", "1"])
    assert_same(tmp_path / "1", tmp_path / "2", varied=frozenset({"concurrency", "per_host"}))


def test_normalisation_keeps_what_must_not_vary() -> None:
    finding = {"id": "a1", "location": "https://h/x", "first_seen": "2026-01-30", "due": "2026-03-27"}
    report = {"started_at": "t1", "duration_s": 1.5, "summary": {"requests_sent": 9}, "findings": [finding]}
    moved = {**finding, "location": "https://h/y"}
    later = {**finding, "first_seen": "2026-01-31", "due": "2026-03-28"}
    shorter = {**finding, "due": "2026-03-20"}
    base = normalise.json_report(json.dumps(report))
    assert normalise.json_report(json.dumps({**report, "started_at": "t2", "duration_s": 3.0})) == base
    assert normalise.json_report(json.dumps({**report, "findings": [later]})) == base
    assert normalise.json_report(json.dumps({**report, "findings": [moved]})) != base
    assert normalise.json_report(json.dumps({**report, "findings": [shorter]})) != base
    assert normalise.json_report(json.dumps({**report, "findings": [finding, finding]})) != base
    xml = '<testsuites time="1.2"><testsuite timestamp="2026-01-30T00:00:00" name="{}"/></testsuites>'
    assert normalise.junit(xml.format("a")) == normalise.junit(xml.replace("1.2", "9").format("a"))
    assert normalise.junit(xml.format("a")) != normalise.junit(xml.format("b"))
    assert normalise.markdown("| Duration | 1.8 s |\nx, 100 days old") == "x, <n> days old"
    table = "| Option per\\_host | {} |"
    per_host = frozenset({"per_host"})
    assert normalise.markdown(table.format(1), per_host) == normalise.markdown(table.format(8), per_host)
    assert normalise.markdown(table.format(1)) != normalise.markdown(table.format(8))
