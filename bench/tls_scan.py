"""R1.1 on one loopback host: connectsec's raw-hello prober vs sslyze (suite scans + certificate info).

Run: `python bench/tls_scan.py [--runs N]`. Starts `openssl s_server` (TLS 1.0-1.3, a mixed cipher list) on a
free port, times both tools N times on it, checks their protocol verdicts agree, and prints min/median/max
and the speed ratio. sslyze (AGPL) runs as a separate program; connectsec never imports it.
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


def connectsec_run(port: int) -> tuple[float, dict[str, bool]]:
    start = time.perf_counter()
    result: TlsScan = asyncio.run(scan_tls(HostTarget(HOST, port, ADDRESS), timeout=5))
    elapsed = time.perf_counter() - start
    return elapsed, {p.protocol: bool(p.accepted) for p in result.protocols}


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
            ours_times, theirs_times = [], []
            for _ in range(args.runs):
                elapsed, ours = connectsec_run(port)
                ours_times.append(elapsed)
                elapsed, theirs = sslyze_run(port, Path(tmp) / "sslyze.json")
                theirs_times.append(elapsed)
                if ours != theirs:
                    raise SystemExit(f"protocol verdicts differ: connectsec {ours} vs sslyze {theirs}")
    print(f"R1.1 on {HOST}:{port} ({ADDRESS}), {args.runs} runs; protocol verdicts identical: {ours}")
    print(line("connectsec", ours_times))
    print(line("sslyze", theirs_times))
    ratio = statistics.median(theirs_times) / statistics.median(ours_times)
    goal = "goal >= 5x met" if ratio >= 5 else "goal >= 5x NOT met"
    print(f"ratio (sslyze median / connectsec median): {ratio:.1f}x ({goal})")


if __name__ == "__main__":
    main()
