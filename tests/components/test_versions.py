"""Retire.js version ordering, the odd bounds of the repository included."""

from __future__ import annotations

import pytest

from connectsec.components.versions import at_or_above, compare, in_range


@pytest.mark.parametrize(
    ("left", "right", "order"),
    [
        ("1.8.3", "1.9.0", -1),
        ("1.10.0", "1.9.0", 1),  # numerically, not as strings
        ("1.0", "1.0.0", 0),  # a missing part counts as 0
        ("1.5.1.2", "1.5.1", 1),
        ("1.5.1.2", "1.5.2", -1),
        ("1.0RC2", "1.0", -1),  # "0RC2" is a string part, "0" a number: the number ranks above
        ("1.0RC2", "1.1", -1),
        ("3.0.RC3", "3.0.0", -1),  # a number ranks above a non-number
        ("3.0.RC3", "3.0.RC2", 1),
        ("3.0.1", "3.0.RC3", 1),
        ("1.9.0b1", "1.9.0", -1),
        ("1.8.3", "1.9.0b1", -1),
        ("1.9.1", "1.9.0b1", 1),
        ("3.0.0-beta1", "3.0.0", -1),  # the missing part is the number 0, above "beta1"
        ("3.0.0-1", "3.0.0", 1),  # … but below the number 1
        ("1.0.0.beta.3", "1.0.0", -1),
        ("3.0.0-beta1", "3.0.0-rc1", -1),
        ("15.0.0-canary.206", "15.0.0-canary.9", 1),
    ],
)
def test_compare(left: str, right: str, order: int) -> None:
    assert compare(left, right) == order
    assert compare(right, left) == -order


def test_number_part_ranks_above_string_part_in_the_same_position() -> None:
    # 1.9.0b1: parts [1, 9, "0b1"]; 1.9.0: [1, 9, 0]: the number 0 ranks above the string "0b1".
    assert compare("1.9.0", "1.9.0b1") == 1
    assert not at_or_above("1.9.0b1", "1.9.0")


def test_in_range_bounds() -> None:
    assert in_range("1.8.3", below="1.9.0b1")
    assert not in_range("1.9.0b1", below="1.9.0b1")  # below is exclusive
    assert in_range("1.2.1", below="1.9.0", at_or_above_bound="1.2.1")  # atOrAbove is inclusive
    assert not in_range("1.2.0", below="1.9.0", at_or_above_bound="1.2.1")
    assert in_range("0.0.1", below=None)  # no upper bound
    assert in_range("2.0.0", below="999.999.999")


def test_in_range_excludes() -> None:
    assert not in_range("1.12.4-aem", below="2.999.999", excludes=("1.12.4-aem",))
    assert in_range("1.12.4", below="2.999.999", excludes=("1.12.4-aem",))
