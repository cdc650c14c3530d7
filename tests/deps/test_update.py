"""`update_databases` against a real HTTP server on loopback (never the internet)."""

from __future__ import annotations

import io
import json
import threading
import zipfile
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import pytest

from connectsec.deps.advisories import load_advisories
from connectsec.deps.update import DEFAULT_SOURCES, update_databases


def _zip() -> bytes:
    buffer = io.BytesIO()
    record = {
        "id": "GHSA-test",
        "modified": "2026-11-28T00:00:00Z",
        "affected": [{"package": {"ecosystem": "Go", "name": "example.com/m"}, "versions": ["1.0.0"]}],
    }
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("GHSA-test.json", json.dumps(record))
    return buffer.getvalue()


FILES = {
    "/Go/all.zip": _zip(),
    "/broken.zip": b"PK\x03\x04 not really a zip",
    "/repo.json": b'{"jquery": {}}',
    "/psl.dat": b"// ===BEGIN ICANN DOMAINS===\ncom\nnet\n",
    "/error.html": b"<html>oops</html>",
}


class _Handler(BaseHTTPRequestHandler):
    def do_GET(self) -> None:
        body = FILES.get(self.path)
        self.send_response(200 if body is not None else 404)
        self.send_header("content-length", str(len(body or b"")))
        self.end_headers()
        self.wfile.write(body or b"")

    def log_message(self, *args: object) -> None:
        return


@pytest.fixture
def server() -> Iterator[str]:
    httpd = ThreadingHTTPServer(("127.0.0.1", 0), _Handler)
    thread = threading.Thread(target=httpd.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{httpd.server_address[1]}"
    httpd.shutdown()
    httpd.server_close()


def test_downloads_validates_and_feeds_the_database(tmp_path: Path, server: str) -> None:
    sources = {
        "osv/Go.zip": f"{server}/Go/all.zip",
        "retirejs/jsrepository-v5.json": f"{server}/repo.json",
        "psl/public_suffix_list.dat": f"{server}/psl.dat",
    }
    lines = update_databases(str(tmp_path), sources=sources, timeout=5)
    assert [line.split(":")[0] for line in lines] == [f"ok {item}" for item in sources]
    assert "1 records" in lines[0]
    index = json.loads((tmp_path / "sources.json").read_text("utf-8"))
    assert index["osv/Go.zip"]["url"] == sources["osv/Go.zip"]
    database = load_advisories(include_bundled=False, cache_dir=str(tmp_path))
    assert [a.id for a in database.for_package("Go", "example.com/m")] == ["GHSA-test"]
    assert database.age_days("Go") == 0


def test_failures_keep_the_previous_copy(tmp_path: Path, server: str) -> None:
    update_databases(str(tmp_path), sources={"osv/Go.zip": f"{server}/Go/all.zip"}, timeout=5)
    before = (tmp_path / "osv/Go.zip").read_bytes()
    lines = update_databases(
        str(tmp_path),
        sources={
            "osv/Go.zip": f"{server}/broken.zip",
            "psl/public_suffix_list.dat": f"{server}/error.html",
            "takeover/fingerprints.json": f"{server}/missing.json",
        },
        timeout=5,
    )
    assert lines[0].startswith("failed osv/Go.zip: not a zip file (kept the copy from ")
    assert lines[1] == "failed psl/public_suffix_list.dat: not a public suffix list"
    assert lines[2].startswith("failed takeover/fingerprints.json: HTTP 404")
    assert (tmp_path / "osv/Go.zip").read_bytes() == before
    assert not (tmp_path / "psl/public_suffix_list.dat").exists()
    assert [p.name for p in (tmp_path / "osv").iterdir()] == ["Go.zip"], "no temporary file left behind"


def test_refused_connection_is_a_failed_line(tmp_path: Path) -> None:
    lines = update_databases(
        str(tmp_path), sources={"osv/npm.zip": "http://127.0.0.1:9/npm/all.zip"}, timeout=2
    )
    assert lines[0].startswith("failed osv/npm.zip: ")


def test_default_sources_cover_every_item() -> None:
    assert {k.split("/")[0] for k in DEFAULT_SOURCES} == {"osv", "retirejs", "takeover", "psl"}
    assert len([k for k in DEFAULT_SOURCES if k.startswith("osv/")]) == 7
    assert all(url.startswith("https://") for url in DEFAULT_SOURCES.values())
