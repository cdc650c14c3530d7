"""The scan report: the public contract, rendered by reporting/ (JSON schema connectsec.report/1)."""

from __future__ import annotations

from dataclasses import dataclass, field

from connectsec.model.endpoint import Endpoint
from connectsec.model.result import RequirementResult

REPORT_SCHEMA = "connectsec.report/1"


@dataclass(frozen=True)
class Target:
    """What was scanned."""

    descriptor_url: str
    app_key: str | None
    app_name: str | None
    base_url: str | None


@dataclass(frozen=True)
class ScanStats:
    """Counters of the scan's work."""

    requests_sent: int = 0
    responses_received: int = 0
    bytes_received: int = 0
    duration_s: float = 0.0


@dataclass(frozen=True)
class Report:
    """Everything a scan concluded."""

    tool_version: str
    target: Target
    started_at: str
    """ISO 8601 UTC."""
    finished_at: str
    requirements: tuple[RequirementResult, ...]
    endpoints: tuple[Endpoint, ...]
    options: tuple[tuple[str, str], ...] = ()
    """The options the scan ran with, secrets never included."""
    errors: tuple[str, ...] = ()
    """Scan-level problems (e.g. certificate did not verify, crawl cut short)."""
    warnings: tuple[str, ...] = ()
    stats: ScanStats = field(default_factory=ScanStats)
    schema: str = REPORT_SCHEMA
    tool: str = "connectsec"
