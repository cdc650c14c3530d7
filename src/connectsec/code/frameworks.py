"""Framework knowledge as data: what atlassian-connect-express and atlassian-connect-spring-boot do with
the sharedSecret, and which versions carry known authentication flaws."""

from __future__ import annotations

import re
from dataclasses import dataclass

ACE = "atlassian-connect-express"
ACSB = "atlassian-connect-spring-boot"


@dataclass(frozen=True)
class Advisory:
    """A framework flaw for a set of half-open version ranges [introduced, fixed)."""

    id: str
    aliases: tuple[str, ...]
    ranges: tuple[tuple[str, str], ...]
    summary: str


ACSB_ADVISORIES: tuple[Advisory, ...] = (
    Advisory(
        "CVE-2021-26074",
        ("GHSA-cpcr-74q9-74gp",),
        (("1.1.0", "2.1.3"),),
        "context JWTs are accepted on API endpoints where only server-to-server JWTs should be, so a token "
        "any user can obtain in the browser authenticates app API calls",
    ),
    Advisory(
        "CVE-2021-26077",
        ("GHSA-2x7v-w2mv-f3rx",),
        (("1.1.0", "2.1.3"), ("2.1.4", "2.1.5")),
        "context JWTs are accepted on lifecycle endpoints, so an attacker can send authenticated "
        "re-installation events and replace the tenant's sharedSecret",
    ),
)
"""atlassian-connect-spring-boot advisories (GitHub advisory database, Maven ranges)."""

ACE_BEHAVIOURS = {
    "code.ace-dev-logging": (
        "atlassian-connect-express logs the tenant details it saves on install, the sharedSecret included, "
        "whenever NODE_ENV is not `production`; nothing in the package scripts, Dockerfile, Procfile or "
        "compose/deployment files of this app sets NODE_ENV=production."
    ),
    "code.ace-plaintext-store": (
        "atlassian-connect-express keeps each tenant's clientInfo, sharedSecret included, as plain JSON in "
        "its store adapter ({adapter}); the secret is readable by anyone who can read the database or a "
        "backup."
    ),
    "code.ace-unsigned-install.no-migration": (
        'The descriptor does not opt into signed installs (`"apiMigrations": {"signed-install": true}`): '
        "atlassian-connect-express accepts install callbacks without an Atlassian signature, so anyone can "
        "register a tenant or overwrite a tenant's sharedSecret."
    ),
    "code.ace-unsigned-install.no-force": (
        'Signed installs are enabled but config.json does not set `"signed-install": "force"`{where}: '
        "atlassian-connect-express still accepts the first install of a clientKey unsigned, so an attacker "
        "can register a tenant (and its sharedSecret) before the real one does."
    ),
    "code.ace-qsh-skipped": (
        "`authenticate(true)` tells atlassian-connect-express to skip the query-string hash (qsh) check on "
        "this route: a valid token minted for any other URL of the tenant is accepted here."
    ),
}
"""What each atlassian-connect-express fact means (detail texts; `{…}` filled per app)."""

NODE_ENV_PRODUCTION = re.compile(
    r"NODE_ENV\s*[=:]\s*['\"]?production|NODE_ENV\s+['\"]?production|"
    r"name:\s*['\"]?NODE_ENV['\"]?\s*\n\s*value:\s*['\"]?production",
    re.IGNORECASE,
)
DEPLOYMENT_FILES = re.compile(
    r"^(dockerfile.*|.*\.dockerfile|procfile|docker-compose.*\.ya?ml|compose\.ya?ml|app\.json|app\.ya?ml|"
    r"manifest\.ya?ml|fly\.toml|render\.ya?ml|serverless\.ya?ml|ecosystem\.config\.c?js|\.nvmrc)$",
    re.IGNORECASE,
)
"""Files whose content may set NODE_ENV for the running app."""
AUTHENTICATE_TRUE = re.compile(r"\bauthenticate\s*\(\s*true\s*\)")


def version_key(version: str) -> tuple[int, ...]:
    """Numeric release parts for ordering (qualifiers such as `-RC1` ignored)."""
    release = re.split(r"[-+]", version.strip().lstrip("vV"), maxsplit=1)[0]
    return tuple(int(p) for p in re.findall(r"\d+", release)) or (0,)


def affected(version: str, advisory: Advisory) -> bool:
    """Whether a version lies in one of the advisory's ranges."""
    key = version_key(version)
    return any(version_key(low) <= key < version_key(high) for low, high in advisory.ranges)
