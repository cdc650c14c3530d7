"""Anonymous probes against a loopback server shaped like each storage service, judged by R6."""

from __future__ import annotations

import json

import httpx

from connectsec.checks.storage import STORAGE_CHECK
from connectsec.model import AuthMode, Verdict
from connectsec.model.storage import Access
from tests.checks.exchanges import BASE
from tests.storage.cloud import (
    PRIVATE,
    PUBLIC_LIST,
    PUBLIC_READ,
    PUBLIC_WRITE,
    Answer,
    Bucket,
    Cloud,
    cloud_server,
    loopback_fetch,
)
from tests.storage.pages import exchange_of, judged, page, probed, rules

TENANT_JSON = json.dumps([{"accountId": "557058:f1e2d3c4-b5a6-4789-8abc-def012345678", "issueKey": "OPS-12"}])
OBJECTS = {
    "exports/tenants.json": ("application/json", TENANT_JSON.encode()),
    "img/logo.png": ("image/png", b"\x89PNG\r\n"),
}


def _bucket(anonymous: frozenset[str]) -> Bucket:
    return Bucket(anonymous, dict(OBJECTS))


async def test_listable_s3_bucket_fails_and_private_one_is_clean() -> None:
    cloud = Cloud(s3={"open-data": _bucket(PUBLIC_LIST), "closed-data": _bucket(PRIVATE)})
    with cloud_server(cloud) as port:
        fetch = loopback_fetch(port)
        open_result = await judged(page('<img src="https://open-data.s3.amazonaws.com/img/logo.png">'), fetch)
        closed_result = await judged(
            page('<img src="https://closed-data.s3.amazonaws.com/img/logo.png">'), fetch
        )
    (finding,) = open_result.findings
    assert (finding.rule, finding.location, finding.verdict) == (
        "storage.public-list",
        "s3://open-data",
        Verdict.FAIL,
    )
    assert "2 objects" in finding.detail
    assert "exports/tenants.json" in finding.detail
    assert finding.evidence[0].url == "https://open-data.s3.amazonaws.com/?list-type=2&max-keys=20"
    assert "ListBucketResult" in (finding.evidence[0].excerpt or "")
    assert dict(finding.extra)["referenced in"] == f"page {BASE}/page"
    assert any("img/logo.png: public static asset" in n for n in open_result.notes)
    assert closed_result.findings == ()
    assert closed_result.errors == ()
    assert closed_result.coverage.tested == 1
    assert closed_result.skipped is None


async def test_the_server_refuses_only_the_anonymous() -> None:
    """The private bucket lists for its owner: the clean verdict above comes from a real refusal."""
    cloud = Cloud(s3={"closed-data": _bucket(PRIVATE)})
    with cloud_server(cloud) as port:
        async with httpx.AsyncClient() as client:
            url = f"http://127.0.0.1:{port}/?list-type=2"
            anonymous = await client.get(url, headers={"host": "closed-data.s3.amazonaws.com"})
            owner = await client.get(
                url, headers={"host": "closed-data.s3.amazonaws.com", "authorization": "AWS4"}
            )
    assert anonymous.status_code == 403
    assert b"<ListBucketResult" in owner.content


async def test_tenant_data_readable_without_listing_fails_on_the_object() -> None:
    cloud = Cloud(s3={"acme-exports": _bucket(PUBLIC_READ)})
    with cloud_server(cloud) as port:
        result = await judged(
            page('<a href="https://s3.amazonaws.com/acme-exports/exports/tenants.json">export</a>'),
            loopback_fetch(port),
        )
    url = "https://s3.amazonaws.com/acme-exports/exports/tenants.json"
    assert rules(result) == {("storage.public-read-tenant-data", url)}
    (finding,) = result.findings
    assert "JSON list of 1 record" in finding.detail


async def test_referenced_bucket_that_does_not_exist_warns() -> None:
    with cloud_server(Cloud()) as port:
        result = await judged(
            page('<script src="https://gone-assets.s3.amazonaws.com/app.js"></script>'), loopback_fetch(port)
        )
    (finding,) = result.findings
    assert (finding.rule, finding.verdict) == ("storage.missing-bucket", Verdict.WARN)
    assert "NoSuchBucket" in finding.detail


