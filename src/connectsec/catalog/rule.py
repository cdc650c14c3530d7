"""One finding type: its verdict, severity, title and remediation."""

from __future__ import annotations

from dataclasses import dataclass

from connectsec.model import Severity, Verdict


@dataclass(frozen=True)
class Rule:
    """Metadata of one finding type."""

    id: str
    requirement: str
    verdict: Verdict
    severity: Severity
    title: str
    remediation: str
