"""CNAME chains resolved through a real DNS server on loopback."""

from __future__ import annotations

import socket
import threading

import pytest

from connectsec.model.dns import ChainEnd
from connectsec.takeover.resolve import DnsSettings, cname_targets, resolve_names
from tests.takeover.dns_server import Zone, dns_server


def _zone(recursive: bool = True) -> Zone:
    zone = Zone(recursive=recursive)
    zone.add("www.acme-app.com", "CNAME", "app.acme-app.com").add("app.acme-app.com", "A", "192.0.2.10")
    zone.add("docs.acme-app.com", "CNAME", "acme.readthedocs.io")
    zone.add("acme.readthedocs.io", "CNAME", "lb.readthedocs.io").add("lb.readthedocs.io", "A", "192.0.2.20")
    zone.add("old.acme-app.com", "CNAME", "gone-acme.herokuapp.com")
    zone.add("mail.acme-app.com", "TXT", "v=spf1 -all")
    zone.add("v6.acme-app.com", "AAAA", "2001:db8::1")
    zone.add("loop-a.acme-app.com", "CNAME", "loop-b.partner-cdn.net")
    zone.add("loop-b.partner-cdn.net", "CNAME", "loop-a.acme-app.com")
    zone.add("broken.acme-app.com", "CNAME", "edge.failing-dns.net")
    zone.servfail.add("edge.failing-dns.net")
    zone.refused.add("refused.acme-app.com")
    zone.silent.add("slow.acme-app.com")
    return zone


def _settings(server: tuple[str, int], **kw: float) -> DnsSettings:
    return DnsSettings(server=server, timeout=kw.get("timeout", 2.0), max_chain=int(kw.get("max_chain", 16)))


@pytest.mark.parametrize("recursive", [True, False], ids=["whole-chain-answers", "one-hop-answers"])
async def test_chains_and_how_they_end(recursive: bool) -> None:
    with dns_server(_zone(recursive)) as dns:
        names = [
            "www.acme-app.com",
            "docs.acme-app.com",
            "old.acme-app.com",
            "mail.acme-app.com",
            "v6.acme-app.com",
        ]
        got = {r.name: r for r in await resolve_names(names, _settings(dns.server))}
    assert got["www.acme-app.com"].end is ChainEnd.RESOLVES
    assert got["www.acme-app.com"].chain == ("app.acme-app.com",)
    assert got["www.acme-app.com"].addresses == ("192.0.2.10",)
    assert got["docs.acme-app.com"].chain == ("acme.readthedocs.io", "lb.readthedocs.io")
    assert got["docs.acme-app.com"].end is ChainEnd.RESOLVES
    assert got["old.acme-app.com"].end is ChainEnd.NXDOMAIN
    assert got["old.acme-app.com"].chain == ("gone-acme.herokuapp.com",)
    assert got["old.acme-app.com"].rcode == "NXDOMAIN"
    assert got["mail.acme-app.com"].end is ChainEnd.NODATA
    assert got["mail.acme-app.com"].chain == ()
    assert got["v6.acme-app.com"].end is ChainEnd.RESOLVES
    assert got["v6.acme-app.com"].addresses == ("2001:db8::1",)
    assert all(r.error is None for r in got.values())
    assert got["www.acme-app.com"].resolver == f"127.0.0.1:{dns.port}"


async def test_loop_and_overlong_chain_are_errors() -> None:
    zone = _zone()
    for i in range(10):
        zone.add(f"h{i}.acme-app.com", "CNAME", f"h{i + 1}.acme-app.com")
    with dns_server(zone) as dns:
        got = {
            r.name: r
            for r in await resolve_names(
                ["loop-a.acme-app.com", "h0.acme-app.com"], _settings(dns.server, max_chain=5)
            )
        }
    loop, long = got["loop-a.acme-app.com"], got["h0.acme-app.com"]
    assert loop.end is ChainEnd.LOOP
    assert loop.error is not None
    assert "loop" in loop.error
    assert long.end is ChainEnd.TOO_LONG
    assert long.error is not None
    assert "longer than 5" in long.error


