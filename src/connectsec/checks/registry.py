"""The explicit list of checks a scan runs (active checks attack in this order)."""

from __future__ import annotations

from connectsec.checks.auth.access import ACCESS_CONTROL_CHECK
from connectsec.checks.auth.tokens import JWT_VALIDATION_CHECK, QSH_CHECK
from connectsec.checks.base import Check
from connectsec.checks.components import SERVED_JS_CHECK, served_js_check
from connectsec.checks.domain import DOMAIN_CHECKS
from connectsec.checks.domain.takeover import TAKEOVER_CHECK
from connectsec.checks.headers import HEADER_CHECKS
from connectsec.checks.pages import PAGE_CHECKS
from connectsec.checks.source import SOURCE_CHECKS
from connectsec.checks.source.dependencies import SOURCE_DEPENDENCIES_CHECK, STALE_DAYS, DependencyCheck
from connectsec.checks.storage import STORAGE_CHECK
from connectsec.checks.transport import TLS_CHECKS

CHECKS: tuple[Check, ...] = (
    *TLS_CHECKS,
    *HEADER_CHECKS,
    *DOMAIN_CHECKS,
    TAKEOVER_CHECK,
    STORAGE_CHECK,
    *PAGE_CHECKS,
    SERVED_JS_CHECK,
    *SOURCE_CHECKS,
    ACCESS_CONTROL_CHECK,
    JWT_VALIDATION_CHECK,
    QSH_CHECK,
)


def configured(
    checks: tuple[Check, ...], retire_data: str | None, advisory_max_age: int = STALE_DAYS
) -> tuple[Check, ...]:
    """The checks with the user's data files and limits (ValueError with one line on a bad file)."""
    swap: dict[int, Check] = {}
    if retire_data is not None:
        swap[id(SERVED_JS_CHECK)] = served_js_check(retire_data)
    if advisory_max_age != STALE_DAYS:
        swap[id(SOURCE_DEPENDENCIES_CHECK)] = DependencyCheck(stale_days=advisory_max_age)
    return tuple(swap.get(id(c), c) for c in checks)
