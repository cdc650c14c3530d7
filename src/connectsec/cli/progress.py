"""A live progress display on stderr, fed by the engine's observer calls."""

from __future__ import annotations

from types import TracebackType

from rich.console import Console
from rich.progress import (
    BarColumn,
    MofNCompleteColumn,
    Progress,
    SpinnerColumn,
    TaskID,
    TextColumn,
    TimeElapsedColumn,
)


class RichProgress:
    """A ScanObserver that draws one bar per phase."""

    def __init__(self, console: Console, enabled: bool = True) -> None:
        self._console = console
        self._progress = Progress(
            SpinnerColumn(),
            TextColumn("{task.description}"),
            BarColumn(),
            MofNCompleteColumn(),
            TimeElapsedColumn(),
            console=console,
            transient=True,
            disable=not enabled,
        )
        self._task: TaskID | None = None

    def __enter__(self) -> RichProgress:
        self._progress.start()
        return self

    def __exit__(
        self, exc_type: type[BaseException] | None, exc: BaseException | None, tb: TracebackType | None
    ) -> None:
        self._progress.stop()

    def phase(self, name: str, total: int | None = None) -> None:
        """Start a new bar for the phase."""
        if self._task is not None:
            self._progress.update(self._task, visible=False)
        self._task = self._progress.add_task(name, total=total)

    def advance(self, count: int = 1) -> None:
        """Advance the current bar."""
        if self._task is not None:
            self._progress.advance(self._task, count)

    def note(self, text: str) -> None:
        """Print above the bars."""
        self._progress.console.print(text, markup=False, highlight=False)
