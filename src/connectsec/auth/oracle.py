"""The access oracle: was a request refused, or did it get what an authenticated user gets?

Pure functions over recorded exchanges. Reasons are one sentence, quote at most 80 characters of a
response and never a token.
"""

from __future__ import annotations

import difflib
import json
import re
from collections import Counter
from collections.abc import Callable, Hashable, Sequence
from dataclasses import dataclass
from enum import StrEnum
from typing import Any, TypeVar
from urllib.parse import urljoin, urlsplit

from connectsec.model import HttpExchange, HttpResponse

_T = TypeVar("_T", bound=Hashable)

SIMILAR_ENOUGH = 0.85
_MAX_CHARS = 20_000
_SHORT_TEXT = 1_000
_QUOTE_MAX = 80
_TYPE_MISMATCH_FACTOR = 0.6


class Access(StrEnum):
    """What a request obtained."""

    REFUSED = "refused"
    ACCEPTED = "accepted"
    SHELL = "shell"
    """Served without authentication, but nothing tenant-specific recognised (a static shell)."""
    INCONCLUSIVE = "inconclusive"


@dataclass(frozen=True)
class AccessJudgement:
    """The oracle's answer and a one-sentence reason, recorded as evidence."""

    access: Access
    reason: str


# --- text helpers -------------------------------------------------------------------------------------

_JWT = re.compile(r"eyJ[A-Za-z0-9_-]*\.[A-Za-z0-9_-]*(?:\.[A-Za-z0-9_-]*)?")
_JWT_PARAM = re.compile(r"(?i)(jwt|token|acpt)=[^&\s]*")
_CHARSET = re.compile(r"charset=[\"']?([\w.-]+)", re.IGNORECASE)
_SCRIPT_STYLE = re.compile(r"(?is)<(script|style)\b.*?</\1\s*>")
_TAG = re.compile(r"(?s)<[^>]*>")
_TITLE = re.compile(r"(?is)<title\b[^>]*>(.*?)</title\s*>")
_HEADING = re.compile(r"(?is)<h[12]\b[^>]*>(.*?)</h[12]\s*>")
_PASSWORD_INPUT = re.compile(r"(?i)<input\b[^>]*type\s*=\s*[\"']?password")
_DENIAL = re.compile(
    r"(?i)\b(log ?in|sign[ -]?in|unauthori[sz]ed|unauthenticated|not authori[sz]ed|not authenticated"
    r"|access denied|forbidden|permission|invalid token|invalid jwt"
    r"|jwt (?:is )?expired|token (?:has )?expired"
    r"|authentication (?:required|failed)|could not find authentication|session (?:has )?expired"
    r"|request has expired|please open this page from)"
)
_LOGIN_PATH = re.compile(
    r"(?i)(^|/)(log[-_]?in|sign[-_]?in|auth|oauth2?|sso|saml|session|account/login)(/|$|\.)"
)
_ERROR_KEYS = frozenset({"error", "message", "status", "code", "detail"})
_ERROR_FIELDS = ("error", "message", "detail", "error_description", "errorMessage", "errorMessages", "reason")


def _decode_text(response: HttpResponse) -> str:
    """The body as text (charset from Content-Type, else UTF-8), at most 20,000 characters."""
    match = _CHARSET.search(response.header("content-type") or "")
    encoding = match.group(1) if match else "utf-8"
    body = response.body[: _MAX_CHARS * 4]
    try:
        text = body.decode(encoding, errors="replace")
    except LookupError:
        text = body.decode("utf-8", errors="replace")
    return text[:_MAX_CHARS]


def _visible_text(text: str) -> str:
    return " ".join(_TAG.sub(" ", _SCRIPT_STYLE.sub(" ", text)).split())


def _json(text: str) -> Any:
    stripped = text.strip()
    if not stripped or stripped[0] not in "[{":
        return None
    try:
        return json.loads(stripped)
    except (ValueError, RecursionError):
        return None


def _safe(text: str) -> str:
    """Free text fit for a reason: tokens masked, whitespace collapsed, at most 80 characters."""
    cleaned = " ".join(_JWT_PARAM.sub(r"\1=…", _JWT.sub("…", text)).split())
    return cleaned if len(cleaned) <= _QUOTE_MAX else cleaned[: _QUOTE_MAX - 1] + "…"


# --- similarity ---------------------------------------------------------------------------------------

