"""What a storage service's answer to an anonymous request means, per provider (pure)."""

from __future__ import annotations

import json
import re
from dataclasses import dataclass
from typing import Any
from urllib.parse import unquote, urlsplit

from connectsec.auth.oracle import tenant_data
from connectsec.model import HttpExchange, HttpResponse
from connectsec.model.storage import Access, Provider, StorageRequest

MAX_ITEMS = 5
EXCERPT_CHARS = 240
_CODE = re.compile(rb"<Code>\s*([A-Za-z0-9_.-]{1,80})\s*</Code>")
_ENDPOINT = re.compile(rb"<Endpoint>\s*([A-Za-z0-9.-]{1,200})\s*</Endpoint>")
_S3_KEY = re.compile(rb"<Key>([^<]{0,1024})</Key>")
_S3_KEY_COUNT = re.compile(rb"<KeyCount>(\d{1,9})</KeyCount>")
_AZURE_BLOB = re.compile(rb"<Blob>\s*<Name>([^<]{0,1024})</Name>")
_DENIED_CODES = frozenset(
    {
        "AccessDenied",
        "AllAccessDisabled",
        "AccountProblem",
        "InvalidAccessKeyId",
        "SignatureDoesNotMatch",
        "UserProjectAccountProblem",
        "AuthenticationFailed",
        "AuthorizationFailure",
        "AuthorizationPermissionMismatch",
        "NoAuthenticationInformation",
        "PublicAccessNotPermitted",
        "InsufficientAccountPermissions",
        "AccountIsDisabled",
        "ResourceNotFound",  # Azure's answer to anonymous requests for private and missing containers alike
    }
)
_MISSING_CODES = frozenset({"NoSuchBucket", "ContainerNotFound"})
_NOT_FOUND_CODES = frozenset({"NoSuchKey", "BlobNotFound"})
_STATIC_NAME = re.compile(
    r"\.(?:m?js|css|png|jpe?g|gif|svg|webp|avif|ico|bmp|woff2?|ttf|otf|eot|map|mp4|webm|mp3|ogg|wav)$"
)
_DATA_NAME = re.compile(
    r"\.(?:json|ndjson|jsonl|csv|tsv|sql|db|sqlite3?|bak|backup|dump|zip|gz|tgz|tar|7z|rar|xlsx?|docx?|pdf|log|txt"
    r"|xml|ya?ml|env|pem|key|p12|pfx|parquet)$"
)
_STATIC_TYPES = (
    "image/",
    "font/",
    "audio/",
    "video/",
    "text/css",
    "text/javascript",
    "application/javascript",
)
_DATA_TYPES = ("application/json", "text/csv", "application/zip", "application/gzip", "application/sql")


@dataclass(frozen=True)
class Answer:
    """The classification of one answer."""

    access: Access
    code: str | None = None
    detail: str = ""


def _excerpt(body: bytes) -> str:
    text = " ".join(body[: EXCERPT_CHARS * 4].decode("utf-8", "replace").split())
    return text[:EXCERPT_CHARS]


def _json(body: bytes) -> Any:
    try:
        return json.loads(body.decode("utf-8"))
    except (UnicodeDecodeError, ValueError, RecursionError):
        return _NOT_JSON


_NOT_JSON = object()


def xml_code(body: bytes) -> str | None:
    """The `<Code>` of an S3, GCS or Azure XML error document."""
    match = _CODE.search(body[:8192])
    return match.group(1).decode("ascii") if match else None


def redirect_endpoint(response: HttpResponse) -> str | None:
    """The endpoint host an S3 `PermanentRedirect` names (or the region header implies)."""
    match = _ENDPOINT.search(response.body[:8192])
    if match is not None:
        return match.group(1).decode("ascii").lower()
    region = response.header("x-amz-bucket-region")
    return f"s3.{region.strip().lower()}.amazonaws.com" if region and region.strip() else None


def _by_code(status: int, code: str | None) -> Answer | None:
    if code in _MISSING_CODES:
        return Answer(Access.MISSING, code)
    if code in _NOT_FOUND_CODES:
        return Answer(Access.NOT_FOUND, code)
    if code in _DENIED_CODES:
        return Answer(Access.DENIED, code)
    if status in (401, 403):
        return Answer(Access.DENIED, code, f"HTTP {status}")
    return None


def _unrecognised(response: HttpResponse, code: str | None, what: str) -> Answer:
    shown = f" ({code})" if code else ""
    kind = response.content_type or "no content type"
    return Answer(Access.UNRECOGNISED, code, f"HTTP {response.status}{shown}, {kind}: not {what}")


def _listing(provider: Provider, response: HttpResponse) -> Answer:
    body, status = response.body, response.status
    if provider is Provider.FIREBASE:
        return _firebase(response)
    code = xml_code(body)
    if status == 200 and (b"<ListBucketResult" in body[:4096] or b"<EnumerationResults" in body[:4096]):
        return Answer(
            Access.ALLOWED,
            "ListBucketResult" if b"<ListBucketResult" in body[:4096] else "EnumerationResults",
        )
    if provider is Provider.GCS:
        parsed = _json(body)
        if status == 200 and isinstance(parsed, dict) and parsed.get("kind") == "storage#objects":
            return Answer(Access.ALLOWED, "storage#objects")
        if status == 404 and code is None:
            return Answer(Access.MISSING, "NoSuchBucket", "the bucket does not exist")
    if code in {"PermanentRedirect", "TemporaryRedirect"} or (status == 301 and code is None):
        return Answer(Access.UNRECOGNISED, code, f"HTTP {status}: the bucket is served from another endpoint")
    return _by_code(status, code) or _unrecognised(response, code, "a listing or a refusal")


