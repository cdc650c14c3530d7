"""The deliberate violations the demo app can be switched into, each on its own.

==========================  =====  ==========================  ==========================================
Name                        Req.   Path(s)                     Effect
==========================  =====  ==========================  ==========================================
hsts-missing                R1.2   /pages/dashboard            no Strict-Transport-Security
hsts-short                  R1.2   /pages/issue-panel          ``max-age=86400; includeSubDomains``
hsts-malformed              R1.2   /pages/project-settings     ``max-age=31536000; max-age=31536000``
                                                               (duplicate directive: invalid header)
cache-private               R2     /api/issues                 ``Cache-Control: private``
cache-no-store-only         R2     /pages/dashboard            ``Cache-Control: no-store`` (no no-cache)
cookie-no-httponly          R11    /pages/settings             session cookie ``connect.sid`` without
                                                               HttpOnly (still Secure)
cookie-no-secure            R11    /pages/settings             session cookie ``connect.sid`` without
                                                               Secure (still HttpOnly)
referrer-missing            R12    /pages/issue-panel          no Referrer-Policy
referrer-unsafe-url         R12    /pages/dashboard            ``Referrer-Policy: unsafe-url``
referrer-nrwd               R12    /help                       ``no-referrer-when-downgrade``
referrer-list-unsafe        R12    /pages/admin                ``no-referrer, unsafe-url`` (the last
                                                               recognised token wins: unsafe-url)
referrer-meta-override      R12    /pages/configure            good header, but the HTML has
                                                               ``<meta name="referrer" content="unsafe-url">``
auth-hsts-missing *         R1.2   /pages/dashboard            authenticated responses: no
                                                               Strict-Transport-Security
auth-cache-private *        R2     /pages/issue-panel          authenticated responses:
                                                               ``Cache-Control: private``
auth-cookie-insecure *      R11    /pages/dashboard            authenticated responses set
                                                               ``connect.sid=<random>; Path=/`` (neither
                                                               Secure nor HttpOnly)
==========================  =====  ==========================  ==========================================

With both cookie violations on, ``connect.sid`` is sent with neither flag.

Marked ``*`` (``needs_auth``): these need tenants (``DemoConfig.tenants`` or ``DemoServer(tenants=...)``)
and only change responses to requests that carried a valid token (a 403 for a valid non-admin token
included); the 401 of an unauthenticated request stays compliant. Asking for one without tenants is a
ValueError. They are not in `DEFAULT_DEMO_VIOLATIONS`.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Violation:
    """One deliberate flaw of the demo app."""

    name: str
    requirement: str
    description: str
    paths: tuple[str, ...]
    """The app paths whose responses it changes; every other path stays compliant."""
    needs_auth: bool = False
    """Only authenticated responses (valid tenant token) change; needs `DemoConfig.tenants`."""


_ALL: tuple[Violation, ...] = (
    Violation(
        "hsts-missing",
        "R1.2",
        "No Strict-Transport-Security header.",
        ("/pages/dashboard",),
    ),
    Violation(
        "hsts-short",
        "R1.2",
        "Strict-Transport-Security max-age of one day (86400), below one year.",
        ("/pages/issue-panel",),
    ),
    Violation(
        "hsts-malformed",
        "R1.2",
        "Strict-Transport-Security repeats the max-age directive, which makes it invalid.",
        ("/pages/project-settings",),
    ),
    Violation(
        "cache-private",
        "R2",
        "Cache-Control: private instead of no-cache, no-store.",
        ("/api/issues",),
    ),
    Violation(
        "cache-no-store-only",
        "R2",
        "Cache-Control: no-store without no-cache.",
        ("/pages/dashboard",),
    ),
    Violation(
        "cookie-no-httponly",
        "R11",
        "Session cookie connect.sid set without HttpOnly (still Secure).",
        ("/pages/settings",),
    ),
    Violation(
        "cookie-no-secure",
        "R11",
        "Session cookie connect.sid set without Secure (still HttpOnly).",
        ("/pages/settings",),
    ),
    Violation(
        "referrer-missing",
        "R12",
        "No Referrer-Policy header.",
        ("/pages/issue-panel",),
    ),
    Violation(
        "referrer-unsafe-url",
        "R12",
        "Referrer-Policy: unsafe-url.",
        ("/pages/dashboard",),
    ),
    Violation(
        "referrer-nrwd",
        "R12",
        "Referrer-Policy: no-referrer-when-downgrade.",
        ("/help",),
    ),
    Violation(
        "referrer-list-unsafe",
        "R12",
        "Referrer-Policy: no-referrer, unsafe-url; the last recognised token (unsafe-url) wins.",
        ("/pages/admin",),
    ),
    Violation(
        "referrer-meta-override",
        "R12",
        'Good Referrer-Policy header, but the page has <meta name="referrer" content="unsafe-url">.',
        ("/pages/configure",),
    ),
    Violation(
        "auth-hsts-missing",
        "R1.2",
        "Authenticated responses have no Strict-Transport-Security header.",
        ("/pages/dashboard",),
        needs_auth=True,
    ),
    Violation(
        "auth-cache-private",
        "R2",
        "Authenticated responses have Cache-Control: private instead of no-cache, no-store.",
        ("/pages/issue-panel",),
        needs_auth=True,
    ),
    Violation(
        "auth-cookie-insecure",
        "R11",
        "Authenticated responses set the session cookie connect.sid with neither Secure nor HttpOnly.",
        ("/pages/dashboard",),
        needs_auth=True,
    ),
)

VIOLATIONS: dict[str, Violation] = {v.name: v for v in _ALL}

DEFAULT_DEMO_VIOLATIONS: frozenset[str] = frozenset(
    {
        "hsts-missing",
        "hsts-short",
        "hsts-malformed",
        "cache-private",
        "cache-no-store-only",
        "cookie-no-httponly",
        "cookie-no-secure",
        "referrer-missing",
        "referrer-unsafe-url",
        "referrer-nrwd",
        "referrer-list-unsafe",
        "referrer-meta-override",
    }
)
"""The original twelve, none needing auth; the two cookie ones together make connect.sid lose both flags.

Listed explicitly: new violations do not change the default demo.
"""


def check_violation_names(names: frozenset[str]) -> None:
    """Raise ValueError naming any unknown violation."""
    unknown = sorted(names - VIOLATIONS.keys())
    if unknown:
        known = ", ".join(VIOLATIONS)
        raise ValueError(f"unknown demo violation(s) {', '.join(unknown)} (known: {known})")


def check_auth_violations(names: frozenset[str], *, has_tenants: bool) -> None:
    """Raise ValueError if a `needs_auth` violation is asked for without tenants (it would show nowhere)."""
    needing = sorted(name for name in names if name in VIOLATIONS and VIOLATIONS[name].needs_auth)
    if needing and not has_tenants:
        raise ValueError(
            f"demo violation(s) {', '.join(needing)} only change authenticated responses: they need tenants"
        )
