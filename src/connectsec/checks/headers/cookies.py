"""R11: HttpOnly and Secure on session cookies. Set-Cookie parsed per RFC 6265 §5.2."""

from __future__ import annotations

import math
import re
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass, replace
from datetime import UTC, datetime
from typing import Literal
from urllib.parse import unquote, urlsplit

from connectsec.checks.evidence import evidence_for
from connectsec.checks.headers._judging import HeaderCheck, Judgement, is_https_url, plural
from connectsec.model import AuthMode, CheckResult, Evidence, HttpExchange, HttpResponse, Observations
from connectsec.redact import MASK, Redactor

Strength = Literal["name", "value-jwt", "value-token", "after-auth"]
MAX_COOKIE_EVIDENCE = 5
MIN_TOKEN_LENGTH = 20
MIN_TOKEN_ENTROPY = 3.5

_WS = " \t"
_DATE_DELIMITER = re.compile(r"[\x09\x20-\x2f\x3b-\x40\x5b-\x60\x7b-\x7e]+")
_TIME = re.compile(r"([0-9]{1,2}):([0-9]{1,2}):([0-9]{1,2})(?:[^0-9].*)?$", re.DOTALL)
_DAY = re.compile(r"([0-9]{1,2})(?:[^0-9].*)?$", re.DOTALL)
_YEAR = re.compile(r"([0-9]{2,4})(?:[^0-9].*)?$", re.DOTALL)
_MAX_AGE = re.compile(r"-?[0-9]+")
_NAME_PREFIX = re.compile(r"^__(?:host|secure)-", re.IGNORECASE)
_MONTHS = ("jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec")

_NAME_TOKENS = re.compile(r"[A-Z]+(?![a-z])|[A-Z]?[a-z]+|[0-9]+")
_JWT = re.compile(r"(?<![A-Za-z0-9_-])eyJ[A-Za-z0-9_-]+\.eyJ[A-Za-z0-9_-]+\.[A-Za-z0-9_-]*")
_TOKEN_VALUE = re.compile(r"[A-Za-z0-9+/=_.-]+")
_GA_VALUE = re.compile(r"G[AS][0-9]+\.[0-9]+\.", re.IGNORECASE)

# Whole names (lower-cased) of well-known session and login cookies.
_SESSION_NAMES = frozenset(
    {
        "jsessionid",
        "phpsessid",
        "laravel_session",
        "asp.net_sessionid",
        ".aspxauth",
        ".aspnetcore.cookies",
        ".aspnetcore.identity.application",
        "cfid",
        "cftoken",
        "keycloak_identity",
        "keycloak_session",
        "remember_me",
        "rememberme",
        "sessid",
        "sid",
        "ssid",
    }
)
_SESSION_PREFIXES = ("connect.", "aspsessionid", "wordpress_logged_in", "wordpress_sec_")
# Name tokens (after splitting on non-alphanumerics and camelCase) that mark a session cookie.
_SESSION_TOKENS = frozenset(
    {
        "sess",
        "sid",
        "auth",
        "token",
        "jwt",
        "acpt",
        "authtoken",
        "accesstoken",
        "refreshtoken",
        "idtoken",
        "bearer",
    }
)
_NOT_SESSION_WORDS = frozenset({"possession", "obsession", "obsessions", "possessions"})
_CSRF_MARKERS = ("csrf", "xsrf", "antiforgery", "requestverificationtoken")
# Preference, analytics and load-balancer cookies: never session carriers (lower-cased).
_PREFERENCE_NAMES = frozenset(
    {
        "theme",
        "lang",
        "language",
        "locale",
        "i18n",
        "tz",
        "timezone",
        "_gid",
        "_fbp",
        "_fbc",
        "amp_token",
        "awsalb",
        "awsalbcors",
        "awsalbtg",
        "awsalbtgcors",
        "awselb",
        "arraffinity",
        "arraffinitysamesite",
        "optanonconsent",
        "optanonalertboxclosed",
        "cookieconsent",
        "cookie_consent",
    }
)
_PREFERENCE_PREFIXES = ("_ga", "_gat", "_gcl_", "__utm", "_hj", "ajs_")


