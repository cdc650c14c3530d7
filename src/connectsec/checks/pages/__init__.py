"""What the app's pages give away: R10 credential forms, R8 Referer token leaks, R7 sharedSecret exposure."""

from __future__ import annotations

from connectsec.checks.base import Check
from connectsec.checks.pages.credentials import CREDENTIAL_COLLECTION_CHECK
from connectsec.checks.pages.referer_leak import TOKEN_REFERER_LEAK_CHECK
from connectsec.checks.pages.secret_exposure import SHARED_SECRET_EXPOSURE_CHECK

PAGE_CHECKS: tuple[Check, ...] = (
    SHARED_SECRET_EXPOSURE_CHECK,
    TOKEN_REFERER_LEAK_CHECK,
    CREDENTIAL_COLLECTION_CHECK,
)

__all__ = ["PAGE_CHECKS"]