def _firebase(response: HttpResponse) -> Answer:
    parsed = _json(response.body)
    error = parsed.get("error") if isinstance(parsed, dict) else None
    if response.status == 200 and parsed is not _NOT_JSON and error is None:
        return Answer(Access.ALLOWED, "JSON")
    if response.status in (401, 403):
        return Answer(Access.DENIED, str(error)[:80] if error else None)
    if response.status == 404:
        return Answer(Access.MISSING, str(error)[:80] if error else None, "the database does not exist")
    if response.status == 423:
        return Answer(Access.DENIED, str(error)[:80] if error else None, "the database is deactivated")
    return _unrecognised(response, None, "data or a refusal")


def _object(provider: Provider, response: HttpResponse, written: bool) -> Answer:
    if provider is Provider.FIREBASE:
        return _firebase(response)
    code = xml_code(response.body)
    if 200 <= response.status < 300:
        return Answer(Access.ALLOWED, None if written else code)
    if provider is Provider.GCS and response.status == 404 and code is None:
        return Answer(Access.NOT_FOUND, None, "HTTP 404")
    return _by_code(response.status, code) or _unrecognised(
        response, code, "the object or a refusal" if not written else "a write or a refusal"
    )


def list_items(provider: Provider, response: HttpResponse) -> tuple[tuple[str, ...], int | None]:
    """A few object names from a listing, and how many the (first) page held."""
    body = response.body
    if provider is Provider.FIREBASE:
        parsed = _json(body)
        if isinstance(parsed, dict):
            return tuple(str(k) for k in list(parsed)[:MAX_ITEMS]), len(parsed)
        return (), (0 if parsed is None else 1)
    parsed = _json(body) if provider is Provider.GCS else _NOT_JSON
    if isinstance(parsed, dict):
        items = parsed.get("items")
        names = [str(i.get("name")) for i in items if isinstance(i, dict)] if isinstance(items, list) else []
        return tuple(names[:MAX_ITEMS]), len(names)
    pattern = _AZURE_BLOB if b"<EnumerationResults" in body[:4096] else _S3_KEY
    names = [m.decode("utf-8", "replace") for m in pattern.findall(body)]
    count = _S3_KEY_COUNT.search(body)
    return tuple(names[:MAX_ITEMS]), int(count.group(1)) if count else len(names)


def _suffix(url: str) -> str:
    return unquote(urlsplit(url).path).lower().removesuffix("/")


def is_static_asset(url: str, content_type: str) -> bool:
    """A script, style sheet, image, font or media file."""
    return _STATIC_NAME.search(_suffix(url)) is not None or content_type.startswith(_STATIC_TYPES)


def is_data_file(provider: Provider, url: str, content_type: str) -> bool:
    """Data by name or type: JSON, CSV, dumps, archives, documents (Firebase paths are always data)."""
    if provider is Provider.FIREBASE:
        return True
    return _DATA_NAME.search(_suffix(url)) is not None or content_type.startswith(_DATA_TYPES)


def classify(provider: Provider, action: str, exchange: HttpExchange) -> StorageRequest:
    """One storage request as a record: what the answer means, with a bounded excerpt."""
    request = exchange.request
    final = exchange.final
    if final is None:
        reason = exchange.error or exchange.redirect_not_followed or "no response"
        return StorageRequest(action, request.method, request.url, Access.ERROR, error=reason, detail=reason)
    if exchange.redirect_not_followed and final.is_redirect:
        detail = f"redirect not followed: {exchange.redirect_not_followed}"
        return StorageRequest(
            action, request.method, request.url, Access.ERROR, final.status, detail=detail, error=detail
        )
    if action == "list":
        answer = _listing(provider, final)
    else:
        answer = _object(provider, final, written=action in {"write", "delete"})
    items: tuple[str, ...] = ()
    count: int | None = None
    if action == "list" and answer.access is Access.ALLOWED:
        items, count = list_items(provider, final)
    found_data: str | None = None
    static = data = False
    if action == "read" and answer.access is Access.ALLOWED:
        found_data = tenant_data(final)
        static = is_static_asset(final.url, final.content_type)
        data = not static and is_data_file(provider, final.url, final.content_type)
    return StorageRequest(
        action=action,
        method=request.method,
        url=request.url,
        access=answer.access,
        status=final.status,
        code=answer.code,
        detail=answer.detail,
        content_type=final.content_type,
        excerpt=_excerpt(final.body),
        items=items,
        item_count=count,
        tenant_data=found_data,
        static_asset=static,
        data_file=data,
        error=answer.detail if answer.access is Access.UNRECOGNISED else None,
    )