_ISO_TIME = re.compile(
    r"\d{4}-\d{2}-\d{2}(?:[T ]\d{2}:\d{2}(?::\d{2}(?:\.\d+)?)?(?:Z|[+-]\d{2}:?\d{2})?)?"
    r"|\b(?:Mon|Tue|Wed|Thu|Fri|Sat|Sun), \d{2} \w{3} \d{4} \d{2}:\d{2}:\d{2} GMT"
)
_UUID = re.compile(r"\b[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}\b")
_NONCE_ATTR = re.compile(
    r"""(?i)((?:nonce|[\w-]*csrf[\w-]*|[\w-]*xsrf[\w-]*|authenticity_token|state)["']?\s*[=:]\s*["']?)"""
    r"""[^"'\s>&,;]+"""
)
_NONCE_META = re.compile(r"""(?i)((?:csrf|xsrf|nonce)[^<>]{0,80}?(?:value|content)\s*=\s*["'])[^"']*""")
_OPAQUE = re.compile(r"[A-Za-z0-9+/_-]{16,}={0,2}")
_DIGITS = re.compile(r"\d+")
_TOKENS = re.compile(r"\w+|[^\w\s]")
_LINE_ENDS = frozenset({">", ",", ";", "{", "}", "[", "]"})
_DIFF_BUDGET = 150_000


def _opaque(match: re.Match[str]) -> str:
    value = match.group(0)
    has_digit = any(c.isdigit() for c in value)
    has_alpha = any(c.isalpha() for c in value)
    return "~tok~" if has_digit and (has_alpha or len(value) >= 16) else value


def _normalised(text: str) -> str:
    text = _JWT.sub("~jwt~", text)
    text = _NONCE_META.sub(r"\1~v~", text)
    text = _NONCE_ATTR.sub(r"\1~v~", text)
    text = _UUID.sub("~id~", text)
    text = _ISO_TIME.sub("~ts~", text)
    text = _OPAQUE.sub(_opaque, text)
    text = _DIGITS.sub("0", text)
    return " ".join(text.split())


def _diff_cost(a: Sequence[_T], b: Sequence[_T]) -> int:
    """Roughly how many steps an exact difflib comparison takes (repeated elements make it quadratic)."""
    counts = Counter(b)
    return sum(counts[item] for item in a)


def _lines(tokens: list[str]) -> list[tuple[str, ...]]:
    """Tokens grouped into lines ending at a markup or punctuation boundary."""
    lines: list[tuple[str, ...]] = []
    current: list[str] = []
    for token in tokens:
        current.append(token)
        if token in _LINE_ENDS:
            lines.append(tuple(current))
            current = []
    if current:
        lines.append(tuple(current))
    return lines


def _diffed(a: Sequence[_T], b: Sequence[_T], weight: Callable[[_T], int]) -> float:
    """Weight of the matching blocks, averaged over both directions (difflib is not symmetric)."""
    total = 0
    for x, y in ((a, b), (b, a)):
        matcher = difflib.SequenceMatcher(None, x, y, autojunk=False)
        total += sum(
            weight(item)
            for block in matcher.get_matching_blocks()
            for item in x[block.a : block.a + block.size]
        )
    return total / 2


def _matched(a: list[str], b: list[str]) -> float:
    """How many tokens of `a` and `b` match in order (exact diff when affordable, else by lines)."""
    prefix = 0
    limit = min(len(a), len(b))
    while prefix < limit and a[prefix] == b[prefix]:
        prefix += 1
    suffix = 0
    while suffix < limit - prefix and a[-1 - suffix] == b[-1 - suffix]:
        suffix += 1
    middle_a, middle_b = a[prefix : len(a) - suffix], b[prefix : len(b) - suffix]
    same = prefix + suffix
    if not middle_a or not middle_b:
        return same
    if _diff_cost(middle_a, middle_b) <= _DIFF_BUDGET:
        return same + _diffed(middle_a, middle_b, lambda _item: 1)
    lines_a, lines_b = _lines(middle_a), _lines(middle_b)
    if _diff_cost(lines_a, lines_b) <= _DIFF_BUDGET:
        return same + _diffed(lines_a, lines_b, len)
    common = Counter(lines_a) & Counter(lines_b)  # too repetitive to diff: shared lines, order ignored
    return same + sum(len(line) * count for line, count in common.items())


def similarity(a: HttpResponse, b: HttpResponse) -> float:
    """How alike two responses are, 0..1, after volatile parts (ids, times, nonces, tokens) are normalised."""
    if a.body == b.body and a.content_type == b.content_type:
        return 1.0
    left, right = _normalised(_decode_text(a)), _normalised(_decode_text(b))
    if left == right:
        score = 1.0
    elif not left or not right:
        score = 0.0
    else:
        tokens_a, tokens_b = _TOKENS.findall(left), _TOKENS.findall(right)
        score = 2 * _matched(tokens_a, tokens_b) / (len(tokens_a) + len(tokens_b))
    if a.content_type != b.content_type:
        score *= _TYPE_MISMATCH_FACTOR
    return max(0.0, min(1.0, score))


