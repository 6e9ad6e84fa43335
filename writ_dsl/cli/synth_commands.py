"""writ synth: compile + run + export in one resumable command."""

from __future__ import annotations

import sys
from dataclasses import replace
from pathlib import Path
from typing import Any

import click
from rich.console import Console
from rich.table import Table
from rich.text import Text

from ..compiler.compile import CompileOptions, compile_paths
from ..compiler.progress import CompileProgress
from ..preview import Spread, spread
from ..runner.run import RunOptions
from ..synth import synthesize
from . import main
from ._common import exit_on_failures
from ._common import EXIT_PROBLEMS, count_options, database_options, quota_fields
from .compile_commands import _report, _stderr, _summary
from .run_commands import run_command

# The run options of `writ synth` are exactly those of `writ run`.
_RUN_OPTION_NAMES = [p.name for p in run_command.params if isinstance(p, click.Option) and p.name != "limit"]
# The same -o as `writ run`, but optional here: a dry run writes nothing.
_OUTPUT = click.Option(["-o", "--output", "out_dir"], type=click.Path(file_okay=False, path_type=Path),
                       help="Run folder: run.sqlite and the output files (resumable); not needed with --dry-run.")


@main.command("synth")
@click.argument("paths", nargs=-1, required=True, type=click.Path(exists=True))
@count_options(default_total=100)
@click.option("--seed", type=int, default=0, show_default=True, help="Base seed of the instance seeds.")
@database_options
@click.option("--task", "tasks", multiple=True, help="Only this task (repeatable).")
@click.option("--dry-run", is_flag=True, help="Print how the instances spread over the templates; compile nothing.")
def synth_command(paths: tuple[str, ...], instances: int | None, per_task: int | None, seed: int,
                  db_path: str | None, db_seed: int, db_size: int, tasks: tuple[str, ...], dry_run: bool,
                  **run_args: Any) -> None:
    """Compile the specs under PATHS, simulate and verify a dialogue per instance, export the verified ones.

    Offline by default (scripted user, oracle agent). The output folder holds
    tasks.jsonl, compile_summary.json, tau2_tasks.json, trajectories.jsonl,
    rejects.jsonl, simulations.json and summary.json. Run the same command
    again to resume an interrupted run.
    """
    out_dir: Path | None = run_args.pop("out_dir")
    compile_options = CompileOptions(**quota_fields(instances, per_task, default_total=100), seed=seed,
                                     db_path=Path(db_path) if db_path else None, db_seed=db_seed, db_size=db_size,
                                     env_path=run_args["env_path"], tasks=tasks)
    if dry_run:
        _print_spread(spread(paths, compile_options))
        return
    if out_dir is None:
        raise click.UsageError("Missing option '-o' / '--output' (the run folder).")
    with CompileProgress(enabled=run_args["progress"]) as reporter:
        result = compile_paths(paths, replace(compile_options, progress=reporter))
    _report(result.diagnostics, result.sources)
    if not result.ok:
        sys.exit(EXIT_PROBLEMS)
    _summary(result, str(out_dir / "tasks.jsonl"))
    summary = synthesize(result, out_dir, RunOptions(**run_args))
    click.echo(f"{summary.verified} verified, {summary.rejected} rejected, {summary.failed} failed"
               + (f", {summary.pending} pending" if summary.pending else "")
               + f" ({summary.ran} run now, {summary.rate:.1f} dialogues/s) -> {out_dir}", err=True)
    exit_on_failures(summary.failed)


synth_command.params.extend(_OUTPUT if p.name == "out_dir" else p
                             for p in run_command.params if p.name in _RUN_OPTION_NAMES)


def _print_spread(found: Spread) -> None:
    _report(found.diagnostics, found.sources)
    if not found.ok:
        sys.exit(EXIT_PROBLEMS)
    table = Table("spec", "task", "env", "tags", "instances",
                  title=f"dry run: {found.total} instances over {len(found.templates)} templates (nothing compiled)")
    for t in found.templates:
        table.add_row(Text(t.spec), Text(t.task), t.env or "-", Text(", ".join(t.tags) or "-"), str(t.instances))
    Console(width=max(_stderr().width, 100)).print(table)
