"""Which storage location a URL, URI or config value names (pure string work, no I/O)."""

from __future__ import annotations

import re
from dataclasses import dataclass
from urllib.parse import quote, unquote

from connectsec.model.storage import Provider

_S3_SUFFIXES = (".amazonaws.com.cn", ".amazonaws.com")
_NOT_BUCKET_ENDPOINTS = frozenset({"s3-control", "s3-outposts", "s3-accesspoint", "s3-object-lambda"})
_S3_BUCKET = re.compile(r"^[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]$")
_S3_LEGACY_BUCKET = re.compile(r"^[A-Za-z0-9][A-Za-z0-9._-]{1,253}[A-Za-z0-9]$")
_GCS_BUCKET = re.compile(r"^[a-z0-9][a-z0-9._-]{1,220}[a-z0-9]$")
_AZURE_ACCOUNT = re.compile(r"^[a-z0-9]{3,24}$")
_AZURE_CONTAINER = re.compile(r"^(?:[a-z0-9](?:[a-z0-9-]{1,61}[a-z0-9])?|\$root|\$web)$")
_FIREBASE_DB = re.compile(r"^[a-z0-9][a-z0-9-]{0,62}$")
_AZURE_SUFFIX = ".blob.core.windows.net"
_FIREBASE_SUFFIXES = (".firebaseio.com", ".firebasedatabase.app")
_GCS_PATH_HOSTS = frozenset({"storage.googleapis.com", "storage.cloud.google.com"})
_GCS_JSON_PATH = re.compile(r"^/(?:download/|upload/)?storage/v1/b/([^/?#]+)(?:/o(?:/([^?#]*))?)?")
_FIREBASE_STORAGE_PATH = re.compile(r"^/v0/b/([^/?#]+)(?:/o(?:/([^?#]*))?)?")


@dataclass(frozen=True)
class Located:
    """A storage location named by one reference, and the object it names (if any)."""

    provider: Provider
    location: str
    endpoint: str
    bucket: str
    key: str | None = None


def _key(path: str) -> str | None:
    key = path.lstrip("/").split("#", 1)[0].split("?", 1)[0]
    return key or None


def _s3(bucket: str, endpoint: str, key: str | None) -> Located | None:
    if not (_S3_BUCKET.match(bucket) or _S3_LEGACY_BUCKET.match(bucket)) or ".." in bucket:
        return None
    return Located(Provider.S3, f"s3://{bucket}", endpoint, bucket, key)


def s3_uri(bucket: str, path: str) -> Located | None:
    """`s3://bucket/key` or an S3 ARN: probed through the global virtual-hosted endpoint."""
    bucket = bucket.lower()
    if not _S3_BUCKET.match(bucket):
        return None
    endpoint = (
        f"https://s3.amazonaws.com/{bucket}/" if "." in bucket else f"https://{bucket}.s3.amazonaws.com/"
    )
    return _s3(bucket, endpoint, _key(path))


def _s3_region(label: str, rest: list[str]) -> tuple[str | None, bool] | None:
    """(region, website) of an S3 endpoint label and the labels after it, or None when not a bucket host."""
    if label in _NOT_BUCKET_ENDPOINTS or any(r in {"accesspoint", "control"} for r in rest):
        return None
    if label == "s3":
        regional = [r for r in rest if r != "dualstack"]
        return (regional[-1] if regional else None), False
    if label == "s3-website":
        return (rest[0] if rest else None), True
    if label.startswith("s3-website-"):
        return label.removeprefix("s3-website-"), True
    if label in {"s3-accelerate", "s3-external-1"}:
        return ("us-east-1" if label == "s3-external-1" else None), False
    if label == "s3-fips":
        return (rest[-1] if rest else None), False
    return label.removeprefix("s3-"), False


