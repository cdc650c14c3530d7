"""Which storage locations a text, page, script, header or S3-shaped answer names."""

from __future__ import annotations

from dataclasses import replace

import pytest

from connectsec.model import AuthMode
from connectsec.model.storage import Provider, StorageRef
from connectsec.storage.probe import list_url, storage_hosts
from connectsec.storage.references import find_references, locations_in, searched_sources
from tests.checks.exchanges import BASE, GOOD, exchange, observe, redirect, response
from tests.storage.pages import page, script


def _one(text: str) -> tuple[str, str, str | None]:
    found = [(loc.location, loc.endpoint, loc.key) for loc, _ in locations_in(text)]
    assert len(found) == 1, found
    return found[0]


@pytest.mark.parametrize(
    ("text", "location", "endpoint", "key"),
    [
        ("https://acme.s3.amazonaws.com/a/b.png", "s3://acme", "https://acme.s3.amazonaws.com/", "a/b.png"),
        (
            "https://acme.s3.eu-west-1.amazonaws.com/x.js",
            "s3://acme",
            "https://acme.s3.eu-west-1.amazonaws.com/",
            "x.js",
        ),
        ("//acme.s3-us-west-2.amazonaws.com/x", "s3://acme", "https://acme.s3-us-west-2.amazonaws.com/", "x"),
        (
            "https://s3.eu-central-1.amazonaws.com/acme-data/exports/t.csv",
            "s3://acme-data",
            "https://s3.eu-central-1.amazonaws.com/acme-data/",
            "exports/t.csv",
        ),
        ("https://s3.amazonaws.com/acme-data", "s3://acme-data", "https://s3.amazonaws.com/acme-data/", None),
        (
            "http://acme-site.s3-website-us-east-1.amazonaws.com/index.html",
            "s3://acme-site",
            "https://acme-site.s3.us-east-1.amazonaws.com/",
            "index.html",
        ),
        (
            "http://acme-site.s3-website.eu-west-1.amazonaws.com/",
            "s3://acme-site",
            "https://acme-site.s3.eu-west-1.amazonaws.com/",
            None,
        ),
        (
            "https://assets.acme.com.s3.amazonaws.com/a.js",
            "s3://assets.acme.com",
            "https://s3.amazonaws.com/assets.acme.com/",
            "a.js",
        ),
        (
            "s3://acme-backups/db/dump.sql",
            "s3://acme-backups",
            "https://acme-backups.s3.amazonaws.com/",
            "db/dump.sql",
        ),
        ("arn:aws:s3:::acme-logs/*", "s3://acme-logs", "https://acme-logs.s3.amazonaws.com/", None),
        (
            "https://storage.googleapis.com/acme-gcs/img/logo.png",
            "gs://acme-gcs",
            "https://storage.googleapis.com/acme-gcs/",
            "img/logo.png",
        ),
        (
            "https://acme-gcs.storage.googleapis.com/a.css",
            "gs://acme-gcs",
            "https://storage.googleapis.com/acme-gcs/",
            "a.css",
        ),
        ("gs://acme-gcs/exports/", "gs://acme-gcs", "https://storage.googleapis.com/acme-gcs/", "exports/"),
        (
            "https://storage.googleapis.com/storage/v1/b/acme-gcs/o/data.json",
            "gs://acme-gcs",
            "https://storage.googleapis.com/acme-gcs/",
            "data.json",
        ),
        (
            "https://firebasestorage.googleapis.com/v0/b/acme.appspot.com/o/users%2Fa.png?alt=media",
            "gs://acme.appspot.com",
            "https://storage.googleapis.com/acme.appspot.com/",
            "users/a.png",
        ),
        (
            'storageBucket: "acme-app.appspot.com"',
            "gs://acme-app.appspot.com",
            "https://storage.googleapis.com/acme-app.appspot.com/",
            None,
        ),
        (
            "https://acmefiles.blob.core.windows.net/reports/2024/q1.csv?sv=2020&sig=abc",
            "https://acmefiles.blob.core.windows.net/reports",
            "https://acmefiles.blob.core.windows.net/reports/",
            "2024/q1.csv",
        ),
        (
            "https://acme-app.firebaseio.com/users.json",
            "https://acme-app.firebaseio.com",
            "https://acme-app.firebaseio.com/",
            "users",
        ),
        (
            "https://acme-default-rtdb.europe-west1.firebasedatabase.app",
            "https://acme-default-rtdb.europe-west1.firebasedatabase.app",
            "https://acme-default-rtdb.europe-west1.firebasedatabase.app/",
            None,
        ),
    ],
)
def test_each_reference_form_names_its_location(
    text: str, location: str, endpoint: str, key: str | None
) -> None:
    assert _one(f'<a href="{text}">x</a>') == (location, endpoint, key)


