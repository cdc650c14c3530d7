"""Finds secrets in a buffer: an Aho-Corasick keyword prefilter, then each detector on the lines it hit."""

from __future__ import annotations

import base64
import binascii
import hashlib
import json
import math
import re
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass

import ahocorasick_rs

from connectsec.secrets.detectors import (
    DEFAULT_DB_PASSWORDS,
    DETECTORS,
    IGNORED_NAME_PARTS,
    KNOWN_EXAMPLES,
    PLACEHOLDER_MARKERS,
    Detector,
)
from connectsec.secrets.paths import is_config

_LONG_LINE = 4096
_BEFORE, _AFTER = 512, 2048
"""Window around a keyword in a line longer than _LONG_LINE (minified code)."""
_MULTILINE_SPAN = 32_768
_ESCAPED_BREAK = re.compile(rb"\\[nr]")
_IDENTIFIER_PATH = re.compile(r"[A-Za-z_$][\w$]*(?:\.[A-Za-z_$][\w$]*)+(?:\(\))?")
_HEX = frozenset("0123456789abcdefABCDEF")


@dataclass(frozen=True)
class Hit:
    """A secret in a buffer: its rule, where it starts (byte offset) and its value (kept in memory only)."""

    rule: str
    kind: str
    offset: int
    value: bytes
    note: str = ""


def shannon_entropy(value: str) -> float:
    """Bits per character."""
    if not value:
        return 0.0
    size = len(value)
    return -sum(n / size * math.log2(n / size) for n in Counter(value).values())


def preview(value: bytes) -> str:
    """First 4 characters, `…` and the length: all a report may show of a secret."""
    text = value.decode("utf-8", "replace")
    return f"{text[:4]}…({len(text)} chars)"


def fingerprint(value: bytes) -> str:
    """SHA-256 of the value, hex."""
    return hashlib.sha256(value).hexdigest()


def is_placeholder(value: bytes) -> bool:
    """Illustrations: EXAMPLE, xxxx, changeme, <your-token>, ${VAR}, one repeated character …"""
    if value in KNOWN_EXAMPLES:
        return True
    text = value.decode("utf-8", "replace").lower()
    return any(m in text for m in PLACEHOLDER_MARKERS) or len(set(text)) <= 3


def _b64json(segment: bytes) -> object:
    try:
        return json.loads(base64.urlsafe_b64decode(segment + b"=" * (-len(segment) % 4)))
    except (binascii.Error, ValueError):
        return None


class Matcher:
    """All detectors behind one keyword automaton; stateless after construction, safe to share."""

    def __init__(self, detectors: Sequence[Detector] = DETECTORS) -> None:
        self.detectors = tuple(detectors)
        keywords = sorted({k for d in self.detectors for k in d.keywords})
        self._keyword_detectors = tuple(
            tuple(i for i, d in enumerate(self.detectors) if k in d.keywords) for k in keywords
        )
        self._automaton = ahocorasick_rs.BytesAhoCorasick(keywords)

    def keyword_positions(self, data: bytes) -> list[tuple[int, int]]:
        """(keyword index, offset) of every keyword occurrence, case-insensitive."""
        return [
            (k, start)
            for k, start, _ in self._automaton.find_matches_as_indexes(data.lower(), overlapping=True)
        ]

    def find(self, data: bytes, path: str, positions: list[tuple[int, int]] | None = None) -> list[Hit]:
        """Every secret in `data` (the content of `path`), in offset order, one per value and place."""
        if positions is None:
            positions = self.keyword_positions(data)
        if not positions:
            return []
        config = is_config(path)
        tried: set[tuple[int, int]] = set()
        best: dict[tuple[int, bytes], tuple[int, Hit]] = {}
        for keyword, pos in positions:
            line_start = data.rfind(b"\n", 0, pos) + 1
            line_end = data.find(b"\n", pos)
            line_end = len(data) if line_end < 0 else line_end
            if line_end - line_start > _LONG_LINE:
                line_start, line_end = max(line_start, pos - _BEFORE), min(line_end, pos + _AFTER)
            for index in self._keyword_detectors[keyword]:
                if (index, line_start) in tried:
                    continue
                tried.add((index, line_start))
                detector = self.detectors[index]
                end = min(len(data), line_start + _MULTILINE_SPAN) if detector.multiline else line_end
                for match in detector.pattern.finditer(data, line_start, end):
                    hit = _accept(detector, match, config)
                    if hit is None:
                        continue
                    # One value at one place: the most specific detector (listed first) wins.
                    key = (data.rfind(b"\n", 0, hit.offset), hit.value)
                    kept = best.get(key)
                    if kept is None or index < kept[0]:
                        best[key] = (index, hit)
        return sorted((hit for _, hit in best.values()), key=lambda h: h.offset)


def _accept(detector: Detector, match: re.Match[bytes], config: bool) -> Hit | None:
    value = match.group("s")
    if "q" in match.re.groupindex and not match.group("q") and not config:
        return None  # an unquoted value in code is an expression, not a literal
    if "q" in match.re.groupindex and match.group("q"):
        after = match.end("s")
        quote = match.group("q")
        if after < len(match.string) and match.string[after : after + 1] not in (quote, b""):
            return None  # the quoted literal goes on with characters outside the value charset
    if is_placeholder(value) and detector.check != "pem":
        return None
    note = ""
    text = value.decode("utf-8", "replace")
    if detector.check == "jwt":
        header, payload = (_b64json(part) for part in value.split(b".")[:2])
        if not isinstance(header, dict) or str(header.get("alg", "none")).lower() == "none":
            return None
        if isinstance(payload, dict) and "qsh" in payload:
            note = "Atlassian Connect JWT (has a qsh claim)"
        else:
            note = f"JWT signed with {header.get('alg')}"
    elif detector.check == "pem":
        value = _pem_body(value)
        if len(value) < 64 or is_placeholder(value):
            return None
    elif detector.check == "db-url":
        if text.lower() in DEFAULT_DB_PASSWORDS or text == match.group("user").decode("utf-8", "replace"):
            return None
        note = f"password for user `{match.group('user').decode('utf-8', 'replace')[:40]}`"
    elif detector.check in {"random", "mixed-alnum"} and not _looks_random(text, detector):
        return None
    if "name" in match.re.groupindex:
        name = match.group("name").decode("utf-8", "replace")
        if any(part in name.lower() for part in IGNORED_NAME_PARTS):
            return None
        note = f"assigned to `{name[:60]}`"
    return Hit(detector.rule, detector.kind, match.start("s"), value, note)


def _pem_body(block: bytes) -> bytes:
    """The base64 body of a PEM block: escaped line breaks undone, `Name: value` headers dropped."""
    lines = _ESCAPED_BREAK.sub(b"\n", block).splitlines()
    return b"".join(line.strip() for line in lines if b":" not in line)


def _looks_random(text: str, detector: Detector) -> bool:
    if _IDENTIFIER_PATH.fullmatch(text):
        return False
    has_digit = any(c.isdigit() for c in text)
    has_alpha = any(c.isalpha() for c in text)
    if not (has_digit and has_alpha):
        return False
    if detector.check == "mixed-alnum" and not (
        any(c.islower() for c in text) and any(c.isupper() for c in text)
    ):
        return False
    threshold = detector.min_entropy - (0.5 if set(text) <= _HEX else 0.0)
    return shannon_entropy(text) >= threshold
