"""Which libraries a script is, from its URL, its file name, its content or its hash (Retire.js rules)."""

from __future__ import annotations

import hashlib
import re
from dataclasses import dataclass
from enum import StrEnum
from urllib.parse import urlsplit

from connectsec.components.patterns import VersionPattern
from connectsec.components.retire import Advisory, Library, RetireRepository

_LINE_BREAKS = re.compile(r"\r\n|\r")


class Method(StrEnum):
    """How a library was recognised (the Retire.js extractor kind)."""

    URI = "uri"
    FILENAME = "filename"
    CONTENT = "filecontent"
    CONTENT_REPLACE = "filecontentreplace"
    HASH = "hash"


METHOD_TEXT = {
    Method.URI: "its URL",
    Method.FILENAME: "its file name",
    Method.CONTENT: "a banner or pattern in its content",
    Method.CONTENT_REPLACE: "a pattern in its content",
    Method.HASH: "the SHA-1 of its content",
}


@dataclass(frozen=True)
class Detection:
    """One library at one version, and every way it was recognised."""

    library: str
    version: str
    methods: tuple[Method, ...]
    advisories: tuple[Advisory, ...]
    """The advisories whose range contains the version."""

    @property
    def label(self) -> str:
        """`jquery@1.8.3`."""
        return f"{self.library}@{self.version}"


def file_name(url: str) -> str:
    """The last path segment of a URL, without query or fragment."""
    try:
        path = urlsplit(url).path
    except ValueError:
        path = url.split("?", 1)[0].split("#", 1)[0]
    return re.split(r"[/\\]", path)[-1]


def normalised_content(body: bytes) -> str:
    """The text Retire.js scans and hashes: UTF-8, line breaks as `\\n`."""
    return _LINE_BREAKS.sub("\n", body.decode("utf-8", errors="replace"))


def content_sha1(text: str) -> str:
    """SHA-1 of the normalised content, as Retire.js hashes it."""
    return hashlib.sha1(text.encode("utf-8", errors="surrogatepass"), usedforsecurity=False).hexdigest()


def _extractors(library: Library, method: Method) -> tuple[VersionPattern, ...]:
    if method is Method.URI:
        return library.uri
    if method is Method.FILENAME:
        return library.filename
    if method is Method.CONTENT:
        return library.filecontent
    return library.filecontentreplace


def _scan(repository: RetireRepository, text: str, method: Method) -> list[tuple[str, str, Method]]:
    found: list[tuple[str, str, Method]] = []
    for library in repository.libraries:
        for pattern in _extractors(library, method):
            found.extend((library.name, version, method) for version in pattern.versions(text))
    return found


def identify(repository: RetireRepository, url: str | None, body: bytes | None) -> tuple[Detection, ...]:
    """Every (library, version) the URL, its file name and the content (when fetched) reveal.

    As in Retire.js, the content is searched with `filecontent` extractors, then, only if none
    matched, with `filecontentreplace`, then, only if still nothing, by hash.
    """
    hits: list[tuple[str, str, Method]] = []
    if url:
        hits += _scan(repository, url, Method.URI)
        hits += _scan(repository, file_name(url), Method.FILENAME)
    if body is not None:
        text = normalised_content(body)
        from_content = _scan(repository, text, Method.CONTENT)
        if not from_content:
            from_content = _scan(repository, text, Method.CONTENT_REPLACE)
        if not from_content:
            known = repository.hashes.get(content_sha1(text))
            if known is not None:
                from_content = [(known[0], known[1], Method.HASH)]
        hits += from_content
    return _merge(repository, hits)


def _merge(repository: RetireRepository, hits: list[tuple[str, str, Method]]) -> tuple[Detection, ...]:
    methods: dict[tuple[str, str], dict[Method, None]] = {}
    for library, version, method in hits:
        methods.setdefault((library, version), {})[method] = None
    detections: list[Detection] = []
    for (name, version), how in methods.items():
        known = repository.library(name)
        advisories = known.vulnerable(version) if known is not None else ()
        detections.append(Detection(name, version, tuple(how), advisories))
    return tuple(detections)
