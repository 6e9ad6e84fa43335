"""writ compile, writ graph, writ schema task, writ export tau2."""

from __future__ import annotations

import json
import sys
from pathlib import Path

import click
from rich.console import Console
from rich.table import Table
from rich.text import Text

from ..compiler.compile import CompileOptions, CompileResult, compile_paths
from ..compiler.export_tau2 import to_tau2
from ..io import atomic_write, iter_tasks
from ..compiler.graph import RENDERERS, graph_paths
from ..compiler.model import CompiledTask
from ..compiler.values import REASONS
from ..diagnostics import Diagnostic, format_text, has_errors
from . import main
from ._common import EXIT_PROBLEMS, database_options, env_path_option


def _stderr() -> Console:
    console = Console(stderr=True)
    return console if console.is_terminal else Console(stderr=True, width=160)


def _report(diagnostics: list[Diagnostic], sources: dict[str, str]) -> None:
    for d in diagnostics:
        click.echo(format_text(d, sources.get(d.path)), err=True)


# ---------------------------------------------------------------------- writ compile
@main.command("compile")
@click.argument("paths", nargs=-1, required=True, type=click.Path(exists=True))
@click.option("-n", "--instances", "n", type=click.IntRange(min=1), default=1, show_default=True,
              help="Instances per task.")
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
@env_path_option
def compile_command(paths: tuple[str, ...], n: int, seed: int, output: str, db_path: str | None, db_seed: int,
                    db_size: int, tasks: tuple[str, ...], max_attempts: int, read_heavy_burden: int | None,
                    write_intensive_writes: int | None, env_path: tuple[str, ...]) -> None:
    """Compile .writ specs (files or folders) into verified task instances (JSONL)."""
    options = CompileOptions(n=n, seed=seed, db_path=Path(db_path) if db_path else None, db_seed=db_seed,
                             db_size=db_size, env_path=env_path, tasks=tasks, max_attempts=max_attempts,
                             read_heavy_burden=read_heavy_burden, write_intensive_writes=write_intensive_writes)
    result = compile_paths(paths, options)
    _report(result.diagnostics, result.sources)
    if not result.ok:
        sys.exit(EXIT_PROBLEMS)
    if output == "-":
        click.echo(result.to_jsonl(), nl=False)
    else:
        atomic_write(output, result.to_jsonl())
    _summary(result, output)


def _summary(result: CompileResult, output: str) -> None:
    table = Table("spec", "task", "produced", "attempts", "rejected",
                  title=f"{len(result.tasks)} instances -> {'stdout' if output == '-' else output}")
    for report in result.reports:
        rejected = ", ".join(f"{reason} {report.rejected[reason]}" for reason in REASONS if report.rejected[reason])
        table.add_row(Text(report.spec_path), Text(report.task), f"{report.produced}/{report.wanted}",
                      str(report.attempts), Text(rejected or "-"))
    _stderr().print(table)


# ---------------------------------------------------------------------- writ graph
@main.command("graph")
@click.argument("target")
@click.option("--format", "fmt", type=click.Choice(sorted(RENDERERS)), default="text", show_default=True)
def graph_command(target: str, fmt: str) -> None:
    """Print the static evidence graph of a task: FILE, FILE:TASK, or every task under a FOLDER."""
    path, task_name = _split_target(target)
    result = graph_paths(path, task_name, fmt)
    if not has_errors(result.diagnostics):
        click.echo("\n".join(result.outputs), nl=False)
    _report(result.diagnostics, result.sources)
    if has_errors(result.diagnostics):
        sys.exit(EXIT_PROBLEMS)


def _split_target(target: str) -> tuple[Path, str | None]:
    head, sep, tail = target.rpartition(":")
    if sep and tail.isidentifier() and Path(head).exists():
        return Path(head), tail
    if not Path(target).exists():
        raise click.BadParameter(f"{target}: no such file or folder", param_hint="FILE[:TASK]")
    return Path(target), None


# ---------------------------------------------------------------------- writ schema / export
@main.group("schema")
def schema_group() -> None:
    """Print the JSON Schema of writ's file formats."""


@schema_group.command("task")
def schema_task_command() -> None:
    """The JSON Schema of one compiled task (a line of tasks.jsonl)."""
    click.echo(json.dumps(CompiledTask.model_json_schema(), indent=2, ensure_ascii=False))


@main.group("export")
def export_group() -> None:
    """Convert writ's outputs to other tools' formats."""


@export_group.command("tau2")
@click.argument("tasks_file", type=click.Path(dir_okay=False))
@click.option("-o", "--output", required=True, type=click.Path(dir_okay=False), help="τ²-bench tasks JSON file.")
def export_tau2_command(tasks_file: str, output: str) -> None:
    """Convert compiled tasks (JSONL) to τ²-bench's task format (JSON)."""
    tasks = [to_tau2(task) for task in iter_tasks(tasks_file)]
    atomic_write(output, json.dumps(tasks, indent=2, ensure_ascii=False) + "\n")
    count = len(tasks)
    click.echo(f"wrote {count} tasks to {output}", err=True)
