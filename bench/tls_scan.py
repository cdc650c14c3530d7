"""R1.1 on one loopback host: connectsec's raw-hello prober vs sslyze (suite scans + certificate info).

Run: `python bench/tls_scan.py [--runs N]`. Starts `openssl s_server` (TLS 1.0-1.3, a mixed cipher list) on a
free port, times both tools N times on it, in-process (each through its Python API: the probe's work) and as
processes (start-up included), checks every protocol verdict agrees, and prints min/median/max and the ratios.
sslyze (AGPL) is a benchmark and test reference only: this script imports it, connectsec never does.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from connectsec.certs.fetch import fetch_certificate
from connectsec.model.hosts import HostTarget
from connectsec.model.tls import PROTOCOLS, TlsScan
from connectsec.tls.scan import scan_tls

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
from tests.tls.servers import ADDRESS, HOST, make_cert, openssl_server

CIPHERS = (
    ":".join(
        (
            "ECDHE-RSA-AES128-GCM-SHA256",
            "ECDHE-RSA-AES256-GCM-SHA384",
            "ECDHE-RSA-CHACHA20-POLY1305",
            "AES128-SHA",
        )
    )
    + ":@SECLEVEL=0"
)
SSLYZE_KEYS = ("ssl_2_0", "ssl_3_0", "tls_1_0", "tls_1_1", "tls_1_2", "tls_1_3")


async def _probe(target: HostTarget) -> TlsScan:
    """What a scan does for one https host: R1.1's probe and R3's certificate fetch, side by side."""
    result, certificate = await asyncio.gather(
        scan_tls(target, timeout=5), fetch_certificate(target, timeout=5)
    )
    if certificate.error or not certificate.chain:
        raise SystemExit(f"no certificate: {certificate.error}")
    return result


def connectsec_run(port: int) -> tuple[float, dict[str, bool]]:
    start = time.perf_counter()
    result = asyncio.run(_probe(HostTarget(HOST, port, ADDRESS)))
    elapsed = time.perf_counter() - start
    return elapsed, {p.protocol: bool(p.accepted) for p in result.protocols}


_PROCESS = """
import asyncio, json, sys
sys.path.insert(0, sys.argv[4])
from tls_scan import _probe
from connectsec.model.hosts import HostTarget
result = asyncio.run(_probe(HostTarget(sys.argv[1], int(sys.argv[2]), sys.argv[3])))
print(json.dumps({p.protocol: bool(p.accepted) for p in result.protocols}))
"""


def connectsec_process(port: int) -> tuple[float, dict[str, bool]]:
    """The same probe as a fresh process, so both sides pay interpreter start-up."""
    start = time.perf_counter()
    done = subprocess.run(
        [sys.executable, "-c", _PROCESS, HOST, str(port), ADDRESS, str(Path(__file__).parent)],
        check=True,
        capture_output=True,
        text=True,
    )
    elapsed = time.perf_counter() - start
    return elapsed, json.loads(done.stdout)


def sslyze_run(port: int, out: Path) -> tuple[float, dict[str, bool]]:
    binary = shutil.which("sslyze", path=str(Path(sys.executable).parent)) or "sslyze"
    command = [binary, "--sslv2", "--sslv3", "--tlsv1", "--tlsv1_1", "--tlsv1_2", "--tlsv1_3", "--certinfo"]
    command += [f"--json_out={out}", f"{HOST}:{port}{{{ADDRESS}}}"]
    start = time.perf_counter()
    subprocess.run(command, check=True, capture_output=True)
    elapsed = time.perf_counter() - start
    scan = json.loads(out.read_text())["server_scan_results"][0]["scan_result"]
    verdicts = {
        protocol: bool(scan[f"{key}_cipher_suites"]["result"]["accepted_cipher_suites"])
        for protocol, key in zip(PROTOCOLS, SSLYZE_KEYS, strict=True)
    }
    return elapsed, verdicts


def sslyze_in_process(port: int) -> tuple[float, dict[str, bool]]:
    """sslyze's own Python API, timed from queueing the scan to its result (no start-up, no JSON)."""
    from sslyze import ScanCommand, Scanner, ServerNetworkLocation, ServerScanRequest

    commands = [getattr(ScanCommand, f"{key.upper()}_CIPHER_SUITES") for key in SSLYZE_KEYS]
    location = ServerNetworkLocation(hostname=HOST, port=port, ip_address=ADDRESS)
    request = ServerScanRequest(
        server_location=location, scan_commands={*commands, ScanCommand.CERTIFICATE_INFO}
    )
    start = time.perf_counter()
    scanner = Scanner()
    scanner.queue_scans([request])
    (result,) = list(scanner.get_results())
    elapsed = time.perf_counter() - start
    scan = result.scan_result
    assert scan is not None
    verdicts = {
        protocol: bool(getattr(scan, f"{key}_cipher_suites").result.accepted_cipher_suites)
        for protocol, key in zip(PROTOCOLS, SSLYZE_KEYS, strict=True)
    }
    return elapsed, verdicts


def line(name: str, times: list[float]) -> str:
    median = statistics.median(times)
    return f"{name:<12} min {min(times):7.3f} s  median {median:7.3f} s  max {max(times):7.3f} s"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--runs", type=int, default=5)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        certs = make_cert(Path(tmp))
        with openssl_server(certs, "-min_protocol", "TLSv1", "-cipher", CIPHERS) as port:
            ours, ours_proc, theirs, theirs_proc = [], [], [], []  # type: ignore[var-annotated]
            verdicts = []
            for _ in range(args.runs):
                for times, run in (
                    (ours, connectsec_run),
                    (theirs, sslyze_in_process),
                    (ours_proc, connectsec_process),
                    (theirs_proc, lambda p: sslyze_run(p, Path(tmp) / "sslyze.json")),
                ):
                    elapsed, verdict = run(port)
                    times.append(elapsed)
                    verdicts.append(verdict)
            if any(v != verdicts[0] for v in verdicts):
                raise SystemExit(f"protocol verdicts differ: {verdicts}")
    print(f"R1.1 on {HOST}:{port} ({ADDRESS}), {args.runs} runs; protocol verdicts identical: {verdicts[0]}")
    print("in-process (the probe's work only, each tool through its Python API):")
    print(line("  connectsec", ours))
    print(line("  sslyze", theirs))
    ratio = statistics.median(theirs) / statistics.median(ours)
    goal = "goal >= 5x met" if ratio >= 5 else "goal >= 5x NOT met"
    print(f"  ratio (sslyze median / connectsec median): {ratio:.1f}x ({goal})")
    print("as processes (interpreter start-up and imports included on both sides):")
    print(line("  connectsec", ours_proc))
    print(line("  sslyze", theirs_proc))
    print(f"  ratio: {statistics.median(theirs_proc) / statistics.median(ours_proc):.1f}x")


if __name__ == "__main__":
    main()
