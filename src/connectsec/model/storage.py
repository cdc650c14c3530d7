"""Cloud storage locations the app references, and what anonymous requests to them got (R6)."""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum


class Provider(StrEnum):
    """The storage service a location belongs to."""

    S3 = "s3"
    """Amazon S3, or any endpoint that answers like S3."""
    GCS = "gcs"
    AZURE = "azure-blob"
    FIREBASE = "firebase-rtdb"


class Access(StrEnum):
    """What one anonymous request showed."""

    ALLOWED = "allowed"
    DENIED = "denied"
    """AccessDenied, 401, 403 …: the secure answer."""
    MISSING = "missing"
    """The bucket, container or database does not exist (NoSuchBucket …)."""
    NOT_FOUND = "not-found"
    """The object does not exist; the bucket does."""
    UNRECOGNISED = "unrecognised"
    """An answer that shows neither access nor refusal (see `detail`)."""
    ERROR = "error"
    """No answer (timeout, refused connection …)."""


@dataclass(frozen=True)
class StorageRef:
    """One storage location the app references, with where and how it was referenced."""

    provider: Provider
    location: str
    """Canonical name: `s3://bucket`, `gs://bucket`, `https://acct.blob.core.windows.net/c`,
    `https://db.firebaseio.com`, or `https://host/` for an endpoint that answers like S3."""
    endpoint: str
    """The base URL the probes use: objects are `endpoint + key` (Firebase: `endpoint + path + .json`)."""
    bucket: str
    """Bucket, `account/container` or database name."""
    keys: tuple[str, ...] = ()
    """Object keys (Firebase: data paths) the app references, as written (percent-encoding kept)."""
    sources: tuple[str, ...] = ()
    """Where it was referenced: `descriptor`, `page <url>`, `script <url>`, `header <name> of <url>` …"""
    references: tuple[str, ...] = ()
    """The references as written, query strings (pre-signed URL signatures, SAS tokens) cut (a few)."""
    tenant_only: bool = False
    """Referenced only in responses to authenticated requests."""


@dataclass(frozen=True)
class StorageRequest:
    """One anonymous request to a storage location and what its answer means."""

    action: str
    """`list`, `read`, `write` or `delete`."""
    method: str
    url: str
    access: Access
    status: int | None = None
    code: str | None = None
    """The provider's answer code (`AccessDenied`, `NoSuchBucket`, `ListBucketResult` …) when it has one."""
    detail: str = ""
    """Why the answer was classified so (for UNRECOGNISED and ERROR: what came back instead)."""
    content_type: str = ""
    excerpt: str = ""
    """The start of the body, whitespace collapsed, bounded."""
    items: tuple[str, ...] = ()
    """Listed object names (a few)."""
    item_count: int | None = None
    """How many objects the listing showed (at most one page)."""
    tenant_data: str | None = None
    """What looks like tenant data in a read object (reads only)."""
    static_asset: bool = False
    """A read object that is a static asset (script, style, image, font)."""
    data_file: bool = False
    """A read object whose name or type says it holds data (JSON, CSV, database dumps, archives …)."""
    error: str | None = None


@dataclass(frozen=True)
class StorageProbe:
    """One referenced storage location (bucket, container, database) and the anonymous probes of it."""

    location: str
    """The bucket/container/database as a URL, e.g. `s3://bucket`, `https://acct.blob.core.windows.net/c`."""
    error: str | None = None
    """Why anonymous listing could not be determined (no answer, an answer that is neither)."""
    provider: Provider = Provider.S3
    bucket: str = ""
    endpoint: str = ""
    sources: tuple[str, ...] = ()
    references: tuple[str, ...] = ()
    tenant_only: bool = False
    requests: tuple[StorageRequest, ...] = ()
    write_probed: bool = False
    """Whether a write was attempted (only with --allow-write-probe)."""

    def actions(self, action: str) -> tuple[StorageRequest, ...]:
        """The requests of one action, in order."""
        return tuple(r for r in self.requests if r.action == action)
