"""Source-mode checks: judgements of what the source scanners found in the app's repository."""

from __future__ import annotations

from connectsec.checks.base import Check
from connectsec.checks.source.code import (
    SOURCE_CREDENTIALS_CHECK,
    SOURCE_SHARED_SECRET_CHECK,
    SOURCE_STORAGE_CHECK,
)
from connectsec.checks.source.dependencies import SOURCE_DEPENDENCIES_CHECK
from connectsec.checks.source.secrets import SOURCE_SECRETS_CHECK

SOURCE_CHECKS: tuple[Check, ...] = (
    SOURCE_STORAGE_CHECK,
    SOURCE_SHARED_SECRET_CHECK,
    SOURCE_SECRETS_CHECK,
    SOURCE_CREDENTIALS_CHECK,
    SOURCE_DEPENDENCIES_CHECK,
)

__all__ = ["SOURCE_CHECKS"]
