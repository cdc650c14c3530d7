"""Header checks: HSTS (R1.2), Cache-Control (R2), session cookies (R11), Referrer-Policy (R12)."""

from __future__ import annotations

from connectsec.checks.base import Check
from connectsec.checks.headers.cache_control import CACHE_CONTROL_CHECK, CacheControlCheck
from connectsec.checks.headers.cookies import SESSION_COOKIE_CHECK, SessionCookieCheck
from connectsec.checks.headers.hsts import HSTS_CHECK, HstsCheck
from connectsec.checks.headers.referrer_policy import REFERRER_POLICY_CHECK, ReferrerPolicyCheck

HEADER_CHECKS: tuple[Check, ...] = (
    HSTS_CHECK,
    CACHE_CONTROL_CHECK,
    SESSION_COOKIE_CHECK,
    REFERRER_POLICY_CHECK,
)

__all__ = [
    "CACHE_CONTROL_CHECK",
    "HEADER_CHECKS",
    "HSTS_CHECK",
    "REFERRER_POLICY_CHECK",
    "SESSION_COOKIE_CHECK",
    "CacheControlCheck",
    "HstsCheck",
    "ReferrerPolicyCheck",
    "SessionCookieCheck",
]
