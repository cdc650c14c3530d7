"""The explicit list of checks a scan runs."""

from __future__ import annotations

from connectsec.checks.base import Check
from connectsec.checks.headers import HEADER_CHECKS

CHECKS: tuple[Check, ...] = (*HEADER_CHECKS,)
