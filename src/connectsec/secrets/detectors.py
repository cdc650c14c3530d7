"""The secret detectors as data: prefilter keywords, the pattern, and what a match must look like.

Every detector names a catalogue rule (`connectsec.catalog.rules_secrets`). A detector runs only on
lines where one of its keywords occurs (case-insensitive), so each keyword must be a literal that every
match of its pattern contains. The pattern's group `s` is the secret; group `q`, when present, is the
opening quote of an assigned value (values must be quoted outside configuration files).
"""

from __future__ import annotations

import re
from dataclasses import dataclass


@dataclass(frozen=True)
class Detector:
    """One way to recognise one kind of secret."""

    rule: str
    kind: str
    keywords: tuple[bytes, ...]
    pattern: re.Pattern[bytes]
    check: str = ""
    """Extra validation by name: `jwt`, `random`, `mixed-alnum`, `pem`, `db-url` (see matcher)."""
    min_entropy: float = 0.0
    """Shannon entropy (bits per character) the value needs; hex-only values need 0.5 less."""
    multiline: bool = False
    """The match may span lines (PEM blocks)."""


def _rx(pattern: bytes) -> re.Pattern[bytes]:
    return re.compile(pattern)


_ASSIGN = rb"""[\"']?\s*(?:=>|:=|[:=])\s*(?P<q>[\"'`]?)"""
_VALUE = rb"(?P<s>[A-Za-z0-9_\-.~+/=]{16,})"
_PEM_BODY = rb"(?P<s>(?:\\[nr]|[\r\n]|[A-Za-z0-9+/=:, \t-])+?)"

DETECTORS: tuple[Detector, ...] = (
    Detector(
        "secret.gcp-service-account-key",
        "GCP service-account private key",
        (b'"private_key"',),
        _rx(rb'"private_key"\s*:\s*"-----BEGIN (?:RSA )?PRIVATE KEY-----' + _PEM_BODY + rb"-----END"),
        check="pem",
        multiline=True,
    ),
    Detector(
        "secret.private-key",
        "private key (PEM)",
        (b"-----begin",),
        _rx(rb"-----BEGIN (?:[A-Z0-9]+ ){0,2}PRIVATE KEY(?: BLOCK)?-----" + _PEM_BODY + rb"-----END"),
        check="pem",
        multiline=True,
    ),
    Detector(
        "secret.connect-jwt",
        "signed JWT",
        (b"eyj",),
        _rx(rb"(?<![A-Za-z0-9_-])(?P<s>eyJ[A-Za-z0-9_-]{10,}\.eyJ[A-Za-z0-9_-]{10,}\.[A-Za-z0-9_-]{20,})"),
        check="jwt",
    ),
    Detector(
        "secret.atlassian-api-token",
        "Atlassian API token",
        (b"atatt3",),
        _rx(rb"(?<![A-Za-z0-9_-])(?P<s>ATATT3[A-Za-z0-9_=+/-]{40,})"),
    ),
    Detector(
        "secret.atlassian-api-token",
        "Atlassian API token (classic)",
        (b"atlassian", b"jira", b"confluence"),
        _rx(
            rb"(?i:atlassian|jira|confluence)[\w.-]{0,30}"
            + _ASSIGN
            + rb"(?P<s>[A-Za-z0-9]{24})(?![A-Za-z0-9])"
        ),
        check="mixed-alnum",
        min_entropy=3.3,
    ),
    Detector(
        "secret.atlassian-api-token",
        "Atlassian API token (classic, in basic-auth credentials)",
        (b"atlassian.net",),
        _rx(rb"[\w.+-]+@[\w-]+(?:\.[\w-]+)+:(?P<s>[A-Za-z0-9]{24})(?![A-Za-z0-9])"),
        check="mixed-alnum",
        min_entropy=3.3,
    ),
    Detector(
        "secret.aws-access-key",
        "AWS access key id",
        (b"akia", b"asia"),
        _rx(rb"(?<![A-Z0-9])(?P<s>(?:AKIA|ASIA)[A-Z0-9]{16})(?![A-Za-z0-9])"),
    ),
    Detector(
        "secret.aws-secret-key",
        "AWS secret access key",
        (b"secret_access_key", b"secretaccesskey", b"secret-access-key", b"aws_secret", b"awssecret"),
        _rx(
            rb"(?i:aws_?secret[\w-]{0,20}|secret[_-]?access[_-]?key)"
            + _ASSIGN
            + rb"(?P<s>[A-Za-z0-9/+=]{40})(?![A-Za-z0-9/+=])"
        ),
        check="random",
        min_entropy=3.5,
    ),
    Detector(
        "secret.azure-storage-key",
        "Azure storage account key",
        (b"accountkey=",),
        _rx(rb"(?i:AccountKey)=(?P<s>[A-Za-z0-9+/]{86}==)"),
    ),
    Detector(
        "secret.azure-storage-key",
        "Azure storage account key",
        (b"azure",),
        _rx(rb"(?i:azure)[\w-]{0,30}(?i:key)" + _ASSIGN + rb"(?P<s>[A-Za-z0-9+/]{86}==)"),
    ),
    Detector(
        "secret.github-token",
        "GitHub token",
        (b"ghp_", b"gho_", b"ghu_", b"ghs_", b"ghr_"),
        _rx(rb"(?<![A-Za-z0-9_])(?P<s>gh[pousr]_[A-Za-z0-9]{36})(?![A-Za-z0-9])"),
    ),
    Detector(
        "secret.github-token",
        "GitHub fine-grained token",
        (b"github_pat_",),
        _rx(rb"(?<![A-Za-z0-9_])(?P<s>github_pat_[A-Za-z0-9_]{70,})"),
    ),
    Detector(
        "secret.gitlab-token",
        "GitLab token",
        (b"glpat-",),
        _rx(rb"(?<![A-Za-z0-9_])(?P<s>glpat-[A-Za-z0-9_-]{20,})"),
    ),
    Detector(
        "secret.slack-token",
        "Slack token",
        (b"xoxa-", b"xoxb-", b"xoxp-", b"xoxr-"),
        _rx(rb"(?<![A-Za-z0-9_])(?P<s>xox[abpr]-[0-9]{6,}-[A-Za-z0-9-]{10,})"),
    ),
    Detector(
        "secret.npm-token",
        "npm access token",
        (b"npm_",),
        _rx(rb"(?<![A-Za-z0-9_])(?P<s>npm_[A-Za-z0-9]{36})(?![A-Za-z0-9])"),
    ),
    Detector(
        "secret.pypi-token",
        "PyPI API token",
        (b"pypi-ageichlwas5vcmc",),
        _rx(rb"(?<![A-Za-z0-9_])(?P<s>pypi-AgEIcHlwaS5vcmc[A-Za-z0-9_-]{50,})"),
    ),
    Detector(
        "secret.database-url-password",
        "database URL with a password",
        tuple(
            s + b"://"
            for s in (
                b"postgres",
                b"postgresql",
                b"mysql",
                b"mariadb",
                b"mongodb",
                b"mongodb+srv",
                b"redis",
                b"rediss",
                b"amqp",
                b"amqps",
                b"mssql",
                b"sqlserver",
                b"cockroachdb",
            )
        ),
        _rx(
            rb"(?i:postgres(?:ql)?|mysql|mariadb|mongodb(?:\+srv)?|rediss?|amqps?|mssql|sqlserver|cockroachdb)"
            rb"://(?P<user>[^:@/\s\"'`]*):(?P<s>[^@/\s\"'`]+)@[^/\s\"'`:]+"
        ),
        check="db-url",
    ),
    Detector(
        "secret.oauth-client-secret",
        "OAuth client secret",
        (b"client_secret", b"clientsecret", b"client-secret"),
        _rx(rb"(?i:client[_-]?secret)" + _ASSIGN + _VALUE),
        check="random",
        min_entropy=3.0,
    ),
    Detector(
        "secret.oauth-refresh-token",
        "OAuth refresh token",
        (b"refresh_token", b"refreshtoken", b"refresh-token"),
        _rx(rb"(?i:refresh[_-]?token)" + _ASSIGN + rb"(?P<s>[A-Za-z0-9_\-.~+/=]{20,})"),
        check="random",
        min_entropy=3.0,
    ),
    Detector(
        "secret.shared-secret",
        "Connect sharedSecret",
        (b"sharedsecret", b"shared_secret", b"shared-secret"),
        _rx(rb"(?i:shared[_-]?secret)" + _ASSIGN + _VALUE),
        check="random",
        min_entropy=3.0,
    ),
    Detector(
        "secret.generic-high-entropy",
        "high-entropy value",
        (
            b"secret",
            b"token",
            b"passw",
            b"pwd",
            b"api_key",
            b"apikey",
            b"api-key",
            b"access_key",
            b"accesskey",
            b"auth_key",
            b"credential",
            b"private_key",
        ),
        _rx(
            rb"(?P<name>[A-Za-z0-9_.-]{0,40}(?i:secret|token|passw(?:or)?d|pwd|api[_-]?key|access[_-]?key"
            rb"|auth[_-]?key|credential|private[_-]?key)[A-Za-z0-9_.-]{0,40})"
            + _ASSIGN
            + rb"(?P<s>[A-Za-z0-9+/=_\-.~!@#$%^&*]{16,})"
        ),
        check="random",
        min_entropy=3.5,
    ),
)
"""Most specific first: at one place, the first detector to claim a value wins."""

