"""The severity table: every finding type, its verdict, severity, title and remediation.

Checks never invent severities: they name a rule from this table and `make_finding` does the
rest, so the table in the README and the findings in reports cannot drift apart.
"""

from __future__ import annotations

from connectsec.auth.attacks import TAMPER_ATTACKS, TOKEN_ATTACKS, Attack
from connectsec.catalog.rule import Rule
from connectsec.catalog.rules_code import CODE_RULES
from connectsec.catalog.rules_components import COMPONENT_RULES
from connectsec.catalog.rules_dependencies import DEPENDENCY_RULES
from connectsec.catalog.rules_domain import DOMAIN_RULES
from connectsec.catalog.rules_pages import PAGE_RULES
from connectsec.catalog.rules_secrets import SECRET_RULES
from connectsec.catalog.rules_sla import SLA_RULES
from connectsec.catalog.rules_storage import STORAGE_RULES
from connectsec.catalog.rules_takeover import TAKEOVER_RULES
from connectsec.catalog.rules_tls import TLS_RULES
from connectsec.model import Evidence, Finding, Severity, Verdict

__all__ = ["BY_ID", "RULES", "Rule", "attack_rule_id", "make_finding"]

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

_HEADER_RULES: tuple[Rule, ...] = (
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

_AUTH_FIX = (
    "Authenticate every request with the Connect JWT (atlassian-connect-express `addon.authenticate()`, "
    "Spring Boot default auth): verify HS256 with the tenant's sharedSecret, require exp and qsh, "
    "and allow anonymous access only to content that holds no tenant data."
)
_INSTALL_FIX = (
    'Enable signed install (`"apiMigrations": {"signed-install": true}`) and verify the RS256 install token: '
    "alg pinned, key fetched by kid from the Connect install-keys CDN only, aud == baseUrl, iss == body "
    "clientKey, qsh and exp checked, before storing or overwriting any sharedSecret."
)
_AUTHZ_FIX = (
    "Authorize on the server for every request: check the user in `sub` (admin pages: query the product's "
    "permissions) and scope every resource to the tenant in `iss`; never trust ids from the URL alone."
)

AUTH_RULES: tuple[Rule, ...] = (
    Rule(
        "auth.unauthenticated-data",
        "R5",
        _F,
        Severity.CRITICAL,
        "Tenant data served without authentication",
        _AUTH_FIX,
    ),
    Rule(
        "auth.webhook-unauthenticated", "R5", _F, Severity.HIGH, "Webhook accepted without a token", _AUTH_FIX
    ),
    Rule(
        "auth.unauthenticated-shell",
        "R5",
        _W,
        Severity.LOW,
        "Module served without authentication (check it holds no data)",
        _AUTH_FIX,
    ),
    Rule(
        "install.unsigned-accepted",
        "R5",
        _F,
        Severity.CRITICAL,
        "Unsigned install accepted although signed install is enabled",
        _INSTALL_FIX,
    ),
    Rule(
        "install.signed-install-not-enabled",
        "R5",
        _F,
        Severity.HIGH,
        "Signed install not enabled: unsigned first install accepted",
        _INSTALL_FIX,
    ),
    Rule(
        "install.forged-accepted",
        "R5",
        _F,
        Severity.CRITICAL,
        "Forged signed-install token accepted",
        _INSTALL_FIX,
    ),
    Rule(
        "install.hijack",
        "R5",
        _F,
        Severity.CRITICAL,
        "Install for an existing tenant overwrote its sharedSecret",
        _INSTALL_FIX,
    ),
    Rule(
        "authz.vertical",
        "R5",
        _F,
        Severity.HIGH,
        "Admin-only endpoint served to a non-admin user",
        _AUTHZ_FIX,
    ),
    Rule(
        "authz.horizontal",
        "R5",
        _F,
        Severity.HIGH,
        "One tenant's resource served to another tenant",
        _AUTHZ_FIX,
    ),
)

_JWT_FIX = (
    "Validate every Connect JWT on the server before trusting it: read iss unverified only to find "
    "the tenant, verify HS256 with that tenant's sharedSecret (never `none`, never the header's alg), "
    "require exp (small leeway), reject nbf/iat in the future, require qsh and compare it with the "
    "hash of the actual request."
)
_QSH_FIX = (
    "Compute the qsh of every incoming request (method, path relative to baseUrl, canonical query) "
    "and compare it with the token's qsh claim; accept `context-qsh` only on endpoints built for "
    "context tokens."
)


def attack_rule_id(attack: Attack) -> str:
    """The rule of an accepted attack: `jwt.alg-none`, `qsh.query-changed`."""
    prefix = "jwt" if attack.requirement == "R9" else "qsh"
    return f"{prefix}.{attack.id.removeprefix(prefix + '-')}"


def _attack_rules(attacks: tuple[Attack, ...], prefix: str, fix: str) -> tuple[Rule, ...]:
    rules = []
    for attack in attacks:
        warn = attack.severity_hint == "warn"
        severity = Severity.LOW if warn else Severity(attack.severity_hint)
        title = f"Accepted: {attack.title}"
        rules.append(
            Rule(attack_rule_id(attack), attack.requirement, _W if warn else _F, severity, title, fix)
        )
    return tuple(rules)


JWT_RULES = _attack_rules(TOKEN_ATTACKS, "jwt", _JWT_FIX)
QSH_RULES = _attack_rules(TAMPER_ATTACKS, "qsh", _QSH_FIX)

RULES: tuple[Rule, ...] = (
    *TLS_RULES,
    *_HEADER_RULES,
    *DOMAIN_RULES,
    *TAKEOVER_RULES,
    *STORAGE_RULES,
    *PAGE_RULES,
    *COMPONENT_RULES,
    *SECRET_RULES,
    *DEPENDENCY_RULES,
    *CODE_RULES,
    *SLA_RULES,
    *AUTH_RULES,
    *JWT_RULES,
    *QSH_RULES,
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
