"""HSTS, Cache-Control, Set-Cookie and Referrer-Policy parsers: never raise, and round-trip what they read."""

from __future__ import annotations

from datetime import UTC, datetime
from email.utils import format_datetime

from hypothesis import strategies as st

from connectsec.checks.headers.cache_control import parse_cache_control
from connectsec.checks.headers.cookies import parse_cookie_date, parse_set_cookie, parse_set_cookies
from connectsec.checks.headers.hsts import parse_hsts
from connectsec.checks.headers.referrer_policy import POLICIES, parse_meta_referrer, parse_referrer_policy
from tests.fuzz.bounds import fuzz

_TCHAR = "!#$%&'*+-.^_`|~0123456789abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ"
_HEADER_ALPHABET = st.sampled_from(list(_TCHAR + ' \t;,="\\\x00\x7f\xff\u2028é'))
header_text = st.one_of(st.text(), st.text(_HEADER_ALPHABET, max_size=80))
"""Arbitrary text, and text made mostly of the characters header grammars care about."""
token = st.text(st.sampled_from(list(_TCHAR)), min_size=1, max_size=12)
ows = st.sampled_from(["", " ", "\t", "  "])
urls = st.one_of(
    st.text(max_size=60),
    st.builds(lambda p: "https://app.example" + p, st.text(max_size=40)),
    st.sampled_from(["https://app.example/a/b/c?x=1", "http://[::1", "https://h/%zz/", "/rel/", ""]),
)


# --- Strict-Transport-Security -----------------------------------------------------------------


@fuzz(header_text)
def test_hsts_never_raises_and_explains_invalid(value: str) -> None:
    policy = parse_hsts(value)
    if policy.valid:
        assert policy.max_age is not None
        assert 0 <= policy.max_age <= 10**20
        assert policy.problem is None
    else:
        assert policy.problem


@fuzz(
    st.integers(min_value=0, max_value=10**30),
    st.booleans(),
    st.booleans(),
    st.lists(st.tuples(ows, ows), min_size=4, max_size=4),
    st.permutations(range(3)),
    st.sampled_from(["max-age", "Max-Age", "MAX-AGE"]),
    st.booleans(),
)
def test_hsts_reads_back_what_was_written(
    max_age: int,
    subdomains: bool,
    preload: bool,
    spaces: list[tuple[str, str]],
    order: list[int],
    spelling: str,
    quoted: bool,
) -> None:
    age = f'"{max_age}"' if quoted else str(max_age)
    directives = [f"{spelling}{spaces[0][0]}={spaces[0][1]}{age}"]
    directives += ["includeSubDomains"] if subdomains else []
    directives += ["preload"] if preload else []
    pieces = [directives[i] for i in order if i < len(directives)]
    value = ";".join(
        f"{before}{piece}{after}" for piece, (before, after) in zip(pieces, spaces[1:], strict=False)
    )
    policy = parse_hsts(value)
    assert policy.valid, (value, policy.problem)
    assert policy.max_age == min(max_age, 10**20)
    assert (policy.include_subdomains, policy.preload) == (subdomains, preload)


@fuzz(header_text)
def test_hsts_duplicate_directives_are_invalid(value: str) -> None:
    policy = parse_hsts(value)
    if policy.valid:
        assert not parse_hsts(f"{value}; max-age=1; max-age=2").valid


# --- Cache-Control ----------------------------------------------------------------------------


def _render(directives: tuple[tuple[str, str | None], ...]) -> str:
    def value(text: str) -> str:
        if text and all(c in _TCHAR for c in text):
            return text
        return '"' + text.replace("\\", "\\\\").replace('"', '\\"') + '"'

    return ", ".join(name if v is None else f"{name}={value(v)}" for name, v in directives)


@fuzz(st.one_of(header_text, st.lists(header_text, max_size=4)))
def test_cache_control_never_raises_and_is_a_fixed_point(values: str | list[str]) -> None:
    parsed = parse_cache_control(values)
    for name, _ in parsed.directives:
        assert name
        assert name == name.lower()
        assert all(c in _TCHAR for c in name)
    again = parse_cache_control(_render(parsed.directives))
    assert again.directives == parsed.directives
    assert again.malformed == ()
    assert (again.no_store, again.no_cache, again.private) == (
        parsed.no_store,
        parsed.no_cache,
        parsed.private,
    )


