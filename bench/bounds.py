"""Memory, time and file-descriptor bounds of scans of hostile targets; prints one line per scan.

Run: `.venv/bin/python bench/bounds.py [--traps many,gzip-bomb,...] [--timeout 2]`.
Each scan is a separate `connectsec scan` process (peak RSS from wait4) against the trap app of
tests/targets/traps.py served on loopback; a last in-process scan counts /proc/self/fd before and after.
Nothing leaves 127.0.0.1.
"""

from __future__ import annotations

import argparse
import asyncio
import os
import subprocess
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))  # the trap targets live in tests/

from tests.targets.traps import gzip_of_zeros, nested_gzip_bomb, trap_app

from connectsec.demo.server import TlsAppServer
from connectsec.engine.request import ScanRequest
from connectsec.engine.scan import Scanner

DEFAULT_TRAPS = "ok,many,big,gzip-bomb,deflate-bomb,nested-bomb,headers,dribble,loop,chain"


def run_measured(cmd: list[str]) -> tuple[float, int, int]:
    """Wall seconds, peak RSS in KiB and exit code of one child process."""
    start = time.perf_counter()
    proc = subprocess.Popen(cmd, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    _pid, status, usage = os.wait4(proc.pid, 0)
    return time.perf_counter() - start, usage.ru_maxrss, os.waitstatus_to_exitcode(status)


def open_fds() -> int:
    return len(os.listdir("/proc/self/fd"))


async def in_process_scan(server: TlsAppServer, trap: str, timeout: float) -> None:
    request = ScanRequest(
        descriptor=f"{server.base_url}/d/{trap}.json", ca_bundle=server.ca_pem, timeout=timeout, offline=True
    )
    async with Scanner(request) as scanner:
        await scanner.run()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--traps", default=DEFAULT_TRAPS)
    parser.add_argument("--timeout", type=float, default=2.0)
    args = parser.parse_args()
    gzip_of_zeros(), nested_gzip_bomb()
    with TlsAppServer(trap_app) as server:
        print(f"{'trap':<14} {'seconds':>8} {'peak RSS MiB':>13} {'exit':>5}")
        for trap in args.traps.split(","):
            cmd = [
                sys.executable, "-m", "connectsec", "scan", f"{server.base_url}/d/{trap}.json",
                "--ca-bundle", server.ca_pem, "--timeout", f"{args.timeout:g}", "--offline", "--no-db", "-q",
            ]  # fmt: skip
            wall, rss, code = run_measured(cmd)
            print(f"{trap:<14} {wall:>8.1f} {rss / 1024:>13.0f} {code:>5}", flush=True)
        asyncio.run(in_process_scan(server, "ok", args.timeout))  # warm-up
        before = open_fds()
        for trap in ("headers", "loop", "dribble", "big"):
            asyncio.run(in_process_scan(server, trap, args.timeout))
        time.sleep(0.5)
        print(f"open file descriptors before/after 4 in-process trap scans: {before}/{open_fds()}")


if __name__ == "__main__":
    main()
