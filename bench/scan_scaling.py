"""Scan local targets with 50, 200 and 800 endpoints; print time, requests, rate and peak RSS.

Run: `make bench` (or `.venv/bin/python bench/scan_scaling.py [--sizes 50,200,800] [--repeat 3]`).
Each scan is a separate `connectsec scan` process against the demo app served on loopback; the
peer is curl fetching the same endpoint URLs with the same parallelism, side by side, so figures
can be quoted as ratios (connectsec / curl). Nothing leaves 127.0.0.1.
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from connectsec.demo.server import DemoServer

BASE_ENDPOINTS = 17  # endpoints the demo descriptor names before extra pages (see --plan)


def run_measured(cmd: list[str]) -> tuple[float, int, int]:
    """Wall seconds, peak RSS in KiB and exit code of one child process."""
    start = time.perf_counter()
    proc = subprocess.Popen(cmd, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    _pid, status, usage = os.wait4(proc.pid, 0)
    wall = time.perf_counter() - start
    proc.returncode = os.waitstatus_to_exitcode(status)
    if proc.stderr is not None:
        err = proc.stderr.read().decode(errors="replace").strip()
        proc.stderr.close()
        if proc.returncode not in (0, 1) and err:
            print(err, file=sys.stderr)
    return wall, usage.ru_maxrss, proc.returncode


def bench_size(size: int, repeat: int, concurrency: int, workdir: Path) -> dict[str, float]:
    extra = max(size - BASE_ENDPOINTS, 0)
    with DemoServer(violations=(), extra_pages=extra) as server:
        report_path = workdir / f"report-{size}.json"
        scan = [
            sys.executable, "-m", "connectsec", "scan", server.descriptor_url,
            "--ca-bundle", server.ca_pem, "--json", str(report_path), "-q",
            "--concurrency", str(concurrency), "--per-host", str(concurrency),
        ]  # fmt: skip
        walls, rss = [], []
        for _ in range(repeat):
            wall, peak, code = run_measured(scan)
            if code not in (0, 1):
                raise SystemExit(f"scan of {size} endpoints exited {code}")
            walls.append(wall)
            rss.append(peak)
        report = json.loads(report_path.read_text())
        endpoints = len(report["endpoints"])
        requests = report["summary"]["requests_sent"]
        urls = [e["url"] for e in report["endpoints"] if e["method"] == "GET"]
        url_list = workdir / f"urls-{size}.txt"
        url_list.write_text("\n".join(urls))
        httpx_peer = [sys.executable, str(Path(__file__).with_name("httpx_fetch.py")), str(url_list),
                      server.ca_pem, str(concurrency)]  # fmt: skip
        httpx_wall = statistics.median(run_measured(httpx_peer)[0] for _ in range(repeat))
        peer_wall = float("nan")
        curl = shutil.which("curl")
        if curl:
            cfg = workdir / f"curl-{size}.txt"
            cfg.write_text("".join(f'url = "{u}"\noutput = "/dev/null"\n' for u in urls))
            peer = [curl, "-sS", "--cacert", server.ca_pem, "--parallel", "--parallel-max",
                    str(concurrency), "-K", str(cfg)]  # fmt: skip
            peer_walls = [run_measured(peer)[0] for _ in range(repeat)]
            peer_wall = statistics.median(peer_walls)
    wall = statistics.median(walls)
    return {
        "endpoints": endpoints,
        "requests": requests,
        "wall_s": wall,
        "rps": requests / wall,
        "peak_rss_mib": max(rss) / 1024,
        "curl_get_urls": len(urls),
        "curl_wall_s": peer_wall,
        "httpx_wall_s": httpx_wall,
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", default="50,200,800")
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--concurrency", type=int, default=16)
    args = parser.parse_args()
    sizes = [int(s) for s in args.sizes.split(",")]
    rows = []
    with tempfile.TemporaryDirectory(prefix="connectsec-bench-") as tmp:
        for size in sizes:
            rows.append(bench_size(size, args.repeat, args.concurrency, Path(tmp)))
    header = f"{'endpoints':>9} {'requests':>8} {'wall s':>7} {'req/s':>7} {'peak RSS MiB':>12} " \
             f"{'ms/request':>10} {'httpx s':>7} {'/httpx':>6} {'curl s':>7} {'/curl':>6}"  # fmt: skip
    print(
        f"median of {args.repeat} runs, concurrency {args.concurrency}; peers fetch the same GET URLs: "
        "plain httpx (same HTTP library) and curl --parallel; /peer = connectsec wall / peer wall"
    )
    print(header)
    for r in rows:
        print(
            f"{r['endpoints']:>9.0f} {r['requests']:>8.0f} {r['wall_s']:>7.2f} {r['rps']:>7.0f} "
            f"{r['peak_rss_mib']:>12.1f} {1000 * r['wall_s'] / r['requests']:>10.2f} "
            f"{r['httpx_wall_s']:>7.2f} {r['wall_s'] / r['httpx_wall_s']:>6.2f} "
            f"{r['curl_wall_s']:>7.2f} {r['wall_s'] / r['curl_wall_s']:>6.2f}"
        )
    if len(rows) >= 2:
        first, last = rows[0], rows[-1]
        growth = (last["wall_s"] / last["requests"]) / (first["wall_s"] / first["requests"])
        mid = rows[-2]
        marginal = 1000 * (last["wall_s"] - mid["wall_s"]) / (last["requests"] - mid["requests"])
        print(f"marginal cost between the two largest sizes: {marginal:.2f} ms per request")
        print(
            f"cost per request, largest vs smallest: {growth:.2f}x "
            "(1.0 = linear; below 1: start-up amortised)"
        )


if __name__ == "__main__":
    main()
