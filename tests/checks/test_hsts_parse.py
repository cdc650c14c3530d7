"""RFC 6797 §6.1 parsing of Strict-Transport-Security values."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from connectsec.checks.headers.hsts import HstsPolicy, parse_hsts

VALID = [
    # value, max_age, include_subdomains, preload
    ("max-age=31536000", 31536000, False, False),
    ("max-age=31536000; includeSubDomains", 31536000, True, False),
    ("MAX-AGE=31536000; INCLUDESUBDOMAINS; PRELOAD", 31536000, True, True),
    ('max-age="31536000"', 31536000, False, False),
    ("max-age=1;;", 1, False, False),
    (";;max-age=1", 1, False, False),
    ("  max-age = 63072000 ;  includeSubDomains  ", 63072000, True, False),
    ("max-age=0", 0, False, False),
    ("max-age=000123", 123, False, False),
    ("max-age=10; foo=bar; baz", 10, False, False),
    ('max-age=10; foo="a;b,c"', 10, False, False),
    ('max-age=10; foo="esc\\"aped"', 10, False, False),
    ("includeSubDomains; max-age=5", 5, True, False),
    ("max-age=5; preload=yes", 5, False, True),  # Chromium ignores a valued preload
    ("max-age=" + "9" * 40, 10**20, False, False),
]


@pytest.mark.parametrize(("value", "max_age", "subdomains", "preload"), VALID)
def test_valid(value: str, max_age: int, subdomains: bool, preload: bool) -> None:
    assert parse_hsts(value) == HstsPolicy(True, max_age, subdomains, preload, None)


INVALID = [
    # value, words the problem must contain
    ("", "missing"),
    ("includeSubDomains", "missing"),
    ("max-age", "no value"),
    ("max-age=", "no value"),
    ('max-age=""', "1*DIGIT"),
    ("max-age=abc", "1*DIGIT"),
    ("max-age=1e6", "1*DIGIT"),
    ("max-age=-1", "1*DIGIT"),
    ('max-age="12 3"', "1*DIGIT"),
    ("max-age=١٢٣", "unexpected"),
    ("max-age=1; max-age=2", "more than once"),
    ("max-age=1; MAX-AGE=1", "more than once"),
    ("max-age=1; includeSubDomains; includesubdomains", "more than once"),
    ("max-age=1; foo; FOO", "more than once"),
    ("max-age=1; includeSubDomains=1", "must not have a value"),
    ('max-age=1; includeSubDomains=""', "must not have a value"),
    ("max-age=1, includeSubDomains", "unexpected"),
    ("max-age=31536000, max-age=31536000", "unexpected"),
    ("max-age=1 includeSubDomains", "unexpected"),
    ('max-age="1', "unterminated"),
    ('max-age="1\x01"', "control"),
    ("max age=1", "unexpected"),
    ("=1", "unexpected"),
    ("max-age=1; foo=", "no value"),
]


@pytest.mark.parametrize(("value", "problem"), INVALID)
def test_invalid(value: str, problem: str) -> None:
    policy = parse_hsts(value)
    assert not policy.valid
    assert policy.problem is not None
    assert problem in policy.problem


@given(st.text())
def test_never_raises_and_is_deterministic(value: str) -> None:
    first = parse_hsts(value)
    assert first == parse_hsts(value)
    assert first.valid == (first.problem is None)
    assert first.valid == (first.max_age is not None)


@given(st.integers(min_value=0, max_value=10**15), st.sampled_from(["", "; includeSubDomains", ";preload"]))
def test_any_max_age_round_trips(age: int, tail: str) -> None:
    assert parse_hsts(f"max-age={age}{tail}").max_age == age
