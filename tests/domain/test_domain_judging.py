"""Pure judgement of RDAP records and baseUrl origins; RDAP and bootstrap documents read defensively."""

from __future__ import annotations

from dataclasses import replace
from datetime import UTC, datetime, timedelta

import pytest

from connectsec.checks.domain import DOMAIN_CHECKS
from connectsec.checks.domain.registration import RegistrationCheck, judge_record
from connectsec.checks.domain.shared_origin import SharedOriginCheck
from connectsec.domain.rdap_parse import RdapFormatError, parse_bootstrap, parse_date, parse_domain
from connectsec.engine.rollup import roll_up
from connectsec.model import Inventory, Observations, Outcome
from connectsec.model.domain import DomainRecord, DomainState

NOW = datetime(2026, 6, 1, tzinfo=UTC)


def _record(**changes: object) -> DomainRecord:
    base = DomainRecord(
        "vendor.com",
        state=DomainState.REGISTERED,
        for_hosts=("app.vendor.com",),
        observed_at=NOW,
        expires=NOW + timedelta(days=300),
        rdap_url="https://rdap.registry.example/domain/vendor.com",
        http_status=200,
    )
    return replace(base, **changes)  # type: ignore[arg-type]


def _observations(base_url: str, *records: DomainRecord, hosts: tuple[str, ...] = ()) -> Observations:
    inventory = Inventory(
        descriptor_url=f"{base_url.rstrip('/')}/atlassian-connect.json",
        app_key="k",
        app_name=None,
        base_url=base_url,
        authentication="jwt",
        endpoints=(),
        hosts=hosts,
    )
    return Observations(inventory=inventory, domains=records)


@pytest.mark.parametrize(
    ("changes", "expected"),
    [
        ({}, None),
        ({"expires": NOW + timedelta(days=29)}, "domain.expiring"),
        ({"expires": NOW - timedelta(seconds=1)}, "domain.expired"),
        ({"statuses": ("client hold",)}, "domain.on-hold"),
        ({"statuses": ("server hold", "redemption period")}, "domain.pending-delete"),
        ({"state": DomainState.UNREGISTERED, "expires": None}, "domain.unregistered"),
        ({"statuses": ("client transfer prohibited", "client update prohibited")}, None),
    ],
)
def test_record_judgement(changes: dict[str, object], expected: str | None) -> None:
    problem = judge_record(_record(**changes))
    assert (problem[0] if isinstance(problem, tuple) else problem) == expected


def test_record_without_expiration_is_an_error_not_a_pass() -> None:
    problem = judge_record(_record(expires=None))
    assert isinstance(problem, str)
    assert "no expiration event" in problem


def test_only_records_of_the_apps_hosts_are_judged() -> None:
    cname_target = _record(domain="cdn-provider.net", for_hosts=("x.cdn-provider.net",), expires=NOW)
    own = _record()
    result = RegistrationCheck().judge(_observations("https://app.vendor.com", own, cname_target))
    assert result.findings == ()
    assert result.coverage.tested == 1
    assert roll_up("R3", "t", [result]).outcome is Outcome.PASS


def test_a_host_without_any_record_is_an_error() -> None:
    obs = _observations("https://app.vendor.com", _record(), hosts=("api.other-vendor.com",))
    result = RegistrationCheck().judge(obs)
    assert result.errors == ("api.other-vendor.com: no RDAP record (its domain was not looked up)",)


def test_expiry_threshold_comes_from_observations() -> None:
    obs = _observations("https://app.vendor.com", _record(expires=NOW + timedelta(days=50)))
    assert RegistrationCheck().judge(obs).findings == ()
    strict = replace(obs, expiry_warn_days=60)
    assert [f.rule for f in RegistrationCheck().judge(strict).findings] == ["domain.expiring"]


def test_finding_evidence_reproduces_the_lookup() -> None:
    obs = _observations("https://app.vendor.com", _record(expires=NOW - timedelta(days=3)))
    (finding,) = RegistrationCheck().judge(obs).findings
    assert finding.location == "vendor.com"
    assert finding.evidence[0].method == "RDAP"
    assert finding.evidence[0].curl == (
        "curl -sS -H 'Accept: application/rdap+json' https://rdap.registry.example/domain/vendor.com"
    )


@pytest.mark.parametrize(
    ("base_url", "expected"),
    [
        ("https://app.vendor.com", set()),
        ("https://app.vendor.com/", set()),
        ("https://apps.vendor.com/jira-app", {"origin.path-only"}),
        ("https://my-app.herokuapp.com", {"origin.platform-domain"}),
        ("https://my-app.netlify.app/connect", {"origin.path-only", "origin.platform-domain"}),
    ],
)
def test_shared_origins(base_url: str, expected: set[str]) -> None:
    result = SharedOriginCheck().judge(_observations(base_url))
    assert {f.rule for f in result.findings} == expected
    assert result.coverage.tested == 1
    outcome = roll_up("R3", "t", [result]).outcome
    assert outcome is (Outcome.WARN if expected else Outcome.PASS)


def test_shared_origin_explains_the_rule() -> None:
    result = SharedOriginCheck().judge(_observations("https://apps.vendor.com/jira-app"))
    assert "unique origin" in result.findings[0].detail
    assert "https://apps.vendor.com" in result.findings[0].detail


def test_domain_checks_are_exported() -> None:
    assert {type(c).__name__ for c in DOMAIN_CHECKS} == {
        "CertificateCheck",
        "RegistrationCheck",
        "SharedOriginCheck",
    }
    assert all(c.requirement == "R3" for c in DOMAIN_CHECKS)


@pytest.mark.parametrize(
    "document",
    [[], "x", {"objectClassName": "entity"}, {"errorCode": 404, "title": "Not Found"}],
)
def test_non_domain_documents_are_rejected(document: object) -> None:
    with pytest.raises(RdapFormatError):
        parse_domain(document)


def test_malformed_fields_are_ignored_not_fatal() -> None:
    facts = parse_domain(
        {
            "objectClassName": "domain",
            "events": [None, {"eventAction": "expiration", "eventDate": "not a date"}, 7],
            "status": ["Active", 3],
            "entities": [{"roles": ["registrar"], "vcardArray": ["vcard", "bad"], "handle": "292"}],
        }
    )
    assert facts.expires is None
    assert facts.statuses == ("active",)
    assert facts.registrar == "292"


def test_dates() -> None:
    assert parse_date("2027-03-01T12:00:00Z") == datetime(2027, 3, 1, 12, tzinfo=UTC)
    assert parse_date("2027-03-01T12:00:00") == datetime(2027, 3, 1, 12, tzinfo=UTC)
    assert parse_date("2027-03-01T14:00:00+02:00") == datetime(2027, 3, 1, 12, tzinfo=UTC)
    assert parse_date("soon") is None


def test_bootstrap_longest_match_and_https_first() -> None:
    bootstrap = parse_bootstrap(
        {
            "services": [
                [["com"], ["http://rdap.example/com/", "https://rdap.example/com"]],
                [["uk"], ["https://rdap.nominet.example/uk/"]],
                [["co.uk"], ["https://rdap.nominet.example/co.uk/"]],
                "junk",
            ]
        }
    )
    assert bootstrap.servers_for("vendor.com") == ("https://rdap.example/com/", "http://rdap.example/com/")
    assert bootstrap.servers_for("vendor.co.uk") == ("https://rdap.nominet.example/co.uk/",)
    assert bootstrap.servers_for("vendor.de") == ()
    with pytest.raises(RdapFormatError):
        parse_bootstrap({"services": []})
