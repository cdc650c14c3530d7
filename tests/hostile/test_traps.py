"""Hostile targets, one trap each, scanned by the real engine: bounded in time, an `error` with a reason."""

from __future__ import annotations

import asyncio
import json
import resource
import socket
import ssl
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import pytest

from connectsec.demo.pki import DemoPKI
from connectsec.demo.server import TlsAppServer
from connectsec.engine.request import ScanRequest
from connectsec.engine.scan import Scanner
from connectsec.model import Outcome, Report
from tests.scanning import requirement, scan
from tests.targets.raw import RawServer, garbage, http09, nul_header, reset_mid_body
from tests.targets.traps import MANY_ENDPOINTS, TRAPS, gzip_of_zeros, nested_gzip_bomb, trap_app

TIMEOUT = 2.0
BOUND = 6 * TIMEOUT + 10
"""Seconds any trap scan may take: a few request timeouts in a row, plus the scan's own work."""
MAX_BODY = 100_000
pytestmark = pytest.mark.slow  # each scan takes a few seconds
PAGE_CHECKS = ("R1.2", "R10", "R11", "R12")
"""Requirements judging every page's response: the good page must stay tested in each."""


@pytest.fixture(scope="module")
def pki() -> Iterator[DemoPKI]:
    with DemoPKI() as made:
        yield made


@pytest.fixture(scope="module")
def traps(pki: DemoPKI) -> Iterator[TlsAppServer]:
    gzip_of_zeros(), nested_gzip_bomb()  # built before serving, so no request waits for them
    with TlsAppServer(trap_app, pki=pki) as server:
        yield server


def scan_trap(server: TlsAppServer, trap: str, **options: object) -> tuple[Report, float]:
    request = ScanRequest(
        descriptor=f"{server.base_url}/d/{trap}.json",
        ca_bundle=server.ca_pem,
        timeout=TIMEOUT,
        max_body=MAX_BODY,
        offline=True,
        **options,  # type: ignore[arg-type]
    )
    started = time.monotonic()
    report = scan(request)
    return report, time.monotonic() - started


def assert_survived(report: Report, elapsed: float) -> None:
    """Within the bound, no crash anywhere, and the good page still judged by every page check."""
    assert elapsed < BOUND
    texts = [*report.warnings, *(e for r in report.requirements for e in r.errors)]
    assert not [t for t in texts if "crashed" in t or "Traceback" in t]
    for rid in PAGE_CHECKS:
        result = requirement(report, rid)
        assert result.coverage.tested >= 2, (rid, result.summary)  # the descriptor and /ok at least
        assert not [e for e in result.errors if "/ok" in e]


def trap_errors(report: Report, where: str) -> dict[str, list[str]]:
    """Requirement → its errors about `where`, for requirements whose outcome is `error`."""
    found: dict[str, list[str]] = {}
    for result in report.requirements:
        errors = [e for e in result.errors if where in e]
        if errors:
            assert result.outcome is Outcome.ERROR, (result.id, result.summary)
            found[result.id] = errors
    return found


@pytest.mark.parametrize(
    ("trap", "reason", "requirements"),
    [
        ("dribble", "timed out after 2 s", PAGE_CHECKS),
        ("headers", "10007 response header fields, more than 1000", PAGE_CHECKS),
        ("loop", "redirect loop back to", ("R5",)),
        ("chain", "more than 5 redirects", ("R5",)),
    ],
)
def test_trap_is_an_error_with_its_reason(
    traps: TlsAppServer, trap: str, reason: str, requirements: tuple[str, ...]
) -> None:
    report, elapsed = scan_trap(traps, trap)
    assert_survived(report, elapsed)
    errors = trap_errors(report, TRAPS[trap].split("/0")[0])
    for rid in requirements:
        assert rid in errors, (rid, errors)
        assert all(reason in e for e in errors[rid]), errors[rid]


def test_redirect_hops_on_the_target_are_judged_until_the_cap(traps: TlsAppServer) -> None:
    report, elapsed = scan_trap(traps, "chain")
    assert_survived(report, elapsed)
    # descriptor, /ok, then the first redirect and the 5 it may follow: the 30-hop chain is cut there
    assert requirement(report, "R12").coverage.tested == 8


@pytest.mark.parametrize(("trap", "where"), [("metadata", "169.254.169.254"), ("private", "10.0.0.1")])
def test_redirect_to_an_internal_address_is_not_followed(traps: TlsAppServer, trap: str, where: str) -> None:
    async def exchanges() -> dict[str, tuple[int, str | None, str | None]]:
        request = ScanRequest(descriptor=f"{traps.base_url}/d/{trap}.json", ca_bundle=traps.ca_pem)
        async with Scanner(request) as scanner:
            discovery = await scanner.discover()
            sent = await scanner.probe_all(scanner.baseline_requests(discovery.inventory))
        return {x.request.url: (len(x.hops), x.redirect_not_followed, x.error) for x in sent}

    seen = asyncio.run(exchanges())
    hops, not_followed, error = seen[traps.base_url + TRAPS[trap]]
    assert (hops, error) == (1, None)
    assert not_followed is not None
    assert where in not_followed
    assert "not followed" in not_followed
    report, elapsed = scan_trap(traps, trap, allow_private=True)  # lab switch: still not a target host
    assert_survived(report, elapsed)
    assert not any(where in e for r in report.requirements for e in r.errors)


