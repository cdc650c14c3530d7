"""Fuzz target: one header value through the HSTS, Cache-Control, Set-Cookie and Referrer-Policy parsers."""

from __future__ import annotations

from connectsec.checks.headers.cache_control import parse_cache_control
from connectsec.checks.headers.cookies import parse_cookie_date, parse_set_cookie
from connectsec.checks.headers.hsts import parse_hsts
from connectsec.checks.headers.referrer_policy import POLICIES, parse_meta_referrer, parse_referrer_policy

REQUEST_URL = "https://app.example/a/b"
SEEDS = (
    b"max-age=31536000; includeSubDomains; preload",
    b'max-age="0"; max-age=1',
    b'no-store, no-cache="Set-Cookie, x", private, max-age=0',
    b"sid=abc; Path=/; Domain=.app.example; Secure; HttpOnly; SameSite=Lax; Max-Age=-5; "
    b"Expires=Wed, 21 Oct 2015 07:28:00 GMT",
    b"no-referrer, unsafe-url, bogus",
)


def test_one_input(data: bytes) -> None:
    """Each parser must return (they never raise), and what they return must hold their invariants."""
    for value in {data.decode("utf-8", "replace"), data.decode("latin-1")}:
        hsts = parse_hsts(value)
        if hsts.valid != (hsts.problem is None) or (hsts.valid and hsts.max_age is None):
            raise AssertionError(f"inconsistent HSTS policy {hsts!r} for {value!r}")
        cache = parse_cache_control(value.split("\n"))
        if any(not name or name != name.lower() for name, _ in cache.directives):
            raise AssertionError(f"bad Cache-Control directive names {cache!r}")
        cookie = parse_set_cookie(value, REQUEST_URL)
        if cookie is not None and (not cookie.name or not cookie.path.startswith("/")):
            raise AssertionError(f"bad cookie {cookie!r}")
        parse_cookie_date(value)
        for policy in (parse_referrer_policy(value), parse_meta_referrer([value])):
            if policy is not None and policy not in POLICIES:
                raise AssertionError(f"unknown referrer policy {policy!r}")
