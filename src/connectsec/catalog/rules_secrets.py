"""Finding types of R8 secrets committed to the repository."""

from __future__ import annotations

from connectsec.catalog.rule import Rule
from connectsec.model import Severity, Verdict

_F, _W = Verdict.FAIL, Verdict.WARN
_ROTATE = (
    "Treat the value as leaked: revoke or rotate it at its issuer now (deleting the file or the commit does "
    "not un-leak it, clones and forks keep the history), then load the new value from the environment or a "
    "secret manager and keep it out of the repository (.gitignore the .env file)."
)
_KEY_FIX = (
    "Revoke the key at the provider and issue a new one (a committed key stays in every clone's history), "
    "then inject it at run time from a secret manager or the platform's key store, never from a file "
    "in the repository."
)
_SHARED_FIX = (
    "A Connect sharedSecret belongs to one tenant installation and lives only in the app's encrypted tenant "
    "store. Uninstall and reinstall the app on that site to get a new sharedSecret, and remove the value "
    "from configuration and fixtures."
)
_GENERIC_FIX = (
    "Check whether the value is a real credential; if it is, rotate it and load it from the environment or a "
    "secret manager. If it is not, suppress this fingerprint in connectsec.toml with the reason."
)
_FIXTURE_FIX = (
    "Use generated throwaway values in test fixtures (a key made by the test, or an obvious placeholder). "
    "If the value was ever valid anywhere, rotate it."
)


def _secret(rule_id: str, severity: Severity, title: str, fix: str = _ROTATE) -> Rule:
    return Rule(rule_id, "R8", _F, severity, title, fix)


SECRET_RULES: tuple[Rule, ...] = (
    _secret("secret.connect-jwt", Severity.HIGH, "Connect or other signed JWT committed"),
    _secret("secret.atlassian-api-token", Severity.HIGH, "Atlassian API token committed"),
    _secret("secret.oauth-client-secret", Severity.HIGH, "OAuth client secret committed"),
    _secret("secret.oauth-refresh-token", Severity.HIGH, "OAuth refresh token committed"),
    _secret("secret.shared-secret", Severity.HIGH, "Connect sharedSecret committed", _SHARED_FIX),
    _secret("secret.private-key", Severity.CRITICAL, "Private key committed", _KEY_FIX),
    _secret("secret.aws-access-key", Severity.CRITICAL, "AWS access key id committed", _KEY_FIX),
    _secret("secret.aws-secret-key", Severity.CRITICAL, "AWS secret access key committed", _KEY_FIX),
    _secret(
        "secret.gcp-service-account-key",
        Severity.CRITICAL,
        "GCP service-account private key committed",
        _KEY_FIX,
    ),
    _secret("secret.azure-storage-key", Severity.CRITICAL, "Azure storage account key committed", _KEY_FIX),
    _secret("secret.github-token", Severity.HIGH, "GitHub token committed"),
    _secret("secret.gitlab-token", Severity.HIGH, "GitLab token committed"),
    _secret("secret.slack-token", Severity.HIGH, "Slack token committed"),
    _secret("secret.npm-token", Severity.HIGH, "npm access token committed"),
    _secret("secret.pypi-token", Severity.HIGH, "PyPI API token committed"),
    _secret("secret.database-url-password", Severity.HIGH, "Database URL with a password committed"),
    Rule(
        "secret.generic-high-entropy",
        "R8",
        _W,
        Severity.MEDIUM,
        "High-entropy value assigned to a secret-like name",
        _GENERIC_FIX,
    ),
    Rule(
        "secret.test-fixture", "R8", _W, Severity.LOW, "Secret-shaped value in a test fixture", _FIXTURE_FIX
    ),
)
