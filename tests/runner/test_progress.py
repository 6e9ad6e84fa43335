"""The run's progress bar: drawn once a second on a terminal, once at the end elsewhere."""

from __future__ import annotations

import io
import time

import pytest
from rich.console import Console
from rich.progress import Progress

from writ_dsl.runner.progress import Reporter


def drawn_while_running(monkeypatch: pytest.MonkeyPatch, terminal: bool, seconds: float) -> tuple[int, str]:
    """How many times the bar was drawn while a run of 5 dialogues went on for ``seconds`` with nothing
    finishing (after it was first drawn), and the text the console holds at the end."""
    drawn = {"times": 0}
    make = Progress.make_tasks_table

    def counting(self: Progress, tasks: object) -> object:
        drawn["times"] += 1
        return make(self, tasks)  # type: ignore[arg-type]

    monkeypatch.setattr(Progress, "make_tasks_table", counting)
    out = io.StringIO()
    console = Console(file=out, force_terminal=terminal, width=120, color_system=None)
    with Reporter(5, enabled=True, console=console) as reporter:
        for outcome in ("verified", "verified", "rejected"):
            reporter.advance(outcome)
        before = drawn["times"]
        time.sleep(seconds)
        while_running = drawn["times"] - before
    return while_running, out.getvalue()


def test_off_a_terminal_the_bar_is_drawn_only_when_the_run_ends(monkeypatch: pytest.MonkeyPatch) -> None:
    times, text = drawn_while_running(monkeypatch, terminal=False, seconds=1.2)
    assert times == 0
    assert "3/5" in text and "2 verified" in text and "1 rejected" in text


def test_on_a_terminal_the_bar_is_redrawn_about_once_a_second(monkeypatch: pytest.MonkeyPatch) -> None:
    times, text = drawn_while_running(monkeypatch, terminal=True, seconds=2.2)
    assert 1 <= times <= 5  # rich's default, ten a second, would draw it over twenty times
    assert "3/5" in text
