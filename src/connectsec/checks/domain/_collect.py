"""Findings of the R3 checks, one per (rule, location), evidence from each address or lookup kept."""

from __future__ import annotations

from dataclasses import dataclass, field

from connectsec.catalog.rules import make_finding
from connectsec.model import Evidence, Finding

MAX_EVIDENCE = 3
DEFAULT_WARN_DAYS = 30


@dataclass
class Findings:
    """Findings in the order first seen; a repeat of (rule, location) only adds evidence."""

    _found: dict[tuple[str, str], tuple[str, list[Evidence]]] = field(default_factory=dict)

    def add(self, rule: str, location: str, detail: str, evidence: Evidence) -> None:
        """Record one finding (or one more piece of evidence for it)."""
        key = (rule, location)
        if key not in self._found:
            self._found[key] = (detail, [evidence])
            return
        evidence_list = self._found[key][1]
        if len(evidence_list) < MAX_EVIDENCE and evidence not in evidence_list:
            evidence_list.append(evidence)

    def built(self) -> tuple[Finding, ...]:
        """The catalogued findings."""
        return tuple(
            make_finding(rule, location, detail, tuple(evidence))
            for (rule, location), (detail, evidence) in self._found.items()
        )


def days(seconds: float) -> str:
    """`12.5 days` / `1 day`."""
    value = seconds / 86400
    shown = f"{value:.0f}" if value >= 10 or value == int(value) else f"{value:.1f}"
    return f"{shown} day" if shown == "1" else f"{shown} days"
