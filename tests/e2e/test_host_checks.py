"""R1.1, R3 and R4 through the whole engine: a demo app under a real-looking name, a loopback DNS
server, a loopback RDAP server, names from a hosts file; failures of DNS or RDAP end in `error`."""

from __future__ import annotations

import asyncio
from collections.abc import Iterator
from dataclasses import replace
from pathlib import Path

import pytest

from connectsec.demo.server import DemoServer
from connectsec.engine.hosts import HostProber
from connectsec.engine.observer import NullObserver
from connectsec.engine.request import ScanRequest
from connectsec.engine.scan import Scanner
from connectsec.model import Outcome, Report
from connectsec.probes.netpolicy import ConnectionPolicy
from tests.domain.rdap_server import DAY, DOMAINS, RdapServer, _domain, closed_port, serve_http
from tests.scanning import requirement, scan
from tests.takeover.dns_server import Zone, dns_server
from tests.takeover.web import page_server

HOST = "app.registered.com"
"""The app's host: its registrable domain is registered for 400 more days in the RDAP test server."""


@pytest.fixture(scope="module")
def app() -> Iterator[DemoServer]:
    with DemoServer(host_name=HOST) as server:
        yield server


@pytest.fixture(scope="module")
def rdap() -> Iterator[str]:
    """The RDAP test server, which also knows herokuapp.com (registered: the platform is not lapsed)."""
    DOMAINS["herokuapp.com"] = _domain("herokuapp.com", expires=3000 * DAY)
    try:
        with serve_http(RdapServer()) as url:
            yield url
    finally:
        DOMAINS.pop("herokuapp.com")


def zone() -> Zone:
    return (
        Zone()
        .add(HOST, "A", "127.0.0.1")
        .add("www.registered.com", "CNAME", HOST)
        .add("assets.registered.com", "CNAME", "gone-acme.herokuapp.com")
        .add("cdn.registered.com", "CNAME", "edge.lapsed-cdn.com")
    )


def request_for(app: DemoServer, rdap_url: str, dns: tuple[str, int], hosts_file: Path) -> ScanRequest:
    http_port = closed_port()
    return ScanRequest(
        descriptor=app.descriptor_url,
        ca_bundle=app.ca_pem,
        resolve={(HOST, app.port): "127.0.0.1", (HOST, http_port): "127.0.0.1"},
        plain_http_port=http_port,
        rdap_url=rdap_url,
        dns_server=dns,
        hosts_file=str(hosts_file),
        requirements=("R1.1", "R3", "R4"),
    )


@pytest.fixture
def hosts_file(tmp_path: Path) -> Path:
    path = tmp_path / "hosts.txt"
    path.write_text("# vendor names\nwww.registered.com\nassets.registered.com\ncdn.registered.com\n")
    return path


def rules(report: Report, rid: str) -> set[tuple[str, str]]:
    return {(f.rule, f.location) for f in requirement(report, rid).findings}


def test_whole_scan_finds_dangling_names_and_judges_domain_and_certificate(
    app: DemoServer, rdap: str, hosts_file: Path
) -> None:
    with dns_server(zone()) as dns:
        report = scan(request_for(app, rdap, dns.server, hosts_file))
        asked = {name for name, _type, _rd in dns.zone.queries}
    assert requirement(report, "R1.1").outcome is Outcome.PASS, requirement(report, "R1.1").errors
    r3 = requirement(report, "R3")
    assert (r3.outcome, rules(report, "R3")) == (Outcome.WARN, {("cert.private-ca", f"{HOST}:{app.port}")})
    assert any("registered.com" in n and "expires" in n for n in r3.notes), r3.notes
    r4 = requirement(report, "R4")
    assert r4.outcome is Outcome.FAIL
    assert rules(report, "R4") == {
        ("takeover.dangling-nxdomain", "assets.registered.com"),
        ("takeover.unregistered-domain", "cdn.registered.com"),
    }
    assert {HOST, "www.registered.com", "assets.registered.com", "cdn.registered.com"} <= asked
    assert "example.invalid" not in asked  # the descriptor's vendor URL is a special-use name


def test_dns_failure_is_an_error_never_a_pass(app: DemoServer, rdap: str, hosts_file: Path) -> None:
    broken = zone()
    broken.servfail.add(HOST)
    hosts_file.write_text("www.registered.com\n")
    broken.records.pop("assets.registered.com")
    with dns_server(broken) as dns:
        report = scan(request_for(app, rdap, dns.server, hosts_file))
    r4 = requirement(report, "R4")
    assert r4.outcome is Outcome.ERROR, (r4.outcome, r4.summary, r4.findings)
    assert any("SERVFAIL" in e for e in r4.errors), r4.errors


def test_unreachable_rdap_is_an_error_never_a_pass(app: DemoServer, hosts_file: Path) -> None:
    with dns_server(zone()) as dns:
        request = request_for(app, f"http://127.0.0.1:{closed_port()}", dns.server, hosts_file)
        report = scan(replace(request, requirements=("R3",)))
    r3 = requirement(report, "R3")
    assert r3.outcome is Outcome.ERROR, (r3.summary, r3.findings)
    assert any("registered.com" in e for e in r3.errors), r3.errors


def test_no_rdap_skips_the_domain_part_and_says_so(app: DemoServer, hosts_file: Path) -> None:
    with dns_server(zone()) as dns:
        request = request_for(app, "http://127.0.0.1:9", dns.server, hosts_file)
        report = scan(replace(request, rdap=False, requirements=("R3",)))
    r3 = requirement(report, "R3")
    assert (r3.outcome, rules(report, "R3")) == (Outcome.WARN, {("cert.private-ca", f"{HOST}:{app.port}")})
    assert any("--no-rdap" in n for n in r3.notes), r3.notes


def test_fingerprint_fetch_connects_to_the_address_dns_gave() -> None:
    """The engine's Fetch for R4 pins the name to the DNS answer and sends the name as Host."""
    request = ScanRequest(descriptor="https://shop.registered.com/atlassian-connect.json")
    with page_server({"shop.registered.com": (404, b"Sorry, this shop is currently unavailable.")}) as port:

        async def go() -> tuple[int | None, str]:
            async with Scanner(request) as scanner:
                scanner.policy.app_hosts.add("shop.registered.com")
                prober = HostProber(
                    request, scanner.policy, scanner._resolve, scanner.probe.exchange, NullObserver()
                )
                exchange = await prober._fetch(f"http://shop.registered.com:{port}/", "127.0.0.1")
            final = exchange.final
            return (final.status if final else None), (final.body.decode() if final else exchange.error or "")

        status, body = asyncio.run(go())
    assert (status, body) == (404, "Sorry, this shop is currently unavailable.")


def test_fingerprint_fetch_respects_the_connection_policy() -> None:
    request = ScanRequest(descriptor="https://app.registered.com/atlassian-connect.json")

    async def go() -> str | None:
        async with Scanner(request) as scanner:
            policy = ConnectionPolicy()  # nothing is named: the name is not the target's
            prober = HostProber(request, policy, {}, scanner.probe.exchange, NullObserver())
            exchange = await prober._fetch("http://elsewhere.registered.com:9/", "127.0.0.1")
        return exchange.error

    assert "not a host of the target" in (asyncio.run(go()) or "")
