"""Acceptance: every takeover configuration gives its expected outcome and nothing else."""

from __future__ import annotations

from pathlib import Path

from connectsec.engine.rollup import roll_up
from connectsec.model import HttpExchange, Outcome
from connectsec.model.domain import DomainRecord, DomainState
from connectsec.takeover.hosts_input import WILDCARD_LABEL, names_from_zone_file
from tests.takeover.dns_server import Zone, dns_server
from tests.takeover.scenario import found, run
from tests.takeover.web import loopback_fetch, page_server

UNCLAIMED_GHOST = b"<html><body><h1>Failed to resolve DNS path for this host</h1></body></html>"
UNCLAIMED_SHOP = b"<html><body><p>Sorry, this shop is currently unavailable.</p></body></html>"
CLAIMED = b"<html><body><h1>Acme engineering blog</h1></body></html>"


def _zone() -> Zone:
    zone = Zone()
    zone.add("clean.acme-app.com", "A", "192.0.2.1")
    zone.add("www.acme-app.com", "CNAME", "app.acme-app.com").add("app.acme-app.com", "A", "192.0.2.2")
    zone.add("cdn.acme-app.com", "CNAME", "d111.cloudfront.net").add("d111.cloudfront.net", "A", "127.0.0.1")
    zone.add("claimed.acme-app.com", "CNAME", "acme.ghost.io").add("acme.ghost.io", "A", "127.0.0.1")
    zone.add("unclaimed.acme-app.com", "CNAME", "gone.ghost.io").add("gone.ghost.io", "A", "127.0.0.1")
    zone.add("heroku.acme-app.com", "CNAME", "gone-acme.herokuapp.com")
    zone.add("stale.acme-app.com", "CNAME", "old.acme-app.com")
    zone.add("partner.acme-app.com", "CNAME", "x.partner-gone.net")
    zone.add("other.acme-app.com", "CNAME", "y.some-saas.net")
    zone.add("elb.acme-app.com", "CNAME", "lb-1.us-east-1.elb.amazonaws.com")
    zone.add("shop.acme-app.com", "CNAME", "acme.myshopify.com").add("acme.myshopify.com", "A", "127.0.0.1")
    zone.add("blog.acme-app.com", "CNAME", "acme.wordpress.com").add("acme.wordpress.com", "A", "127.0.0.2")
    zone.add("broken.acme-app.com", "CNAME", "z.failing-dns.net")
    zone.servfail.add("z.failing-dns.net")
    return zone


PAGES = {
    "claimed.acme-app.com": (200, CLAIMED),
    "unclaimed.acme-app.com": (404, UNCLAIMED_GHOST),
    "shop.acme-app.com": (200, UNCLAIMED_SHOP),
}
NAMES = [
    "clean.acme-app.com",
    "www.acme-app.com",
    "cdn.acme-app.com",
    "claimed.acme-app.com",
    "unclaimed.acme-app.com",
    "heroku.acme-app.com",
    "stale.acme-app.com",
    "partner.acme-app.com",
    "other.acme-app.com",
    "elb.acme-app.com",
    "shop.acme-app.com",
    "blog.acme-app.com",
    "broken.acme-app.com",
    "localhost",
]
EXPECTED = {
    ("unclaimed.acme-app.com", "takeover.confirmed"),
    ("heroku.acme-app.com", "takeover.dangling-nxdomain"),
    ("stale.acme-app.com", "takeover.dangling-internal"),
    ("partner.acme-app.com", "takeover.unregistered-domain"),
    ("other.acme-app.com", "takeover.dangling-third-party"),
    ("elb.acme-app.com", "takeover.dangling-unclaimable"),
    ("shop.acme-app.com", "takeover.potential"),
    ("blog.acme-app.com", "takeover.potential"),
}


