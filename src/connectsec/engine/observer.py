"""Progress observers: the engine reports, the CLI (or a worker) displays."""

from __future__ import annotations

from typing import Protocol


class ScanObserver(Protocol):
    """Receives progress; must never raise."""

    def phase(self, name: str, total: int | None = None) -> None:
        """A new phase starts (`descriptor`, `probing`, `crawling`, `judging`)."""

    def advance(self, count: int = 1) -> None:
        """Work items of the current phase finished."""

    def note(self, text: str) -> None:
        """Something the user should see now (already redacted)."""


class NullObserver:
    """Discards progress."""

    def phase(self, name: str, total: int | None = None) -> None:
        """Ignore."""

    def advance(self, count: int = 1) -> None:
        """Ignore."""

    def note(self, text: str) -> None:
        """Ignore."""
