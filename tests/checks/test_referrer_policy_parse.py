"""W3C Referrer Policy: header lists, last recognised token; meta values with legacy keywords."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from connectsec.checks.headers.referrer_policy import (
    POLICIES,
    UNSAFE_POLICIES,
    parse_meta_referrer,
    parse_referrer_policy,
)

HEADER = [
    (["no-referrer"], "no-referrer"),
    (["no-referrer, unsafe-url"], "unsafe-url"),
    (["unsafe-url, foo"], "unsafe-url"),
    (["unsafe-url, strict-origin-when-cross-origin"], "strict-origin-when-cross-origin"),
    (["foo"], None),
    ([""], None),
    ([" , ,"], None),
    (["  Strict-Origin  "], "strict-origin"),
    (["ORIGIN-WHEN-CROSS-ORIGIN"], "origin-when-cross-origin"),
    (["same-origin", "unsafe-url"], "unsafe-url"),
    (["unsafe-url", "no-referrer"], "no-referrer"),
    (["no-referrer", "bogus"], "no-referrer"),
    (["no-referrer-when-downgrade"], "no-referrer-when-downgrade"),
    (["never"], None),
    (["always"], None),
    (["default"], None),
    (["'no-referrer'"], None),
    (["no-referrer;unsafe-url"], None),
    (["origin,\tstrict-origin"], "strict-origin"),
]


@pytest.mark.parametrize(("values", "expected"), HEADER)
def test_header(values: list[str], expected: str | None) -> None:
    assert parse_referrer_policy(values) == expected


def test_header_accepts_a_single_string() -> None:
    assert parse_referrer_policy("no-referrer, unsafe-url") == "unsafe-url"


META = [
    (["never"], "no-referrer"),
    (["always"], "unsafe-url"),
    (["origin-when-crossorigin"], "origin-when-cross-origin"),
    (["default"], "strict-origin-when-cross-origin"),
    (["NEVER"], "no-referrer"),
    ([" unsafe-url "], "unsafe-url"),
    (["bogus"], None),
    ([""], None),
    ([], None),
    (["unsafe-url", "bogus"], "unsafe-url"),
    (["no-referrer", "always"], "unsafe-url"),
    (["always", "no-referrer"], "no-referrer"),
    (["no-referrer, unsafe-url"], "unsafe-url"),
]


@pytest.mark.parametrize(("contents", "expected"), META)
def test_meta(contents: list[str], expected: str | None) -> None:
    assert parse_meta_referrer(contents) == expected


def test_unsafe_set() -> None:
    assert frozenset({"unsafe-url", "no-referrer-when-downgrade"}) == UNSAFE_POLICIES
    assert UNSAFE_POLICIES < POLICIES


@given(st.lists(st.text(max_size=60), max_size=4))
def test_never_raises_and_is_deterministic(values: list[str]) -> None:
    header = parse_referrer_policy(values)
    meta = parse_meta_referrer(values)
    assert header == parse_referrer_policy(list(values))
    assert meta == parse_meta_referrer(list(values))
    assert header is None or header in POLICIES
    assert meta is None or meta in POLICIES