async def test_servfail_refused_and_silence_are_errors_with_the_reason() -> None:
    with dns_server(_zone()) as dns:
        names = ["broken.acme-app.com", "refused.acme-app.com", "slow.acme-app.com"]
        got = {r.name: r for r in await resolve_names(names, _settings(dns.server, timeout=0.3))}
    broken = got["broken.acme-app.com"]
    assert broken.end is ChainEnd.ERROR
    assert broken.chain == ("edge.failing-dns.net",)
    assert broken.error is not None
    assert broken.error.startswith("SERVFAIL from 127.0.0.1")
    assert "edge.failing-dns.net" in broken.error
    refused = got["refused.acme-app.com"]
    assert refused.end is ChainEnd.ERROR
    assert refused.error is not None
    assert "REFUSED" in refused.error
    slow = got["slow.acme-app.com"]
    assert slow.end is ChainEnd.ERROR
    assert slow.error is not None
    assert "no answer" in slow.error


async def test_a_server_that_never_answers_gives_errors() -> None:
    zone = Zone()
    with dns_server(zone) as dns:
        zone.silent.add("www.acme-app.com")
        (result,) = await resolve_names(["www.acme-app.com"], _settings(dns.server, timeout=0.2))
    assert result.end is ChainEnd.ERROR
    assert result.error is not None
    assert "no answer" in result.error


async def test_nothing_listening_gives_an_error_not_a_crash() -> None:
    with dns_server(Zone()) as dns:
        port = dns.port
    (result,) = await resolve_names(["www.acme-app.com"], _settings(("127.0.0.1", port), timeout=0.3))
    assert result.end is ChainEnd.ERROR
    assert result.error


async def test_special_use_names_and_ip_literals_are_never_queried() -> None:
    zone = _zone()
    with dns_server(zone) as dns:
        names = ["localhost", "app.localhost", "127.0.0.1", "[::1]", "shop.example.com", "x.test", "intranet"]
        results = await resolve_names(names, _settings(dns.server))
    assert zone.queries == []
    assert [r.end for r in results] == [ChainEnd.SKIPPED] * len(names)
    assert all(r.skipped for r in results)


async def test_large_answers_come_over_tcp() -> None:
    zone = Zone()
    for i in range(60):
        zone.add("many.acme-app.com", "A", f"192.0.2.{i + 1}")
    with dns_server(zone) as dns:
        (result,) = await resolve_names(["many.acme-app.com"], _settings(dns.server))
    assert result.end is ChainEnd.RESOLVES
    assert len(result.addresses) == 60


async def test_names_are_normalised_and_deduplicated() -> None:
    with dns_server(_zone()) as dns:
        results = await resolve_names(["WWW.Acme-App.com.", "www.acme-app.com"], _settings(dns.server))
    assert [r.name for r in results] == ["www.acme-app.com"]


async def test_cname_targets_lists_dangling_third_party_domains_only() -> None:
    with dns_server(_zone()) as dns:
        names = ["www.acme-app.com", "docs.acme-app.com", "old.acme-app.com", "broken.acme-app.com"]
        results = await resolve_names(names, _settings(dns.server, timeout=0.5))
    assert cname_targets(results) == ("herokuapp.com", "failing-dns.net")


async def test_a_server_answering_garbage_gives_an_error() -> None:
    junk = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
    junk.bind(("127.0.0.1", 0))
    junk.settimeout(0.05)
    stop = threading.Event()

    def answer_junk() -> None:
        while not stop.is_set():
            try:
                _data, peer = junk.recvfrom(2048)
            except TimeoutError:
                continue
            junk.sendto(b"\x00\x01garbage" * 10, peer)

    thread = threading.Thread(target=answer_junk, daemon=True)
    thread.start()
    try:
        (result,) = await resolve_names(["www.acme-app.com"], _settings(junk.getsockname(), timeout=0.3))
    finally:
        stop.set()
        thread.join()
        port = junk.getsockname()[1]
        junk.close()
    assert result.end is ChainEnd.ERROR
    assert result.error is not None
    assert result.error.startswith(f"no usable answer from 127.0.0.1:{port} for www.acme-app.com A: ")


async def test_a_cname_into_a_special_use_name_is_not_followed() -> None:
    zone = Zone(recursive=False)
    zone.add("dev.acme-app.com", "CNAME", "localhost").add("lab.acme-app.com", "CNAME", "box.internal.test")
    with dns_server(zone) as dns:
        results = await resolve_names(["dev.acme-app.com", "lab.acme-app.com"], _settings(dns.server))
    assert sorted(q[0] for q in zone.queries) == ["dev.acme-app.com", "lab.acme-app.com"]
    assert [r.end for r in results] == [ChainEnd.SKIPPED, ChainEnd.SKIPPED]
    assert results[0].chain == ("localhost",)
    assert results[0].skipped is not None
    assert results[0].skipped.startswith("the chain leads to localhost, not looked up")