@fuzz(st.lists(st.tuples(token, st.one_of(st.none(), st.text(max_size=20))), max_size=6))
def test_cache_control_reads_back_rendered_directives(directives: list[tuple[str, str | None]]) -> None:
    parsed = parse_cache_control(_render(tuple(directives)))
    assert parsed.directives == tuple((name.lower(), value) for name, value in directives)


# --- Set-Cookie -------------------------------------------------------------------------------


@fuzz(header_text, urls)
def test_set_cookie_never_raises(line: str, url: str) -> None:
    cookie = parse_set_cookie(line, url)
    if cookie is None:
        return
    assert cookie.name
    assert cookie.name == cookie.name.strip(" \t")
    assert cookie.path.startswith("/")
    if cookie.max_age is not None:
        assert -(10**12) <= cookie.max_age <= 10**12
    assert cookie.raw == line
    cookie.is_deletion(datetime(2026, 1, 1, tzinfo=UTC))
    assert parse_set_cookies([line, line], url) == (cookie, cookie)


_cookie_value = st.text(st.characters(blacklist_characters=";", blacklist_categories=("Cs",)), max_size=20)


@fuzz(
    token,
    _cookie_value.map(lambda v: v.strip(" \t")),
    st.booleans(),
    st.booleans(),
    st.sampled_from([None, "Strict", "lax", "NONE"]),
    st.one_of(st.none(), st.integers(min_value=-(10**15), max_value=10**15)),
)
def test_set_cookie_reads_back_attributes(
    name: str, value: str, secure: bool, http_only: bool, same_site: str | None, max_age: int | None
) -> None:
    parts = [f"{name}={value}"]
    parts += ["Secure"] if secure else []
    parts += ["HttpOnly"] if http_only else []
    parts += [f"SameSite={same_site}"] if same_site else []
    parts += [f"Max-Age={max_age}"] if max_age is not None else []
    cookie = parse_set_cookie("; ".join(parts), "https://app.example/a/b")
    assert cookie is not None
    assert (cookie.name, cookie.value, cookie.secure, cookie.http_only) == (name, value, secure, http_only)
    assert cookie.same_site == (same_site.capitalize() if same_site else None)
    if max_age is not None:
        assert cookie.max_age == max(min(max_age, 10**12), -(10**12))
    assert cookie.path == "/a"


@fuzz(header_text)
def test_cookie_date_never_raises(text: str) -> None:
    when = parse_cookie_date(text)
    assert when is None or (when.tzinfo is UTC and when.year >= 1601)


@fuzz(st.datetimes(min_value=datetime(1601, 1, 1), max_value=datetime(9999, 12, 31)))
def test_cookie_date_reads_back_http_dates(when: datetime) -> None:
    when = when.replace(microsecond=0, tzinfo=UTC)
    text = format_datetime(when, usegmt=True)
    assert parse_cookie_date(text) == when


# --- Referrer-Policy --------------------------------------------------------------------------


policy_list = st.lists(st.one_of(st.sampled_from(sorted(POLICIES)), header_text), max_size=5)


@fuzz(st.one_of(header_text, st.lists(header_text, max_size=4)))
def test_referrer_policy_is_known_or_none_and_a_fixed_point(values: str | list[str]) -> None:
    policy = parse_referrer_policy(values)
    assert policy is None or policy in POLICIES
    if policy is not None:
        assert parse_referrer_policy(policy) == policy
        assert parse_meta_referrer([policy]) == policy


@fuzz(policy_list, policy_list)
def test_referrer_policy_last_recognised_token_wins(first: list[str], second: list[str]) -> None:
    later = parse_referrer_policy(second)
    combined = parse_referrer_policy([*first, *second])
    assert combined == (later if later is not None else parse_referrer_policy(first))
