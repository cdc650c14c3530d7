"""Unusable input: one clear line on stderr, exit code 2, no traceback, within the timeout."""

from __future__ import annotations

import json
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import pytest

from connectsec.demo.server import TlsAppServer
from tests.targets.hostile import create_hostile_app, descriptor_for
from tests.targets.raw import RawServer, garbage, never_answer, reset

TIMEOUT = 2.0
pytestmark = pytest.mark.slow


def connectsec(*args: str, timeout: float = 60) -> tuple[int, str, str, float]:
    started = time.monotonic()
    proc = subprocess.run(
        [sys.executable, "-m", "connectsec", *args],
        capture_output=True,
        text=True,
        timeout=timeout,
        check=False,
    )
    return proc.returncode, proc.stdout, proc.stderr, time.monotonic() - started


def assert_one_line_error(code: int, stderr: str, expected: str) -> None:
    assert code == 2, stderr
    assert "Traceback" not in stderr
    lines = [line for line in stderr.splitlines() if line.strip()]
    assert len(lines) == 1, stderr
    assert lines[0].startswith("connectsec: error:"), stderr
    assert expected in lines[0], stderr


@pytest.fixture(scope="module")
def hostile() -> Iterator[TlsAppServer]:
    with TlsAppServer(lambda _base: create_hostile_app()) as server:
        yield server


@pytest.mark.parametrize(
    ("path", "expected"),
    [
        ("/html.json", "is HTML"),
        ("/huge.json", "larger than"),
        ("/truncated.json", "not valid JSON"),
        ("/not-descriptor.json", "not a Connect descriptor"),
        ("/loop", "redirect"),
        ("/dribble.json", "timed out"),
        ("/missing.json", "HTTP 404"),
    ],
)
def test_unusable_descriptor_urls(hostile: TlsAppServer, path: str, expected: str) -> None:
    code, _out, err, elapsed = connectsec(
        "scan", hostile.base_url + path, "--ca-bundle", hostile.ca_pem, "--timeout", str(TIMEOUT)
    )
    assert_one_line_error(code, err, expected)
    assert elapsed < TIMEOUT * 6 + 30  # a bound from the timeouts; generous for start-up on a loaded machine


@pytest.mark.parametrize(
    ("behaviour", "expected"),
    [(never_answer, "timed out"), (reset, "cannot fetch descriptor"), (garbage, "cannot fetch descriptor")],
)
def test_misbehaving_sockets(behaviour: object, expected: str) -> None:
    with RawServer(behaviour) as server:  # type: ignore[arg-type]
        code, _out, err, elapsed = connectsec(
            "scan", f"https://localhost:{server.port}/atlassian-connect.json", "--timeout", str(TIMEOUT)
        )
    assert_one_line_error(code, err, expected)
    assert elapsed < TIMEOUT * 3 + 30


def test_closed_port() -> None:
    with RawServer(never_answer) as server:
        port = server.port
    code, _out, err, _ = connectsec("scan", f"https://127.0.0.1:{port}/atlassian-connect.json")
    assert_one_line_error(code, err, "connection refused")


def test_missing_local_file(tmp_path: Path) -> None:
    code, _out, err, _ = connectsec("scan", str(tmp_path / "nope.json"))
    assert_one_line_error(code, err, "cannot read")


def test_local_file_with_unreachable_base_url_needs_base_url(tmp_path: Path) -> None:
    with RawServer(never_answer) as server:
        port = server.port
    path = tmp_path / "atlassian-connect.json"
    path.write_bytes(descriptor_for(f"https://127.0.0.1:{port}"))
    code, _out, err, _ = connectsec("scan", str(path), "--timeout", str(TIMEOUT))
    assert_one_line_error(code, err, "--base-url")


def test_local_file_with_base_url_scans(tmp_path: Path) -> None:
    from connectsec.demo.server import DemoServer

    with DemoServer() as server:
        path = tmp_path / "atlassian-connect.json"
        path.write_bytes(descriptor_for("https://unreachable.invalid"))
        report = tmp_path / "r.json"
        code, _out, err, _ = connectsec(
            "scan",
            str(path),
            "--base-url",
            server.base_url,
            "--ca-bundle",
            server.ca_pem,
            "--json",
            str(report),
            "-q",
            "--only",
            "R1.2,R12",
        )
    assert code in (0, 1), err
    data = json.loads(report.read_text())
    assert data["target"]["base_url"] == server.base_url
    assert any(e["url"] == server.base_url + "/page" for e in data["endpoints"])


@pytest.mark.parametrize(
    ("args", "expected"),
    [
        (["--resolve", "nonsense"], "HOST:PORT:ADDR"),
        (["--resolve", "h:99999:127.0.0.1"], "not a port"),
        (["--resolve", "h:443:not-an-ip"], "not an IP address"),
        (["--only", "R99"], "unknown requirement"),
        (["--timeout", "-1"], "timeout"),
        (["--fail-on", "urgent"], "fail-on"),
        (["--base-url", "ftp://x"], "--base-url"),
        (["--base-url", "https://[::1"], "not a valid URL"),
        (["--ca-bundle", "/nonexistent/ca.pem"], "--ca-bundle"),
        (["--no-such-option"], "no-such-option"),
        (["--dns-server", "dns.example"], "not an IP address"),
        (["--dns-server", "127.0.0.1:0"], "not a port"),
        (["--rdap-url", "ftp://rdap"], "--rdap-url"),
        (["--zone-file", "/nonexistent/zone"], "--zone-file"),
        (["--hosts-file", "/nonexistent/hosts"], "--hosts-file"),
        (["--takeover-fingerprints", "/nonexistent/f.json"], "--takeover-fingerprints"),
        (["--expiry-warn-days", "-3"], "expiry-warn-days"),
    ],
)
def test_bad_options(args: list[str], expected: str) -> None:
    code, _out, err, _ = connectsec("scan", "https://127.0.0.1:9/atlassian-connect.json", *args)
    assert_one_line_error(code, err, expected)


def test_no_arguments_prints_help_not_traceback() -> None:
    _code, out, err, _ = connectsec()
    assert "Traceback" not in out + err
    assert "scan" in out + err


@pytest.mark.parametrize(
    ("option", "content", "expected"),
    [
        ("--takeover-fingerprints", "{not json", "not JSON"),
        ("--takeover-fingerprints", '[{"service": "x", "status": "Maybe"}]', "unknown status"),
        ("--zone-file", "$ORIGIN example.com.\nwww IN CNAME\n", "zone file"),
        ("--hosts-file", "good.example\nnot a name!\n", "line 2"),
        ("--har", '{"log": {}}', "not a HAR file"),
        ("--openapi", "openapi: 3.0.0\n", "no `paths`"),
        ("--retire-data", "[1, 2]", "RetireJS data"),
    ],
)
def test_bad_host_input_files(option: str, content: str, expected: str, tmp_path: Path) -> None:
    path = tmp_path / "input"
    path.write_text(content)
    code, _out, err, _ = connectsec("scan", "https://127.0.0.1:9/atlassian-connect.json", option, str(path))
    assert_one_line_error(code, err, expected)
