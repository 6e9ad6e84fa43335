"""writ leakage: synthesized instances that match a τ²-bench task."""

from __future__ import annotations

from pathlib import Path

import click

from .. import api
from ._common import EXIT_PROBLEMS


@click.command("leakage")
@click.argument("path", type=click.Path(exists=True, path_type=Path))
@click.option("--without", "clean", type=click.Path(dir_okay=False, path_type=Path), default=None,
              help="Also write PATH's tasks less the matching ones to this tasks.jsonl, to run with writ run; "
                   "the exit code is then 0.")
def leakage_command(path: Path, clean: Path | None) -> None:
    """Report the instances of PATH (a tasks.jsonl or an output folder) that make the same changes as a
    τ²-bench task (needs the tau2 extra); exit 1 when any matches, unless --without wrote a file without them."""
    report = api.leakage(path)
    click.echo("\n".join(report.summary_lines()))
    if clean is not None:
        kept = api.write_without_leaks(path, report, clean)
        click.echo(f"{clean}: {kept} of {report.checked} tasks, the {report.checked - kept} matching left out")
    elif report.leaks:
        raise SystemExit(EXIT_PROBLEMS)
