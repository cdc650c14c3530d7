"""Finding types of R10 credential collection, R8 token leaks via Referer, R7 sharedSecret exposure."""

from __future__ import annotations

from connectsec.catalog.rule import Rule
from connectsec.model import Severity, Verdict

_F, _W = Verdict.FAIL, Verdict.WARN
_CREDENTIALS_FIX = (
    "Never ask users for their Atlassian password, email + password or API token. Call the product "
    "APIs with the app's own JWT (Connect) or, to act as the user, with OAuth 2.0 (3LO) "
    "(https://auth.atlassian.com/authorize) or Connect user impersonation; remove the form or field."
)
_SCRIPT_FIX = (
    "Remove basic-auth calls to *.atlassian.net from the app's scripts; call the product through "
    "`AP.request` in the iframe, or from the server with the app's JWT or an OAuth 2.0 (3LO) token."
)
_CHALLENGE_FIX = (
    "Do not answer with `WWW-Authenticate: Basic`: inside the product iframe the browser shows a "
    "password dialog users mistake for Atlassian's. Authenticate with the Connect JWT and answer 401 "
    "without a Basic challenge (e.g. `WWW-Authenticate: JWT`)."
)
_OWN_LOGIN_FIX = (
    "Avoid a separate app login inside the product: identify the user from the Connect JWT (`sub`, "
    "the accountId). If a login for another service is needed, use OAuth with that service and label "
    "it clearly so users never type Atlassian credentials into it."
)
_REFERER_FIX = (
    "Keep tokens out of what reaches other origins: send `Referrer-Policy: strict-origin-when-cross-origin` "
    '(or `no-referrer`), never `unsafe-url` or `no-referrer-when-downgrade`, in the header or `<meta name="'
    'referrer">`, add `referrerpolicy="no-referrer"` or `rel="noreferrer"` to third-party elements, and '
    "remove the `jwt` from the URL after verifying it (e.g. `history.replaceState`) before loading them."
)
_REDIRECT_FIX = (
    "Never copy the `jwt` (or any token) into a redirect to another origin: verify it, start the app's own "
    "session, and redirect to a URL without the token."
)
_SECRET_FIX = (
    "The sharedSecret must stay on the server: never render it into pages, scripts, headers, cookies, URLs "
    "or error messages. Treat it as compromised: reinstall the app on the affected sites (the product then "
    "issues a new secret), and store secrets encrypted with a dedicated key."
)
_SECRET_KEY_FIX = (
    "Remove the sharedSecret field from what the app sends to browsers; if it carries a real secret, treat "
    "that secret as compromised and reinstall the app on the affected sites."
)

PAGE_RULES: tuple[Rule, ...] = (
    # R10: asking users for Atlassian credentials (remote part)
    Rule(
        "credentials.atlassian-password",
        "R10",
        _F,
        Severity.HIGH,
        "Page asks for an Atlassian password",
        _CREDENTIALS_FIX,
    ),
    Rule(
        "credentials.atlassian-api-token",
        "R10",
        _F,
        Severity.HIGH,
        "Page asks for an Atlassian API token",
        _CREDENTIALS_FIX,
    ),
    Rule(
        "credentials.basic-auth-script",
        "R10",
        _F,
        Severity.HIGH,
        "Script sends basic-auth requests to *.atlassian.net",
        _SCRIPT_FIX,
    ),
    Rule(
        "credentials.basic-challenge",
        "R10",
        _F,
        Severity.MEDIUM,
        "Page answers with a `WWW-Authenticate: Basic` password prompt",
        _CHALLENGE_FIX,
    ),
    Rule(
        "credentials.basic-challenge-api",
        "R10",
        _W,
        Severity.LOW,
        "API endpoint answers with a `WWW-Authenticate: Basic` challenge",
        _CHALLENGE_FIX,
    ),
    Rule(
        "credentials.own-login-form",
        "R10",
        _W,
        Severity.LOW,
        "Password form without Atlassian wording (the app's own login?)",
        _OWN_LOGIN_FIX,
    ),
    # R8: tokens leaking through the Referer (remote part)
    Rule(
        "referer.token-leak",
        "R8",
        _F,
        Severity.HIGH,
        "Token-bearing page URL sent to another origin in the Referer",
        _REFERER_FIX,
    ),
    Rule(
        "referer.token-redirect",
        "R8",
        _F,
        Severity.HIGH,
        "Token-bearing URL redirects to another origin with the token",
        _REDIRECT_FIX,
    ),
    # R7: the tenant sharedSecret in responses (dynamic part)
    Rule(
        "shared-secret.exposed",
        "R7",
        _F,
        Severity.CRITICAL,
        "Tenant sharedSecret in an app response",
        _SECRET_FIX,
    ),
    Rule(
        "shared-secret.field-exposed",
        "R7",
        _W,
        Severity.MEDIUM,
        "A field named like sharedSecret with a value in an app response",
        _SECRET_KEY_FIX,
    ),
)
