"""Pure judgement of resolved chains: which record gives which finding, and what stays an error."""

from __future__ import annotations

from dataclasses import replace

from connectsec.checks.domain.takeover import TAKEOVER_CHECK, dig_command
from connectsec.model.dns import ChainEnd, HostResolution, WebCheck
from connectsec.model.domain import DomainRecord, DomainState
from connectsec.takeover.services import classify, load_services
from tests.takeover.scenario import found, observe

TABLE = load_services()


def _resolved(name: str, end: ChainEnd, *chain: str, addresses: tuple[str, ...] = ()) -> HostResolution:
    record = HostResolution(
        name,
        end=end,
        chain=chain,
        addresses=addresses,
        resolver="127.0.0.1:5353",
        server="127.0.0.1",
        port=5353,
    )
    return classify([record], TABLE)[0]


def _judge(*records: HostResolution, domains: tuple[DomainRecord, ...] = ()) -> set[tuple[str, str]]:
    return found(TAKEOVER_CHECK.judge(observe(records, domains)))


def test_an_unfetched_or_unfetchable_vulnerable_service_is_potential() -> None:
    unfetched = _resolved("a.acme-app.com", ChainEnd.RESOLVES, "acme.ghost.io", addresses=("192.0.2.1",))
    no_print = _resolved(
        "b.acme-app.com", ChainEnd.RESOLVES, "acme.domains.smugmug.com", addresses=("192.0.2.1",)
    )
    failed = replace(
        unfetched,
        name="c.acme-app.com",
        web=(WebCheck("http://c.acme-app.com/", "192.0.2.1", error="reset"),),
    )
    assert _judge(unfetched, no_print, failed) == {
        ("a.acme-app.com", "takeover.potential"),
        ("b.acme-app.com", "takeover.potential"),
        ("c.acme-app.com", "takeover.potential"),
    }


def test_a_fetched_page_without_the_fingerprint_is_clean() -> None:
    claimed = replace(
        _resolved("a.acme-app.com", ChainEnd.RESOLVES, "acme.ghost.io", addresses=("192.0.2.1",)),
        web=(WebCheck("http://a.acme-app.com/", "192.0.2.1", status=200, excerpt="Acme blog"),),
    )
    result = TAKEOVER_CHECK.judge(observe([claimed]))
    assert result.findings == ()
    assert result.coverage.tested == 1
    assert result.errors == ()


def test_weak_and_edge_case_fingerprints_are_potential_not_confirmed() -> None:
    status_only = replace(
        _resolved("a.acme-app.com", ChainEnd.RESOLVES, "acme.helprace.com", addresses=("192.0.2.1",)),
        web=(WebCheck("http://a.acme-app.com/", "192.0.2.1", status=301, fingerprint="HTTP 301"),),
    )
    edge = replace(
        _resolved("b.acme-app.com", ChainEnd.RESOLVES, "acme.herokuapp.com", addresses=("192.0.2.1",)),
        web=(WebCheck("https://b.acme-app.com/", "192.0.2.1", status=404, fingerprint="No such app"),),
    )
    result = TAKEOVER_CHECK.judge(observe([status_only, edge]))
    assert found(result) == {
        ("a.acme-app.com", "takeover.potential"),
        ("b.acme-app.com", "takeover.potential"),
    }
    assert all(dict(f.extra)["confidence"] == "potential" for f in result.findings)
    assert "weak sign" in next(f.detail for f in result.findings if f.location == "a.acme-app.com")


def test_a_host_on_a_claimable_suffix_that_does_not_exist() -> None:
    own = _resolved("acme-connect.herokuapp.com", ChainEnd.NXDOMAIN)
    vendor = _resolved("gone.acme-app.com", ChainEnd.NXDOMAIN)
    assert _judge(own, vendor) == {("acme-connect.herokuapp.com", "takeover.dangling-nxdomain")}