@dataclass(frozen=True)
class SetCookie:
    """One Set-Cookie line, parsed. Holds the value: never put it in a finding."""

    name: str
    value: str
    path: str
    """The Path attribute, or the default-path of the request URL (RFC 6265 §5.1.4)."""
    domain: str | None
    secure: bool
    http_only: bool
    same_site: str | None
    """`Strict`, `Lax`, `None`, another value as sent, or None when absent."""
    max_age: int | None
    expires: datetime | None
    raw: str

    def is_deletion(self, now: datetime) -> bool:
        """Whether the cookie is being removed (expired on arrival, or cleared to an empty value)."""
        if not self.value.strip('"'):
            return True
        if self.max_age is not None:
            return self.max_age <= 0
        return self.expires is not None and self.expires <= now


@dataclass(frozen=True)
class CookieClass:
    """Whether a cookie carries a session, how that was recognised, and why (never the value)."""

    is_session: bool
    strength: Strength | None
    reason: str


def default_path(request_url: str) -> str:
    """RFC 6265 §5.1.4 default-path of a request URL."""
    try:
        path = urlsplit(request_url).path
    except ValueError:
        return "/"
    if not path.startswith("/") or path.count("/") <= 1:
        return "/"
    return path[: path.rindex("/")]


def parse_cookie_date(text: str) -> datetime | None:
    """RFC 6265 §5.1.1 cookie-date, as UTC, or None when it does not parse; never raises."""
    time: tuple[int, int, int] | None = None
    day = month = year = None
    for token in _DATE_DELIMITER.split(text):
        if not token:
            continue
        if time is None and (m := _TIME.match(token)):
            time = (int(m.group(1)), int(m.group(2)), int(m.group(3)))
        elif day is None and (m := _DAY.match(token)):
            day = int(m.group(1))
        elif month is None and token[:3].lower() in _MONTHS:
            month = _MONTHS.index(token[:3].lower()) + 1
        elif year is None and (m := _YEAR.match(token)):
            year = int(m.group(1))
    if time is None or day is None or month is None or year is None:
        return None
    if 70 <= year <= 99:
        year += 1900
    elif 0 <= year <= 69:
        year += 2000
    hour, minute, second = time
    if not 1 <= day <= 31 or year < 1601 or hour > 23 or minute > 59 or second > 59:
        return None
    try:
        return datetime(year, month, day, hour, minute, second, tzinfo=UTC)
    except ValueError:
        return None


def parse_set_cookie(line: str, request_url: str) -> SetCookie | None:
    """Parse one Set-Cookie line (RFC 6265 §5.2); None when browsers ignore it; never raises."""
    pair, _, unparsed = line.partition(";")
    if "=" not in pair:
        return None
    name, _, value = pair.partition("=")
    name, value = name.strip(_WS), value.strip(_WS)
    if not name:
        return None
    path: str | None = None
    domain: str | None = None
    secure = http_only = False
    same_site: str | None = None
    max_age: int | None = None
    expires: datetime | None = None
    for attribute in unparsed.split(";"):
        attr_name, _, attr_value = attribute.partition("=")
        key, attr_value = attr_name.strip(_WS).lower(), attr_value.strip(_WS)
        if key == "secure":
            secure = True
        elif key == "httponly":
            http_only = True
        elif key == "path":
            path = attr_value if attr_value.startswith("/") else None
        elif key == "domain" and attr_value:
            domain = attr_value.lstrip(".").lower()
        elif key == "samesite":
            same_site = {"strict": "Strict", "lax": "Lax", "none": "None"}.get(attr_value.lower(), attr_value)
        elif key == "max-age" and _MAX_AGE.fullmatch(attr_value):
            max_age = max(min(int(attr_value[:20]), 10**12), -(10**12))
        elif key == "expires":
            expires = parse_cookie_date(attr_value) or expires
    return SetCookie(
        name=name,
        value=value,
        path=path or default_path(request_url),
        domain=domain,
        secure=secure,
        http_only=http_only,
        same_site=same_site,
        max_age=max_age,
        expires=expires,
        raw=line,
    )


def name_tokens(name: str) -> tuple[str, ...]:
    """A cookie name split on non-alphanumerics and camelCase, lower-cased (`userSID_x` → user, sid, x)."""
    return tuple(t.lower() for t in _NAME_TOKENS.findall(name))


