"""Test tenants: clientKey, sharedSecret and user accounts, from options, a file, or connectsec.toml."""

from __future__ import annotations

import os
import tomllib
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

SECRET_ENV = "CONNECTSEC_SHARED_SECRET"


class CredentialsError(Exception):
    """Unusable credentials input; the message never contains a secret."""


@dataclass(frozen=True)
class Tenant:
    """One test tenant of the app (the clientKey identifies the tenant, not the app)."""

    name: str
    client_key: str
    shared_secret: str | None = field(default=None, repr=False)
    user_account_id: str | None = None
    """A non-admin user the scanner mints tokens for."""
    admin_account_id: str | None = None
    product_url: str | None = None
    """The tenant's product baseUrl (https://x.atlassian.net): restores it after a hijack test."""

    def subject_for(self, admin_only: bool) -> str | None:
        """The accountId a real product would put in `sub` for this page."""
        if admin_only and self.admin_account_id:
            return self.admin_account_id
        return self.user_account_id


@dataclass(frozen=True)
class Credentials:
    """Everything the scanner may authenticate with."""

    tenants: tuple[Tenant, ...] = ()
    context_jwt: str | None = field(default=None, repr=False)
    """A context token (AP.context.getToken) for endpoints designed for it."""

    @property
    def primary(self) -> Tenant | None:
        """The tenant the authenticated view uses."""
        return self.tenants[0] if self.tenants else None

    @property
    def can_mint(self) -> bool:
        """Whether tokens can be minted (the primary tenant's secret is known)."""
        return self.primary is not None and bool(self.primary.shared_secret)

    def secrets(self) -> tuple[str, ...]:
        """Every secret value, for the redactor."""
        found = [t.shared_secret for t in self.tenants if t.shared_secret]
        if self.context_jwt:
            found.append(self.context_jwt)
        return tuple(found)

    def describe(self) -> str:
        """What was given, without any secret: `1 tenant (secret given), context token`."""
        if not self.tenants and not self.context_jwt:
            return ""
        parts = []
        for t in self.tenants:
            secret = "secret given" if t.shared_secret else "no secret"
            users = [u for u, v in (("user", t.user_account_id), ("admin", t.admin_account_id)) if v]
            parts.append(f"{t.name} ({secret}{', ' + ' and '.join(users) if users else ''})")
        if self.context_jwt:
            parts.append("context token given")
        return "; ".join(parts)


def read_secret_file(path: Path, what: str) -> str:
    """The first line of a secret file, stripped; CredentialsError without the content."""
    try:
        text = path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as exc:
        reason = getattr(exc, "strerror", None) or type(exc).__name__
        raise CredentialsError(f"{what} {path}: {reason}") from None
    value = text.strip().splitlines()[0].strip() if text.strip() else ""
    if not value:
        raise CredentialsError(f"{what} {path} is empty")
    return value


def load_credentials(
    *,
    client_key: str | None = None,
    shared_secret_file: Path | None = None,
    user_account_id: str | None = None,
    admin_account_id: str | None = None,
    context_jwt_file: Path | None = None,
    product_url: str | None = None,
    config: Path | None = None,
    environ: Mapping[str, str] | None = None,
) -> Credentials:
    """Tenants from the options (first) and from the config file's `[[tenants]]`."""
    env = os.environ if environ is None else environ
    tenants: list[Tenant] = []
    secret = read_secret_file(shared_secret_file, "--shared-secret-file") if shared_secret_file else None
    if secret is None and env.get(SECRET_ENV):
        secret = env[SECRET_ENV].strip()
    if client_key:
        tenants.append(
            Tenant("cli", client_key.strip(), secret, user_account_id, admin_account_id, product_url)
        )
    elif secret or user_account_id or admin_account_id:
        raise CredentialsError("a shared secret or account id needs --client-key (the tenant's clientKey)")
    if config is not None:
        tenants.extend(_config_tenants(config, env, {t.name for t in tenants}))
    context = read_secret_file(context_jwt_file, "--context-jwt-file") if context_jwt_file else None
    return Credentials(tuple(tenants), context)


def _config_tenants(path: Path, env: Mapping[str, str], taken: set[str]) -> list[Tenant]:
    try:
        data = tomllib.loads(path.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError) as exc:
        reason = getattr(exc, "strerror", None) or type(exc).__name__
        raise CredentialsError(f"--config {path}: {reason}") from None
    except tomllib.TOMLDecodeError as exc:
        raise CredentialsError(f"--config {path}: not valid TOML ({exc})") from None
    entries = data.get("tenants", [])
    if not isinstance(entries, list):
        raise CredentialsError(f"--config {path}: `tenants` must be an array of tables ([[tenants]])")
    tenants = []
    for index, entry in enumerate(entries):
        tenants.append(_config_tenant(path, index, entry, env, taken))
        taken.add(tenants[-1].name)
    return tenants


def _config_tenant(path: Path, index: int, entry: Any, env: Mapping[str, str], taken: set[str]) -> Tenant:
    where = f"--config {path}: tenants[{index}]"
    if not isinstance(entry, dict):
        raise CredentialsError(f"{where} must be a table")
    if "shared_secret" in entry:
        raise CredentialsError(
            f"{where}: put the secret in a file (shared_secret_file) or a variable (shared_secret_env)"
        )
    known = {
        "name",
        "client_key",
        "shared_secret_file",
        "shared_secret_env",
        "user_account_id",
        "admin_account_id",
        "product_url",
    }
    unknown = sorted(set(entry) - known)
    if unknown:
        raise CredentialsError(f"{where}: unknown key {unknown[0]!r} (known: {', '.join(sorted(known))})")
    client_key = entry.get("client_key")
    if not isinstance(client_key, str) or not client_key.strip():
        raise CredentialsError(f"{where}: client_key is required")
    name = str(entry.get("name") or f"tenant{index + 1}")
    if name in taken:
        raise CredentialsError(f"{where}: tenant name {name!r} is used twice")
    secret: str | None = None
    if isinstance(entry.get("shared_secret_file"), str):
        file = (path.parent / entry["shared_secret_file"]).resolve()
        secret = read_secret_file(file, f"{where} shared_secret_file")
    elif isinstance(entry.get("shared_secret_env"), str):
        variable = entry["shared_secret_env"]
        secret = env.get(variable, "").strip() or None
        if secret is None:
            raise CredentialsError(f"{where}: the variable {variable} is not set")
    return Tenant(
        name=name,
        client_key=client_key.strip(),
        shared_secret=secret,
        user_account_id=_optional_str(entry.get("user_account_id")),
        admin_account_id=_optional_str(entry.get("admin_account_id")),
        product_url=_optional_str(entry.get("product_url")),
    )


def _optional_str(value: Any) -> str | None:
    return value.strip() if isinstance(value, str) and value.strip() else None
