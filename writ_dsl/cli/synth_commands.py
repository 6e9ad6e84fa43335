"""writ synth: compile + run + export in one resumable command."""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Any

import click
from rich.console import Console
from rich.table import Table
from rich.text import Text

from .. import api
from ._common import EXIT_PROBLEMS, count_options, database_options, quota_fields, strict_option, workers_option
from .reporting import report, summary_table
from .run_commands import echo_run_summary, run_command

# The run options of `writ synth` are exactly those of `writ run`.
# (--seed is synth's instance seed; the sampling seed is --sampling-seed here; --workers is synth's own,
# for compile and run both)
_RUN_OPTION_NAMES = [p.name for p in run_command.params
                     if isinstance(p, click.Option) and p.name not in ("limit", "seed", "workers")]
# The same -o as `writ run`, but optional here: a dry run writes nothing.
_OUTPUT = click.Option(["-o", "--output", "out_dir"], type=click.Path(file_okay=False, path_type=Path),
                       help="Run folder: run.sqlite and the output files (resumable); not needed with --dry-run.")


@click.command("synth")
@click.argument("paths", nargs=-1, required=True, type=click.Path(exists=True))
@count_options(default_total=100)
@click.option("--seed", type=int, default=0, show_default=True, help="Base seed of the instance seeds.")
@database_options
@click.option("--task", "tasks", multiple=True, help="Only this task (repeatable).")
@strict_option
@click.option("--dry-run", is_flag=True, help="Print how the instances spread over the templates; compile nothing.")
@workers_option
@click.option("--sampling-seed", type=int, default=None, help="Sampling seed sent to the endpoint.")
def synth_command(paths: tuple[str, ...], instances: int | None, per_task: int | None, seed: int,
                  db_path: str | None, db_seed: int, db_size: int, tasks: tuple[str, ...], strict: bool,
                  dry_run: bool, workers: int | None, sampling_seed: int | None, **run_args: Any) -> None:
    """Compile the specs under PATHS, simulate and verify a dialogue per instance, export the verified ones.

    Offline by default (scripted user, oracle agent). The output folder holds
    tasks.jsonl, compile_summary.json, tau2_tasks.json, trajectories.jsonl,
    rejects.jsonl, simulations.json and summary.json. Run the same command
    again to resume an interrupted run.
    """
    out_dir: Path | None = run_args.pop("out_dir")
    fields = dict(**quota_fields(instances, per_task, default_total=100), seed=seed,
                  db_path=Path(db_path) if db_path else None, db_seed=db_seed, db_size=db_size,
                  env_path=run_args["env_path"], tasks=tasks, strict=strict, workers=workers,
                  engine=run_args["engine"])
    if dry_run:
        _print_spread(paths, api.compile_options(**fields))
        return
    if out_dir is None:
        raise click.UsageError("Missing option '-o' / '--output' (the run folder).")
    with api.compile_progress(enabled=run_args["progress"]) as reporter:
        result = api.synthesize(paths, out_dir, api.compile_options(**fields, progress=reporter),
                                api.run_options(**run_args, seed=sampling_seed, workers=workers))
    diagnostics = result.compiled.diagnostics if result.compiled else result.checked.diagnostics
    report(diagnostics, result.checked.sources, result.checked.files)
    if result.summary is None:
        sys.exit(EXIT_PROBLEMS)
    assert result.compiled is not None
    summary_table(result.compiled, str(out_dir / "tasks.jsonl"))
    echo_run_summary(result.summary)


synth_command.params.extend(_OUTPUT if p.name == "out_dir" else p
                             for p in run_command.params if p.name in _RUN_OPTION_NAMES)


def _print_spread(paths: tuple[str, ...], options: api.CompileOptions) -> None:
    checked = api.check_paths(paths, env_path=options.env_path)
    report(checked.diagnostics, checked.sources)
    if not checked.ok:
        sys.exit(EXIT_PROBLEMS)
    found = api.preview(checked, options)
    table = Table("spec", "task", "env", "tags", "instances",
                  title=f"dry run: {found.total} instances over {len(found.templates)} templates (nothing compiled)")
    for t in found.templates:
        table.add_row(Text(t.spec), Text(t.task), t.env or "-", Text(", ".join(t.tags) or "-"), str(t.instances))
    console = Console()
    (console if console.is_terminal else Console(width=160)).print(table)  # to stdout: it is the answer
