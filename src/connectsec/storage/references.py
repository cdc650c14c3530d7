"""Storage locations the app references: in the descriptor, its pages, scripts and headers (pure)."""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass, field
from urllib.parse import urlsplit

from connectsec.auth.minting import without_jwt
from connectsec.checks.headers._judging import viewed
from connectsec.html.page import decode_body, is_html
from connectsec.model import AuthMode, EndpointKind, HttpExchange, HttpResponse, Observations
from connectsec.model.storage import Provider, StorageRef
from connectsec.storage.locations import Located, gcs_uri, locate, s3_uri

MAX_KEYS = 5
MAX_SOURCES = 5
MAX_REFERENCES = 3
_HOSTED = re.compile(
    r"(?i)(?<![a-z0-9.$@-])((?:[a-z0-9-]+\.)*(?:amazonaws\.com(?:\.cn)?|googleapis\.com|storage\.cloud\.google"
    r"\.com|blob\.core\.windows\.net|firebaseio\.com|firebasedatabase\.app))(?::(\d{1,5}))?"
    r"(/[^\s\"'<>\\`(){}\[\]|^,;]*)?"
)
_SCHEME_URI = re.compile(
    r"(?<![A-Za-z0-9+.-])(s3|gs)://([a-z0-9][a-z0-9._-]{1,220}[a-z0-9])(/[^\s\"'<>\\`]*)?"
)
_ARN = re.compile(r"\barn:aws(?:-[a-z]+)*:s3:::([a-z0-9][a-z0-9.-]{1,61}[a-z0-9])(/[^\s\"'<>\\`*]*)?")
_STORAGE_BUCKET = re.compile(
    r"""(?i)["']?storageBucket["']?\s*[:=]\s*["']([a-z0-9][a-z0-9._-]{1,220}[a-z0-9])["']"""
)
_ESCAPES = (("\\/", "/"), ("\\u002f", "/"), ("\\u002F", "/"), ("&amp;", "&"), ("&#47;", "/"))
_TEXT_TYPES = ("text/", "application/json", "application/javascript", "application/x-javascript")
_HEADERS = (
    "location",
    "content-location",
    "link",
    "refresh",
    "content-security-policy",
    "content-security-policy-report-only",
)
_S3_BODY = re.compile(
    rb"^\s*(?:<\?xml[^>]*>\s*)?(?:<ListBucketResult\b|<Error>\s*<Code>(?:NoSuchKey|NoSuchBucket|AccessDenied|"
    rb"AllAccessDisabled)</Code>.*<RequestId>)",
    re.DOTALL,
)


@dataclass
class _Found:
    located: Located
    keys: dict[str, None] = field(default_factory=dict)
    sources: dict[str, None] = field(default_factory=dict)
    references: dict[str, None] = field(default_factory=dict)
    tenant_only: bool = True


@dataclass(frozen=True)
class SearchedSources:
    """What `find_references` looked through (for a skip that says where nothing was found)."""

    descriptor: bool
    pages: int
    scripts: int
    other_responses: int

    def describe(self) -> str:
        """`the descriptor, 4 HTML pages, 2 scripts, 3 other responses and all response headers`."""
        parts = ["the descriptor" if self.descriptor else "the descriptor's URLs"]
        parts.append(_count(self.pages, "HTML page"))
        parts.append(_count(self.scripts, "script"))
        if self.other_responses:
            parts.append(_count(self.other_responses, "other text response"))
        return ", ".join(parts) + " and their response headers"


def _count(number: int, noun: str) -> str:
    return f"{number} {noun}" if number == 1 else f"{number} {noun}s"


def _unescape(text: str) -> str:
    for escaped, plain in _ESCAPES:
        text = text.replace(escaped, plain)
    return text


def locations_in(text: str) -> Iterator[tuple[Located, str]]:
    """Every storage location named in a text, with the reference as written."""
    text = _unescape(text)
    for match in _HOSTED.finditer(text):
        port = int(match.group(2)) if match.group(2) else None
        located = locate(match.group(1), port, match.group(3) or "/")
        if located is not None:
            yield located, match.group(0)
    for match in _SCHEME_URI.finditer(text):
        maker = s3_uri if match.group(1) == "s3" else gcs_uri
        located = maker(match.group(2), match.group(3) or "")
        if located is not None:
            yield located, match.group(0)
    for match in _ARN.finditer(text):
        located = s3_uri(match.group(1), match.group(2) or "")
        if located is not None:
            yield located, match.group(0)
    for match in _STORAGE_BUCKET.finditer(text):
        located = gcs_uri(match.group(1), "")
        if located is not None:
            yield located, match.group(0)


