"""Severity of an OSV record: CVSS v4/v3/v2 vectors scored by the `cvss` library, else the database's word."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from cvss import CVSS2, CVSS3, CVSS4  # type: ignore[import-untyped]
from cvss.exceptions import CVSSError  # type: ignore[import-untyped]

UNSCORED = "unscored"
RANKS = {UNSCORED: 0, "low": 1, "medium": 2, "high": 3, "critical": 4}
_WORDS = {
    "critical": "critical",
    "high": "high",
    "important": "high",
    "moderate": "medium",
    "medium": "medium",
    "low": "low",
    "negligible": "low",
}


@dataclass(frozen=True)
class Rating:
    """A record's severity word, its CVSS score (if any) and where it came from."""

    severity: str
    score: float | None = None
    source: str = ""


def rating_for_score(score: float) -> str:
    """The CVSS qualitative rating (0.0, `none`, is reported as low: never dropped)."""
    if score >= 9.0:
        return "critical"
    if score >= 7.0:
        return "high"
    if score >= 4.0:
        return "medium"
    return "low"


def cvss_score(kind: str, vector: str) -> float | None:
    """The base score of a CVSS vector (OSV types CVSS_V2/V3/V4); None when it does not parse."""
    try:
        if kind == "CVSS_V4":
            return float(CVSS4(vector).base_score)
        if kind == "CVSS_V3":
            return float(CVSS3(vector).scores()[0])
        if kind == "CVSS_V2":
            return float(CVSS2(vector).scores()[0])
    except (CVSSError, ValueError, KeyError, IndexError, TypeError, AttributeError):
        return None
    return None


def rate(record: Mapping[str, Any], affected: Mapping[str, Any] | None = None) -> Rating:
    """The worst CVSS score among the record's vectors, else `database_specific.severity`, else unscored."""
    best: Rating | None = None
    entries: list[Any] = []
    for holder in (record, affected or {}):
        severity = holder.get("severity")
        if isinstance(severity, Sequence) and not isinstance(severity, str):
            entries.extend(severity)
    for entry in entries:
        if not isinstance(entry, Mapping):
            continue
        vector, kind = entry.get("score"), entry.get("type")
        if not isinstance(vector, str) or not isinstance(kind, str):
            continue
        score = cvss_score(kind, vector)
        if score is not None and (best is None or (best.score or 0.0) < score):
            best = Rating(rating_for_score(score), score, vector)
    if best is not None:
        return best
    for holder in (record.get("database_specific"), *_specifics(affected)):
        if isinstance(holder, Mapping):
            word = holder.get("severity")
            if isinstance(word, str) and word.strip().lower() in _WORDS:
                return Rating(_WORDS[word.strip().lower()], None, "database_specific")
    return Rating(UNSCORED)


def _specifics(affected: Mapping[str, Any] | None) -> tuple[Any, ...]:
    if not affected:
        return ()
    return (affected.get("database_specific"), affected.get("ecosystem_specific"))
