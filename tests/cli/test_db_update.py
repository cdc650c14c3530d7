"""`connectsec db update` from a loopback mirror, and scans preferring what it fetched."""

from __future__ import annotations

import io
import json
import subprocess
import sys
import threading
import zipfile
from collections.abc import Iterator
from contextlib import contextmanager
from functools import partial
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

from connectsec.deps.update import DEFAULT_SOURCES
from connectsec.engine.fresh_data import RETIREJS, TAKEOVER, retire_data, takeover_data
from connectsec.engine.request import ScanRequest

SHARED = Path(__file__).resolve().parents[2] / "src" / "connectsec" / "data"


class _Quiet(SimpleHTTPRequestHandler):
    def log_message(self, format: str, *args: object) -> None:
        return


@contextmanager
def mirror(root: Path) -> Iterator[str]:
    server = ThreadingHTTPServer(("127.0.0.1", 0), partial(_Quiet, directory=str(root)))
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}"
    finally:
        server.shutdown()
        server.server_close()


def populate(root: Path) -> None:
    """A mirror holding a small valid file for every item, except one missing OSV dump."""
    record = {"id": "GHSA-test-0001", "modified": "2026-11-01T00:00:00Z", "affected": []}
    for item in DEFAULT_SOURCES:
        path = root / item
        path.parent.mkdir(parents=True, exist_ok=True)
        if item.endswith("/PyPI.zip"):
            continue  # this one fails: the old copy (none) is kept
        if item.endswith(".zip"):
            buffer = io.BytesIO()
            with zipfile.ZipFile(buffer, "w") as archive:
                archive.writestr("GHSA-test-0001.json", json.dumps(record))
            path.write_bytes(buffer.getvalue())
        elif item.endswith(".dat"):
            path.write_bytes((SHARED / "psl" / "public_suffix_list.dat").read_bytes())
        elif item == RETIREJS:
            path.write_bytes((SHARED / "retirejs" / "jsrepository-v5.json").read_bytes())
        else:
            path.write_bytes((SHARED / "takeover" / "fingerprints.json").read_bytes())


def test_update_from_a_mirror_and_scans_prefer_the_fresh_copies(tmp_path: Path) -> None:
    served, cache = tmp_path / "mirror", tmp_path / "cache"
    populate(served)
    with mirror(served) as url:
        proc = subprocess.run(
            [sys.executable, "-m", "connectsec", "db", "update", "--cache-dir", str(cache), "--mirror", url,
             "--timeout", "10"],
            capture_output=True, text=True, check=False, timeout=120,
        )  # fmt: skip
    assert proc.returncode == 3, proc.stdout + proc.stderr  # one item failed
    lines = proc.stdout.splitlines()
    assert sum(line.startswith("ok ") for line in lines) == len(DEFAULT_SOURCES) - 1
    failed = [line for line in lines if line.startswith("failed")]
    assert len(failed) == 1
    assert failed[0].startswith("failed osv/PyPI.zip")
    assert "Traceback" not in proc.stderr
    request = ScanRequest(descriptor="", cache_dir=str(cache))
    assert retire_data(request) == str(cache / RETIREJS)
    assert takeover_data(request) == str(cache / TAKEOVER)
    explicit = ScanRequest(descriptor="", cache_dir=str(cache), retire_data="/x/repo.json")
    assert retire_data(explicit) == "/x/repo.json"
    assert takeover_data(ScanRequest(descriptor="", cache_dir=str(tmp_path / "empty"))) is None


def test_mirror_must_be_a_url(tmp_path: Path) -> None:
    proc = subprocess.run(
        [sys.executable, "-m", "connectsec", "db", "update", "--cache-dir", str(tmp_path), "--mirror", "ftp://x"],
        capture_output=True, text=True, check=False, timeout=60,
    )  # fmt: skip
    assert proc.returncode == 2
    assert proc.stderr.strip().startswith("connectsec: error: --mirror")
