"""writ view: a run folder as one self-contained HTML report (see :mod:`writ_dsl.viewer`)."""

from __future__ import annotations

from pathlib import Path

import click

from .. import api


@click.command("view")
@click.argument("run_dir", type=click.Path(exists=True, file_okay=False, path_type=Path))
@click.option("-o", "--output", type=click.Path(dir_okay=False, path_type=Path), default=None,
              help="The HTML file to write (default: RUN_DIR/report.html).")
@click.option("--no-plots", is_flag=True, help="Leave out the statistics plots (faster).")
def view_command(run_dir: Path, output: Path | None, no_plots: bool) -> None:
    """Write a static HTML report of the run in RUN_DIR: dialogues as chats with filters, evidence graphs,
    rejects with reasons, statistics plots. Open it in any browser; it needs no server or network."""
    report = api.view(run_dir, output or run_dir / "report.html", plots=not no_plots)
    click.echo(f"wrote {report.path}: {report.dialogues} dialogues, {report.tasks} tasks, {report.plots} plots",
               err=True)
