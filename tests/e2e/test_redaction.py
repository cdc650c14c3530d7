"""Tokens the scanner is given or sees never reach a report, the terminal or an error line."""

from __future__ import annotations

import base64
import ssl
import subprocess
import sys
from pathlib import Path

from connectsec.demo.server import DemoServer

TOKEN = (
    "eyJhbGciOiJIUzI1NiIsInR5cCI6IkpXVCJ9."
    "eyJpc3MiOiJjb25uZWN0c2VjLXRlc3QiLCJxc2giOiJjb250ZXh0LXFzaCJ9."
    "c2VjcmV0LXNpZ25hdHVyZS1ub3QtcmVhbA"
)
SIGNATURE = TOKEN.rsplit(".", 1)[-1]


def test_jwt_in_endpoint_urls_is_redacted_everywhere(tmp_path: Path) -> None:
    endpoints = tmp_path / "endpoints.txt"
    endpoints.write_text(f"/pages/dashboard?jwt={TOKEN}\n/pages/settings?token={SIGNATURE}\n")
    with DemoServer(violations=["hsts-missing", "cookie-no-httponly"]) as server:
        reports = ["--json", str(tmp_path / "r.json"), "--markdown", str(tmp_path / "r.md")]
        proc = subprocess.run(
            [sys.executable, "-m", "connectsec", "scan", server.descriptor_url, "--ca-bundle", server.ca_pem,
             "--endpoints", str(endpoints), *reports, "-v"],
            capture_output=True, text=True, check=False, timeout=120,
        )  # fmt: skip
    assert proc.returncode == 1, proc.stderr
    outputs = {
        "stdout": proc.stdout,
        "stderr": proc.stderr,
        "json": (tmp_path / "r.json").read_text(),
        "markdown": (tmp_path / "r.md").read_text(),
    }
    assert "jwt=" in outputs["json"]  # the endpoint is reported, its token is not
    for where, text in outputs.items():
        for secret in (TOKEN, SIGNATURE, base64.b64encode(SIGNATURE.encode()).decode()):
            assert secret not in text, where


def test_session_cookie_values_never_reported(tmp_path: Path) -> None:
    with DemoServer(violations=["cookie-no-httponly", "cookie-no-secure"]) as server:
        proc = subprocess.run(
            [sys.executable, "-m", "connectsec", "scan", server.descriptor_url, "--ca-bundle", server.ca_pem,
             "--json", str(tmp_path / "r.json"), "-q"],
            capture_output=True, text=True, check=False, timeout=120,
        )  # fmt: skip
        import httpx

        with httpx.Client(verify=ssl.create_default_context(cafile=server.ca_pem)) as client:
            cookie_line = client.get(server.base_url + "/pages/settings").headers.get_list("set-cookie")
    value = next(
        line.split(";")[0].split("=", 1)[1] for line in cookie_line if line.startswith("connect.sid=")
    )
    assert len(value) >= 16
    report = (tmp_path / "r.json").read_text()
    assert "connect.sid" in report
    assert value not in report
    assert value not in proc.stdout
