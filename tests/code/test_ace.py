"""The atlassian-connect-express fixture app: framework behaviours and seeded handlers, and its fixed twin."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest

from connectsec.code import scan_code
from tests.code.tree import facts

FIXTURE = Path(__file__).resolve().parents[1] / "fixtures" / "ace-app"

EXPECTED = {
    ("code.install-payload-logged", "app.js:40"),  # host_settings_saved logs the whole settings
    ("code.install-payload-logged", "routes/index.js:13"),  # req.body logged in an /installed route
    ("code.ace-qsh-skipped", "routes/index.js:23"),
    ("code.shared-secret-in-response", "routes/index.js:31"),  # res.json(clientInfo)
    ("code.ace-unsigned-install", "config.json:12"),  # no "signed-install": "force" for production
    ("code.ace-plaintext-store", "config.json:16"),
    ("code.ace-dev-logging", "package.json:11"),  # start script without NODE_ENV=production
}


@pytest.fixture
def app(tmp_path: Path) -> Path:
    """A private copy of the fixture (without node_modules) to edit."""
    target = tmp_path / "ace-app"
    shutil.copytree(FIXTURE, target, ignore=shutil.ignore_patterns("node_modules"))
    return target


def _edit(path: Path, old: str, new: str) -> None:
    text = path.read_text("utf-8")
    assert old in text, old
    path.write_text(text.replace(old, new), "utf-8")


def test_fixture_reports_every_ace_behaviour_and_seeded_handler() -> None:
    scan = scan_code(str(FIXTURE))
    assert facts(scan) == EXPECTED
    assert [(u.name, u.version, u.path) for u in scan.frameworks] == [
        ("atlassian-connect-express", "11.5.3", "package.json")
    ]
    unsigned = next(f for f in scan.facts if f.rule == "code.ace-unsigned-install")
    assert '"signed-install": "force"' in unsigned.detail
    store = next(f for f in scan.facts if f.rule == "code.ace-plaintext-store")
    assert "`sequelize`" in store.detail
    assert scan.unreadable == ()


def test_fixed_twin_keeps_only_the_store_behaviour(app: Path) -> None:
    _edit(app / "package.json", '"start": "node app.js"', '"start": "NODE_ENV=production node app.js"')
    _edit(app / "config.json", '"production": {', '"production": {\n    "signed-install": "force",')
    _edit(app / "app.js", "console.log('Tenant saved', settings);", "console.log('Tenant saved');")
    _edit(app / "routes/index.js", "console.info('install callback received', req.body);", "")
    _edit(app / "routes/index.js", "addon.authenticate(true)", "addon.checkValidToken()")
    _edit(app / "routes/index.js", "res.json(clientInfo);", "res.json({ baseUrl: clientInfo.baseUrl });")
    scan = scan_code(str(app))
    assert facts(scan) == {("code.ace-plaintext-store", "config.json:17")}


def test_descriptor_without_signed_install_opt_in(app: Path) -> None:
    descriptor = json.loads((app / "atlassian-connect.json").read_text("utf-8"))
    del descriptor["apiMigrations"]["signed-install"]
    text = json.dumps(descriptor, indent=2)
    (app / "atlassian-connect.json").write_text(text, "utf-8")
    line = next(n for n, t in enumerate(text.splitlines(), 1) if '"apiMigrations"' in t)
    scan = scan_code(str(app))
    unsigned = [f for f in scan.facts if f.rule == "code.ace-unsigned-install"]
    assert [f.location for f in unsigned] == [f"atlassian-connect.json:{line}"]
    assert "does not opt into signed installs" in unsigned[0].detail


def test_node_env_in_a_dockerfile_counts_as_production(app: Path) -> None:
    (app / "Dockerfile").write_text("FROM node:20\nENV NODE_ENV=production\nCMD node app.js\n", "utf-8")
    rules = {f.rule for f in scan_code(str(app)).facts}
    assert "code.ace-dev-logging" not in rules
    assert "code.ace-plaintext-store" in rules


def test_missing_descriptor_is_an_r7_gap(app: Path) -> None:
    (app / "atlassian-connect.json").unlink()
    scan = scan_code(str(app))
    assert [req for req, _ in scan.unreadable] == ["R7"]
    assert scan.unreadable[0][1].startswith("atlassian-connect.json: ")


def test_lockfile_pins_the_vulnerable_transitive_dependencies() -> None:
    """The fixture's lockfile carries what R14 must report (versions inside bundled NSWG ranges)."""
    lock = json.loads((FIXTURE / "package-lock.json").read_text("utf-8"))
    packages = lock["packages"]
    assert lock["lockfileVersion"] == 3
    assert packages["node_modules/hawk"]["version"] == "1.1.1"  # via request 2.40.0; fixed in 3.1.3
    assert packages["node_modules/jws"]["version"] == "2.0.0"  # via jsonwebtoken 4.1.0; fixed in 3.0.0
    assert packages["node_modules/lodash"]["version"] == "4.17.4"
    assert packages["node_modules/morgan"]["version"] == "1.9.0"
    assert not any("resolved" in entry for entry in packages.values())