@pytest.mark.parametrize(
    "text",
    [
        "https://fonts.googleapis.com/css?family=Roboto",
        "https://maps.googleapis.com/maps/api/js",
        "https://ec2.us-east-1.amazonaws.com/",
        "https://123456789012.s3-control.us-east-1.amazonaws.com/v20180820/",
        "https://${bucket}.s3.amazonaws.com/x",
        "https://*.s3.amazonaws.com",
        "https://s3.amazonaws.com/${BUCKET}/key",
        "https://acme.blob.core.windows.net/",
        "https://evil.com/?u=s3.amazonaws",
        "see docs at https://docs.aws.amazon.com/s3/",
    ],
)
def test_non_storage_and_templated_names_are_ignored(text: str) -> None:
    assert list(locations_in(text)) == []


def test_json_escaped_slashes_in_scripts_are_read() -> None:
    refs = find_references(script('const u = "https:\\/\\/script-data.s3.amazonaws.com\\/exports\\/t.json";'))
    assert [(r.location, r.keys, r.sources) for r in refs] == [
        ("s3://script-data", ("exports/t.json",), (f"script {BASE}/static/app.js",))
    ]


def test_one_location_gathers_keys_and_sources_from_page_and_headers() -> None:
    body = b'<img src="https://acme.s3.amazonaws.com/a.png"><img src="https://acme.s3.amazonaws.com/b.png">'
    hops = (
        redirect(f"{BASE}/go", "https://acme.s3.amazonaws.com/c.pdf"),
        response(
            f"{BASE}/page",
            hdrs=(*GOOD, ("content-security-policy", "img-src https://acme.s3.amazonaws.com")),
            body=body,
        ),
    )
    (ref,) = find_references(observe(exchange(*hops)))
    assert ref.keys == ("c.pdf", "a.png", "b.png")
    assert ref.sources == (
        f"header location of {BASE}/go",
        f"page {BASE}/page",
        f"header content-security-policy of {BASE}/page",
    )
    assert ref.provider is Provider.S3
    assert not ref.tenant_only


def test_a_reference_seen_only_with_credentials_is_marked_tenant_only() -> None:
    (ref,) = find_references(page('<a href="https://acme.s3.amazonaws.com/">', auth=AuthMode.TENANT))
    assert ref.tenant_only
    assert ref.sources == (f"page {BASE}/page",)


def test_page_urls_are_recorded_without_the_minted_jwt() -> None:
    (ref,) = find_references(page("gs://acme-gcs/x", url=f"{BASE}/page?jwt=eyJhbGciOiJIUzI1NiJ9.e30.sig&x=1"))
    assert ref.sources == (f"page {BASE}/page?x=1",)


def test_an_endpoint_answering_like_s3_is_a_location() -> None:
    xml = b"<Error><Code>AccessDenied</Code><Message>x</Message><RequestId>1</RequestId></Error>"
    cdn = response("https://cdn.acme.com/app.js", 403, (("content-type", "application/xml"),), xml)
    (ref,) = find_references(observe(exchange(cdn)))
    assert (ref.location, ref.endpoint, ref.keys) == (
        "https://cdn.acme.com/",
        "https://cdn.acme.com/",
        ("app.js",),
    )
    assert list_url(ref.endpoint, ref) == "https://cdn.acme.com/?list-type=2&max-keys=20"


def test_attack_traffic_is_not_searched() -> None:
    observations = page("gs://acme-gcs/x")
    attack = observations.exchanges[0]
    attack = replace(attack, request=replace(attack.request, purpose="R5:probe"))
    assert find_references(replace(observations, exchanges=(attack,))) == ()


def test_searched_sources_are_counted() -> None:
    observations = observe(
        exchange(response(f"{BASE}/a", body=b"<html></html>")),
        exchange(response(f"{BASE}/b.js", hdrs=(("content-type", "text/javascript"),), body=b"1")),
    )
    assert searched_sources(observations).describe() == (
        "the descriptor's URLs, 1 HTML page, 1 script and their response headers"
    )


def test_storage_hosts_are_those_the_probes_contact() -> None:
    refs = (
        StorageRef(Provider.S3, "s3://a", "https://a.s3.amazonaws.com/", "a"),
        StorageRef(Provider.GCS, "gs://g", "https://storage.googleapis.com/g/", "g"),
        StorageRef(Provider.FIREBASE, "https://d.firebaseio.com", "https://d.firebaseio.com/", "d"),
        StorageRef(Provider.S3, "https://cdn.x:8443/", "https://cdn.x:8443/", "cdn.x"),
    )
    assert storage_hosts(refs) == (
        ("a.s3.amazonaws.com", 443),
        ("storage.googleapis.com", 443),
        ("d.firebaseio.com", 443),
        ("cdn.x", 8443),
    )