# --- denial -------------------------------------------------------------------------------------------


def _json_denial(value: Any) -> bool:
    if not isinstance(value, dict) or not value:
        return False
    for name in _ERROR_FIELDS:
        field_value = value.get(name)
        if isinstance(field_value, (str, list, dict)) and _DENIAL.search(json.dumps(field_value)):
            return True
    if set(value) <= _ERROR_KEYS:
        if "error" in value:
            return True
        for name in ("status", "code"):
            number = value.get(name)
            if isinstance(number, int) and not isinstance(number, bool) and 400 <= number < 600:
                return True
            if isinstance(number, str) and number.isdigit() and 400 <= int(number) < 600:
                return True
        return any(isinstance(v, str) and _DENIAL.search(v) for v in value.values())
    return False


def _denial_phrase(response: HttpResponse) -> str | None:
    """What marks the response as a denial or login page, or None."""
    text = _decode_text(response)
    parsed = _json(text)
    if parsed is not None:
        return "error object" if _json_denial(parsed) else None
    for pattern in (_TITLE, _HEADING):
        for match in pattern.finditer(text):
            if _DENIAL.search(_visible_text(match.group(1))):
                return _safe(_visible_text(match.group(1)))
    if _PASSWORD_INPUT.search(text):
        return "password form"
    visible = _visible_text(text)
    if len(visible) <= _SHORT_TEXT and _DENIAL.search(visible):
        return _safe(visible)
    return None


def looks_like_denial(response: HttpResponse) -> bool:
    """Whether the body reads as a refusal or a login page (title, heading, short text or JSON error)."""
    return _denial_phrase(response) is not None


# --- tenant data --------------------------------------------------------------------------------------

_ISSUE_KEY = re.compile(r"\b([A-Z][A-Z0-9_]{1,9})-([1-9]\d{0,6})\b")
_NOT_PROJECTS = frozenset(
    {
        "UTF",
        "SHA",
        "ISO",
        "RFC",
        "CVE",
        "TLS",
        "SSL",
        "AES",
        "HS",
        "RS",
        "ES",
        "PS",
        "HTTP",
        "WIN",
        "GMT",
        "UTC",
    }
    | {"ECMA", "IE", "MD", "CP", "KOI", "EUC", "BIG", "GB", "JIS", "LATIN", "ASCII", "HTML", "CSS", "TYPO"}
)
_EMAIL = re.compile(r"\b[A-Za-z0-9._%+-]+@[A-Za-z0-9-]+(?:\.[A-Za-z0-9-]+)*\.[A-Za-z]{2,}\b")
_ACCOUNT_ID = re.compile(r"\b\d{6}:[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}\b")
_TENANT_KEYS = frozenset(
    {"accountid", "clientkey", "emailaddress", "displayname", "issuekey", "projectkey", "spacekey", "tenant"}
)


def _records(value: Any) -> tuple[int, str] | None:
    """A non-empty list of records at the top level or one level down, with where it was found."""
    if isinstance(value, list):
        return (len(value), "") if value else None
    if isinstance(value, dict):
        for key, item in value.items():
            if isinstance(item, list) and item and all(isinstance(x, (dict, list)) for x in item):
                return len(item), str(key)
    return None


def _tenant_keys(value: Any, depth: int = 0) -> set[str]:
    found: set[str] = set()
    if depth > 4:
        return found
    if isinstance(value, dict):
        for key, item in value.items():
            if str(key).lower() in _TENANT_KEYS and item not in (None, "", [], {}):
                found.add(str(key))
            found |= _tenant_keys(item, depth + 1)
    elif isinstance(value, list):
        for item in value[:50]:
            found |= _tenant_keys(item, depth + 1)
    return found


def _plural(count: int, word: str) -> str:
    return f"{count} {word}" if count == 1 else f"{count} {word}s"


