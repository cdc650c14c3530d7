"""The explicit list of checks a scan runs (active checks attack in this order)."""

from __future__ import annotations

from connectsec.checks.auth.access import ACCESS_CONTROL_CHECK
from connectsec.checks.auth.tokens import JWT_VALIDATION_CHECK, QSH_CHECK
from connectsec.checks.base import Check
from connectsec.checks.headers import HEADER_CHECKS

CHECKS: tuple[Check, ...] = (*HEADER_CHECKS, ACCESS_CONTROL_CHECK, JWT_VALIDATION_CHECK, QSH_CHECK)
