"""The interface every check implements."""

from __future__ import annotations

from typing import Protocol

from connectsec.model import CheckResult, Observations


class Check(Protocol):
    """A pure judgement for one requirement."""

    @property
    def requirement(self) -> str:
        """The requirement id it serves (R1.1 … R15)."""
        ...

    @property
    def needs(self) -> frozenset[str]:
        """Observation kinds it needs: `http` (baseline exchanges and crawl) for now."""
        ...

    def judge(self, observations: Observations) -> CheckResult:
        """Findings and coverage from observations; never touches the network."""
        ...
