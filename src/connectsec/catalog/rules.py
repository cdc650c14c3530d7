"""The severity table: every finding type, its verdict, severity, title and remediation.

Checks never invent severities: they name a rule from this table and `make_finding` does the
rest, so the table in the README and the findings in reports cannot drift apart.
"""

from __future__ import annotations

from dataclasses import dataclass

from connectsec.model import Evidence, Finding, Severity, Verdict


@dataclass(frozen=True)
class Rule:
    """Metadata of one finding type."""

    id: str
    requirement: str
    verdict: Verdict
    severity: Severity
    title: str
    remediation: str


_F, _W = Verdict.FAIL, Verdict.WARN
_HSTS_FIX = (
    "Send `Strict-Transport-Security: max-age=31536000; includeSubDomains` on every https "
    "response, error pages included (set it once in the web server, proxy or framework middleware)."
)
_CACHE_FIX = (
    "Send `Cache-Control: no-cache, no-store` on every response that can carry tenant data "
    "(module pages, API, webhook and lifecycle responses). `private` alone is not enough."
)
_COOKIE_FIX = (
    "Set session cookies with `Secure; HttpOnly` (and `SameSite=None` when the cookie must be "
    "sent inside the product iframe), e.g. express-session `cookie: {secure: true, httpOnly: true}`."
)
_REFERRER_FIX = (
    "Send `Referrer-Policy: strict-origin-when-cross-origin` (or `origin`, `strict-origin`, "
    '`no-referrer`) on every response, and make sure no `<meta name="referrer">` weakens it.'
)

RULES: tuple[Rule, ...] = (
    # R1.2 HSTS
    Rule("hsts.missing", "R1.2", _F, Severity.MEDIUM, "HSTS header missing", _HSTS_FIX),
    Rule("hsts.invalid", "R1.2", _F, Severity.MEDIUM, "HSTS header invalid (ignored by browsers)", _HSTS_FIX),
    Rule("hsts.max-age-short", "R1.2", _F, Severity.MEDIUM, "HSTS max-age shorter than one year", _HSTS_FIX),
    Rule(
        "hsts.plain-http", "R1.2", _F, Severity.HIGH, "App baseUrl is plain http: no TLS, no HSTS", _HSTS_FIX
    ),
    Rule(
        "hsts.multiple-headers",
        "R1.2",
        _W,
        Severity.LOW,
        "More than one HSTS header (only the first counts)",
        _HSTS_FIX,
    ),
    Rule("hsts.no-include-subdomains", "R1.2", _W, Severity.LOW, "HSTS without includeSubDomains", _HSTS_FIX),
    # R2 Cache-Control
    Rule(
        "cache-control.missing",
        "R2",
        _F,
        Severity.MEDIUM,
        "Cache-Control missing on a page with tenant data",
        _CACHE_FIX,
    ),
    Rule(
        "cache-control.private-only",
        "R2",
        _F,
        Severity.MEDIUM,
        "Cache-Control `private` instead of no-cache, no-store",
        _CACHE_FIX,
    ),
    Rule(
        "cache-control.no-store-missing",
        "R2",
        _F,
        Severity.MEDIUM,
        "Cache-Control without `no-store`",
        _CACHE_FIX,
    ),
    Rule(
        "cache-control.no-cache-missing",
        "R2",
        _F,
        Severity.MEDIUM,
        "Cache-Control without `no-cache`",
        _CACHE_FIX,
    ),
    # R11 session cookies
    Rule("cookie.no-httponly", "R11", _F, Severity.MEDIUM, "Session cookie without HttpOnly", _COOKIE_FIX),
    Rule("cookie.no-secure", "R11", _F, Severity.MEDIUM, "Session cookie without Secure", _COOKIE_FIX),
    Rule(
        "cookie.token-like-no-httponly",
        "R11",
        _W,
        Severity.LOW,
        "Token-like cookie without HttpOnly",
        _COOKIE_FIX,
    ),
    Rule(
        "cookie.token-like-no-secure",
        "R11",
        _W,
        Severity.LOW,
        "Token-like cookie without Secure",
        _COOKIE_FIX,
    ),
    # R12 Referrer-Policy
    Rule(
        "referrer-policy.missing", "R12", _F, Severity.MEDIUM, "Referrer-Policy header missing", _REFERRER_FIX
    ),
    Rule(
        "referrer-policy.invalid",
        "R12",
        _F,
        Severity.MEDIUM,
        "Referrer-Policy has no recognised policy",
        _REFERRER_FIX,
    ),
    Rule(
        "referrer-policy.unsafe",
        "R12",
        _F,
        Severity.MEDIUM,
        "Referrer-Policy sends full URLs to other origins",
        _REFERRER_FIX,
    ),
    Rule(
        "referrer-policy.meta-unsafe",
        "R12",
        _F,
        Severity.MEDIUM,
        "<meta name=referrer> weakens the policy to send full URLs",
        _REFERRER_FIX,
    ),
)

BY_ID: dict[str, Rule] = {r.id: r for r in RULES}


def make_finding(
    rule_id: str,
    location: str,
    detail: str,
    evidence: tuple[Evidence, ...] = (),
    extra: tuple[tuple[str, str], ...] = (),
) -> Finding:
    """A finding of a catalogued type; raises KeyError for an unknown rule (a bug, caught by tests)."""
    rule = BY_ID[rule_id]
    return Finding(
        requirement=rule.requirement,
        rule=rule.id,
        verdict=rule.verdict,
        severity=rule.severity,
        title=rule.title,
        location=location,
        detail=detail,
        remediation=rule.remediation,
        evidence=evidence,
        extra=extra,
    )
