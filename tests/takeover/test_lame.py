"""Lame delegations: a SERVFAIL is a takeover only when the delegated name servers refuse the zone."""

from __future__ import annotations

from contextlib import ExitStack

from connectsec.checks.domain.takeover import TAKEOVER_CHECK
from connectsec.model.dns import ChainEnd
from connectsec.takeover.resolve import DnsSettings, resolve_names
from tests.takeover.dns_server import Zone, _free_port, dns_server
from tests.takeover.scenario import found, observe

SOA = "ns1.good-dns.net. hostmaster.good-dns.net. 1 7200 900 1209600 300"


def _recursive() -> Zone:
    zone = Zone()
    zone.add("app.acme-app.com", "CNAME", "x.lame-cdn.com")
    zone.add("ok.acme-app.com", "CNAME", "y.served-cdn.com")
    zone.servfail.update({"x.lame-cdn.com", "lame-cdn.com", "y.served-cdn.com", "served-cdn.com"})
    zone.add("com", "NS", "a.gtld-test.net").add("a.gtld-test.net", "A", "127.0.0.2")
    return zone


async def test_refused_zone_at_the_delegated_servers_is_a_lame_delegation() -> None:
    parent = Zone(authoritative=False)
    parent.referrals["lame-cdn.com"] = [("ns1.lame-dns.net", "127.0.0.3")]
    parent.referrals["served-cdn.com"] = [("ns1.good-dns.net", "127.0.0.4")]
    lame = Zone()
    lame.refused.add("lame-cdn.com")
    served = Zone().add("served-cdn.com", "SOA", SOA)
    port = _free_port("127.0.0.2")
    with ExitStack() as stack:
        resolver = stack.enter_context(dns_server(_recursive()))
        stack.enter_context(dns_server(parent, "127.0.0.2", port))
        stack.enter_context(dns_server(lame, "127.0.0.3", port))
        stack.enter_context(dns_server(served, "127.0.0.4", port))
        settings = DnsSettings(server=resolver.server, timeout=1.0, nameserver_port=port)
        results = {r.name: r for r in await resolve_names(["app.acme-app.com", "ok.acme-app.com"], settings)}
    app, ok = results["app.acme-app.com"], results["ok.acme-app.com"]
    assert app.end is ChainEnd.LAME
    assert app.chain == ("x.lame-cdn.com",)
    assert app.error is None
    assert (
        app.delegation
        == "com delegates lame-cdn.com to ns1.lame-dns.net, which do not serve the zone (127.0.0.3: REFUSED)"
    )
    assert ok.end is ChainEnd.ERROR
    assert ok.error is not None
    assert ok.error.startswith("SERVFAIL")
    assert "127.0.0.4 answers authoritatively for served-cdn.com" in ok.error
    assert ("lame-cdn.com", "SOA", False) in lame.queries  # asked directly, without recursion
    result = TAKEOVER_CHECK.judge(observe(tuple(results.values())))
    assert found(result) == {("app.acme-app.com", "takeover.lame-delegation")}
    evidence = result.findings[0].evidence
    assert evidence[1].curl == f"dig @127.0.0.3 -p {port} +norecurse lame-cdn.com SOA"
    assert evidence[1].excerpt == f"lame-cdn.com SOA from 127.0.0.3:{port}: REFUSED"
    assert "cannot resolve x.lame-cdn.com" in result.findings[0].detail
    assert len(result.errors) == 1
    assert result.errors[0].startswith("ok.acme-app.com: SERVFAIL")
