"""Finding types of R6, R7 and R10 in the app's code."""

from __future__ import annotations

from connectsec.catalog.rule import Rule
from connectsec.model import Severity, Verdict

_F, _W = Verdict.FAIL, Verdict.WARN
_LOG_FIX = (
    "Never log the sharedSecret or the whole install payload: log the clientKey and baseUrl only, and "
    "drop the field before logging (e.g. `const { sharedSecret, ...safe } = req.body`)."
)
_RESPONSE_FIX = (
    "Never send the sharedSecret to a client: return only the fields the caller needs (clientKey, "
    "baseUrl), never the stored tenant record as a whole."
)
_STORE_FIX = (
    "Encrypt the sharedSecret before it is stored, with a dedicated key kept outside the database "
    "(a KMS or a secrets manager, e.g. AWS KMS envelope encryption or Fernet with a key from the "
    "environment), and decrypt it only where tokens are signed or verified."
)
_CLIENT_FIX = (
    "Keep the sharedSecret on the server: front-end code gets a context token "
    "(`AP.context.getToken()`) instead, never the secret, and nothing secret goes to localStorage, "
    "sessionStorage or cookies readable by scripts."
)
_ACE_LOG_FIX = (
    "Run the app with `NODE_ENV=production` wherever it serves real tenants (start script, Dockerfile, "
    "Procfile or deployment settings): atlassian-connect-express logs the tenant details, sharedSecret "
    "included, in any other mode."
)
_ACE_STORE_FIX = (
    "atlassian-connect-express stores clientInfo, sharedSecret included, as plain JSON: register a store "
    "adapter that encrypts the sharedSecret with a dedicated key (KMS) before writing, or encrypt the "
    "database column/volume with a key the database credentials alone cannot read."
)
_ACE_INSTALL_FIX = (
    'Opt into signed installs: `"apiMigrations": {"signed-install": true}` in atlassian-connect.json and '
    '`"signed-install": "force"` in config.json (production), so that even the first install must carry '
    "an RS256 token signed by Atlassian."
)
_ACE_QSH_FIX = (
    "Use `addon.authenticate()` for server-to-server and iframe routes, and `addon.checkValidToken()` "
    "only for routes called with context tokens from `AP.context.getToken()`; `authenticate(true)` "
    "skips the query-string hash check, so a token for one URL opens every route."
)
_ACSB_FIX = (
    "Upgrade atlassian-connect-spring-boot to 2.1.5 or later (CVE-2021-26074, CVE-2021-26077: context "
    "JWTs were accepted where only server-to-server JWTs should be)."
)
_CRED_FIX = (
    "Never collect a user's Atlassian password or API token: call the product APIs as the app (JWT) or "
    "on behalf of the user (user impersonation / OAuth 2.0 3LO), and delete stored credentials."
)
_IAC_FIX = (
    "Make the storage private in its infrastructure code: no public ACL (`private`), Block Public Access "
    'with all four settings true, no Allow statement for `Principal: "*"` without a restricting '
    'condition, no allUsers/allAuthenticatedUsers members, Azure `container_access_type = "private"`. '
    "Serve files through the app or short-lived signed URLs."
)
_IAC_BLOCK_FIX = (
    "Keep S3 Block Public Access on (block_public_acls, block_public_policy, ignore_public_acls, "
    "restrict_public_buckets all true; Azure `allow_nested_items_to_be_public = false`) unless the bucket "
    "only ever holds public assets."
)

CODE_RULES: tuple[Rule, ...] = (
    # R7: sharedSecret handling in code
    Rule("code.shared-secret-logged", "R7", _F, Severity.HIGH, "sharedSecret written to a log", _LOG_FIX),
    Rule(
        "code.install-payload-logged",
        "R7",
        _F,
        Severity.HIGH,
        "Install payload (with its sharedSecret) written to a log",
        _LOG_FIX,
    ),
    Rule(
        "code.shared-secret-in-response",
        "R7",
        _F,
        Severity.HIGH,
        "sharedSecret or a whole tenant record sent in an HTTP response",
        _RESPONSE_FIX,
    ),
    Rule(
        "code.shared-secret-stored-plain",
        "R7",
        _W,
        Severity.MEDIUM,
        "Tenant record with the sharedSecret saved without an encryption step",
        _STORE_FIX,
    ),
    Rule(
        "code.shared-secret-client-side",
        "R7",
        _F,
        Severity.HIGH,
        "sharedSecret in front-end code or client-side storage",
        _CLIENT_FIX,
    ),
    Rule(
        "code.ace-dev-logging",
        "R7",
        _W,
        Severity.MEDIUM,
        "atlassian-connect-express logs the sharedSecret unless NODE_ENV is production",
        _ACE_LOG_FIX,
    ),
    Rule(
        "code.ace-plaintext-store",
        "R7",
        _W,
        Severity.MEDIUM,
        "atlassian-connect-express stores clientInfo with the sharedSecret as plaintext JSON",
        _ACE_STORE_FIX,
    ),
    Rule(
        "code.ace-unsigned-install",
        "R7",
        _F,
        Severity.HIGH,
        "atlassian-connect-express accepts unsigned installs (sharedSecret can be planted or overwritten)",
        _ACE_INSTALL_FIX,
    ),
    Rule(
        "code.ace-qsh-skipped",
        "R7",
        _W,
        Severity.MEDIUM,
        "`authenticate(true)` skips the qsh check on a route",
        _ACE_QSH_FIX,
    ),
    Rule(
        "code.acsb-vulnerable",
        "R7",
        _F,
        Severity.HIGH,
        "atlassian-connect-spring-boot version affected by CVE-2021-26074/CVE-2021-26077",
        _ACSB_FIX,
    ),
    # R10: Atlassian credentials in code
    Rule(
        "code.atlassian-basic-auth",
        "R10",
        _F,
        Severity.HIGH,
        "Code sends user-supplied Atlassian credentials (basic auth to *.atlassian.net)",
        _CRED_FIX,
    ),
    # R6: public storage declared in infrastructure-as-code
    Rule(
        "code.iac-public-storage",
        "R6",
        _F,
        Severity.HIGH,
        "Infrastructure code makes storage publicly readable",
        _IAC_FIX,
    ),
    Rule(
        "code.iac-public-write-storage",
        "R6",
        _F,
        Severity.CRITICAL,
        "Infrastructure code makes storage publicly writable",
        _IAC_FIX,
    ),
    Rule(
        "code.iac-public-access-unblocked",
        "R6",
        _W,
        Severity.MEDIUM,
        "Infrastructure code turns off the public-access block of storage",
        _IAC_BLOCK_FIX,
    ),
)
