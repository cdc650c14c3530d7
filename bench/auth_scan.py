"""A full authenticated scan (R5/R9/R13 and the header checks) of a local ~200-endpoint target.

Run: `.venv/bin/python bench/auth_scan.py [--endpoints 200] [--repeat 3]`. The demo app runs in tenant
mode (JWT validation, signed install) with two test tenants; each scan is a separate
`connectsec scan` process. Prints requests per endpoint and wall time, paced (the default
--attack-rate) and unpaced. Nothing leaves 127.0.0.1.
"""

from __future__ import annotations

import argparse
import json
import statistics
import sys
import tempfile
from pathlib import Path

from connectsec.connect_jwt import InstallKeyPair
from connectsec.demo import DemoTenant
from connectsec.demo.server import DemoServer

sys.path.insert(0, str(Path(__file__).parent))
from scan_scaling import BASE_ENDPOINTS, run_measured


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--endpoints", type=int, default=200)
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args()
    tenants = [DemoTenant.random(admin_account_ids=(f"admin-{i}",)) for i in range(2)]
    with tempfile.TemporaryDirectory(prefix="connectsec-bench-") as tmp:
        work = Path(tmp)
        config = []
        for i, tenant in enumerate(tenants):
            (work / f"secret-{i}").write_text(tenant.shared_secret)
            config.append(
                f'[[tenants]]\nname = "t{i}"\nclient_key = "{tenant.client_key}"\n'
                f'shared_secret_file = "secret-{i}"\nuser_account_id = "user-{i}"\n'
                f'admin_account_id = "admin-{i}"\n'
            )
        (work / "connectsec.toml").write_text("\n".join(config))
        extra = max(args.endpoints - BASE_ENDPOINTS, 0)
        with DemoServer(tenants=tenants, extra_pages=extra, install_key=InstallKeyPair.generate()) as server:
            for label, rate in (("paced (default 100/s per host)", []), ("unpaced", ["--attack-rate", "0"])):
                report = work / "report.json"
                target = [server.descriptor_url, "--ca-bundle", server.ca_pem]
                command = [
                    sys.executable, "-m", "connectsec", "scan", *target,
                    "--config", str(work / "connectsec.toml"), "--json", str(report), "-q", *rate,
                ]  # fmt: skip
                walls, peaks = [], []
                for _ in range(args.repeat):
                    wall, peak, code = run_measured(command)
                    if code not in (0, 1, 3):
                        raise SystemExit(f"scan exited {code}")
                    walls.append(wall)
                    peaks.append(peak)
                data = json.loads(report.read_text())
                endpoints = len(data["endpoints"])
                requests = data["summary"]["requests_sent"]
                wall = statistics.median(walls)
                print(
                    f"{label:32} endpoints {endpoints:4d}  requests {requests:6d}  "
                    f"per endpoint {requests / endpoints:5.1f}  wall {wall:6.2f} s  "
                    f"req/s {requests / wall:6.0f}  peak RSS {max(peaks) / 1024:5.1f} MiB"
                )
                outcomes = {
                    r["id"]: r["outcome"] for r in data["requirements"] if r["id"] in ("R5", "R9", "R13")
                }
                print(f"{'':32} outcomes {outcomes}")


if __name__ == "__main__":
    main()