PLACEHOLDER_MARKERS: tuple[str, ...] = (
    "example",
    "xxxx",
    "changeme",
    "change_me",
    "change-me",
    "placeholder",
    "your_",
    "your-",
    "yourtoken",
    "yoursecret",
    "<",
    ">",
    "${",
    "{{",
    "%(",
    "dummy",
    "redacted",
    "sample",
    "****",
    "....",
    "fake",
    "insert",
    "replace",
    "notasecret",
    "not-a-secret",
)
"""Lower-case substrings that mark a value as an illustration, not a credential."""

KNOWN_EXAMPLES: frozenset[bytes] = frozenset(
    {
        # jwt.io's sample token (HS256, secret "your-256-bit-secret").
        b"eyJhbGciOiJIUzI1NiIsInR5cCI6IkpXVCJ9.eyJzdWIiOiIxMjM0NTY3ODkwIiwibmFtZSI6IkpvaG4gRG9lIiwiaWF0Ijox"
        b"NTE2MjM5MDIyfQ.SflKxwRJSMeKKF2QT4fwpMeJf36POk6yJV_adQssw5c",
    }
)
"""Published documentation values that look live but are not."""

DEFAULT_DB_PASSWORDS: frozenset[str] = frozenset(
    {"password", "passwd", "pass", "postgres", "root", "admin", "secret", "test", "mysql", "guest", "user"}
)
"""Development defaults (docker-compose and tutorials): a URL with one of these is not a leak."""

IGNORED_NAME_PARTS: tuple[str, ...] = (
    "url",
    "uri",
    "endpoint",
    "path",
    "file",
    "name",
    "type",
    "field",
    "header",
    "expir",
    "length",
    "format",
)
"""A generic match whose assigned name contains one of these names something else than the secret."""
