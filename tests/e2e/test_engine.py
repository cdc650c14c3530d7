"""The engine against real servers: trust, --resolve, policy, crawl bounds, plan, selection."""

from __future__ import annotations

import json
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest
from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import HTMLResponse, RedirectResponse, Response
from starlette.routing import Route

from connectsec.demo.pki import DemoPKI
from connectsec.demo.server import DemoServer, TlsAppServer
from connectsec.engine.request import ScanRequest
from connectsec.model import EndpointKind, Outcome
from tests.scanning import requirement, scan, scan_demo
from tests.targets.descriptors import SECURE, descriptor_response


def redirect_app(base: str) -> Starlette:
    """A descriptor whose pages redirect: off-host, to metadata, to http, and in a chain on-host."""

    async def descriptor(_: Request) -> Response:
        return descriptor_response("redirects", base, ["/offhost", "/metadata", "/downgrade", "/chain/0"])

    async def offhost(_: Request) -> Response:
        return RedirectResponse("https://elsewhere.example.org/steal", headers=SECURE)

    async def metadata(_: Request) -> Response:
        return RedirectResponse("http://169.254.169.254/latest/meta-data/", headers=SECURE)

    async def downgrade(_: Request) -> Response:
        return RedirectResponse(base.replace("https://", "http://") + "/plain", headers=SECURE)

    async def chain(request: Request) -> Response:
        step = int(request.path_params["n"])
        if step < 2:
            return RedirectResponse(f"/chain/{step + 1}", headers=SECURE)
        return HTMLResponse("<p>end</p>", headers=SECURE)

    return Starlette(
        routes=[
            Route("/atlassian-connect.json", descriptor),
            Route("/offhost", offhost),
            Route("/metadata", metadata),
            Route("/downgrade", downgrade),
            Route("/chain/{n}", chain),
        ]
    )


@pytest.fixture(scope="module")
def compliant() -> Iterator[DemoServer]:
    with DemoServer() as server:
        yield server


def test_redirects_recorded_and_never_followed_off_host() -> None:
    with TlsAppServer(redirect_app) as server:
        report = scan(ScanRequest(descriptor=server.descriptor_url, ca_bundle=server.ca_pem))
    r12 = requirement(report, "R12")
    assert r12.outcome is Outcome.PASS, r12.summary
    assert r12.coverage.untested == 0
    # the chain was followed on-host: every hop judged (3 chain URLs + 3 single redirects + descriptor)
    assert r12.coverage.tested >= 7


def test_redirect_policy_in_exchanges() -> None:
    import asyncio

    from connectsec.engine.scan import Scanner

    async def go(server: TlsAppServer) -> dict[str, tuple[int, str | None, str | None]]:
        async with Scanner(ScanRequest(descriptor=server.descriptor_url, ca_bundle=server.ca_pem)) as scanner:
            discovery = await scanner.discover()
            exchanges = await scanner.probe_all(scanner.baseline_requests(discovery.inventory))
        return {
            x.request.url.rsplit("/", 1)[-1]: (len(x.hops), x.redirect_not_followed, x.error)
            for x in exchanges
        }

    with TlsAppServer(redirect_app) as server:
        seen = asyncio.run(go(server))
    assert seen["offhost"][0] == 1
    assert "elsewhere.example.org" in (seen["offhost"][1] or "")
    assert seen["metadata"][0] == 1
    assert "169.254.169.254" in (seen["metadata"][1] or "")
    assert seen["downgrade"][0] == 1
    assert "plain http" in (seen["downgrade"][1] or "")
    assert seen["0"] == (3, None, None)


def test_untrusted_certificate_scans_without_verification_and_says_so() -> None:
    with DemoServer() as server:
        report = scan(ScanRequest(descriptor=server.descriptor_url))  # CA not given
    assert any("did not verify" in w and "localhost" in w for w in report.warnings)
    assert requirement(report, "R1.2").outcome is Outcome.PASS


