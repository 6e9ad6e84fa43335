"""Compile progress on stderr: a rich bar when stderr is a terminal, plain lines otherwise.

The compiler reports each finished task (``advance(instances, label)``), so the
bar moves in task-sized steps and works the same when tasks are compiled in
worker processes.
"""

from __future__ import annotations

import sys
from typing import Any, Protocol, TextIO

from rich.console import Console
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn


class ProgressSink(Protocol):
    def start(self, total: int) -> None: ...

    def advance(self, instances: int, label: str) -> None: ...


class CompileProgress:
    """A :class:`ProgressSink` drawing on stderr (or ``stream``); use it as a context manager."""

    def __init__(self, *, stream: TextIO | None = None, enabled: bool = True) -> None:
        self.total, self.done, self.enabled = 0, 0, enabled
        self.stream = stream if stream is not None else sys.stderr
        self._console = Console(file=self.stream)
        self._progress: Progress | None = None
        self._bar: Any = None

    def __enter__(self) -> CompileProgress:
        return self

    def start(self, total: int) -> None:
        self.total = total
        if self.enabled and self._console.is_terminal and self._progress is None:
            self._progress = Progress(TextColumn("[bold]compile"), BarColumn(), MofNCompleteColumn(),
                                      TextColumn("{task.fields[label]}"), TimeElapsedColumn(),
                                      console=self._console, transient=True)
            self._progress.__enter__()
            self._bar = self._progress.add_task("compile", total=total, label="")

    def __exit__(self, *exc: object) -> None:
        if self._progress is not None:
            self._progress.__exit__(None, None, None)

    def advance(self, instances: int, label: str) -> None:
        self.done += instances
        if not self.enabled:
            return
        if self._progress is not None:
            self._progress.update(self._bar, advance=instances, label=label)
        else:
            self.stream.write(f"compile: {self.done}/{self.total} instances ({label})\n")
            self.stream.flush()
