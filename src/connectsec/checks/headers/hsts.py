"""R1.2: Strict-Transport-Security on every https response, parsed per RFC 6797."""

from __future__ import annotations

import shlex
from dataclasses import dataclass

from connectsec.checks.evidence import evidence_for
from connectsec.checks.headers._judging import HeaderCheck, Judgement, is_https_url
from connectsec.model import CheckResult, Evidence, Observations

ONE_YEAR = 31_536_000
_TCHAR = frozenset("!#$%&'*+-.^_`|~0123456789abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ")
_OWS = " \t"
_MAX_AGE_CAP = 10**20
_HEADERS = ("strict-transport-security",)


@dataclass(frozen=True)
class HstsPolicy:
    """One Strict-Transport-Security header value, parsed. Invalid headers are ignored by browsers."""

    valid: bool
    max_age: int | None = None
    """Seconds (huge values capped at 10**20)."""
    include_subdomains: bool = False
    preload: bool = False
    problem: str | None = None
    """Why the header is invalid."""


def _show(text: str) -> str:
    return repr(text if len(text) <= 40 else text[:40] + "…")


def _invalid(problem: str) -> HstsPolicy:
    return HstsPolicy(valid=False, problem=problem)


def parse_hsts(value: str) -> HstsPolicy:
    """Parse a header value per RFC 6797 §6.1; never raises."""
    directives: dict[str, str | None] = {}
    pos, size = 0, len(value)
    while True:
        while pos < size and value[pos] in _OWS:
            pos += 1
        if pos >= size:
            break
        if value[pos] == ";":
            pos += 1
            continue
        start = pos
        while pos < size and value[pos] in _TCHAR:
            pos += 1
        name = value[start:pos]
        if not name:
            return _invalid(f"unexpected character {value[pos]!r} where a directive name was expected")
        while pos < size and value[pos] in _OWS:
            pos += 1
        directive_value: str | None = None
        if pos < size and value[pos] == "=":
            pos += 1
            while pos < size and value[pos] in _OWS:
                pos += 1
            if pos < size and value[pos] == '"':
                parsed = _quoted_string(value, pos)
                if isinstance(parsed, str):
                    return _invalid(f"directive {_show(name)}: {parsed}")
                directive_value, pos = parsed
            else:
                start = pos
                while pos < size and value[pos] in _TCHAR:
                    pos += 1
                directive_value = value[start:pos]
                if not directive_value and pos < size and value[pos] != ";":
                    return _invalid(f"unexpected character {value[pos]!r} in the value of {_show(name)}")
                if not directive_value:
                    return _invalid(f"directive {_show(name)} has '=' but no value")
            while pos < size and value[pos] in _OWS:
                pos += 1
        if pos < size and value[pos] != ";":
            return _invalid(f"unexpected character {value[pos]!r} after directive {_show(name)}")
        key = name.lower()
        if key in directives:
            return _invalid(f"directive {_show(name)} appears more than once")
        directives[key] = directive_value
    return _policy(directives)


def _quoted_string(value: str, pos: int) -> tuple[str, int] | str:
    """The unescaped content of the quoted-string at `pos` and the position after it, or a problem."""
    chars: list[str] = []
    pos += 1
    while pos < len(value):
        char = value[pos]
        if char == '"':
            return "".join(chars), pos + 1
        if char == "\\" and pos + 1 < len(value):
            char = value[pos + 1]
            pos += 1
        if (ord(char) < 0x20 and char != "\t") or char == "\x7f":
            return "control character in quoted string"
        chars.append(char)
        pos += 1
    return "unterminated quoted string"


def _policy(directives: dict[str, str | None]) -> HstsPolicy:
    if "max-age" not in directives:
        return _invalid("the required max-age directive is missing")
    raw_age = directives["max-age"]
    if raw_age is None:
        return _invalid("max-age has no value")
    if not raw_age or not raw_age.isascii() or not raw_age.isdigit():
        return _invalid(f"max-age value {_show(raw_age)} is not a number of seconds (1*DIGIT)")
    # Chromium rejects a valued includeSubDomains but treats preload as an unknown directive.
    if directives.get("includesubdomains") is not None:
        return _invalid("includeSubDomains must not have a value")
    digits = raw_age.lstrip("0") or "0"
    return HstsPolicy(
        valid=True,
        max_age=int(digits) if len(digits) <= 20 else _MAX_AGE_CAP,
        include_subdomains="includesubdomains" in directives,
        preload="preload" in directives,
    )


class HstsCheck(HeaderCheck):
    """R1.2: every https response sends a valid HSTS header with max-age of at least a year."""

    requirement = "R1.2"

    def judge(self, observations: Observations) -> CheckResult:
        """Judge the first Strict-Transport-Security header of every https response."""
        judgement = Judgement(self.requirement, self._redactor)
        for exchange, hop in judgement.app_https_hops(observations):
            url = judgement.judged(hop.url, exchange)
            values = hop.header_values("strict-transport-security")
            evidence = evidence_for(exchange, hop, _HEADERS, redactor=self._redactor)
            if not values:
                judgement.add(
                    "hsts.missing",
                    url,
                    f"HTTP {hop.status} response has no Strict-Transport-Security header.",
                    evidence,
                )
                continue
            if len(values) > 1:
                judgement.add(
                    "hsts.multiple-headers",
                    url,
                    f"{len(values)} HSTS headers; browsers use only the first (RFC 6797 §8.1).",
                    evidence,
                )
            policy = parse_hsts(values[0])
            if not policy.valid:
                judgement.add(
                    "hsts.invalid", url, f"Browsers ignore this header: {policy.problem}.", evidence
                )
            elif policy.max_age is not None and policy.max_age < ONE_YEAR:
                judgement.add("hsts.max-age-short", url, _short_detail(policy.max_age), evidence)
            elif not policy.include_subdomains:
                judgement.add(
                    "hsts.no-include-subdomains",
                    url,
                    "HSTS does not cover subdomains (no includeSubDomains directive).",
                    evidence,
                )
        base = observations.inventory.base_url
        if base.lower().startswith("http://"):
            shown = self._redactor.url(base)
            judgement.add(
                "hsts.plain-http",
                shown,
                "The descriptor's baseUrl uses plain http: every page, token and tenant datum travels "
                "unencrypted and HSTS cannot apply. Serve the app over https only.",
                Evidence(method="GET", url=shown, status=None, curl=f"curl -sSI {shlex.quote(shown)}"),
            )
        judgement.unreached(observations, lambda e: is_https_url(e.request.url))
        tested = judgement.counted()
        return judgement.result(tested, "no https response was received, so no HSTS header could be judged")


def _short_detail(max_age: int) -> str:
    if max_age == 0:
        return "max-age=0 tells browsers to forget the HSTS policy."
    return f"max-age={max_age} ({max_age / 86400:.1f} days) is shorter than {ONE_YEAR} seconds (one year)."


HSTS_CHECK = HstsCheck()