def answers_like_s3(response: HttpResponse) -> bool:
    """An S3 listing or S3 error document, or S3's own headers."""
    if (response.header("server") or "").strip().lower() == "amazons3":
        return True
    if response.header("x-amz-bucket-region") is not None:
        return True
    return _S3_BODY.match(response.body[:2048]) is not None


def _s3_like(response: HttpResponse) -> Located | None:
    parts = urlsplit(response.url)
    host = (parts.hostname or "").lower()
    if not host or parts.scheme not in {"http", "https"} or locate(host, parts.port, parts.path):
        return None
    root = f"{parts.scheme}://{parts.netloc.lower()}/"
    key = parts.path.lstrip("/") or None
    return Located(Provider.S3, root, root, host, key)


def _kind(exchange: HttpExchange, response: HttpResponse) -> str | None:
    """`page`, `script`, `response` for text bodies worth searching, None for the rest."""
    if is_html(response.header("content-type") or "", response.body):
        return "page"
    media = response.content_type
    path = urlsplit(response.url).path.lower()
    if "javascript" in media or "ecmascript" in media or path.endswith((".js", ".mjs")):
        return "script"
    if exchange.endpoint.kind is EndpointKind.STATIC and not media.startswith("text/"):
        return None
    return "response" if media.startswith(_TEXT_TYPES) or media.endswith(("+json", "+xml")) else None


class _Collector:
    def __init__(self) -> None:
        self.found: dict[str, _Found] = {}

    def add(self, located: Located, written: str, source: str, authenticated: bool) -> None:
        entry = self.found.setdefault(located.location, _Found(located))
        if located.key is not None and len(entry.keys) < MAX_KEYS:
            entry.keys[located.key] = None
        if len(entry.sources) < MAX_SOURCES:
            entry.sources[source] = None
        if len(entry.references) < MAX_REFERENCES:
            entry.references[written.split("?", 1)[0][:300]] = None  # queries may hold signatures
        entry.tenant_only = entry.tenant_only and authenticated

    def text(self, text: str, source: str, authenticated: bool) -> None:
        for located, written in locations_in(text):
            self.add(located, written, source, authenticated)

    def refs(self) -> tuple[StorageRef, ...]:
        return tuple(
            StorageRef(
                provider=f.located.provider,
                location=f.located.location,
                endpoint=f.located.endpoint,
                bucket=f.located.bucket,
                keys=tuple(f.keys),
                sources=tuple(f.sources),
                references=tuple(f.references),
                tenant_only=f.tenant_only,
            )
            for f in self.found.values()
        )


def _response_text(response: HttpResponse, kind: str) -> str:
    if kind == "page":
        return decode_body(response.body, response.header("content-type"))[0]
    return response.body.decode("utf-8", "replace")


def _searched(observations: Observations) -> Iterator[tuple[HttpExchange, HttpResponse, str | None]]:
    for exchange in viewed(observations):
        for hop in exchange.hops:
            kind = "descriptor" if exchange.request.purpose == "descriptor" else _kind(exchange, hop)
            yield exchange, hop, kind


def find_references(observations: Observations) -> tuple[StorageRef, ...]:
    """Storage locations named by the descriptor (its body, else its URLs), every page, script and text
    response of the baseline and crawl (both auth modes), their headers, and endpoints that answer like S3."""
    collector = _Collector()
    for endpoint in observations.inventory.endpoints:
        for url in (endpoint.url, endpoint.template or ""):
            collector.text(url, f"descriptor {endpoint.source}".strip(), authenticated=False)
    for exchange, hop, kind in _searched(observations):
        authenticated = exchange.request.auth is AuthMode.TENANT
        url = without_jwt(hop.url)
        if kind is not None:
            label = "descriptor" if kind == "descriptor" else f"{kind} {url}"
            collector.text(_response_text(hop, kind), label, authenticated)
        for name, value in hop.headers:
            if name in _HEADERS:
                collector.text(value, f"header {name} of {url}", authenticated)
        if answers_like_s3(hop):
            located = _s3_like(hop)
            if located is not None:
                collector.add(located, url, f"answer of {url} (S3-shaped)", authenticated)
    return collector.refs()


def searched_sources(observations: Observations) -> SearchedSources:
    """How many pages, scripts and other responses `find_references` searched."""
    counts = {"descriptor": 0, "page": 0, "script": 0, "response": 0}
    seen: set[tuple[str, str]] = set()
    for _exchange, hop, kind in _searched(observations):
        if kind is not None and (kind, without_jwt(hop.url)) not in seen:
            seen.add((kind, without_jwt(hop.url)))
            counts[kind] += 1
    return SearchedSources(
        descriptor=counts["descriptor"] > 0,
        pages=counts["page"],
        scripts=counts["script"],
        other_responses=counts["response"],
    )