def s3_host(host: str, port: int | None, path: str) -> Located | None:
    """An `*.amazonaws.com` URL naming an S3 bucket: virtual-hosted, path style or website endpoint."""
    suffix = next((s for s in _S3_SUFFIXES if host.endswith(s)), None)
    if suffix is None:
        return None
    labels = host.removesuffix(suffix).split(".")
    at = next((i for i, x in enumerate(labels) if x == "s3" or x.startswith("s3-")), None)
    if at is None:
        return None
    found = _s3_region(labels[at], labels[at + 1 :])
    if found is None:
        return None
    region, website = found
    netloc = host if port in (None, 443) else f"{host}:{port}"
    regional = f"s3.{region}{suffix}" if region else f"s3{suffix}"
    if at == 0:
        if website:
            return None
        bucket, _, rest = path.lstrip("/").partition("/")
        return _s3(unquote(bucket), f"https://{netloc}/{bucket}/", _key(rest))
    bucket = ".".join(labels[:at])
    if "." in bucket:
        endpoint = f"https://{regional}/{bucket}/"
    elif website:
        endpoint = f"https://{bucket}.{regional}/"
    else:
        endpoint = f"https://{netloc}/"
    return _s3(bucket, endpoint, _key(path))


def _gcs(bucket: str, key: str | None) -> Located | None:
    bucket = unquote(bucket).lower()
    if not _GCS_BUCKET.match(bucket):
        return None
    if key is not None:
        key = quote(unquote(key), safe="/~!$&'()*+,;=:@") or None
    return Located(Provider.GCS, f"gs://{bucket}", f"https://storage.googleapis.com/{bucket}/", bucket, key)


def gcs_uri(bucket: str, path: str) -> Located | None:
    """`gs://bucket/key`, or a Firebase config's `storageBucket` value."""
    return _gcs(bucket, _key(path))


def gcs_host(host: str, path: str) -> Located | None:
    """`storage.googleapis.com/bucket/key`, `bucket.storage.googleapis.com/key`, the JSON API and
    Firebase Storage download URLs."""
    if host in _GCS_PATH_HOSTS or host == "www.googleapis.com":
        api = _GCS_JSON_PATH.match(path)
        if api is not None:
            return _gcs(api.group(1), api.group(2))
        if host == "www.googleapis.com":
            return None
        bucket, _, rest = path.lstrip("/").partition("/")
        return _gcs(bucket, _key(rest)) if bucket else None
    if host == "firebasestorage.googleapis.com":
        match = _FIREBASE_STORAGE_PATH.match(path)
        return _gcs(match.group(1), match.group(2)) if match else None
    if host.endswith(".storage.googleapis.com"):
        return _gcs(host.removesuffix(".storage.googleapis.com"), _key(path))
    return None


def azure_host(host: str, path: str) -> Located | None:
    """`account.blob.core.windows.net/container/blob` (references to the account alone are ignored)."""
    if not host.endswith(_AZURE_SUFFIX):
        return None
    account = host.removesuffix(_AZURE_SUFFIX)
    container, _, rest = path.lstrip("/").partition("/")
    container = container.split("?", 1)[0].split("#", 1)[0].lower()
    if not _AZURE_ACCOUNT.match(account) or not _AZURE_CONTAINER.match(container):
        return None
    location = f"https://{host}/{container}"
    return Located(Provider.AZURE, location, location + "/", f"{account}/{container}", _key(rest))


def firebase_host(host: str, path: str) -> Located | None:
    """`db.firebaseio.com/path.json`, `db-default-rtdb.region.firebasedatabase.app/path`."""
    suffix = next((s for s in _FIREBASE_SUFFIXES if host.endswith(s)), None)
    if suffix is None:
        return None
    name = host.removesuffix(suffix)
    database = name.split(".", 1)[0]
    if not _FIREBASE_DB.match(database) or (suffix == ".firebaseio.com" and "." in name):
        return None
    data_path = (_key(path) or "").removesuffix(".json").strip("/")
    location = f"https://{host}"
    return Located(Provider.FIREBASE, location, location + "/", database, data_path or None)


def locate(host: str, port: int | None, path: str) -> Located | None:
    """The storage location an http(s) URL names, or None when it names none."""
    host = host.lower().rstrip(".")
    return (
        s3_host(host, port, path)
        or gcs_host(host, path)
        or azure_host(host, path)
        or firebase_host(host, path)
    )
