"""writ leakage: synthesized instances that match a τ²-bench task."""

from __future__ import annotations

from pathlib import Path

import click

from ..leakage import check
from ..stats import read_jsonl
from . import main
from ._common import EXIT_PROBLEMS


@main.command("leakage")
@click.argument("path", type=click.Path(exists=True, path_type=Path))
def leakage_command(path: Path) -> None:
    """Report the instances of PATH (a tasks.jsonl or an output folder) that make the same changes as a
    τ²-bench task (needs the tau2 extra); exit 1 when any matches."""
    report = check(read_jsonl(path / "tasks.jsonl" if path.is_dir() else path))
    click.echo("\n".join(report.summary_lines()))
    if report.leaks:
        raise SystemExit(EXIT_PROBLEMS)