async def test_each_configuration_gives_its_outcome_and_nothing_else() -> None:
    domains = (
        DomainRecord(
            "partner-gone.net", state=DomainState.UNREGISTERED, rdap_url="https://rdap.example/domain/x"
        ),
        DomainRecord("some-saas.net", state=DomainState.REGISTERED),
    )
    addresses: list[str] = []
    with dns_server(_zone()) as dns, page_server(PAGES) as port:
        fetch = loopback_fetch(port, addresses)
        wordpress_down = loopback_fetch(_closed_port())

        async def routed(url: str, address: str) -> HttpExchange:
            return await (wordpress_down if address == "127.0.0.2" else fetch)(url, address)

        result, resolutions = await run(NAMES, dns.server, routed, domains, timeout=0.5)
    assert found(result) == EXPECTED
    by_location = {f.location: f for f in result.findings}
    confirmed = by_location["unclaimed.acme-app.com"]
    assert dict(confirmed.extra)["confidence"] == "confirmed"
    assert dict(confirmed.extra)["service"] == "Ghost"
    web = confirmed.evidence[1]
    assert web.status == 404
    assert web.excerpt is not None
    assert "Failed to resolve DNS path" in web.excerpt
    assert web.curl is not None
    assert "--resolve unclaimed.acme-app.com:80:127.0.0.1" in web.curl
    dig = confirmed.evidence[0]
    assert dig.method == "DNS"
    assert dig.curl == f"dig @127.0.0.1 -p {dns.port} unclaimed.acme-app.com A"
    assert "unclaimed.acme-app.com CNAME gone.ghost.io" in (dig.excerpt or "")
    assert "could not be fetched" in by_location["blog.acme-app.com"].detail
    assert by_location["partner.acme-app.com"].evidence[1].url == "https://rdap.example/domain/x"
    assert result.errors == (
        f"broken.acme-app.com: SERVFAIL from 127.0.0.1:{dns.port} for z.failing-dns.net A"
        "; no parent zone of the failing name could be found",
    )
    assert result.coverage.tested == 12
    assert result.coverage.untested == 1
    assert result.coverage.not_applicable == 1
    assert any("bundled can-i-take-over-xyz" in n for n in result.notes)
    assert any("localhost" in n for n in result.notes)
    # http and https of the ghost.io and myshopify.com names; Cloudfront (not vulnerable) never fetched
    assert addresses == ["127.0.0.1"] * 6
    fetched = {r.name for r in resolutions if r.web}
    assert fetched == {
        "claimed.acme-app.com",
        "unclaimed.acme-app.com",
        "shop.acme-app.com",
        "blog.acme-app.com",
    }
    assert roll_up("R4", "takeover", [result]).outcome is Outcome.FAIL


async def test_names_without_dangling_records_pass() -> None:
    with dns_server(_zone()) as dns, page_server(PAGES) as port:
        names = ["clean.acme-app.com", "www.acme-app.com", "cdn.acme-app.com", "claimed.acme-app.com"]
        result, _ = await run(names, dns.server, loopback_fetch(port))
    assert result.findings == ()
    assert result.errors == ()
    assert result.coverage.tested == 4
    assert roll_up("R4", "takeover", [result]).outcome is Outcome.PASS


async def test_dns_failures_are_errors_never_pass() -> None:
    zone = _zone()
    zone.refused.add("refused.acme-app.com")
    zone.silent.add("slow.acme-app.com")
    with dns_server(zone) as dns, page_server(PAGES) as port:
        names = ["clean.acme-app.com", "broken.acme-app.com", "refused.acme-app.com", "slow.acme-app.com"]
        result, _ = await run(names, dns.server, loopback_fetch(port), timeout=0.3)
    assert result.findings == ()
    assert len(result.errors) == 3
    assert any("REFUSED" in e for e in result.errors)
    assert any(e.startswith("slow.acme-app.com: no answer") for e in result.errors)
    assert roll_up("R4", "takeover", [result]).outcome is Outcome.ERROR


async def test_only_special_use_names_skip() -> None:
    zone = Zone()
    with dns_server(zone) as dns, page_server({}) as port:
        result, _ = await run(["localhost", "127.0.0.1", "app.test"], dns.server, loopback_fetch(port))
    assert zone.queries == []
    assert result.skipped is not None
    assert "localhost" in result.skipped
    assert roll_up("R4", "takeover", [result]).outcome is Outcome.SKIPPED


def _closed_port() -> int:
    import socket

    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port: int = probe.getsockname()[1]
    return port


ZONE_FILE = """\
$ORIGIN acme-app.com.
@        IN SOA ns1 hostmaster 1 7200 900 1209600 300
www      IN CNAME app
app      IN A 192.0.2.2
*.review IN CNAME gone-acme.herokuapp.com.
"""


async def test_a_vendor_zone_file_with_a_dangling_wildcard(tmp_path: Path) -> None:
    path = tmp_path / "acme-app.com.zone"
    path.write_text(ZONE_FILE)
    names = names_from_zone_file(str(path))
    zone = Zone()
    zone.add("acme-app.com", "SOA", "ns1.acme-app.com. hostmaster.acme-app.com. 1 7200 900 1209600 300")
    zone.add("www.acme-app.com", "CNAME", "app.acme-app.com").add("app.acme-app.com", "A", "192.0.2.2")
    zone.add("*.review.acme-app.com", "CNAME", "gone-acme.herokuapp.com")
    with dns_server(zone) as dns, page_server({}) as port:
        result, _ = await run(names, dns.server, loopback_fetch(port))
    assert found(result) == {(f"{WILDCARD_LABEL}.review.acme-app.com", "takeover.dangling-nxdomain")}
    assert result.coverage.tested == 4
    assert result.errors == ()
