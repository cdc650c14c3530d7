"""R3 registration against a real local RDAP server: each domain state gives exactly its outcome."""

from __future__ import annotations

import json
from collections.abc import Iterator
from datetime import timedelta
from pathlib import Path

import pytest

from connectsec.checks.domain.registration import RegistrationCheck
from connectsec.demo.server import TlsAppServer
from connectsec.domain.bootstrap import cache_file
from connectsec.domain.rdap import RdapSettings, lookup_domains
from connectsec.engine.rollup import roll_up
from connectsec.model import Inventory, Observations, Outcome
from connectsec.model.domain import DomainRecord, DomainState
from tests.domain.rdap_server import RdapServer, closed_port, serve_http


@pytest.fixture(scope="module")
def rdap() -> Iterator[RdapServer]:
    server = RdapServer()
    with serve_http(server):
        yield server


def _observations(records: tuple[DomainRecord, ...], *hosts: str) -> Observations:
    base = f"https://{hosts[0]}"
    inventory = Inventory(
        descriptor_url=f"{base}/atlassian-connect.json",
        app_key="k",
        app_name=None,
        base_url=base,
        authentication="jwt",
        endpoints=(),
        hosts=hosts,
    )
    return Observations(inventory=inventory, domains=records)


def _judge(records: tuple[DomainRecord, ...], *hosts: str) -> tuple[Outcome, set[str], tuple[str, ...]]:
    result = RegistrationCheck().judge(_observations(records, *hosts))
    rolled = roll_up("R3", "t", [result])
    return rolled.outcome, {f.rule for f in result.findings}, result.errors


CASES = {
    "registered.com": (Outcome.PASS, set()),
    "moved.com": (Outcome.PASS, set()),
    "expiring.com": (Outcome.WARN, {"domain.expiring"}),
    "expired.com": (Outcome.FAIL, {"domain.expired"}),
    "pending.com": (Outcome.FAIL, {"domain.pending-delete"}),
    "redemption.com": (Outcome.FAIL, {"domain.pending-delete"}),
    "hold.com": (Outcome.FAIL, {"domain.on-hold"}),
    "unknown.com": (Outcome.FAIL, {"domain.unregistered"}),
    "noexpiry.com": (Outcome.ERROR, set()),
    "garbage.com": (Outcome.ERROR, set()),
    "huge.com": (Outcome.ERROR, set()),
    "ratelimited.com": (Outcome.ERROR, set()),
    "loop.com": (Outcome.ERROR, set()),
    "insecure-redirect.com": (Outcome.ERROR, set()),
}


@pytest.mark.parametrize("domain", sorted(CASES))
async def test_domain_state(domain: str, rdap: RdapServer) -> None:
    host = f"app.{domain}"
    records = await lookup_domains([host], RdapSettings(rdap_url=rdap.base_url, timeout=5))
    assert [r.domain for r in records] == [domain]
    assert records[0].for_hosts == (host,)
    outcome, rules, errors = _judge(records, host)
    assert (outcome, rules) == CASES[domain]
    if outcome is Outcome.ERROR:
        assert errors
        assert all(domain in e for e in errors)


async def test_reasons_of_errors_are_specific(rdap: RdapServer) -> None:
    names = [
        "noexpiry.com",
        "garbage.com",
        "huge.com",
        "ratelimited.com",
        "loop.com",
        "insecure-redirect.com",
    ]
    records = await lookup_domains(names, RdapSettings(rdap_url=rdap.base_url, timeout=5))
    by_domain = {r.domain: r for r in records}
    assert by_domain["noexpiry.com"].state is DomainState.REGISTERED
    assert by_domain["noexpiry.com"].expires is None
    assert "not JSON" in (by_domain["garbage.com"].error or "")
    assert "larger than" in (by_domain["huge.com"].error or "")
    assert "rate limited" in (by_domain["ratelimited.com"].error or "")
    assert "more than 5 redirects" in (by_domain["loop.com"].error or "")
    assert "not https" in (by_domain["insecure-redirect.com"].error or "")
    _, _, errors = _judge(records[:1], "noexpiry.com")
    assert "no expiration event" in errors[0]


async def test_registered_record_facts(rdap: RdapServer) -> None:
    (record,) = await lookup_domains(
        ["WWW.Registered.com.", "app.registered.com"], RdapSettings(rdap_url=rdap.base_url)
    )
    assert record.state is DomainState.REGISTERED
    assert record.for_hosts == ("www.registered.com", "app.registered.com")
    assert record.registrar == "Test Registrar"
    assert record.statuses == ("client transfer prohibited",)
    assert record.expires is not None
    assert record.observed_at is not None
    assert timedelta(days=399) < record.expires - record.observed_at < timedelta(days=401)
    assert record.rdap_url == f"{rdap.base_url}/domain/registered.com"
    assert record.source == f"--rdap-url {rdap.base_url}"


async def test_special_use_and_ip_literals_are_skipped_without_traffic(rdap: RdapServer) -> None:
    before = sum(rdap.hits.values())
    records = await lookup_domains(
        ["app.test", "127.0.0.1", "[::1]", "x.localhost", "com"], RdapSettings(rdap_url=rdap.base_url)
    )
    assert {r.state for r in records} == {DomainState.SKIPPED}
    assert sum(rdap.hits.values()) == before
    reasons = {r.domain: r.reason or "" for r in records}
    assert "RFC 6761" in reasons["app.test"]
    assert "IP address" in reasons["127.0.0.1"]
    assert "public suffix" in reasons["com"]
    outcome, rules, _ = _judge(records, "app.test", "127.0.0.1")
    assert (outcome, rules) == (Outcome.SKIPPED, set())