async def test_s3_region_redirect_is_followed_once() -> None:
    cloud = Cloud(s3={"regional-assets": Bucket(PUBLIC_LIST, dict(OBJECTS), region="eu-west-1")})
    with cloud_server(cloud) as port:
        observations = await probed(
            page("https://s3.amazonaws.com/regional-assets/img/logo.png"), loopback_fetch(port)
        )
    (probe,) = observations.storage
    assert [r.access for r in probe.actions("list")] == [Access.UNRECOGNISED, Access.ALLOWED]
    assert probe.endpoint == "https://regional-assets.s3.eu-west-1.amazonaws.com/"
    assert probe.error is None
    assert probe.actions("read")[0].url == "https://regional-assets.s3.eu-west-1.amazonaws.com/img/logo.png"


async def test_endpoint_answering_like_s3_is_probed_at_its_root() -> None:
    cloud = Cloud(s3={"cdn-bucket": _bucket(PUBLIC_LIST)}, s3_like={"cdn.acme.com": "cdn-bucket"})
    with cloud_server(cloud) as port:
        fetch = loopback_fetch(port)
        observations = await exchange_of(fetch, "https://cdn.acme.com/missing.js")
        result = await judged(observations, fetch)
    assert rules(result) == {("storage.public-list", "https://cdn.acme.com/")}


async def test_gcs_listing_private_and_missing() -> None:
    cloud = Cloud(gcs={"acme-public": _bucket(PUBLIC_LIST), "acme-private": _bucket(PRIVATE)})
    snippets = (
        '<img src="https://storage.googleapis.com/acme-public/img/logo.png">',
        '<img src="https://acme-private.storage.googleapis.com/img/logo.png">',
        '<img src="https://storage.googleapis.com/acme-gone/img/logo.png">',
    )
    with cloud_server(cloud) as port:
        result = await judged(page(*snippets), loopback_fetch(port))
    assert rules(result) == {
        ("storage.public-list", "gs://acme-public"),
        ("storage.missing-bucket", "gs://acme-gone"),
    }
    assert result.errors == ()


async def test_azure_listing_and_private_container() -> None:
    cloud = Cloud(azure={"acmefiles/public": _bucket(PUBLIC_LIST), "acmefiles/private": _bucket(PRIVATE)})
    snippets = (
        '<a href="https://acmefiles.blob.core.windows.net/public/img/logo.png">a</a>',
        '<a href="https://acmefiles.blob.core.windows.net/private/exports/tenants.json">b</a>',
    )
    with cloud_server(cloud) as port:
        observations = await probed(page(*snippets), loopback_fetch(port))
    result = STORAGE_CHECK.judge(observations)
    assert rules(result) == {("storage.public-list", "https://acmefiles.blob.core.windows.net/public")}
    private = next(p for p in observations.storage if p.location.endswith("/private"))
    assert [(r.action, r.access, r.code) for r in private.requests] == [
        ("list", Access.DENIED, "ResourceNotFound"),
        ("read", Access.DENIED, "ResourceNotFound"),
    ]


async def test_firebase_public_private_and_missing_databases() -> None:
    users = ("application/json", b'{"a": {"email": "ann@customer.example"}}')
    cloud = Cloud(
        firebase={
            "acme-open": Bucket(PUBLIC_READ, {"users": users}),
            "acme-closed": Bucket(PRIVATE, {"users": users}),
        }
    )
    snippets = (
        'databaseURL: "https://acme-open.firebaseio.com"',
        'databaseURL: "https://acme-closed-default-rtdb.europe-west1.firebasedatabase.app"',
        "https://acme-gone.firebaseio.com/users.json",
    )
    cloud.firebase["acme-closed-default-rtdb"] = cloud.firebase.pop("acme-closed")
    with cloud_server(cloud) as port:
        result = await judged(page(*snippets), loopback_fetch(port))
    assert rules(result) == {
        ("storage.public-list", "https://acme-open.firebaseio.com"),
        ("storage.missing-bucket", "https://acme-gone.firebaseio.com"),
    }
    listing = next(f for f in result.findings if f.rule == "storage.public-list")
    assert "1 top-level keys ('users')" in listing.detail


