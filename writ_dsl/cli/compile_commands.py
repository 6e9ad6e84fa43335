"""writ compile, writ graph, writ schema task, writ export tau2."""

from __future__ import annotations

import json
import sys
from pathlib import Path

import click
from rich.console import Console
from rich.table import Table
from rich.text import Text

from .. import diagnostics
from ..compiler.compile import CompileOptions, CompileResult, compile_paths
from ..compiler.export_tau2 import to_tau2
from ..io import atomic_write, iter_tasks
from ..compiler.graph import RENDERERS, compile_instance, instance_calls, render_graph
from ..compiler.model import CompiledTask
from ..compiler.plan import build_plan
from ..compiler.values import REASONS
from ..diagnostics import Diagnostic, as_typed, format_text, has_errors, with_typed_paths
from ..errors import InputError
from ..lang.loader import load_spec
from . import main
from ._common import EXIT_PROBLEMS, database_options, env_path_option


strict_option = click.option("--strict", is_flag=True,
                             help="Fail on any eval error (a spec bug; by default reported as a warning).")


def _stderr() -> Console:
    console = Console(stderr=True)
    return console if console.is_terminal else Console(stderr=True, width=160)


def _report(diagnostics: list[Diagnostic], sources: dict[str, str], files: dict[str, Path] | None = None) -> None:
    """Each diagnostic with its source line, its file shown as the user would type it (as `writ check` does)."""
    files = files or {}
    for d in diagnostics:
        source = sources.get(d.path)
        click.echo(format_text(with_typed_paths([d], files)[0], source), err=True)


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
@strict_option
@env_path_option
def compile_command(paths: tuple[str, ...], n: int, seed: int, output: str, db_path: str | None, db_seed: int,
                    db_size: int, tasks: tuple[str, ...], max_attempts: int, read_heavy_burden: int | None,
                    write_intensive_writes: int | None, strict: bool, env_path: tuple[str, ...]) -> None:
    """Compile .writ specs (files or folders) into verified task instances (JSONL)."""
    options = CompileOptions(n=n, seed=seed, db_path=Path(db_path) if db_path else None, db_seed=db_seed,
                             db_size=db_size, env_path=env_path, tasks=tasks, max_attempts=max_attempts, strict=strict,
                             read_heavy_burden=read_heavy_burden, write_intensive_writes=write_intensive_writes)
    result = compile_paths(paths, options)
    _report(result.diagnostics, result.sources, result.files)
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
        shown = as_typed(result.files[report.spec_path]) if report.spec_path in result.files else report.spec_path
        table.add_row(Text(shown), Text(report.task), f"{report.produced}/{report.wanted}",
                      str(report.attempts), Text(rejected or "-"))
    _stderr().print(table)


# ---------------------------------------------------------------------- writ graph
@main.command("graph")
@click.argument("target")
@click.option("--format", "fmt", type=click.Choice(sorted(RENDERERS)), default="text", show_default=True)
@click.option("--instance", type=click.IntRange(min=0), default=None,
              help="Compile the task and show instance K's fan-out as numbers (needs FILE:TASK).")
@click.option("--seed", type=int, default=0, show_default=True, help="Base seed of the compile (with --instance).")
@env_path_option
def graph_command(target: str, fmt: str, instance: int | None, seed: int, env_path: tuple[str, ...]) -> None:
    """Print the evidence graph of a task: FILE or FILE:TASK (static, or of one compiled instance)."""
    path, task_name = _split_target(target)
    if instance is not None and task_name is None:
        raise click.BadParameter("--instance needs one task: FILE:TASK", param_hint="TARGET")
    spec, problems = load_spec(path)
    sources = {s.display_path: s.source for s in spec.closure()} if spec else {}
    files = {s.display_path: s.path for s in spec.closure()} if spec else {}
    if spec is not None and not has_errors(problems):
        problems = list(problems)
        tasks = [t for t in spec.module.tasks if task_name in (None, t.name.name)]
        if task_name is not None and not tasks:
            problems.append(diagnostics.make("task-not-found", spec.display_path, None, task=task_name,
                                       path=spec.display_path))
        outputs = []
        for task in tasks:
            plan, found = build_plan(spec, task)
            problems.extend(found)
            calls = None
            if plan is not None and instance is not None:
                compiled, found = compile_instance(path, task.name.name, instance,
                                                   CompileOptions(seed=seed, env_path=env_path))
                problems.extend(found)
                calls = instance_calls(compiled) if compiled is not None else None
                plan = plan if compiled is not None else None
            if plan is not None:
                outputs.append(render_graph(spec, plan, fmt, calls))
        if not has_errors(problems):
            click.echo("\n".join(outputs), nl=False)
    _report(problems, sources, files)
    if has_errors(problems):
        sys.exit(EXIT_PROBLEMS)


def _split_target(target: str) -> tuple[Path, str | None]:
    head, sep, tail = target.rpartition(":")
    if sep and tail.isidentifier() and Path(head).is_file():
        return Path(head), tail
    if not Path(target).is_file():
        raise click.BadParameter(f"{target}: no such file", param_hint="FILE[:TASK]")
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
