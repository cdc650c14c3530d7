"""SessionCookieCheck judgement: once per (name, path), every setting response considered."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from connectsec.checks.headers.cookies import SessionCookieCheck
from connectsec.model import CheckResult, HttpExchange

from .exchanges import BASE, GOOD, exchange, observe, redirect, response

JWT = "eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiIxMjM0NTY3ODkwIn0.c2lnbmF0dXJlLXNpZ25hdHVyZQ"
TOKEN = "Zq8vR2xNw7Lk3Tf9Hb1Yc6Pd"
NOW = datetime(2025, 6, 1, tzinfo=UTC)


def setting(
    *cookies: str, url: str = f"{BASE}/page", extra: tuple[tuple[str, str], ...] = ()
) -> HttpExchange:
    return exchange(response(url, hdrs=(*GOOD, *extra, *(("set-cookie", c) for c in cookies))))


def judge(*exchanges: HttpExchange) -> CheckResult:
    return SessionCookieCheck(now=NOW).judge(observe(*exchanges))


def rules(result: CheckResult) -> list[tuple[str, str]]:
    return [(f.rule, f.location) for f in result.findings]


CASES = [
    ("compliant", [setting("sid=abc; Path=/; Secure; HttpOnly; SameSite=None")], []),
    ("no httponly", [setting("sid=abc; Path=/; Secure")], [("cookie.no-httponly", "sid; path=/")]),
    (
        "no secure",
        [setting("connect.sid=abc; Path=/; HttpOnly")],
        [("cookie.no-secure", "connect.sid; path=/")],
    ),
    (
        "neither",
        [setting("JSESSIONID=abc; Path=/app")],
        [("cookie.no-httponly", "JSESSIONID; path=/app"), ("cookie.no-secure", "JSESSIONID; path=/app")],
    ),
    ("lower-case flags", [setting("sid=abc; path=/; secure; httponly")], []),
    ("Secure=false still secure", [setting("sid=abc; Path=/; Secure=false; HttpOnly")], []),
    (
        "default path",
        [setting("sid=abc; Secure", url=f"{BASE}/app/page")],
        [("cookie.no-httponly", "sid; path=/app")],
    ),
    ("jwt value", [setting(f"prefs={JWT}; Path=/; HttpOnly")], [("cookie.no-secure", "prefs; path=/")]),
    (
        "token value warns",
        [setting(f"visitor={TOKEN}; Path=/")],
        [
            ("cookie.token-like-no-httponly", "visitor; path=/"),
            ("cookie.token-like-no-secure", "visitor; path=/"),
        ],
    ),
    ("csrf cookie readable", [setting(f"XSRF-TOKEN={TOKEN}; Path=/; Secure")], []),
    ("assessment is no session", [setting("assessment=abc; Path=/")], []),
    ("analytics", [setting(f"_ga=GA1.2.{TOKEN}; Path=/")], []),
    ("deleted by max-age", [setting("sid=gone; Path=/; Max-Age=0")], []),
    ("deleted by expires", [setting("sid=gone; Path=/; Expires=Thu, 01 Jan 1970 00:00:00 GMT")], []),
    (
        "expires before response date",
        [
            setting(
                "sid=x; Path=/; Expires=Mon, 01 Jan 2029 00:00:00 GMT",
                extra=(("date", "Tue, 01 Jan 2030 00:00:00 GMT"),),
            )
        ],
        [],
    ),
    (
        "expires after response date",
        [
            setting(
                "sid=x; Path=/; Expires=Mon, 01 Jan 2029 00:00:00 GMT",
                extra=(("date", "Sun, 01 Jan 2028 00:00:00 GMT"),),
            )
        ],
        [("cookie.no-httponly", "sid; path=/"), ("cookie.no-secure", "sid; path=/")],
    ),
    ("cleared to empty", [setting("sid=; Path=/")], []),
    ("nameless line ignored", [setting(f"{TOKEN}; Path=/")], []),
    (
        "two paths, two findings",
        [setting("sid=a; Path=/a; Secure", "sid=b; Path=/b; Secure")],
        [("cookie.no-httponly", "sid; path=/a"), ("cookie.no-httponly", "sid; path=/b")],
    ),
    (
        "one bad instance is enough",
        [
            setting("sid=a; Path=/; Secure; HttpOnly", url=f"{BASE}/a"),
            setting("sid=b; Path=/; Secure", url=f"{BASE}/b"),
        ],
        [("cookie.no-httponly", "sid; path=/")],
    ),
    (
        "redirect hop judged",
        [
            exchange(
                redirect(f"{BASE}/login", f"{BASE}/home", (*GOOD, ("set-cookie", "sid=a; Path=/"))),
                response(f"{BASE}/home"),
            )
        ],
        [("cookie.no-httponly", "sid; path=/"), ("cookie.no-secure", "sid; path=/")],
    ),
    ("plain http not judged", [setting("sid=a; Path=/", url="http://app.example/page")], []),
]


@pytest.mark.parametrize(("exchanges", "expected"), [c[1:] for c in CASES], ids=[c[0] for c in CASES])
def test_findings(exchanges: list[HttpExchange], expected: list[tuple[str, str]]) -> None:
    assert rules(judge(*exchanges)) == expected


def test_urls_and_evidence_of_a_cookie_seen_in_many_places() -> None:
    exchanges = [setting("sid=a; Path=/; Secure; HttpOnly", url=f"{BASE}/ok")]
    exchanges += [setting(f"sid=v{i}; Path=/; Secure", url=f"{BASE}/p{i}") for i in range(7)]
    (finding,) = judge(*exchanges).findings
    urls = dict(finding.extra)["urls"].split()
    assert urls == [f"{BASE}/ok", *(f"{BASE}/p{i}" for i in range(7))]
    assert [e.url for e in finding.evidence] == [f"{BASE}/p{i}" for i in range(5)]
    assert finding.evidence[0].headers == (("set-cookie", "sid=[REDACTED]; Path=/; Secure"),)
    assert "7 response URLs" in finding.detail


def test_samesite_note() -> None:
    result = judge(setting("sid=a; Path=/; Secure; HttpOnly; SameSite=Lax"), setting("other=x"))
    assert result.findings == ()
    (note,) = result.notes
    assert note.startswith("cookie sid will not be sent inside the product iframe (third-party context)")
    assert "SameSite=Lax" in note
    assert judge(setting("sid=a; Secure; HttpOnly")).notes[0].count("no SameSite") == 1
    assert judge(setting("sid=a; Secure; HttpOnly; SameSite=none")).notes == ()


def test_no_session_cookie_passes_with_what_was_tested() -> None:
    result = judge(setting("theme=dark; Path=/"), exchange(response(f"{BASE}/b")))
    assert result.findings == ()
    assert result.skipped is None
    assert (
        result.tested
        == "2 https responses from 2 URLs examined, none set a session cookie (1 other cookie seen)"
    )


def test_values_never_leak() -> None:
    result = judge(
        setting(f"prefs={JWT}; Path=/", f"{TOKEN}; Path=/", f"visitor={TOKEN}", url=f"{BASE}/page?jwt={JWT}")
    )
    assert result.findings
    assert JWT not in repr(result)
    assert TOKEN not in repr(result)


def test_evidence_skips_repeats_of_the_same_response() -> None:
    repeated = [setting("sid=a; Path=/", url=f"{BASE}/same?jwt={JWT}") for _ in range(6)]
    (first, _) = judge(*repeated, setting("sid=b; Path=/", url=f"{BASE}/other")).findings
    assert [e.url for e in first.evidence] == [f"{BASE}/same?jwt=[REDACTED]", f"{BASE}/other"]
    assert "2 response URLs" in first.detail
