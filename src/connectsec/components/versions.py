"""Retire.js version ordering: loose, not SemVer, so the repository's odd bounds compare as upstream does.

Versions split on `.` and `-`; parts made only of digits compare as numbers, others as strings; a
number ranks above a non-number (`1.0.0` > `1.0.rc1`, `1.9.0` > `1.9.0b1`); a missing part counts
as the number 0, so `1.0` equals `1.0.0` and `1.0.0-beta` ranks below `1.0.0`, but `1.0.0-1` above it.
"""

from __future__ import annotations

import re
from collections.abc import Sequence

_SEPARATORS = re.compile(r"[.\-]")
_DIGITS = re.compile(r"[0-9]+")

Part = int | str


def _parts(version: str) -> list[Part]:
    return [int(p) if _DIGITS.fullmatch(p) else p for p in _SEPARATORS.split(version)]


def compare(left: str, right: str) -> int:
    """-1, 0 or 1 as `left` ranks below, equal to or above `right`."""
    a, b = _parts(left), _parts(right)
    for index in range(max(len(a), len(b))):
        x: Part = a[index] if index < len(a) else 0
        y: Part = b[index] if index < len(b) else 0
        kx, ky = _rank(x), _rank(y)
        if kx != ky:
            return 1 if kx > ky else -1
    return 0


def _rank(part: Part) -> tuple[int, int, str]:
    """Numbers compare numerically and above every non-number; non-numbers compare as strings."""
    return (1, part, "") if isinstance(part, int) else (0, 0, part)


def at_or_above(version: str, bound: str) -> bool:
    """Retire.js `isAtOrAbove`."""
    return compare(version, bound) >= 0


def in_range(
    version: str, below: str | None, at_or_above_bound: str | None = None, excludes: Sequence[str] = ()
) -> bool:
    """Whether `version` is in [`at_or_above_bound`, `below`) and not excluded (Retire.js `check`)."""
    if below is not None and at_or_above(version, below):
        return False
    if at_or_above_bound is not None and not at_or_above(version, at_or_above_bound):
        return False
    return version not in excludes
