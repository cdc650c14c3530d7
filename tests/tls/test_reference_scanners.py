"""Our verdicts and accepted-suite sets equal sslyze's and testssl.sh's on OpenSSL-completable servers.

Both are GPL/AGPL tools used here as test-only references (never imported by connectsec). CI installs the
Debian package `testssl.sh`; without the `testssl` binary those comparisons are skipped.
"""

from __future__ import annotations

import json
import re
import ssl
import subprocess
import sys
from collections.abc import Callable, Iterator
from contextlib import AbstractContextManager
from pathlib import Path

import pytest

from connectsec.model.tls import PROTOCOLS, TlsScan
from connectsec.tls.registry import registry
from connectsec.tls.scan import scan_tls
from tests.tls.servers import ADDRESS, HOST, CertFiles, have, openssl_server, python_tls_server, target

pytestmark = pytest.mark.slow

Observed = dict[str, frozenset[str] | None]
"""Protocol → accepted suite names (None: refused)."""

CONFIGS: dict[str, Callable[[CertFiles], AbstractContextManager[int]]] = {
    "compliant": lambda c: openssl_server(
        c,
        "-min_protocol",
        "TLSv1.2",
        "-cipher",
        "ECDHE-RSA-AES128-GCM-SHA256:ECDHE-RSA-AES256-GCM-SHA384:ECDHE-RSA-CHACHA20-POLY1305",
    ),
    "legacy": lambda c: openssl_server(
        c,
        "-min_protocol",
        "TLSv1",
        "-max_protocol",
        "TLSv1.2",
        "-cipher",
        "ECDHE-RSA-AES256-GCM-SHA384:AES128-SHA:@SECLEVEL=0",
    ),
    "anon-serverpref": lambda c: openssl_server(
        c,
        "-tls1_2",
        "-serverpref",
        "-cipher",
        "ECDHE-RSA-AES128-GCM-SHA256:ADH-AES256-GCM-SHA384:@SECLEVEL=0",
    ),
    "tls13-restricted": lambda c: openssl_server(
        c, "-tls1_3", "-ciphersuites", "TLS_CHACHA20_POLY1305_SHA256:TLS_AES_128_GCM_SHA256"
    ),
    "python-tls11": lambda c: python_tls_server(
        c, ssl.TLSVersion.TLSv1_1, ssl.TLSVersion.TLSv1_1, "ECDHE-RSA-AES128-SHA:AES256-SHA:@SECLEVEL=0"
    ),
}


def ours(result: TlsScan) -> Observed:
    observed: Observed = {}
    for protocol in result.protocols:
        assert protocol.accepted is not None, protocol
        assert protocol.error is None, protocol
        observed[protocol.protocol] = frozenset(protocol.suites) if protocol.accepted else None
    return observed


_SSLYZE_KEYS = dict(
    zip(PROTOCOLS, ("ssl_2_0", "ssl_3_0", "tls_1_0", "tls_1_1", "tls_1_2", "tls_1_3"), strict=True)
)


def sslyze(port: int, out: Path) -> Observed:
    command = [str(Path(sys.executable).with_name("sslyze")), "--sslv2", "--sslv3", "--tlsv1", "--tlsv1_1"]
    command += ["--tlsv1_2", "--tlsv1_3", f"--json_out={out}", f"{HOST}:{port}{{{ADDRESS}}}"]
    subprocess.run(command, check=True, capture_output=True, timeout=300)
    scan = json.loads(out.read_text())["server_scan_results"][0]["scan_result"]
    observed: Observed = {}
    for protocol, key in _SSLYZE_KEYS.items():
        names = {
            s["cipher_suite"]["name"]
            for s in scan[f"{key}_cipher_suites"]["result"]["accepted_cipher_suites"]
        }
        observed[protocol] = frozenset(names) if names else None
    return observed


_TESTSSL_PROTOCOLS = {"SSLv2": "SSLv2", "SSLv3": "SSLv3", "TLS1": "TLSv1.0", "TLS1_1": "TLSv1.1"}
_TESTSSL_PROTOCOLS |= {"TLS1_2": "TLSv1.2", "TLS1_3": "TLSv1.3"}
_TESTSSL_CIPHER_PROTOCOLS = {"ssl2": "SSLv2", "ssl3": "SSLv3", "tls1": "TLSv1.0", "tls1_1": "TLSv1.1"}
_TESTSSL_CIPHER_PROTOCOLS |= {"tls1_2": "TLSv1.2", "tls1_3": "TLSv1.3"}


def run_testssl(port: int, out: Path) -> Observed:
    command = ["testssl", "--quiet", "--warnings", "off", "--color", "0", "--nodns", "min", "-p", "-E"]
    command += ["--jsonfile", str(out), f"{ADDRESS}:{port}"]
    subprocess.run(command, capture_output=True, timeout=600)
    entries = json.loads(out.read_text())
    offered: dict[str, bool] = {}
    suites: dict[str, set[str]] = {p: set() for p in PROTOCOLS}
    for entry in entries:
        key, finding = entry["id"], entry["finding"]
        if key in _TESTSSL_PROTOCOLS:
            offered[_TESTSSL_PROTOCOLS[key]] = finding.startswith("offered")
        match = re.fullmatch(r"cipher-(\w+?)_x([0-9a-f]+)", key)
        if match:
            code = int(match.group(2), 16)
            suites[_TESTSSL_CIPHER_PROTOCOLS[match.group(1)]].add(registry().suite_name(code))
    assert set(offered) == set(PROTOCOLS), entries
    return {p: frozenset(suites[p]) if offered[p] else None for p in PROTOCOLS}


@pytest.fixture(params=sorted(CONFIGS))
def server(request: pytest.FixtureRequest, certs: CertFiles) -> Iterator[tuple[str, int]]:
    with CONFIGS[request.param](certs) as port:
        yield request.param, port


async def test_equals_sslyze(server: tuple[str, int], tmp_path: Path) -> None:
    name, port = server
    mine = ours(await scan_tls(target(port), timeout=5))
    assert mine == sslyze(port, tmp_path / "sslyze.json"), name


@pytest.mark.skipif(not have("testssl"), reason="testssl (Debian package testssl.sh) is not installed")
async def test_equals_testssl(server: tuple[str, int], tmp_path: Path) -> None:
    name, port = server
    mine = ours(await scan_tls(target(port), timeout=5))
    assert mine == run_testssl(port, tmp_path / "testssl.json"), name
