"""Finding types of R6 stored data: publicly accessible storage."""

from __future__ import annotations

from connectsec.catalog.rule import Rule
from connectsec.model import Severity, Verdict

_F, _W = Verdict.FAIL, Verdict.WARN
_PRIVATE_FIX = (
    "Make the bucket/container private: S3 Block Public Access on the bucket and account, no `Principal: *` "
    "bucket policy or public ACL; GCS uniform bucket-level access without allUsers/allAuthenticatedUsers; "
    "Azure `allowBlobPublicAccess=false` or container access level Private; Firebase rules without "
    "`.read: true`. Serve tenant files through the app (checked per tenant) or short-lived signed URLs."
)
_WRITE_FIX = (
    "Remove anonymous write access at once (S3 bucket policy/ACL granting s3:PutObject to everyone, GCS "
    "allUsers objectCreator, Azure SAS tokens in pages, Firebase rules with `.write: true`), then review the "
    "bucket for planted objects: pages and scripts served from it may already be tampered with."
)
_MISSING_FIX = (
    "The app references a bucket that does not exist: anyone may create it and serve content in its name. "
    "Create (claim) the bucket in the app's account or remove every reference to it."
)
_DATA_FIX = (
    "Keep data files out of public storage: make the object private and serve it through the app with "
    "per-tenant authorisation, or through short-lived signed URLs."
)

STORAGE_RULES: tuple[Rule, ...] = (
    Rule(
        "storage.public-list",
        "R6",
        _F,
        Severity.HIGH,
        "Referenced storage can be listed anonymously",
        _PRIVATE_FIX,
    ),
    Rule(
        "storage.public-read-tenant-data",
        "R6",
        _F,
        Severity.HIGH,
        "Tenant-looking data in storage readable anonymously",
        _PRIVATE_FIX,
    ),
    Rule(
        "storage.public-write",
        "R6",
        _F,
        Severity.CRITICAL,
        "Referenced storage is writable anonymously",
        _WRITE_FIX,
    ),
    Rule(
        "storage.missing-bucket",
        "R6",
        _W,
        Severity.MEDIUM,
        "Referenced bucket does not exist (anyone could claim it)",
        _MISSING_FIX,
    ),
    Rule(
        "storage.public-read-data-file",
        "R6",
        _W,
        Severity.LOW,
        "Data file in storage readable anonymously (no tenant data recognised)",
        _DATA_FIX,
    ),
)