def test_ca_environment_variables_do_not_break_anything(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    monkeypatch.setenv("SSL_CERT_FILE", str(tmp_path / "missing.pem"))
    monkeypatch.setenv("REQUESTS_CA_BUNDLE", str(tmp_path / "missing-too.pem"))
    (tmp_path / "garbage.pem").write_text("not a certificate")
    monkeypatch.setenv("CURL_CA_BUNDLE", str(tmp_path / "garbage.pem"))
    with DemoServer() as server:
        report = scan(ScanRequest(descriptor=server.descriptor_url, ca_bundle=server.ca_pem))
    assert not any("did not verify" in w for w in report.warnings)
    assert sum("ignored" in w for w in report.warnings) == 3
    assert requirement(report, "R1.2").outcome is Outcome.PASS


def test_ca_environment_variable_is_trusted(monkeypatch: pytest.MonkeyPatch) -> None:
    with DemoServer() as server:
        monkeypatch.setenv("REQUESTS_CA_BUNDLE", server.ca_pem)
        report = scan(ScanRequest(descriptor=server.descriptor_url))
    assert not any("did not verify" in w for w in report.warnings)


def test_resolve_keeps_host_for_sni_and_certificate() -> None:
    pki = DemoPKI(extra_hosts=("app.connectsec.test",))
    try:
        with DemoServer(host_name="app.connectsec.test", pki=pki) as server:
            request = ScanRequest(
                descriptor=server.descriptor_url,
                ca_bundle=server.ca_pem,
                resolve={("app.connectsec.test", server.port): "127.0.0.1"},
            )
            report = scan(request)
    finally:
        pki.cleanup()
    assert not any("did not verify" in w for w in report.warnings)
    assert requirement(report, "R12").outcome is Outcome.PASS
    assert report.target.base_url == f"https://app.connectsec.test:{server.port}"


def test_crawl_is_same_origin_bounded_and_skips_logout(compliant: DemoServer) -> None:
    before = compliant.hits["/logout"]
    report = scan_demo(compliant)
    crawled = {
        e.url.split(":", 2)[-1].split("/", 1)[-1] for e in report.endpoints if e.kind is EndpointKind.CRAWLED
    }
    assert {"help", "about", "pages/settings", "api/issues"} <= crawled
    assert compliant.hits["/logout"] == before
    bounded = scan_demo(compliant, crawl_pages=2)
    assert (
        sum(
            e.kind in (EndpointKind.CRAWLED, EndpointKind.STATIC) and e.source.startswith("crawl")
            for e in bounded.endpoints
        )
        == 2
    )
    none = scan_demo(compliant, crawl_depth=0)
    assert not any(e.source.startswith("crawl") for e in none.endpoints)


def test_only_and_skip(compliant: DemoServer) -> None:
    report = scan_demo(compliant, requirements=("R2",))
    for r in report.requirements:
        if r.id == "R2":
            assert r.outcome is Outcome.PASS
        else:
            assert r.outcome is Outcome.SKIPPED


def test_extra_endpoints_are_scanned(compliant: DemoServer) -> None:
    report = scan_demo(
        compliant, extra_endpoints=("/pages/settings?from=list", compliant.base_url + "/about?x=1")
    )
    extra = [e for e in report.endpoints if e.kind is EndpointKind.EXTRA]
    assert {e.url for e in extra} == {
        compliant.base_url + "/pages/settings?from=list",
        compliant.base_url + "/about?x=1",
    }


def test_http2_is_used_when_offered(tmp_path: Path) -> None:
    """hypercorn negotiates h2 over ALPN; the scan must work over it and record the version."""
    import asyncio
    import threading

    from hypercorn.asyncio import serve
    from hypercorn.config import Config

    from connectsec.demo.app import DemoConfig, create_app
    from connectsec.engine.scan import Scanner

    pki = DemoPKI()
    config = Config()
    config.bind = ["127.0.0.1:0"]
    config.certfile, config.keyfile = pki.cert_pem, pki.key_pem
    config.alpn_protocols = ["h2", "http/1.1"]
    import socket

    sock = socket.socket()
    sock.bind(("127.0.0.1", 0))
    port = sock.getsockname()[1]
    sock.close()
    config.bind = [f"127.0.0.1:{port}"]
    base = f"https://localhost:{port}"
    app = create_app(DemoConfig(base_url=base))
    stop = asyncio.Event()
    loop = asyncio.new_event_loop()
    ready = threading.Event()

    def run() -> None:
        asyncio.set_event_loop(loop)

        async def main() -> None:
            ready.set()
            await serve(app, config, shutdown_trigger=stop.wait)  # type: ignore[arg-type]

        loop.run_until_complete(main())

    thread = threading.Thread(target=run, daemon=True)
    thread.start()
    ready.wait(5)

    async def go() -> list[str]:
        for _ in range(100):
            try:
                async with Scanner(
                    ScanRequest(descriptor=f"{base}/atlassian-connect.json", ca_bundle=pki.ca_pem)
                ) as s:
                    discovery = await s.discover()
                    exchanges = await s.probe_all(s.baseline_requests(discovery.inventory))
                    return [x.final.http_version for x in exchanges if x.final]
            except Exception:
                await asyncio.sleep(0.05)
        raise AssertionError("hypercorn did not start")

    try:
        versions = asyncio.run(go())
    finally:
        loop.call_soon_threadsafe(stop.set)
        thread.join(10)
        pki.cleanup()
    assert versions
    assert set(versions) == {"HTTP/2"}


def test_plan_sends_nothing_but_the_descriptor(compliant: DemoServer) -> None:
    before = sum(compliant.hits.values())
    proc = subprocess.run(
        [
            sys.executable,
            "-m",
            "connectsec",
            "scan",
            compliant.descriptor_url,
            "--ca-bundle",
            compliant.ca_pem,
            "--plan",
        ],
        capture_output=True,
        text=True,
        check=False,
        timeout=60,
    )
    assert proc.returncode == 0, proc.stderr
    assert sum(compliant.hits.values()) == before + 1
    assert "POST https://localhost" in proc.stdout
    assert "/lifecycle/installed" in proc.stdout
    assert "admin" in proc.stdout
    assert "cacheable" in proc.stdout
    assert (
        f"TLS endpoints (R1.1 suites, R3 certificate), each resolved address: localhost:{compliant.port}"
        in (proc.stdout)
    )
    assert "plain http (R1.1), port 80: localhost" in proc.stdout
    assert "DNS names (R4) via the system resolver: none" in proc.stdout  # localhost is never looked up


def test_exit_codes_and_reports(tmp_path: Path) -> None:
    with DemoServer(violations=["hsts-short"]) as server:
        base = [
            sys.executable,
            "-m",
            "connectsec",
            "scan",
            server.descriptor_url,
            "--ca-bundle",
            server.ca_pem,
            "-q",
            "--skip",
            "R5",
        ]
        reports = ["--json", str(tmp_path / "r.json"), "--markdown", str(tmp_path / "r.md")]
        failing = subprocess.run([*base, *reports], capture_output=True, text=True, check=False, timeout=60)
        high = subprocess.run(
            [*base, "--fail-on", "high"], capture_output=True, text=True, check=False, timeout=60
        )
    assert failing.returncode == 1, failing.stderr
    assert high.returncode == 0, high.stderr
    data = json.loads((tmp_path / "r.json").read_text())
    assert data["schema"] == "connectsec.report/1"
    assert "R1.2" in (tmp_path / "r.md").read_text()
    for rid in ["R1.1", "R1.2", *(f"R{i}" for i in range(2, 16))]:
        assert rid in failing.stdout


def slow_page_app(base: str) -> Starlette:
    """One page answers, one never finishes: the scan keeps the first and reports the second."""
    import asyncio

    async def descriptor(_: Request) -> Response:
        return descriptor_response("slow", base, ["/ok", "/slow"])

    async def ok(_: Request) -> Response:
        return HTMLResponse("<p>ok</p>", headers=SECURE)

    async def slow(_: Request) -> Response:
        await asyncio.sleep(30)
        return HTMLResponse("late", headers=SECURE)

    return Starlette(
        routes=[Route("/atlassian-connect.json", descriptor), Route("/ok", ok), Route("/slow", slow)]
    )


def test_endpoint_timeout_is_error_not_pass_and_exit_code_3() -> None:
    with TlsAppServer(slow_page_app) as server:
        proc = subprocess.run(
            [sys.executable, "-m", "connectsec", "scan", server.descriptor_url, "--ca-bundle", server.ca_pem,
             "--timeout", "1", "-q", "--json", "/dev/stdout"],
            capture_output=True, text=True, check=False, timeout=60,
        )  # fmt: skip
        report = scan(ScanRequest(descriptor=server.descriptor_url, ca_bundle=server.ca_pem, timeout=1))
    assert proc.returncode == 3, proc.stderr
    for rid in ("R1.2", "R11", "R12"):
        result = requirement(report, rid)
        assert result.outcome is Outcome.ERROR, (rid, result.summary)
        assert result.coverage.untested == 1
        assert result.coverage.tested >= 2
        assert any("/slow" in e and "timed out" in e for e in result.errors)


def counting_app(base: str) -> Starlette:
    """30 pages that each take 50 ms; the app records the most requests it saw in flight."""
    import asyncio

    state = {"now": 0, "peak": 0}

    async def descriptor(_: Request) -> Response:
        return descriptor_response("count", base, [f"/p/{i}" for i in range(30)])

    async def page(_: Request) -> Response:
        state["now"] += 1
        state["peak"] = max(state["peak"], state["now"])
        await asyncio.sleep(0.05)
        state["now"] -= 1
        return HTMLResponse("<p>page</p>", headers=SECURE)

    app = Starlette(routes=[Route("/atlassian-connect.json", descriptor), Route("/p/{n}", page)])
    app.state.counts = state
    return app


@pytest.mark.parametrize(("concurrency", "per_host", "limit"), [(16, 3, 3), (2, 8, 2), (16, 16, 16)])
def test_concurrency_limits_are_honoured(concurrency: int, per_host: int, limit: int) -> None:
    with TlsAppServer(counting_app) as server:
        report = scan(
            ScanRequest(
                descriptor=server.descriptor_url,
                ca_bundle=server.ca_pem,
                concurrency=concurrency,
                per_host=per_host,
            )
        )
        peak = server.app.state.counts["peak"]
    assert requirement(report, "R1.2").coverage.tested == 31
    assert 1 < peak <= limit


def test_no_probes_when_no_selected_check_needs_them(compliant: DemoServer) -> None:
    before = sum(compliant.hits.values())
    report = scan_demo(compliant, requirements=("R3", "R15"))
    assert sum(compliant.hits.values()) == before + 1  # the descriptor only: R3 needs no HTTP requests
    assert report.stats.requests_sent == 1
    assert {r.outcome for r in report.requirements if r.id != "R3"} == {Outcome.SKIPPED}
    assert requirement(report, "R3").outcome is Outcome.WARN  # its certificate came from a TLS handshake


def test_evidence_curl_reproduces_the_finding() -> None:
    import shlex
    import shutil

    curl = shutil.which("curl")
    assert curl, "curl is installed by scripts/system-deps.sh"
    pki = DemoPKI(extra_hosts=("app.connectsec.test",))
    try:
        with DemoServer(violations=["hsts-short"], host_name="app.connectsec.test", pki=pki) as server:
            report = scan(
                ScanRequest(
                    descriptor=server.descriptor_url,
                    ca_bundle=server.ca_pem,
                    resolve={("app.connectsec.test", server.port): "127.0.0.1"},
                )
            )
            (finding,) = requirement(report, "R1.2").findings
            command = finding.evidence[0].curl
            assert command is not None
            argv = shlex.split(command)
            proc = subprocess.run(argv, capture_output=True, text=True, check=False, timeout=30)
    finally:
        pki.cleanup()
    assert proc.returncode == 0, proc.stderr
    assert "strict-transport-security: max-age=86400" in proc.stdout.lower()


def test_suppressed_findings_leave_the_outcome_and_stay_in_the_report(tmp_path: Path) -> None:
    config = tmp_path / "connectsec.toml"
    config.write_text(
        '[[suppress]]\nrule = "hsts.max-age-short"\nreason = "CDN adds a long HSTS in production"\n'
    )
    with DemoServer(violations=["hsts-short"]) as server:
        proc = subprocess.run(
            [sys.executable, "-m", "connectsec", "scan", server.descriptor_url, "--ca-bundle", server.ca_pem,
             "--only", "R1.2", "--config", str(config), "-q", "--json", str(tmp_path / "r.json")],
            capture_output=True, text=True, check=False, timeout=120,
        )  # fmt: skip
    assert proc.returncode == 0, proc.stdout + proc.stderr
    r12 = next(r for r in json.loads((tmp_path / "r.json").read_text())["requirements"] if r["id"] == "R1.2")
    assert r12["outcome"] == "pass"
    assert r12["findings"] == []
    assert len(r12["suppressed"]) == 1
    assert "hsts.max-age-short at https://localhost:" in r12["suppressed"][0]
    assert r12["suppressed"][0].endswith("CDN adds a long HSTS in production")