def shannon_entropy(text: str) -> float:
    """Bits per character."""
    if not text:
        return 0.0
    counts = Counter(text)
    size = len(text)
    return -sum(n / size * math.log2(n / size) for n in counts.values())


def _session_name_reason(name: str) -> str | None:
    lower = name.lower()
    if lower in _SESSION_NAMES:
        return f"the name {name!r} is a well-known session cookie name"
    for prefix in _SESSION_PREFIXES:
        if lower.startswith(prefix) and len(lower) > len(prefix):
            return f"the name starts with {prefix!r}"
    for token in name_tokens(name):
        if token in _SESSION_TOKENS:
            return f"the name contains the word {token!r}"
        if ("session" in token or "sessid" in token) and token not in _NOT_SESSION_WORDS:
            return f"the name contains the word {token!r}"
        if token.startswith("remember"):
            return "the name marks a remember-me login"
    return None


def is_csrf_cookie(name: str) -> bool:
    """CSRF tokens are read by JavaScript on purpose, so HttpOnly would break them."""
    lower = name.lower()
    return any(marker in lower for marker in _CSRF_MARKERS)


def is_preference_cookie(name: str) -> bool:
    """Preference, consent, analytics and load-balancer cookies."""
    lower = name.lower()
    return lower in _PREFERENCE_NAMES or lower.startswith(_PREFERENCE_PREFIXES)


def token_like(value: str) -> float | None:
    """The entropy of a long random-looking token value, or None when the value is not one."""
    if len(value) < MIN_TOKEN_LENGTH or not _TOKEN_VALUE.fullmatch(value) or value.isdigit():
        return None
    if _GA_VALUE.match(value):
        return None
    entropy = shannon_entropy(value)
    return entropy if entropy >= MIN_TOKEN_ENTROPY else None


def classify_cookie(name: str, value: str, set_after_authentication: bool = False) -> CookieClass:
    """Whether a cookie carries a session: by name, by a JWT or token-shaped value, or by when it was set."""
    name = _NAME_PREFIX.sub("", name, count=1)
    if is_csrf_cookie(name):
        return CookieClass(False, None, "a CSRF token cookie, which JavaScript must be able to read")
    if is_preference_cookie(name):
        return CookieClass(False, None, "a preference, consent, analytics or load-balancer cookie")
    reason = _session_name_reason(name)
    if reason is not None:
        return CookieClass(True, "name", reason)
    candidates = dict.fromkeys((value.strip('"'), unquote(value.strip('"'))))
    if any(_JWT.search(v) for v in candidates):
        return CookieClass(True, "value-jwt", "the value is a JWT")
    if set_after_authentication:
        return CookieClass(True, "after-auth", "it was set in response to an authenticated request")
    for candidate in candidates:
        entropy = token_like(candidate)
        if entropy is not None:
            return CookieClass(
                True,
                "value-token",
                f"the value is a {len(candidate)}-character random-looking token ({entropy:.1f} bits/char)",
            )
    return CookieClass(False, None, "neither its name nor its value marks a session")


def _response_time(response: HttpResponse, fallback: datetime) -> datetime:
    date = response.header("date")
    parsed = parse_cookie_date(date) if date else None
    return parsed or fallback


def safe_set_cookie(redactor: Redactor, line: str) -> str:
    """A Set-Cookie line with its value masked, even when the line has no `name=`."""
    pair, sep, attrs = line.partition(";")
    if "=" not in pair:
        return redactor.text(MASK + sep + attrs)
    name, _, value = pair.partition("=")
    return redactor.text(f"{name}={MASK if value.strip() else value}{sep}{attrs}")


@dataclass
class _Seen:
    cookie: SetCookie
    exchange: HttpExchange
    response: HttpResponse
    kind: CookieClass


_RANK: dict[Strength | None, int] = {None: 0, "value-token": 1, "after-auth": 2, "value-jwt": 2, "name": 3}
_FLAG_RULES = {
    ("http_only", True): "cookie.no-httponly",
    ("http_only", False): "cookie.token-like-no-httponly",
    ("secure", True): "cookie.no-secure",
    ("secure", False): "cookie.token-like-no-secure",
}


