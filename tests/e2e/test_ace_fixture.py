"""The atlassian-connect-express fixture app with its dependencies installed by `make fixtures` (npm ci):
a source-only scan reports the framework behaviours and the vulnerable transitive packages it ships."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

FIXTURE = Path(__file__).resolve().parents[1] / "fixtures" / "ace-app"
INSTALLED = FIXTURE / "node_modules"


@pytest.fixture(scope="module")
def installed() -> Path:
    if not INSTALLED.is_dir():
        if os.environ.get("CI"):
            pytest.fail(
                "tests/fixtures/ace-app/node_modules is missing: `make test` runs `make fixtures` first"
            )
        pytest.skip("run `make fixtures` (npm ci in tests/fixtures/ace-app) to install the fixture app")
    return INSTALLED


def test_installed_packages_are_what_the_lockfile_pins(installed: Path) -> None:
    lock = json.loads((FIXTURE / "package-lock.json").read_text())["packages"]
    for name in ("lodash", "jsonwebtoken", "atlassian-connect-express"):
        version = json.loads((installed / name / "package.json").read_text())["version"]
        assert version == lock[f"node_modules/{name}"]["version"], name


def test_scan_of_the_installed_app(installed: Path, tmp_path: Path) -> None:
    report_path = tmp_path / "r.json"
    proc = subprocess.run(
        [sys.executable, "-m", "connectsec", "scan", "--source", str(FIXTURE), "--only", "R7,R14",
         "--no-git-history", "--json", str(report_path)],
        capture_output=True, text=True, check=False, timeout=300,
    )  # fmt: skip
    assert proc.returncode == 1, proc.stdout[-2000:] + proc.stderr[-2000:]
    results = {r["id"]: r for r in json.loads(report_path.read_text())["requirements"]}
    r7 = {f["rule"] for f in results["R7"]["findings"]}
    assert {"code.ace-unsigned-install", "code.ace-qsh-skipped", "code.install-payload-logged"} <= r7
    r14 = results["R14"]["findings"]
    packages = {dict(_pairs(f["extra"])).get("package") for f in r14}
    assert {"lodash", "hawk"} <= packages  # a direct pin and a transitive one, from the bundled npm data
    assert not any("node_modules" in f["location"] for r in results.values() for f in r["findings"])


def _pairs(extra: object) -> list[tuple[str, str]]:
    if isinstance(extra, dict):
        return list(extra.items())
    return [tuple(pair) for pair in extra]  # type: ignore[misc, union-attr]
