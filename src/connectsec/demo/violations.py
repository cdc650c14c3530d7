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
auth-missing *              R5     /pages/dashboard            served without any token, with the first
                                                               tenant's issue keys and reporter e-mail
auth-alg-none *             R9     every protected path        alg none/None/NONE/nOnE accepted (claims
                                                               trusted; iss must be a known tenant)
auth-any-signature *        R9     every protected path        HS256 signature never checked
auth-expired-accepted *     R9     every protected path        an ``exp`` in the past is accepted
auth-exp-missing *          R9     every protected path        a token without ``exp`` is accepted
auth-unknown-iss *          R9     every protected path        unknown ``iss``: every tenant's secret is
                                                               tried, the first that verifies wins
auth-qsh-ignored *          R13    every protected path        ``qsh`` never looked at (so context-qsh
                                                               and missing qsh pass too)
auth-context-qsh *          R13    every protected path        ``qsh: context-qsh`` accepted everywhere
auth-unsigned-install *     R5     /lifecycle/installed        no Authorization accepted for a clientKey
                                                               not yet installed (legacy first install)
auth-forged-install *       R5     /lifecycle/installed        RS256 signature and kid never checked
                                                               (alg, aud, iss, qsh, exp still are)
auth-install-hijack *       R5     /lifecycle/installed        no Authorization accepted for any
                                                               clientKey, an installed one's secret
                                                               overwritten (includes unsigned-install)
auth-admin-open *           R5     the admin-only pages        ``sub`` not checked against the admins
auth-cross-tenant *         R5     /api/issues/{id}            any tenant's issue to any valid tenant
auth-branded-login * (ok)   R5     /pages/dashboard            not a flaw (``is_flaw=False``): without a
                                                               valid token, 200 with a "please log in"
                                                               page and no data instead of 401
==========================  =====  ==========================  ==========================================

"Every protected path" is `TOKEN_FLAW_PATHS`: the module pages, ``/api/issues``, ``/api/issues/{id}``,
enabled/disabled and the webhook (bench pages too). Signed installs (RS256) are not affected by them.

With both cookie violations on, ``connect.sid`` is sent with neither flag.

Marked ``*`` (``needs_auth``): these need tenants (``DemoConfig.tenants`` or ``DemoServer(tenants=...)``);
asking for one without tenants is a ValueError. None is in `DEFAULT_DEMO_VIOLATIONS`. The three header and
cookie ones only change responses to requests that carried a valid token (a 403 for a valid non-admin
token included); the 401 of an unauthenticated request stays compliant. The R5/R9/R13 ones change what
the app lets through (see `demo.auth` and `demo.lifecycle`).
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
    """Needs `DemoConfig.tenants`: it changes authenticated responses or how requests are authenticated."""
    is_flaw: bool = True
    """False for a mode that looks odd but is secure (a scanner must not flag it)."""


ADMIN_ONLY_PATHS: tuple[str, ...] = (
    "/pages/admin",
    "/pages/configure",
    "/pages/issue-panel",
    "/pages/project-settings",
)
"""The admin-only module pages (`app.ADMIN_ONLY`)."""

TOKEN_FLAW_PATHS: tuple[str, ...] = (
    "/pages/dashboard",
    *ADMIN_ONLY_PATHS,
    "/pages/glance",
    "/pages/help-dialog",
    "/pages/settings",
    "/api/issues",
    "/api/issues/{id}",
    "/lifecycle/enabled",
    "/lifecycle/disabled",
    "/webhooks/issue-created",
)
"""The paths whose HS256 token check the R9/R13 flaws weaken: `app.PROTECTED` plus ``/api/issues/{id}``."""

_ALL: tuple[Violation, ...] = (
    Violation(
        "tls-legacy-protocol",
        "R1.1",
        "The server also accepts TLS 1.0 and 1.1, with OpenSSL's default suites at security level 0.",
        (),
    ),
    Violation(
        "atlassian-password-form",
        "R10",
        "The settings form also asks for the user's Jira email and Atlassian password.",
        ("/pages/settings",),
    ),
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
    Violation(
        "auth-missing",
        "R5",
        "The dashboard is served without any token and shows the first tenant's issues and reporter e-mail.",
        ("/pages/dashboard",),
        needs_auth=True,
    ),
    Violation(
        "auth-alg-none",
        "R9",
        "Tokens with alg none (any letter case) are accepted unsigned; iss must still be a known tenant.",
        TOKEN_FLAW_PATHS,
        needs_auth=True,
    ),
    Violation(
        "auth-any-signature",
        "R9",
        "The HS256 signature is not checked: any HS256 token with a known iss passes.",
        TOKEN_FLAW_PATHS,
        needs_auth=True,
    ),
    Violation(
        "auth-expired-accepted",
        "R9",
        "An exp in the past is accepted.",
        TOKEN_FLAW_PATHS,
        needs_auth=True,
    ),
    Violation(
        "auth-exp-missing",
        "R9",
        "A token without exp is accepted (exp is checked only when present).",
        TOKEN_FLAW_PATHS,
        needs_auth=True,
    ),
    Violation(
        "auth-unknown-iss",
        "R9",
        "An unknown iss is accepted when the signature verifies with any tenant's secret.",
        TOKEN_FLAW_PATHS,
        needs_auth=True,
    ),
    Violation(
        "auth-qsh-ignored",
        "R13",
        "The qsh claim is not checked at all.",
        TOKEN_FLAW_PATHS,
        needs_auth=True,
    ),
    Violation(
        "auth-context-qsh",
        "R13",
        "A context token (qsh: context-qsh) is accepted on every path.",
        TOKEN_FLAW_PATHS,
        needs_auth=True,
    ),
    Violation(
        "auth-unsigned-install",
        "R5",
        "The installed callback accepts a request without Authorization for a clientKey not yet installed.",
        ("/lifecycle/installed",),
        needs_auth=True,
    ),
    Violation(
        "auth-forged-install",
        "R5",
        "The installed callback accepts any RS256 token without checking its kid or signature.",
        ("/lifecycle/installed",),
        needs_auth=True,
    ),
    Violation(
        "auth-install-hijack",
        "R5",
        "The installed callback accepts a request without Authorization for any clientKey, even an "
        "installed one, and overwrites its sharedSecret.",
        ("/lifecycle/installed",),
        needs_auth=True,
    ),
    Violation(
        "auth-admin-open",
        "R5",
        "Admin-only pages do not check that sub is an administrator.",
        ADMIN_ONLY_PATHS,
        needs_auth=True,
    ),
    Violation(
        "auth-cross-tenant",
        "R5",
        "GET /api/issues/{id} returns any tenant's issue to any authenticated tenant.",
        ("/api/issues/{id}",),
        needs_auth=True,
    ),
    Violation(
        "auth-branded-login",
        "R5",
        "protected page answers 200 with a branded login page",
        ("/pages/dashboard",),
        needs_auth=True,
        is_flaw=False,
    ),
)

VIOLATIONS: dict[str, Violation] = {v.name: v for v in _ALL}

DEFAULT_DEMO_VIOLATIONS: frozenset[str] = frozenset(
    {
        "tls-legacy-protocol",
        "atlassian-password-form",
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
"""The twelve header ones, the legacy TLS server and the password form, none needing auth; the two
cookie ones together make connect.sid lose both flags.

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
