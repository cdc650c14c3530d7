"""R6 judgement of hand-built probe records (pure)."""

from __future__ import annotations

from dataclasses import replace

from connectsec.checks.storage import STORAGE_CHECK
from connectsec.model import HttpExchange, HttpRequestSpec, Verdict
from connectsec.model.storage import Access, Provider, StorageProbe, StorageRequest
from connectsec.storage.probe import probe_storage
from connectsec.storage.references import find_references
from tests.storage.pages import page, rules

LIST_DENIED = StorageRequest(
    "list", "GET", "https://bkt.s3.amazonaws.com/?list-type=2", Access.DENIED, 403, "AccessDenied"
)


def _probe(*requests: StorageRequest, error: str | None = None) -> StorageProbe:
    return StorageProbe(
        "s3://bkt", error, Provider.S3, "bkt", "https://bkt.s3.amazonaws.com/", ("page x",), requests=requests
    )


def test_a_referenced_location_without_a_probe_record_is_an_error() -> None:
    result = STORAGE_CHECK.judge(page("https://bkt.s3.amazonaws.com/", "gs://other"))
    assert result.findings == ()
    assert result.skipped is None
    assert sorted(result.errors) == [
        "gs://other: referenced (page https://app.example/page) but not probed",
        "s3://bkt: referenced (page https://app.example/page) but not probed",
    ]


def test_a_public_data_file_without_tenant_data_warns() -> None:
    read = StorageRequest(
        "read", "GET", "https://bkt.s3.amazonaws.com/backup.sql", Access.ALLOWED, 200, data_file=True
    )
    observations = replace(
        page("https://bkt.s3.amazonaws.com/backup.sql"), storage=(_probe(LIST_DENIED, read),)
    )
    result = STORAGE_CHECK.judge(observations)
    (finding,) = result.findings
    assert (finding.rule, finding.verdict) == ("storage.public-read-data-file", Verdict.WARN)
    assert finding.location == "https://bkt.s3.amazonaws.com/backup.sql"


def test_a_missing_object_and_a_denied_read_are_clean() -> None:
    gone = StorageRequest("read", "GET", "https://bkt.s3.amazonaws.com/a", Access.NOT_FOUND, 404, "NoSuchKey")
    denied = StorageRequest(
        "read", "GET", "https://bkt.s3.amazonaws.com/c", Access.DENIED, 403, "AccessDenied"
    )
    observations = replace(page("s3://bkt/a s3://bkt/c"), storage=(_probe(LIST_DENIED, gone, denied),))
    result = STORAGE_CHECK.judge(observations)
    assert rules(result) == set()
    assert result.errors == ()
    assert "https://bkt.s3.amazonaws.com/a: referenced object does not exist (NoSuchKey)" in result.notes


def test_a_probe_error_is_reported_even_when_a_read_fails_the_location() -> None:
    failed = StorageRequest(
        "list", "GET", "https://bkt.s3.amazonaws.com/", Access.ERROR, error="ConnectTimeout"
    )
    read = StorageRequest(
        "read",
        "GET",
        "https://bkt.s3.amazonaws.com/t.json",
        Access.ALLOWED,
        200,
        tenant_data="2 e-mail addresses",
    )
    probe = _probe(failed, read, error="anonymous listing could not be judged: ConnectTimeout")
    result = STORAGE_CHECK.judge(replace(page("s3://bkt/t.json"), storage=(probe,)))
    assert rules(result) == {("storage.public-read-tenant-data", "https://bkt.s3.amazonaws.com/t.json")}
    assert result.errors == ("s3://bkt: anonymous listing could not be judged: ConnectTimeout",)
    assert result.coverage.untested == 1


async def test_presigned_urls_are_probed_without_their_signature() -> None:
    signed = (
        "https://bkt.s3.amazonaws.com/t.json?X-Amz-Signature=abcdef0123456789abcdef&X-Amz-Credential=AKIA1"
    )
    observations = page(f'<a href="{signed}">t</a>')
    (ref,) = find_references(observations)
    assert ref.keys == ("t.json",)
    sent: list[str] = []

    async def fetch(spec: HttpRequestSpec) -> HttpExchange:
        sent.append(spec.url)
        return HttpExchange(spec, error="ConnectError: refused")

    (probe,) = await probe_storage((ref,), fetch)
    assert sent == [
        "https://bkt.s3.amazonaws.com/?list-type=2&max-keys=20",
        "https://bkt.s3.amazonaws.com/t.json",
    ]
    result = STORAGE_CHECK.judge(replace(observations, storage=(probe,)))
    assert result.findings == ()
    assert len(result.errors) == 2