def tenant_data(response: HttpResponse) -> str | None:
    """A short description of what looks like tenant data in the body, or None."""
    text = _decode_text(response)
    parsed = _json(text)
    if parsed is not None:
        if not parsed or _json_denial(parsed):
            return None
        records = _records(parsed)
        if records is not None:
            count, key = records
            where = f" under {_safe(key)[:30]!r}" if key else ""
            kind = "JSON list" if not key else "JSON object"
            return f"{kind} of {_plural(count, 'record')}{where}"
        keys = _tenant_keys(parsed)
        if keys:
            return "JSON fields " + ", ".join(sorted(keys)[:3])
        scan = text
    else:
        scan = (
            _visible_text(text) + " " + " ".join(re.findall(r"""(?i)(?:value|content)=["']([^"']*)""", text))
        )
    if _ACCOUNT_ID.search(scan):
        return "Atlassian accountIds"
    keys_found = list(
        dict.fromkeys(m.group(0) for m in _ISSUE_KEY.finditer(scan) if m.group(1) not in _NOT_PROJECTS)
    )
    if keys_found:
        sample = " ".join(keys_found[:2])
        return f"{_plural(len(keys_found), 'issue key')} ({sample}{' …' if len(keys_found) > 2 else ''})"
    emails = set(_EMAIL.findall(scan))
    if len(emails) >= (1 if parsed is not None else 2):
        return "1 e-mail address" if len(emails) == 1 else f"{len(emails)} e-mail addresses"
    return None


# --- judgement ----------------------------------------------------------------------------------------


def _login_redirect(location: str, from_url: str) -> str | None:
    target = urlsplit(urljoin(from_url, location))
    origin = urlsplit(from_url)
    if target.hostname and origin.hostname and target.hostname.lower() != origin.hostname.lower():
        return f"redirect to another host ({_safe(target.hostname)})"
    if _LOGIN_PATH.search(target.path):
        return f"redirect to login ({_safe(target.path)})"
    return None


def _judge_2xx(
    final: HttpResponse, reference: HttpResponse | None, refused_baseline: HttpExchange | None
) -> AccessJudgement:
    denial = _denial_phrase(final)
    usable = reference is not None and 200 <= reference.status < 300 and not looks_like_denial(reference)
    if reference is not None and usable:
        score = similarity(final, reference)
        if score >= SIMILAR_ENOUGH:
            return AccessJudgement(
                Access.ACCEPTED, f"same content as the authenticated response, similarity {score:.2f}"
            )
        if denial is not None:
            return AccessJudgement(Access.REFUSED, f"branded denial page: {denial}")
        return AccessJudgement(
            Access.INCONCLUSIVE, f"differs from the authenticated response, similarity {score:.2f}"
        )
    if denial is not None:
        return AccessJudgement(Access.REFUSED, f"branded denial page: {denial}")
    baseline = refused_baseline.final if refused_baseline is not None and not refused_baseline.error else None
    if baseline is not None and baseline.status in (401, 403):
        return AccessJudgement(
            Access.ACCEPTED,
            f"the request without a token was refused with {baseline.status}, this one got {final.status}",
        )
    data = tenant_data(final)
    if data is not None:
        return AccessJudgement(Access.ACCEPTED, f"tenant-looking data: {data}")
    return AccessJudgement(Access.SHELL, "served without authentication; no tenant data recognised")


def judge_access(
    attempt: HttpExchange,
    reference: HttpExchange | None = None,
    refused_baseline: HttpExchange | None = None,
) -> AccessJudgement:
    """Judge an attempt against the authenticated `reference` and the token-less `refused_baseline`."""
    final = attempt.final
    if attempt.error:
        return AccessJudgement(Access.INCONCLUSIVE, f"the request failed: {_safe(attempt.error)}")
    if final is None:
        return AccessJudgement(Access.INCONCLUSIVE, "no response was received")
    status = final.status
    if status in (401, 403):
        return AccessJudgement(Access.REFUSED, f"refused with {status}")
    if len(attempt.hops) > 1:
        landed = _login_redirect(final.url, attempt.hops[0].url)
        if landed is not None:
            return AccessJudgement(Access.REFUSED, f"{landed}, answered {status}")
    if 300 <= status < 400:
        location = final.header("location")
        if location is None:
            return AccessJudgement(Access.INCONCLUSIVE, f"{status} without a Location header")
        login = _login_redirect(location, final.url)
        if login is not None:
            return AccessJudgement(Access.REFUSED, f"{status} {login}")
        return AccessJudgement(Access.INCONCLUSIVE, f"{status} redirect elsewhere on the app")
    if status in (400, 422) and looks_like_denial(final):
        return AccessJudgement(Access.REFUSED, f"{status} whose body reads as a denial")
    if status == 404:
        return AccessJudgement(Access.INCONCLUSIVE, "404 is no proof of protection")
    if status >= 400:
        return AccessJudgement(Access.INCONCLUSIVE, f"answered {status}, neither a refusal nor content")
    if status < 200:
        return AccessJudgement(Access.INCONCLUSIVE, f"unexpected status {status}")
    return _judge_2xx(final, reference.final if reference is not None else None, refused_baseline)
