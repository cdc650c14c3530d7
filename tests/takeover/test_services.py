"""The service table: upstream escapes cleaned, additions merged, newer data loadable, bad files refused."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from connectsec.model.dns import ChainEnd, HostResolution
from connectsec.takeover.services import classify, clean_fingerprint, load_services, service_named


def test_markdown_and_html_escapes_become_alternatives() -> None:
    assert clean_fingerprint(r"Site unavailable\.&#124;Failed to resolve DNS path for this host") == (
        "Site unavailable.",
        "Failed to resolve DNS path for this host",
    )
    assert clean_fingerprint("Company Not Found` `There is no such company.") == (
        "Company Not Found",
        "There is no such company.",
    )
    assert clean_fingerprint("you&rsquo;re") == ("you\u2019re",)
    assert clean_fingerprint("") == ()


def test_bundled_table_is_cleaned_and_augmented() -> None:
    table = load_services()
    assert len(table.services) == 76
    assert table.sha256.startswith("a108bf6e")
    assert "bundled can-i-take-over-xyz" in table.source
    assert "5bd4e12" in table.source
    heroku = service_named(table, "Heroku")
    assert heroku is not None
    assert heroku.status == "Edge case"
    assert "herokuapp.com" in heroku.cnames
    vercel = service_named(table, "Vercel")
    assert vercel is not None
    assert all("/" not in c for c in vercel.cnames)
    worksites = service_named(table, "Worksites")
    assert worksites is not None
    assert worksites.addresses == ("69.164.223.206",)
    helprace = service_named(table, "Helprace")
    assert helprace is not None
    assert (helprace.fingerprints, helprace.http_status) == ((), 301)
    azure = service_named(table, "Microsoft Azure")
    assert azure is not None
    assert azure.nxdomain
    assert azure.fingerprints == ()
    assert len(azure.cnames) == len(set(azure.cnames))
    assert table.claimable_suffix("x.herokuapp.com") == "herokuapp.com"
    assert table.claimable_suffix("x.trafficmanager.net") == "trafficmanager.net"
    assert table.claimable_suffix("x.herokudns.com") is None
    assert table.claimable_suffix("herokuapp.com.evil.net") is None


def test_suffix_matching_takes_the_longest_and_whole_labels_only() -> None:
    table = load_services()
    hit = table.match("Gone.S3.amazonaws.com.")
    assert hit is not None
    assert hit[0].name == "AWS/S3"
    assert table.match("notghost.io") is None
    assert table.match("x.ghost.io.attacker.net") is None


def test_body_fingerprints_match_raw_and_entity_decoded_html_and_wildcards() -> None:
    table = load_services()
    worksites = service_named(table, "Worksites")
    wordpress = service_named(table, "Wordpress")
    ghost = service_named(table, "Ghost")
    assert worksites is not None
    assert wordpress is not None
    assert ghost is not None
    body = "<p>Hello! Sorry, but the website you&rsquo;re looking for doesn&rsquo;t exist.</p>"
    assert worksites.body_match(body) is not None
    assert wordpress.body_match("Do you want to register <b>acme</b>.wordpress.com?") is not None
    assert wordpress.body_match("Do you want to register acme.wordpress.com?") is not None
    assert wordpress.body_match("Do you want to register\nacme.wordpress.com?") is None
    assert ghost.body_match("Site unavailableX") is None
    assert ghost.body_match("Welcome to my blog") is None


def test_classify_records_the_match_and_the_data_used() -> None:
    table = load_services()
    resolved = (
        HostResolution(
            "a.acme-app.com", end=ChainEnd.NXDOMAIN, chain=("x.cdn.acme-app.com", "gone.herokuapp.com")
        ),
        HostResolution(
            "b.acme-app.com", end=ChainEnd.RESOLVES, chain=("w.acme-app.com",), addresses=("192.0.2.1",)
        ),
        HostResolution(
            "c.acme-app.com", end=ChainEnd.RESOLVES, chain=("x.net",), addresses=("69.164.223.206",)
        ),
        HostResolution("localhost", end=ChainEnd.SKIPPED, skipped="special"),
    )
    a, b, c, skipped = classify(resolved, table)
    assert (a.service, a.service_status, a.nxdomain_claimable) == ("Heroku", "Edge case", True)
    assert a.service_match == "gone.herokuapp.com (herokuapp.com)"
    assert a.fingerprints == ("No such app",)
    assert b.service is None
    assert not b.nxdomain_claimable
    assert c.service == "Worksites"
    assert skipped.service is None
    assert all(r.services_data == table.source for r in (a, b, c, skipped))


def test_a_newer_file_can_be_loaded_and_is_reported(tmp_path: Path) -> None:
    newer = [
        {
            "service": "Newhost",
            "status": "Vulnerable",
            "cname": ["newhost.io"],
            "fingerprint": "No site here",
        },
        {"service": "Heroku", "status": "Vulnerable", "cname": [], "fingerprint": "No such app"},
    ]
    path = tmp_path / "fingerprints.json"
    path.write_text(json.dumps(newer))
    table = load_services(str(path))
    assert [s.name for s in table.services] == ["Newhost", "Heroku"]
    assert str(path) in table.source
    assert "2 services" in table.source
    heroku = service_named(table, "Heroku")
    assert heroku is not None
    assert "herokuapp.com" in heroku.cnames  # additions still apply by service name
    hit = table.match("x.newhost.io")
    assert hit is not None
    assert hit[0].name == "Newhost"


@pytest.mark.parametrize(
    ("content", "message"),
    [
        ("{not json", "not JSON"),
        ("[]", "non-empty JSON list"),
        ('{"service": "x"}', "non-empty JSON list"),
        ('[{"status": "Vulnerable"}]', "entry 0 has no service name"),
        ('[{"service": "X", "status": "Maybe"}]', "unknown status 'Maybe'"),
        ('[{"service": "X", "status": "Vulnerable", "cname": "x.io"}]', "cname is not a list"),
        ('[{"service": "X", "status": "Vulnerable", "fingerprint": 3}]', "fingerprint is not a string"),
        ("[1]", "entry 0 is not an object"),
    ],
)
def test_bad_files_give_one_clear_error(tmp_path: Path, content: str, message: str) -> None:
    path = tmp_path / "bad.json"
    path.write_text(content)
    with pytest.raises(ValueError, match="takeover data") as caught:
        load_services(str(path))
    assert message in str(caught.value)
    assert "\n" not in str(caught.value)


def test_a_missing_file_gives_one_clear_error(tmp_path: Path) -> None:
    with pytest.raises(ValueError, match="cannot read"):
        load_services(str(tmp_path / "absent.json"))
