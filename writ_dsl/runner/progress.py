"""A rich progress bar for runs: done/total, verified/rejected/failed counts, dialogues per second.

Drawing the bar costs about 1.5 ms of CPU, in a thread that competes with the run's event loop for the
interpreter lock. Redrawn ten times a second (rich's default) on a terminal, it added about four times the
run's own CPU per completion to a run with one dialogue in flight against a 200 ms endpoint (4.7 ms against
1.1). So it is redrawn once a second on a terminal (as often as the elapsed time changes), and elsewhere (a
log file, a pipe) drawn only once, when the run ends.
"""

from __future__ import annotations

import time
from collections import Counter
from typing import Any

from rich.console import Console
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn


REFRESHES_PER_SECOND = 1


class Reporter:
    def __init__(self, total: int, *, enabled: bool, console: Console | None = None) -> None:
        self.total, self.enabled = total, enabled
        self.console = console
        self.counts: Counter[str] = Counter()
        self._started = time.monotonic()
        self._progress: Progress | None = None
        self._bar: Any = None

    def __enter__(self) -> Reporter:
        if self.enabled:
            console = self.console or Console(stderr=True)
            self._progress = Progress(
                TextColumn("[bold]dialogues"), BarColumn(), MofNCompleteColumn(),
                TextColumn("[green]{task.fields[verified]} verified[/] · [yellow]{task.fields[rejected]} rejected[/]"
                           " · [red]{task.fields[failed]} failed[/] · {task.fields[rate]}/s"),
                TimeElapsedColumn(), console=console, transient=False,
                refresh_per_second=REFRESHES_PER_SECOND, auto_refresh=console.is_terminal)
            self._progress.__enter__()
            self._bar = self._progress.add_task("run", total=self.total, **self._fields())
        return self

    def __exit__(self, *exc: object) -> None:
        if self._progress is not None:
            self._progress.__exit__(None, None, None)

    def advance(self, outcome: str) -> None:
        self.counts[outcome] += 1
        if self._progress is not None:
            self._progress.update(self._bar, advance=1, **self._fields())

    def _fields(self) -> dict[str, Any]:
        elapsed = max(time.monotonic() - self._started, 1e-9)
        done = sum(self.counts.values())
        return {"verified": self.counts["verified"], "rejected": self.counts["rejected"],
                "failed": self.counts["failed"], "rate": f"{done / elapsed:.1f}"}