async def test_write_is_probed_only_when_allowed_and_the_object_is_deleted() -> None:
    bucket = Bucket(PUBLIC_WRITE)
    cloud = Cloud(s3={"drop-box": bucket})
    observations = page("https://drop-box.s3.amazonaws.com/")
    with cloud_server(cloud) as port:
        fetch = loopback_fetch(port)
        without = await judged(observations, fetch)
        writes_before = [r for r in cloud.requests if r[0] != "GET"]
        allowed = await judged(observations, fetch, allow_write=True)
    assert without.findings == ()
    assert writes_before == []
    assert "anonymous write was not probed (it needs --allow-write-probe)" in without.notes
    (finding,) = allowed.findings
    assert (finding.rule, finding.severity.value) == ("storage.public-write", "critical")
    assert "deleted again" in finding.detail
    assert [r[0] for r in cloud.requests if r[0] != "GET"] == ["PUT", "DELETE"]
    assert bucket.objects == {}


async def test_write_that_cannot_be_deleted_says_so() -> None:
    cloud = Cloud(azure={"acmefiles/drop": Bucket(PUBLIC_WRITE, undeletable=True)})
    with cloud_server(cloud) as port:
        result = await judged(
            page("https://acmefiles.blob.core.windows.net/drop/"), loopback_fetch(port), allow_write=True
        )
    (finding,) = result.findings
    assert finding.rule == "storage.public-write"
    assert "deleting it again failed (HTTP 404)" in finding.detail
    assert len(cloud.azure["acmefiles/drop"].objects) == 1


async def test_private_bucket_refuses_write() -> None:
    cloud = Cloud(gcs={"acme-private": _bucket(PRIVATE)}, firebase={"acme-db": Bucket(PRIVATE)})
    with cloud_server(cloud) as port:
        observations = await probed(
            page("gs://acme-private/x.png", "https://acme-db.firebaseio.com"),
            loopback_fetch(port),
            allow_write=True,
        )
    writes = [r for p in observations.storage for r in p.actions("write")]
    assert [w.access for w in writes] == [Access.DENIED, Access.DENIED]
    assert all(p.actions("delete") == () for p in observations.storage)


async def test_no_answer_is_an_error_never_a_pass() -> None:
    cloud = Cloud(s3={"slow-data": _bucket(PRIVATE)}, slow_hosts=frozenset({"slow-data.s3.amazonaws.com"}))
    with cloud_server(cloud) as port:
        result = await judged(page("https://slow-data.s3.amazonaws.com/"), loopback_fetch(port, timeout=0.5))
    assert result.findings == ()
    (error,) = result.errors
    assert error.startswith("s3://slow-data: anonymous listing could not be judged: ReadTimeout")
    assert result.coverage.untested == 1
    assert result.coverage.tested == 0


async def test_answers_that_are_neither_listing_nor_refusal_are_errors() -> None:
    html = Answer(200, "text/html", b"<html><body>Welcome</body></html>")
    cloud = Cloud(
        raw={"odd.s3.amazonaws.com": html, "broken.s3.amazonaws.com": Answer(500, "text/plain", b"oops")}
    )
    with cloud_server(cloud) as port:
        result = await judged(page("s3://odd", "s3://broken"), loopback_fetch(port))
    assert result.findings == ()
    prefix = "anonymous listing could not be judged"
    assert set(result.errors) == {
        f"s3://odd: {prefix}: HTTP 200, text/html: not a listing or a refusal",
        f"s3://broken: {prefix}: HTTP 500, text/plain: not a listing or a refusal",
    }


async def test_findings_seen_only_with_credentials_say_so() -> None:
    cloud = Cloud(s3={"open-data": _bucket(PUBLIC_LIST)})
    with cloud_server(cloud) as port:
        result = await judged(
            page("https://open-data.s3.amazonaws.com/", auth=AuthMode.TENANT), loopback_fetch(port)
        )
    assert {f.rule for f in result.findings} == {"storage.public-list", "storage.public-read-tenant-data"}
    assert {f.auth_mode for f in result.findings} == {AuthMode.TENANT}
