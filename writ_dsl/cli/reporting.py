"""How the CLI prints diagnostics and compile summaries (shared by writ compile, graph and synth)."""

from __future__ import annotations

from pathlib import Path

import click
from rich.console import Console
from rich.table import Table
from rich.text import Text

from .. import api
from .. import diagnostics as diag


def _stderr() -> Console:
    console = Console(stderr=True)
    return console if console.is_terminal else Console(stderr=True, width=160)


def report(diagnostics: list[diag.Diagnostic], sources: dict[str, str], files: dict[str, Path] | None = None) -> None:
    """Print diagnostics to stderr, each with its source line and its file as the user would type it."""
    for d in diagnostics:
        click.echo(diag.format_text(diag.with_typed_paths([d], files or {})[0], sources.get(d.path)), err=True)


def summary_table(result: api.CompileResult, output: str) -> None:
    """The compile summary: instances produced and rejected per task."""
    table = Table("spec", "task", "produced", "attempts", "rejected",
                  title=f"{sum(r.produced for r in result.reports)} instances -> {'stdout' if output == '-' else output}")
    reasons = api.rejection_reasons()
    for task in result.reports:
        rejected = ", ".join(f"{reason} {task.rejected[reason]}" for reason in reasons if task.rejected[reason])
        shown = diag.as_typed(result.files[task.spec_path]) if task.spec_path in result.files else task.spec_path
        table.add_row(Text(shown), Text(task.task), f"{task.produced}/{task.wanted}",
                      str(task.attempts), Text(rejected or "-"))
    _stderr().print(table)
