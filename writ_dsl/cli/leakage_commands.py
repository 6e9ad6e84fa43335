"""writ leakage: synthesized instances that match a τ²-bench task."""

from __future__ import annotations

from pathlib import Path

import click

from .. import api
from ._common import EXIT_PROBLEMS


@click.command("leakage")
@click.argument("path", type=click.Path(exists=True, path_type=Path))
def leakage_command(path: Path) -> None:
    """Report the instances of PATH (a tasks.jsonl or an output folder) that make the same changes as a
    τ²-bench task (needs the tau2 extra); exit 1 when any matches."""
    report = api.leakage(path)
    click.echo("\n".join(report.summary_lines()))
    if report.leaks:
        raise SystemExit(EXIT_PROBLEMS)