@pytest.mark.parametrize("trap", ["big", "gzip-bomb", "deflate-bomb", "nested-bomb"])
def test_huge_and_compressed_bodies_are_read_up_to_max_body(traps: TlsAppServer, trap: str) -> None:
    before = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    report, elapsed = scan_trap(traps, trap)
    grown_mb = (resource.getrusage(resource.RUSAGE_SELF).ru_maxrss - before) / 1024
    assert_survived(report, elapsed)
    assert requirement(report, "R12").outcome is Outcome.PASS
    # 200 MB or 1 GB decoded if unbounded; each of the few requests to the trap reads at most MAX_BODY
    assert report.stats.bytes_received < 10 * MAX_BODY
    assert grown_mb < 300  # generous: one decoded gigabyte would not fit


def test_brotli_bomb_is_bounded_too(traps: TlsAppServer) -> None:
    pytest.importorskip("brotli")
    report, elapsed = scan_trap(traps, "brotli-bomb")
    assert_survived(report, elapsed)
    assert report.stats.bytes_received < 10 * MAX_BODY


def test_invalid_utf8_and_nul_bytes_in_headers_and_body_are_judged(traps: TlsAppServer) -> None:
    report, elapsed = scan_trap(traps, "bad-bytes")
    assert_survived(report, elapsed)
    assert requirement(report, "R12").outcome is Outcome.PASS
    assert requirement(report, "R12").coverage.tested == 3


def tls_context(pki: DemoPKI) -> ssl.SSLContext:
    context = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
    context.load_cert_chain(pki.cert_pem, pki.key_pem)
    return context


@pytest.mark.parametrize(
    ("behaviour", "over_tls", "reason"),
    [
        (http09, True, "not an HTTP/1 response (HTTP/0.9 or another protocol): b'<html>"),
        (garbage, True, "not an HTTP/1 response (HTTP/0.9 or another protocol): b'\\x00\\xffSSH"),
        (nul_header, True, "malformed or cut-short response: illegal header line"),
        (reset_mid_body, True, "connection broken while reading"),
        (garbage, False, "the server does not speak TLS"),
    ],
    ids=["http09", "garbage", "nul-header", "reset-mid-body", "tls-garbage"],
)
def test_misbehaving_endpoint_is_an_error_and_the_rest_is_judged(
    traps: TlsAppServer, pki: DemoPKI, behaviour: object, over_tls: bool, reason: str
) -> None:
    with RawServer(behaviour, tls=tls_context(pki) if over_tls else None) as raw:  # type: ignore[arg-type]
        url = f"https://localhost:{raw.port}/x"
        report, elapsed = scan_trap(traps, "ok", extra_endpoints=(url,))
    assert_survived(report, elapsed)
    errors = trap_errors(report, url)
    for rid in PAGE_CHECKS:
        assert rid in errors, (rid, errors)
        assert all(reason in e for e in errors[rid]), errors[rid]


def test_dns_server_that_never_answers(traps: TlsAppServer, tmp_path: Path) -> None:
    names = tmp_path / "names.txt"
    names.write_text("app.trap-target.net\ncdn.trap-target.net\n")
    with socket.socket(socket.AF_INET, socket.SOCK_DGRAM) as silent:
        silent.bind(("127.0.0.1", 0))
        server = ("127.0.0.1", silent.getsockname()[1])
        report, elapsed = scan_trap(traps, "ok", dns_server=server, hosts_file=str(names))
    assert_survived(report, elapsed)
    r4 = requirement(report, "R4")
    assert r4.outcome is Outcome.ERROR, r4.summary
    assert r4.coverage.untested == 2
    assert all(f"no answer from {server[0]}:{server[1]}" in e for e in r4.errors), r4.errors
    assert requirement(report, "R12").outcome is Outcome.PASS


def open_fds() -> set[str]:
    return {p.name for p in Path("/proc/self/fd").iterdir()}


def test_file_descriptors_are_released(traps: TlsAppServer, pki: DemoPKI) -> None:
    scan_trap(traps, "ok")  # warm-up: imports, caches and the server's own sockets
    before = open_fds()
    with RawServer(reset_mid_body, tls=tls_context(pki)) as raw:
        scan_trap(traps, "headers", extra_endpoints=(f"https://localhost:{raw.port}/x",))
        scan_trap(traps, "loop")
    time.sleep(0.5)  # the server side closes its ends of the connections the scan closed
    leaked = open_fds() - before
    assert len(leaked) <= 2, leaked


@pytest.mark.timeout(900)  # about a minute alone, several under a loaded machine
def test_descriptor_with_5000_endpoints_scans_them_all(traps: TlsAppServer, tmp_path: Path) -> None:
    report_path = tmp_path / "report.json"
    started = time.monotonic()
    proc = subprocess.run(
        [sys.executable, "-m", "connectsec", "scan", f"{traps.base_url}/d/many.json", "--ca-bundle",
         traps.ca_pem, "--timeout", f"{TIMEOUT:g}", "--offline", "--no-db", "-q", "--json", str(report_path)],
        capture_output=True, text=True, check=False, timeout=900,
    )  # fmt: skip
    elapsed = time.monotonic() - started
    assert proc.returncode == 0, proc.stderr
    assert "Traceback" not in proc.stderr
    assert elapsed < MANY_ENDPOINTS * TIMEOUT  # generous: far less than a timeout per endpoint
    results = {r["id"]: r for r in json.loads(report_path.read_text())["requirements"]}
    for rid in PAGE_CHECKS:
        assert results[rid]["outcome"] == "pass", results[rid]["summary"]
        assert results[rid]["coverage"]["tested"] == MANY_ENDPOINTS + 1
