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

Rank = tuple[int, int, str]
"""Numbers as (1, digit count, digits without leading zeros), so any length compares without int();
non-numbers as (0, 0, text)."""
_ZERO: Rank = (1, 0, "")


def _ranks(version: str) -> list[Rank]:
    ranks: list[Rank] = []
    for part in _SEPARATORS.split(version):
        if _DIGITS.fullmatch(part):
            digits = part.lstrip("0")
            ranks.append((1, len(digits), digits))
        else:
            ranks.append((0, 0, part))
    return ranks


def compare(left: str, right: str) -> int:
    """-1, 0 or 1 as `left` ranks below, equal to or above `right`."""
    a, b = _ranks(left), _ranks(right)
    for index in range(max(len(a), len(b))):
        kx = a[index] if index < len(a) else _ZERO
        ky = b[index] if index < len(b) else _ZERO
        if kx != ky:
            return 1 if kx > ky else -1
    return 0


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
