"""Issue 8 item 6: the scan works with the CA and proxy variables set or unset and with --proxy, and contacts
only the target's hosts and the documented services (none with --offline).

Every name lookup and connection attempt of the `connectsec` subprocess is recorded by an audit hook
(tests/environment/netlog/sitecustomize.py, loaded through PYTHONPATH), which also refuses anything that
would leave loopback: test traffic stays on 127.0.0.0/8 while the attempts are still seen."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest

from connectsec.demo.server import DemoServer
from tests.environment.proxy import ConnectProxy

NETLOG = Path(__file__).parent / "netlog"
HOST = "app.acme-connect.com"  # a registrable name: RDAP applies to it, unlike localhost
VENDOR_HOST = "example.invalid"  # the demo descriptor's vendor URL: a host the descriptor names
DOCUMENTED = frozenset({"data.iana.org"})  # RDAP bootstrap; RDAP servers come from it (refused here first)
CLEAN_ENV = ("HTTPS_PROXY", "https_proxy", "HTTP_PROXY", "http_proxy", "ALL_PROXY", "all_proxy", "NO_PROXY",
             "no_proxy", "SSL_CERT_FILE", "SSL_CERT_DIR", "REQUESTS_CA_BUNDLE", "CURL_CA_BUNDLE")  # fmt: skip


@dataclass
class Run:
    proc: subprocess.CompletedProcess[str]
    report: dict[str, Any]
    events: list[dict[str, Any]]

    def outcome(self, rid: str) -> str:
        return str(next(r["outcome"] for r in self.report["requirements"] if r["id"] == rid))


def run(
    server: DemoServer,
    tmp: Path,
    extra: Sequence[str] = (),
    env: dict[str, str] | None = None,
    ca: bool = True,
) -> Run:
    log, out = tmp / "net.log", tmp / "r.json"
    log.unlink(missing_ok=True)
    environ = {k: v for k, v in os.environ.items() if k not in CLEAN_ENV}
    environ |= {"PYTHONPATH": str(NETLOG), "CONNECTSEC_NETLOG": str(log),
                "CONNECTSEC_NETLOG_NAMES": f"{server.host_name},{VENDOR_HOST}", **(env or {})}  # fmt: skip
    args = [sys.executable, "-m", "connectsec", "scan", server.descriptor_url, "--json", str(out), "--no-db",
            "--dns-server", "127.0.0.1:9", "--http-port", "9", "-q", *extra]  # fmt: skip
    if ca:
        args += ["--ca-bundle", server.ca_pem]
    if server.host_name != "localhost":
        args += [
            "--resolve",
            f"{server.host_name}:{server.port}:127.0.0.1",
            "--resolve",
            f"{server.host_name}:9:127.0.0.1",
        ]
    proc = subprocess.run(args, capture_output=True, text=True, check=False, timeout=300, env=environ)
    assert proc.returncode in (1, 3), proc.stderr[-3000:]
    events = [json.loads(line) for line in log.read_text().splitlines()] if log.exists() else []
    return Run(proc, json.loads(out.read_text()), events)


def refused(events: list[dict[str, Any]]) -> set[str]:
    return {e["host"] for e in events if not e["allowed"]}


@pytest.fixture(scope="module")
def named_server() -> Any:
    with DemoServer(violations=["hsts-missing"], host_name=HOST) as server:
        yield server


@pytest.mark.slow
def test_offline_contacts_only_the_targets_hosts(named_server: DemoServer, tmp_path: Path) -> None:
    result = run(named_server, tmp_path, ["--offline"])
    assert result.events, "the audit hook recorded nothing"
    assert refused(result.events) <= {VENDOR_HOST}, refused(result.events)
    ports = {e["port"] for e in result.events if e["event"] == "connect"}
    assert named_server.port in ports
    assert ports <= {named_server.port, 9}
    assert result.outcome("R1.2") == "fail"
    assert result.outcome("R6") == "skipped"


@pytest.mark.slow
def test_online_contacts_only_documented_services(named_server: DemoServer, tmp_path: Path) -> None:
    result = run(named_server, tmp_path)
    outside = refused(result.events) - {VENDOR_HOST}
    assert outside <= DOCUMENTED, outside
    assert "data.iana.org" in outside  # RDAP was asked (R3), through the IANA bootstrap
    r3 = next(r for r in result.report["requirements"] if r["id"] == "R3")
    assert r3["outcome"] == "error", r3["summary"]  # refused RDAP is an error, never a pass
    without_rdap = run(named_server, tmp_path, ["--no-rdap"])
    assert refused(without_rdap.events) <= {VENDOR_HOST}


@pytest.fixture(scope="module")
def local_server() -> Any:
    with DemoServer(violations=["hsts-missing"]) as server:
        yield server


@pytest.mark.slow
def test_proxy_option_tunnels_the_requests(local_server: DemoServer, tmp_path: Path) -> None:
    with ConnectProxy() as proxy:
        result = run(local_server, tmp_path, ["--proxy", proxy.url, "--only", "R1.2,R12"])
        tunnels = proxy.tunnels
    assert tunnels[f"localhost:{local_server.port}"] >= 1, tunnels
    assert result.outcome("R1.2") == "fail"
    assert result.outcome("R12") == "pass"
    direct = [e for e in result.events if e["event"] == "connect" and e["port"] == local_server.port]
    assert not direct, "requests went around the proxy"


@pytest.mark.slow
@pytest.mark.parametrize("bypass", [False, True])
def test_https_proxy_and_no_proxy_variables(local_server: DemoServer, tmp_path: Path, bypass: bool) -> None:
    with ConnectProxy() as proxy:
        env = {"HTTPS_PROXY": proxy.url, **({"NO_PROXY": "localhost"} if bypass else {})}
        result = run(local_server, tmp_path, ["--only", "R1.2,R12"], env=env)
        tunnels = proxy.tunnels
    assert result.outcome("R1.2") == "fail"
    assert result.outcome("R12") == "pass"
    assert (sum(tunnels.values()) == 0) is bypass, tunnels


@pytest.mark.slow
@pytest.mark.parametrize("variable", ["SSL_CERT_FILE", "REQUESTS_CA_BUNDLE"])
def test_ca_variables_honoured_and_unusable_ones_ignored(
    local_server: DemoServer, tmp_path: Path, variable: str
) -> None:
    trusted = run(
        local_server, tmp_path, ["--only", "R1.2,R12"], env={variable: local_server.ca_pem}, ca=False
    )
    assert trusted.outcome("R1.2") == "fail"
    assert trusted.outcome("R12") == "pass"
    bogus = {variable: str(tmp_path / "missing.pem")}
    ignored = run(local_server, tmp_path, ["--only", "R1.2,R12"], env=bogus)
    assert ignored.outcome("R1.2") == "fail"
    said = " ".join((ignored.proc.stdout + ignored.proc.stderr).split())
    assert f"{variable}" in said  # the warning names what was ignored (it goes to stdout today)
    assert "missing.pem ignored" in said
    assert "Traceback" not in ignored.proc.stderr
