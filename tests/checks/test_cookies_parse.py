"""RFC 6265 §5.2 Set-Cookie parsing and session-cookie recognition."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest
from hypothesis import given
from hypothesis import strategies as st

from connectsec.checks.headers.cookies import (
    classify_cookie,
    default_path,
    name_tokens,
    parse_cookie_date,
    parse_set_cookie,
    parse_set_cookies,
    safe_set_cookie,
    token_like,
)
from connectsec.redact import Redactor

URL = "https://app.example/app/page/view?x=1"
JWT = "eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiIxMjM0NTY3ODkwIn0.c2lnbmF0dXJlLXNpZ25hdHVyZQ"
TOKEN = "Zq8vR2xNw7Lk3Tf9Hb1Yc6Pd"
NOW = datetime(2025, 6, 1, tzinfo=UTC)

PARSE = [
    # line, name, secure, http_only, path, same_site, domain
    ("sid=abc; Secure; HttpOnly", "sid", True, True, "/app/page", None, None),
    ("sid=abc; secure; httponly", "sid", True, True, "/app/page", None, None),
    ("sid=abc;SECURE;HTTPONLY", "sid", True, True, "/app/page", None, None),
    ("sid=abc; Secure=false; HttpOnly=0", "sid", True, True, "/app/page", None, None),
    ("sid=abc;  Secure  ;  HttpOnly  ", "sid", True, True, "/app/page", None, None),
    ("sid=abc; Path=/", "sid", False, False, "/", None, None),
    ("sid=abc; Path=", "sid", False, False, "/app/page", None, None),
    ("sid=abc; Path=relative", "sid", False, False, "/app/page", None, None),
    ("sid=abc; Path=/a; Path=/b", "sid", False, False, "/b", None, None),
    ("sid=abc; Path=/a; Path=x", "sid", False, False, "/app/page", None, None),
    ("sid=abc; SameSite=none", "sid", False, False, "/app/page", "None", None),
    ("sid=abc; samesite=LAX", "sid", False, False, "/app/page", "Lax", None),
    ("sid=abc; SameSite=Weird", "sid", False, False, "/app/page", "Weird", None),
    ("sid=abc; Domain=.Example.COM", "sid", False, False, "/app/page", None, "example.com"),
    ("sid=abc; Domain=", "sid", False, False, "/app/page", None, None),
    ("  sid  =  abc  ", "sid", False, False, "/app/page", None, None),
    ("sid=a=b=c; Secure", "sid", True, False, "/app/page", None, None),
    ("sid=; HttpOnly", "sid", False, True, "/app/page", None, None),
    ("sid=abc; Expires=Wed, 21 Oct 2099 07:28:00 GMT; Secure", "sid", True, False, "/app/page", None, None),
    ("sid=abc; Securely", "sid", False, False, "/app/page", None, None),
]


@pytest.mark.parametrize(("line", "name", "secure", "http_only", "path", "same_site", "domain"), PARSE)
def test_parse(
    line: str, name: str, secure: bool, http_only: bool, path: str, same_site: str | None, domain: str | None
) -> None:
    cookie = parse_set_cookie(line, URL)
    assert cookie is not None
    assert (cookie.name, cookie.secure, cookie.http_only, cookie.path, cookie.same_site, cookie.domain) == (
        name,
        secure,
        http_only,
        path,
        same_site,
        domain,
    )


@pytest.mark.parametrize("line", ["abc", "abc; Secure", "=abc", "  =abc; Path=/", "", ";sid=abc"])
def test_ignored_lines(line: str) -> None:
    assert parse_set_cookie(line, URL) is None


def test_one_cookie_per_line_never_split_on_commas() -> None:
    lines = ["a=1; Expires=Wed, 21 Oct 2099 07:28:00 GMT, b=2", "c=3"]
    assert [c.name for c in parse_set_cookies(lines, URL)] == ["a", "c"]
    assert parse_set_cookies(lines, URL)[0].value == "1"


DEFAULT_PATHS = [
    ("https://h/", "/"),
    ("https://h", "/"),
    ("https://h/a", "/"),
    ("https://h/a/", "/a"),
    ("https://h/a/b/c?q=/x/y", "/a/b"),
    ("https://[::1", "/"),
]


@pytest.mark.parametrize(("url", "path"), DEFAULT_PATHS)
def test_default_path(url: str, path: str) -> None:
    assert default_path(url) == path


DATES = [
    ("Wed, 21 Oct 2015 07:28:00 GMT", datetime(2015, 10, 21, 7, 28, tzinfo=UTC)),
    ("Wednesday, 21-Oct-15 07:28:00 GMT", datetime(2015, 10, 21, 7, 28, tzinfo=UTC)),
    ("Wed Oct 21 07:28:00 2015", datetime(2015, 10, 21, 7, 28, tzinfo=UTC)),
    ("21 october 1970 00:00:01", datetime(1970, 10, 21, 0, 0, 1, tzinfo=UTC)),
    ("Thu, 01 Jan 70 00:00:00 GMT", datetime(1970, 1, 1, tzinfo=UTC)),
    ("Thu, 01 Jan 69 00:00:00 GMT", datetime(2069, 1, 1, tzinfo=UTC)),
    ("Thu, 31 Feb 2015 00:00:00 GMT", None),
    ("Thu, 01 Jan 2015 24:00:00 GMT", None),
    ("Thu, 01 Jan 1600 00:00:00 GMT", None),
    ("Thu, 01 Jan 2015", None),
    ("0", None),
    ("", None),
    ("Thu, ١ Jan 2015 00:00:00 GMT", None),
]


@pytest.mark.parametrize(("text", "expected"), DATES)
def test_cookie_date(text: str, expected: datetime | None) -> None:
    assert parse_cookie_date(text) == expected


DELETION = [
    ("sid=x; Max-Age=0", True),
    ("sid=x; Max-Age=-1", True),
    ("sid=x; Max-Age=60", False),
    ("sid=x; Max-Age=abc", False),
    ("sid=x; Max-Age=+5; Expires=Thu, 01 Jan 1970 00:00:00 GMT", True),
    ("sid=x; Expires=Thu, 01 Jan 1970 00:00:00 GMT", True),
    ("sid=x; Expires=Thu, 01 Jan 2099 00:00:00 GMT", False),
    ("sid=x; Expires=Thu, 01 Jan 1970 00:00:00 GMT; Max-Age=3600", False),
    ("sid=x; Max-Age=3600; Expires=Thu, 01 Jan 1970 00:00:00 GMT", False),
    ("sid=x; Expires=garbage", False),
    ("sid=; Path=/", True),
    ('sid=""', True),
    ("sid=x", False),
]


@pytest.mark.parametrize(("line", "deleted"), DELETION)
def test_deletion(line: str, deleted: bool) -> None:
    cookie = parse_set_cookie(line, URL)
    assert cookie is not None
    assert cookie.is_deletion(NOW) is deleted


TOKENS = [
    ("connect.sid", ("connect", "sid")),
    ("userSID_x", ("user", "sid", "x")),
    ("ASP.NET_SessionId", ("asp", "net", "session", "id")),
    ("XMLHttpToken", ("xml", "http", "token")),
    ("inside", ("inside",)),
    ("sid2", ("sid", "2")),
]


@pytest.mark.parametrize(("name", "tokens"), TOKENS)
def test_name_tokens(name: str, tokens: tuple[str, ...]) -> None:
    assert name_tokens(name) == tokens


SESSION_BY_NAME = [
    "connect.sid",
    "connect.anything",
    "JSESSIONID",
    "PHPSESSID",
    "laravel_session",
    "ASP.NET_SessionId",
    "ASPSESSIONIDQQGGTRTD",
    "session",
    "SESSION",
    "my_session_cookie",
    "sessionId",
    "express:sess",
    "koa.sess",
    "sid",
    "user_sid",
    "auth",
    "auth_token",
    "access_token",
    "token",
    "jwt",
    "app-jwt",
    "acpt",
    "remember_me",
    "rememberMe",
    "remember_user_token",
    ".AspNetCore.Session",
    "__Host-session",
    "__Secure-next-auth.session-token",
    "ci_session",
    "MYAPPSESSID",
]


@pytest.mark.parametrize("name", SESSION_BY_NAME)
def test_session_by_name(name: str) -> None:
    kind = classify_cookie(name, "x")
    assert (kind.is_session, kind.strength) == (True, "name")
    assert "x" not in kind.reason.replace(name, "").split()


NOT_SESSION = [
    "assessment",
    "inside",
    "possession",
    "theme",
    "lang",
    "locale",
    "_ga",
    "_ga_ABC123",
    "_gid",
    "_fbp",
    "XSRF-TOKEN",
    "csrftoken",
    "_csrf",
    "csrf_session",
    "atlassian.xsrf.token",
    "__RequestVerificationToken",
    "__Host-lang",
    "prefs",
]


@pytest.mark.parametrize("name", NOT_SESSION)
def test_not_session_by_name(name: str) -> None:
    assert not classify_cookie(name, "x").is_session


@pytest.mark.parametrize("name", ["XSRF-TOKEN", "csrftoken", "_csrf", "theme", "_ga"])
def test_csrf_and_preference_cookies_are_never_sessions(name: str) -> None:
    for value in (JWT, TOKEN):
        assert not classify_cookie(name, value).is_session
    assert not classify_cookie(name, TOKEN, set_after_authentication=True).is_session


VALUES = [
    # value, strength
    (JWT, "value-jwt"),
    (f'"{JWT}"', "value-jwt"),
    (f"Bearer%20{JWT}", "value-jwt"),
    (TOKEN, "value-token"),
    ("3f2a1c9e-8b7d-4e6f-a5b4-c3d2e1f0a9b8", "value-token"),
    ("a" * 40, None),
    ("12345678901234567890123", None),
    ("GA1.2.1234567890.1700000000", None),
    ("Zq8vR2xNw7Lk3Tf9Hb1", None),
    ("Zq8vR2xN w7Lk3Tf9Hb1Yc6Pd", None),
    ("dark", None),
    ("", None),
]


@pytest.mark.parametrize(("value", "strength"), VALUES)
def test_session_by_value(value: str, strength: str | None) -> None:
    kind = classify_cookie("prefs", value)
    assert kind.strength == strength
    assert kind.is_session is (strength is not None)
    assert value == "" or value not in kind.reason


def test_set_after_authentication_makes_any_cookie_a_session() -> None:
    kind = classify_cookie("prefs", "dark", set_after_authentication=True)
    assert (kind.is_session, kind.strength) == (True, "after-auth")


@pytest.mark.parametrize(
    ("value", "expected"), [(TOKEN, True), ("abcabcabcabcabcabcabcabc", False), ("x" * 19, False)]
)
def test_token_like(value: str, expected: bool) -> None:
    assert (token_like(value) is not None) is expected


SAFE = [
    (f"sid={TOKEN}; Path=/; Secure", "sid=[REDACTED]; Path=/; Secure"),
    (f"{TOKEN}; Path=/", "[REDACTED]; Path=/"),
    ("sid=; Path=/", "sid=; Path=/"),
    (f"sid={JWT}", "sid=[REDACTED]"),
]


@pytest.mark.parametrize(("line", "shown"), SAFE)
def test_safe_set_cookie(line: str, shown: str) -> None:
    assert safe_set_cookie(Redactor(), line) == shown


@given(st.text(max_size=120), st.text(max_size=40))
def test_parse_never_raises_and_is_deterministic(line: str, path: str) -> None:
    url = f"https://app.example/{path}"
    first = parse_set_cookie(line, url)
    assert first == parse_set_cookie(line, url)
    if first is not None:
        assert first.path.startswith("/")
        first.is_deletion(NOW)
        assert classify_cookie(first.name, first.value) == classify_cookie(first.name, first.value)


@given(st.text(max_size=60))
def test_cookie_date_never_raises(text: str) -> None:
    assert parse_cookie_date(text) == parse_cookie_date(text)