class SessionCookieCheck(HeaderCheck):
    """R11: every session cookie set over https is `HttpOnly` and `Secure`.

    A cookie is judged once per (name, path) across every response that set it; one instance
    without a flag is enough for a finding. Cookies being deleted are not judged.
    """

    requirement = "R11"

    def __init__(self, redactor: Redactor | None = None, now: datetime | None = None) -> None:
        super().__init__(redactor)
        self._now = now

    def judge(self, observations: Observations) -> CheckResult:
        """Judge every Set-Cookie of every https response."""
        judgement = Judgement(self.requirement, self._redactor, max_evidence=MAX_COOKIE_EVIDENCE)
        now = self._now or datetime.now(UTC)
        groups: dict[tuple[str, str], list[_Seen]] = {}
        for exchange, hop in judgement.app_https_hops(observations):
            judgement.judged(hop.url, exchange)
            after_auth = exchange.request.auth is AuthMode.TENANT
            reference = _response_time(hop, now)
            for line in hop.set_cookies:
                cookie = parse_set_cookie(line, hop.url)
                if cookie is None or cookie.is_deletion(reference):
                    continue
                kind = classify_cookie(cookie.name, cookie.value, set_after_authentication=after_auth)
                groups.setdefault((cookie.name, cookie.path), []).append(_Seen(cookie, exchange, hop, kind))
        sessions = 0
        for (name, path), seen in groups.items():
            strongest = max((s.kind for s in seen), key=lambda k: _RANK[k.strength])
            if not strongest.is_session:
                continue
            sessions += 1
            self._judge_cookie(judgement, name, path, seen, strongest)
        judgement.unreached(observations, lambda e: is_https_url(e.request.url))
        tested = f"{judgement.counted()} examined"
        if sessions:
            tested += (
                f"; {plural(sessions, 'session cookie')} judged among {plural(len(groups), 'cookie')} set"
            )
        else:
            others = f" ({plural(len(groups), 'other cookie')} seen)" if groups else ""
            tested += f", none set a session cookie{others}"
        return judgement.result(tested, "no https response was received, so no cookie could be judged")

    def _judge_cookie(
        self, judgement: Judgement, name: str, path: str, seen: list[_Seen], kind: CookieClass
    ) -> None:
        location = f"{name}; path={path}"
        urls = " ".join(dict.fromkeys(judgement.url(s.response.url) for s in seen))
        extra = (("urls", urls),)
        strong = kind.strength != "value-token"
        for flag, label in (("http_only", "HttpOnly"), ("secure", "Secure")):
            offending = [s for s in seen if not getattr(s.cookie, flag)]
            if not offending:
                continue
            where = plural(len({judgement.url(s.response.url) for s in offending}), "response URL")
            detail = (
                f"Cookie {name!r} (path {path}) is treated as a session cookie because {kind.reason}; "
                f"it is set without {label} by {where}."
            )
            for item in offending:
                judgement.add(
                    _FLAG_RULES[(flag, strong)],
                    location,
                    detail,
                    self._evidence(item),
                    extra,
                    auth=item.exchange.request.auth,
                )
        same_sites = {s.cookie.same_site for s in seen}
        if any(v is None or v.lower() != "none" for v in same_sites):
            shown = ", ".join(
                sorted(f"SameSite={v}" if v else "no SameSite (browsers default to Lax)" for v in same_sites)
            )
            judgement.notes[
                f"cookie {name} will not be sent inside the product iframe (third-party context) unless "
                f"SameSite=None; Secure (seen: {shown})"
            ] = None

    def _evidence(self, item: _Seen) -> Evidence:
        evidence = evidence_for(item.exchange, item.response, (), redactor=self._redactor)
        return replace(evidence, headers=(("set-cookie", safe_set_cookie(self._redactor, item.cookie.raw)),))


def parse_set_cookies(lines: Iterable[str], request_url: str) -> tuple[SetCookie, ...]:
    """Every cookie a response sets, one per Set-Cookie line, ignored lines dropped."""
    return tuple(c for c in (parse_set_cookie(line, request_url) for line in lines) if c is not None)


SESSION_COOKIE_CHECK = SessionCookieCheck()
