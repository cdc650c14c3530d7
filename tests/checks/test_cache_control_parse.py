"""RFC 9111 Cache-Control parsing: combined headers, quoted strings, qualified no-cache."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from connectsec.checks.headers.cache_control import parse_cache_control

CASES = [
    # header values, no_store, no_cache (unqualified), private
    (["no-cache, no-store"], True, True, False),
    (["No-Cache,NO-STORE"], True, True, False),
    (["no-cache", "no-store"], True, True, False),
    (["no-store"], True, False, False),
    (["private"], False, False, True),
    (["private, max-age=0"], False, False, True),
    (['no-cache="Set-Cookie", no-store'], True, False, False),
    (['no-cache="Set-Cookie, Authorization", no-store'], True, False, False),
    (['no-cache="a", no-cache'], False, True, False),
    (["no-cache=set-cookie"], False, False, False),
    (['private="x,no-store", max-age=5'], False, False, True),
    (['foo="a, no-cache, b"'], False, False, False),
    (["no-cache no-store"], False, False, False),
    ([" , ,no-store,, "], True, False, False),
    (["max-age=0, must-revalidate"], False, False, False),
    ([""], False, False, False),
    ([], False, False, False),
    (["no-store,", "", ",no-cache"], True, True, False),
]


@pytest.mark.parametrize(("values", "no_store", "no_cache", "private"), CASES)
def test_directives(values: list[str], no_store: bool, no_cache: bool, private: bool) -> None:
    parsed = parse_cache_control(values)
    assert (parsed.no_store, parsed.no_cache, parsed.private) == (no_store, no_cache, private)


VALUES = [
    ("max-age=60, s-maxage=5", {"max-age": "60", "s-maxage": "5"}),
    ('no-cache="Set-Cookie, X", public', {"no-cache": "Set-Cookie, X", "public": None}),
    ('ext="a\\"b"', {"ext": 'a"b'}),
    ("max-age=1, max-age=2", {"max-age": "1"}),
    ("MAX-AGE=3", {"max-age": "3"}),
]


@pytest.mark.parametrize(("value", "expected"), VALUES)
def test_values(value: str, expected: dict[str, str | None]) -> None:
    assert parse_cache_control(value).as_dict() == expected


MALFORMED = [
    ("no-cache no-store", ("no-cache no-store",)),
    ('a="unterminated, b', ('a="unterminated, b',)),
    ("a=b c, no-store", ("a=b c",)),
    ('x="a"b', ('x="a"b',)),
    ("=5", ("=5",)),
]


@pytest.mark.parametrize(("value", "malformed"), MALFORMED)
def test_malformed_pieces_are_kept_apart(value: str, malformed: tuple[str, ...]) -> None:
    assert parse_cache_control(value).malformed == malformed


@given(st.lists(st.text(max_size=40), max_size=4))
def test_never_raises_and_is_deterministic(values: list[str]) -> None:
    first = parse_cache_control(values)
    assert first == parse_cache_control(list(values))
    assert all(name == name.lower() for name, _ in first.directives)
