"""The interface every check implements."""

from __future__ import annotations

from collections.abc import Awaitable, Callable, Sequence
from dataclasses import dataclass
from typing import Protocol, runtime_checkable

from connectsec.auth.credentials import Credentials
from connectsec.model import CheckResult, HttpExchange, HttpRequestSpec, Observations

Send = Callable[[Sequence[HttpRequestSpec]], Awaitable[list[HttpExchange]]]
"""Sends requests concurrently within the scan's limits; results in order."""


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


@dataclass(frozen=True)
class AttackContext:
    """What an active check may use to plan its requests."""

    observations: Observations
    """The baseline: unauthenticated and authenticated view, crawl included."""
    credentials: Credentials
    state_changing: bool = True
    """False with --no-state-changing: no forged webhooks, lifecycle calls or installs."""
    allow_install_hijack: bool = False
    max_requests: int = 20_000


@runtime_checkable
class ActiveCheck(Check, Protocol):
    """A check that sends its own requests (attacks) before judging."""

    async def attack(self, context: AttackContext, send: Send) -> tuple[HttpExchange, ...]:
        """Send the attack requests (via `send` only) and return every exchange for `judge`."""
        ...
