"""writ synth: compile + run + export in one resumable command."""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Any

import click

from .. import api
from ._common import EXIT_PROBLEMS, database_options
from ._common import strict_option
from .reporting import report, summary_table
from .run_commands import echo_run_summary, run_command

# The run options of `writ synth` are exactly those of `writ run`.
_RUN_OPTION_NAMES = [p.name for p in run_command.params if isinstance(p, click.Option) and p.name != "limit"]


@click.command("synth")
@click.argument("paths", nargs=-1, required=True, type=click.Path(exists=True))
@click.option("-n", "--instances", "total", type=click.IntRange(min=1), default=100, show_default=True,
              help="Task instances in all (one dialogue each), spread evenly over the tasks found.")
@click.option("--seed", type=int, default=0, show_default=True, help="Base seed of the instance seeds.")
@database_options
@click.option("--task", "tasks", multiple=True, help="Only this task (repeatable).")
@strict_option
def synth_command(paths: tuple[str, ...], total: int, seed: int, db_path: str | None, db_seed: int, db_size: int,
                  tasks: tuple[str, ...], strict: bool, **run_args: Any) -> None:
    """Compile the specs under PATHS, simulate and verify a dialogue per instance, export the verified ones.

    Offline by default (scripted user, oracle agent). The output folder holds
    tasks.jsonl, compile_summary.json, tau2_tasks.json, trajectories.jsonl,
    rejects.jsonl, simulations.json and summary.json. Run the same command
    again to resume an interrupted run.
    """
    out_dir: Path = run_args.pop("out_dir")
    compile_options = api.compile_options(total=total, seed=seed, db_path=Path(db_path) if db_path else None,
                                          db_seed=db_seed, db_size=db_size, env_path=run_args["env_path"],
                                          tasks=tasks, strict=strict)
    result = api.synthesize(paths, out_dir, compile_options, api.run_options(**run_args))
    diagnostics = result.compiled.diagnostics if result.compiled else result.checked.diagnostics
    report(diagnostics, result.checked.sources)
    if result.summary is None:
        sys.exit(EXIT_PROBLEMS)
    assert result.compiled is not None
    summary_table(result.compiled, str(out_dir / "tasks.jsonl"))
    echo_run_summary(result.summary)


synth_command.params.extend(p for p in run_command.params if p.name in _RUN_OPTION_NAMES)