@pytest.mark.parametrize("domain", ["slow.com", "dribble.com"])
async def test_slow_or_dribbling_server_times_out(domain: str, rdap: RdapServer) -> None:
    records = await lookup_domains([domain], RdapSettings(rdap_url=rdap.base_url, timeout=0.5))
    assert records[0].state is DomainState.ERROR
    assert "within 0.5 s" in (records[0].error or "")


async def test_unreachable_rdap_server_is_an_error() -> None:
    settings = RdapSettings(rdap_url=f"http://127.0.0.1:{closed_port()}", timeout=2)
    records = await lookup_domains(["app.registered.com"], settings)
    assert records[0].state is DomainState.ERROR
    assert "cannot connect" in (records[0].error or "")
    outcome, rules, errors = _judge(records, "app.registered.com")
    assert outcome is Outcome.ERROR
    assert not rules
    assert "registered.com" in errors[0]


async def test_disabled_lookups_are_skipped_saying_so(rdap: RdapServer) -> None:
    before = sum(rdap.hits.values())
    records = await lookup_domains(
        ["app.registered.com"], RdapSettings(enabled=False, rdap_url=rdap.base_url)
    )
    assert records[0].state is DomainState.DISABLED
    assert sum(rdap.hits.values()) == before
    result = RegistrationCheck().judge(_observations(records, "app.registered.com"))
    assert result.skipped is not None
    assert "--no-rdap" in result.skipped


async def test_bootstrap_is_fetched_once_then_cached(rdap: RdapServer, tmp_path: Path) -> None:
    settings = RdapSettings(bootstrap_url=f"{rdap.base_url}/dns.json", cache_dir=str(tmp_path))
    before = rdap.hits["dns.json"]
    first = await lookup_domains(["app.registered.com"], settings)
    assert first[0].state is DomainState.REGISTERED
    assert "fetched now" in (first[0].source or "")
    second = await lookup_domains(["app.expired.com"], settings)
    assert second[0].state is DomainState.REGISTERED
    assert "cached" in (second[0].source or "")
    assert rdap.hits["dns.json"] == before + 1


async def test_bootstrap_without_service_or_with_non_https_server(rdap: RdapServer, tmp_path: Path) -> None:
    settings = RdapSettings(bootstrap_url=f"{rdap.base_url}/dns.json", cache_dir=str(tmp_path))
    records = {
        r.domain: r for r in await lookup_domains(["app.example-vendor.io", "app.vendor.org"], settings)
    }
    assert "no RDAP service for .io" in (records["example-vendor.io"].error or "")
    assert "https only" in (records["vendor.org"].error or "")
    outcome, _, _ = _judge(tuple(records.values()), "app.example-vendor.io")
    assert outcome is Outcome.ERROR


async def test_stale_cache_is_used_when_the_bootstrap_is_unreachable(
    rdap: RdapServer, tmp_path: Path
) -> None:
    live = f"{rdap.base_url}/dns.json"
    await lookup_domains(["registered.com"], RdapSettings(bootstrap_url=live, cache_dir=str(tmp_path)))
    dead = f"http://127.0.0.1:{closed_port()}/dns.json"
    stored = json.loads(cache_file(tmp_path, live).read_text())
    stored["fetched_at"] = "2020-01-01T00:00:00+00:00"
    cache_file(tmp_path, dead).write_text(json.dumps(stored))
    records = await lookup_domains(
        ["app.registered.com"], RdapSettings(bootstrap_url=dead, cache_dir=str(tmp_path), timeout=2)
    )
    assert records[0].state is DomainState.REGISTERED
    assert "stale cache" in (records[0].source or "")
    assert "days old" in (records[0].source or "")


async def test_no_bootstrap_and_no_cache_is_an_error(tmp_path: Path) -> None:
    dead = f"http://127.0.0.1:{closed_port()}/dns.json"
    records = await lookup_domains(
        ["app.registered.com"], RdapSettings(bootstrap_url=dead, cache_dir=str(tmp_path), timeout=2)
    )
    assert records[0].state is DomainState.ERROR
    assert "--rdap-url" in (records[0].error or "")
    assert _judge(records, "app.registered.com")[0] is Outcome.ERROR


async def test_https_rdap_server_with_ca_bundle() -> None:
    server = RdapServer()
    with TlsAppServer(lambda base: server.app(), host_name="127.0.0.1") as tls:
        server.base_url = tls.base_url
        trusted = await lookup_domains(
            ["app.registered.com"], RdapSettings(rdap_url=tls.base_url, ca_bundle=tls.ca_pem)
        )
        untrusted = await lookup_domains(
            ["app.registered.com"], RdapSettings(rdap_url=tls.base_url, timeout=5)
        )
    assert trusted[0].state is DomainState.REGISTERED
    assert untrusted[0].state is DomainState.ERROR
    assert "certificate" in (untrusted[0].error or "").lower()
