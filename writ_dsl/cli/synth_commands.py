"""writ synth: compile + run + export in one resumable command."""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Any

import click

from ..compiler.compile import CompileOptions, compile_paths
from ..synth import synthesize
from . import main
from ._common import EXIT_PROBLEMS, database_options
from .compile_commands import _report, _summary
from .run_commands import report_run, run_command, run_options

# The run options of `writ synth` are exactly those of `writ run`.
# (--seed is synth's instance seed; the sampling seed is --sampling-seed here)
_RUN_OPTION_NAMES = [p.name for p in run_command.params
                     if isinstance(p, click.Option) and p.name not in ("limit", "seed")]


@main.command("synth")
@click.argument("paths", nargs=-1, required=True, type=click.Path(exists=True))
@click.option("-n", "--instances", "total", type=click.IntRange(min=1), default=100, show_default=True,
              help="Task instances in all (one dialogue each), spread evenly over the tasks found.")
@click.option("--seed", type=int, default=0, show_default=True, help="Base seed of the instance seeds.")
@database_options
@click.option("--task", "tasks", multiple=True, help="Only this task (repeatable).")
@click.option("--sampling-seed", type=int, default=None, help="Sampling seed sent to the endpoint.")
def synth_command(paths: tuple[str, ...], total: int, seed: int, db_path: str | None, db_seed: int, db_size: int,
                  tasks: tuple[str, ...], sampling_seed: int | None, **run_args: Any) -> None:
    """Compile the specs under PATHS, simulate and verify a dialogue per instance, export the verified ones.

    Offline by default (scripted user, oracle agent). The output folder holds
    tasks.jsonl, compile_summary.json, tau2_tasks.json, trajectories.jsonl,
    rejects.jsonl, simulations.json and summary.json. Run the same command
    again to resume an interrupted run.
    """
    out_dir: Path = run_args.pop("out_dir")
    compile_options = CompileOptions(total=total, seed=seed, db_path=Path(db_path) if db_path else None,
                                     db_seed=db_seed, db_size=db_size, env_path=run_args["env_path"], tasks=tasks)
    result = compile_paths(paths, compile_options)
    _report(result.diagnostics, result.sources)
    if not result.ok:
        sys.exit(EXIT_PROBLEMS)
    _summary(result, str(out_dir / "tasks.jsonl"))
    summary = synthesize(result, out_dir, run_options({**run_args, "seed": sampling_seed}), paths)
    report_run(summary)


synth_command.params.extend(p for p in run_command.params if p.name in _RUN_OPTION_NAMES)
