"""The SLA policy table: days to fix per severity, overridable in connectsec.toml.

[sla]
critical = 28     # days from first seen (or reopened) to the due date
high = 42
medium = 56
low = 175
due-soon = 7      # R15 warns when an open finding is due within this many days
"""

from __future__ import annotations

import tomllib
from dataclasses import dataclass, replace
from datetime import date, timedelta
from pathlib import Path

from connectsec.model import Severity

_MAX_DAYS = 3650


@dataclass(frozen=True)
class SlaPolicy:
    """Days to fix a finding per severity.

    Defaults: the Atlassian Marketplace security bug fix policy for cloud apps (critical 4 weeks, high 6,
    medium 8, low 25). Informational findings carry no vulnerability; they get the low timeframe.
    """

    critical: int = 28
    high: int = 42
    medium: int = 56
    low: int = 175
    due_soon: int = 7
    """R15 warns when an open finding is due within this many days."""

    def days(self, severity: Severity) -> int:
        """The fix timeframe of a severity."""
        if severity is Severity.CRITICAL:
            return self.critical
        if severity is Severity.HIGH:
            return self.high
        if severity is Severity.MEDIUM:
            return self.medium
        return self.low

    def due(self, first_seen: date, severity: Severity) -> date:
        """The date a finding first seen (or reopened) on `first_seen` must be fixed by."""
        return first_seen + timedelta(days=self.days(severity))


DEFAULT_POLICY = SlaPolicy()

_KEYS = {"critical": "critical", "high": "high", "medium": "medium", "low": "low", "due-soon": "due_soon"}


def load_policy(config: Path | None) -> SlaPolicy:
    """The policy of a connectsec.toml's `[sla]` table over the defaults (ValueError with one line)."""
    if config is None:
        return DEFAULT_POLICY
    try:
        data = tomllib.loads(config.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError) as exc:
        raise ValueError(
            f"--config {config}: {getattr(exc, 'strerror', None) or type(exc).__name__}"
        ) from None
    except tomllib.TOMLDecodeError as exc:
        raise ValueError(f"--config {config}: not valid TOML ({exc})") from None
    table = data.get("sla", {})
    if not isinstance(table, dict):
        raise ValueError(f"--config {config}: `sla` must be a table ([sla])")
    changes: dict[str, int] = {}
    for key, value in table.items():
        if key not in _KEYS:
            raise ValueError(f"--config {config}: [sla] {key}: unknown key (one of {', '.join(_KEYS)})")
        low = 0 if key == "due-soon" else 1
        if isinstance(value, bool) or not isinstance(value, int) or not low <= value <= _MAX_DAYS:
            raise ValueError(
                f"--config {config}: [sla] {key} must be a whole number of days, {low}…{_MAX_DAYS}"
            )
        changes[_KEYS[key]] = value
    return replace(DEFAULT_POLICY, **changes)
