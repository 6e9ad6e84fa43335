"""writ compile and writ graph."""

from __future__ import annotations

import sys
from pathlib import Path

import click

from .. import api
from .. import diagnostics as diag
from ._common import (EXIT_PROBLEMS, count_options, database_options, env_path_option, quota_fields, strict_option,
                      workers_option, engine_option)
from .reporting import report, summary_table


# ---------------------------------------------------------------------- writ compile
@click.command("compile")
@click.argument("paths", nargs=-1, required=True, type=click.Path(exists=True))
@count_options(default_total=None)
@click.option("--seed", type=int, default=0, show_default=True, help="Base seed of the instance seeds.")
@click.option("-o", "--output", default="-", help="Output JSONL file (default stdout).")
@database_options
@click.option("--task", "tasks", multiple=True, help="Compile only this task (repeatable).")
@click.option("--max-attempts", type=click.IntRange(min=1), default=50, show_default=True,
              help="Attempts allowed per wanted instance.")
@click.option("--read-heavy-burden", type=click.IntRange(min=1), default=None,
              help="Evidence burden that makes an instance read-heavy (default: writ.toml, else 5).")
@click.option("--write-intensive-writes", type=click.IntRange(min=1), default=None,
              help="Write count that makes an instance write-intensive (default: writ.toml, else 3).")
@strict_option
@click.option("--progress/--no-progress", default=True, show_default=True,
              help="Show progress on stderr (a bar on a terminal, else a line per task).")
@env_path_option
@workers_option
@engine_option
def compile_command(paths: tuple[str, ...], instances: int | None, per_task: int | None, seed: int, output: str,
                    db_path: str | None, db_seed: int, db_size: int, tasks: tuple[str, ...], max_attempts: int,
                    read_heavy_burden: int | None, write_intensive_writes: int | None, strict: bool, progress: bool,
                    env_path: tuple[str, ...], workers: int | None, engine: str) -> None:
    """Compile .writ specs (files or folders) into verified task instances (JSONL).

    -n counts instances in all (as in writ synth); --per-task counts them per task.
    """
    quotas = quota_fields(instances, per_task, default_total=None)
    checked = api.check_paths(paths, env_path=env_path)
    if output != "-" and Path(output).resolve() in {file.resolve() for file in checked.files.values()}:
        raise click.BadParameter(f"{output} is one of the specs being compiled; the tasks would replace it",
                                 param_hint="-o")
    with api.compile_progress(enabled=progress) as reporter:
        options = api.compile_options(**quotas, seed=seed, db_path=Path(db_path) if db_path else None,
                                      db_seed=db_seed, db_size=db_size, env_path=env_path, tasks=tasks,
                                      max_attempts=max_attempts, strict=strict, read_heavy_burden=read_heavy_burden,
                                      write_intensive_writes=write_intensive_writes, progress=reporter,
                                      workers=workers, engine=engine)
        result = api.compile(checked, options)
    report(result.diagnostics, result.sources, result.files)
    if not result.ok:
        sys.exit(EXIT_PROBLEMS)
    if output == "-":
        click.echo(result.to_jsonl(), nl=False)
    else:
        api.write_tasks(output, result.tasks)
    summary_table(result, output)


# ---------------------------------------------------------------------- writ graph
@click.command("graph")
@click.argument("target")
@click.option("--format", "fmt", type=click.Choice(["text", "dot", "mermaid"]), default="text", show_default=True)
@click.option("--instance", type=click.IntRange(min=0, max=9_999), default=None,
              help="Compile the task and show instance K's fan-out as numbers (needs one task: a FILE that holds "
                   "one, or FILE:TASK; instances are compiled in order up to K, so K is below 10,000).")
@click.option("--seed", type=int, default=0, show_default=True, help="Base seed of the compile (with --instance).")
@env_path_option
def graph_command(target: str, fmt: str, instance: int | None, seed: int, env_path: tuple[str, ...]) -> None:
    """Print the evidence graph of a task: FILE, FILE:TASK, or every task under a FOLDER (static, or with
    --instance the fan-out of one compiled instance)."""
    path, task_name = _split_target(target)
    checked = api.check_paths([path], env_path=env_path)
    problems = list(checked.diagnostics)
    tasks = [(spec, t) for spec in checked.specs for t in spec.module.tasks if task_name in (None, t.name.name)]
    if instance is not None and len(tasks) > 1:
        raise click.BadParameter(f"--instance needs one task: FILE:TASK ({path.as_posix()} holds {len(tasks)} tasks)",
                                 param_hint="TARGET")
    if not tasks and not diag.has_errors(problems):
        where = path.as_posix()
        code, fields = ("task-not-found", {"task": task_name}) if task_name else ("no-tasks", {})
        problems.append(diag.make(code, where, None, path=where, where=where, **fields))
    drawn = []
    for spec, task in tasks if not diag.has_errors(problems) else []:
        calls = None
        if instance is not None:
            options = api.compile_options(seed=seed, env_path=env_path)
            compiled, found = api.compile_instance(checked, task.name.name, instance, options)
            problems.extend(d for d in found if d not in problems)
            if compiled is None:
                continue
            calls = api.instance_calls(compiled)
        drawn.append((spec, api.plan(spec, task), calls))
    if not diag.has_errors(problems):
        click.echo(api.render_graphs(drawn, fmt), nl=False)
    report(problems, checked.sources, checked.files)
    if diag.has_errors(problems):
        sys.exit(EXIT_PROBLEMS)


def _split_target(target: str) -> tuple[Path, str | None]:
    head, sep, tail = target.rpartition(":")
    if sep and tail.isidentifier() and Path(head).exists():
        return Path(head), tail
    if not Path(target).exists():
        raise click.BadParameter(f"{target}: no such file or folder", param_hint="FILE[:TASK]")
    return Path(target), None