def test_azure_nxdomain_fails_and_the_rdap_state_decides_unregistered() -> None:
    azure = _resolved("a.acme-app.com", ChainEnd.NXDOMAIN, "acme.azurewebsites.net")
    unknown = _resolved("b.acme-app.com", ChainEnd.NXDOMAIN, "x.some-saas.net")
    internal = _resolved("c.acme-app.com", ChainEnd.NXDOMAIN, "old.acme-app.com")
    failed = _resolved("d.acme-app.com", ChainEnd.ERROR, "x.expired-partner.net")
    failed = replace(failed, error="SERVFAIL from 127.0.0.1:5353 for x.expired-partner.net A")
    domains = (
        DomainRecord("some-saas.net", state=DomainState.REGISTERED),
        DomainRecord("acme-app.com", state=DomainState.UNREGISTERED),
        DomainRecord("expired-partner.net", state=DomainState.UNREGISTERED),
    )
    result = TAKEOVER_CHECK.judge(observe([azure, unknown, internal, failed], domains))
    assert found(result) == {
        ("a.acme-app.com", "takeover.dangling-nxdomain"),
        ("b.acme-app.com", "takeover.dangling-third-party"),
        ("c.acme-app.com", "takeover.dangling-internal"),
        ("d.acme-app.com", "takeover.unregistered-domain"),
    }
    assert result.errors == ()
    (note,) = [n for n in result.notes if "RDAP" in n]
    assert note.endswith(": azurewebsites.net")


def test_unknown_registration_is_noted() -> None:
    unknown = _resolved("b.acme-app.com", ChainEnd.NXDOMAIN, "x.some-saas.net")
    result = TAKEOVER_CHECK.judge(observe([unknown], (DomainRecord("some-saas.net", error="timeout"),)))
    assert found(result) == {("b.acme-app.com", "takeover.dangling-third-party")}
    assert any("some-saas.net" in n and "RDAP" in n for n in result.notes)


def test_loops_and_long_chains_are_errors() -> None:
    loop = replace(
        _resolved("a.acme-app.com", ChainEnd.LOOP, "b.acme-app.com"), error="CNAME loop: a -> b -> a"
    )
    long = replace(_resolved("c.acme-app.com", ChainEnd.TOO_LONG), error="CNAME chain longer than 16 names")
    result = TAKEOVER_CHECK.judge(observe([loop, long]))
    assert result.findings == ()
    assert result.errors == (
        "a.acme-app.com: CNAME loop: a -> b -> a",
        "c.acme-app.com: CNAME chain longer than 16 names",
    )
    assert result.coverage.untested == 2
    assert result.skipped is None


def test_nothing_resolved_is_skipped_and_evidence_commands() -> None:
    assert TAKEOVER_CHECK.judge(observe([])).skipped == "no host names were resolved"
    record = _resolved("a.acme-app.com", ChainEnd.NXDOMAIN, "x.herokuapp.com")
    assert dig_command(record) == "dig @127.0.0.1 -p 5353 a.acme-app.com A"
    assert dig_command(replace(record, server=None)) == "dig a.acme-app.com A"
    (finding,) = TAKEOVER_CHECK.judge(observe([record])).findings
    assert finding.location == "a.acme-app.com"
    assert dict(finding.extra)["chain"] == "a.acme-app.com -> x.herokuapp.com"
    assert (
        finding.evidence[0].excerpt
        == "resolver 127.0.0.1:5353\na.acme-app.com CNAME x.herokuapp.com\nx.herokuapp.com: nxdomain"
    )


def test_without_a_service_table_the_report_says_so() -> None:
    bare = HostResolution("a.acme-app.com", end=ChainEnd.RESOLVES, addresses=("192.0.2.1",))
    result = TAKEOVER_CHECK.judge(observe([bare]))
    assert any("no service fingerprint table" in n for n in result.notes)


def test_an_unfetchable_edge_case_service_is_noted() -> None:
    edge = replace(
        _resolved("a.acme-app.com", ChainEnd.RESOLVES, "acme.myshopify.com", addresses=("192.0.2.1",)),
        web=(WebCheck("http://a.acme-app.com/", "192.0.2.1", error="reset"),),
    )
    result = TAKEOVER_CHECK.judge(observe([edge]))
    assert result.findings == ()
    assert any(n.endswith("could not be fetched for: a.acme-app.com") for n in result.notes)
