"""Compile specs into task instances: the driver around :mod:`.instantiate`.

Per task: build the plan, then draw instance seeds (sha256 of spec path, task,
base seed, index and attempt), run each instance, and resample rejected ones
within a budget of ``max_attempts`` per wanted instance. Output order is the
sorted file order, then task order, then instance index; the same inputs
always give the same bytes.
"""

from __future__ import annotations

import tomllib
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any

from .. import diagnostics as diag
from ..diagnostics import Diagnostic, Severity, Span, has_errors
from ..env.core import Environment
from ..errors import InputError, SpecError
from ..lang import ast
from ..lang.loader import LIBRARY_MARKER, LoadedSpec
from .behaviors import BehaviorPicker
from .build import TaskFrame, assemble
from .environments import EnvironmentSet
from .instantiate import Fatal, TaskContext, derive_seed, run_instance
from .metrics import Thresholds
from .model import CompiledTask
from .plan import build_plan
from .spec_bugs import DrawWatch
from .progress import ProgressSink
from .values import Rejection


@dataclass(frozen=True)
class CompileOptions:
    n: int = 1
    seed: int = 0
    max_attempts: int = 50  # per wanted instance
    db_path: Path | None = None
    db_seed: int = 0
    db_size: int = 1
    env_path: tuple[str, ...] = ()
    read_heavy_burden: int | None = None  # None: writ.toml [compile], else 5
    write_intensive_writes: int | None = None  # None: writ.toml [compile], else 3
    tasks: tuple[str, ...] = ()  # only these task names; empty = every task
    total: int | None = None  # instances in all, spread evenly over the tasks (instead of n per task)
    strict: bool = False  # eval errors are errors (else warnings)
    progress: ProgressSink | None = field(default=None, compare=False)  # told the total, then each task done
    workers: int | None = field(default=1, compare=False)  # worker processes, None: all cores; same output
    engine: str | None = field(default=None, compare=False)  # a name in compiler.engine.ENGINES; None: by workers


@dataclass
class TaskReport:
    spec_path: str
    task: str
    wanted: int
    produced: int = 0
    attempts: int = 0
    rejected: Counter[str] = field(default_factory=Counter)
    eval_errors: list[dict[str, Any]] = field(default_factory=list)  # first error per source location


@dataclass
class CompileResult:
    tasks: list[CompiledTask] = field(default_factory=list)
    reports: list[TaskReport] = field(default_factory=list)
    diagnostics: list[Diagnostic] = field(default_factory=list)
    sources: dict[str, str] = field(default_factory=dict)  # display path -> text, to quote in diagnostics
    files: dict[str, Path] = field(default_factory=dict)  # display path -> file, to show paths as typed

    @property
    def ok(self) -> bool:
        return not has_errors(self.diagnostics)

    def to_jsonl(self) -> str:
        return "".join(task.to_json_line() for task in self.tasks)

    def raise_for_errors(self) -> CompileResult:
        """This result, or SpecError carrying every error diagnostic."""
        errors = [d for d in self.diagnostics if d.is_error]
        if errors:
            raise SpecError(errors)
        return self


def _missing_tasks(specs: Sequence[LoadedSpec], options: CompileOptions) -> list[Diagnostic]:
    known = {task.name.name for spec in specs for task in spec.module.tasks}
    where = ", ".join(spec.display_path for spec in specs) or "the specs"
    return [diag.make("task-not-found", where, None, task=name, path=where)
            for name in options.tasks if name not in known]


def _no_tasks(specs: Sequence[LoadedSpec], options: CompileOptions) -> list[Diagnostic]:
    """``no-tasks`` for every file given (at its first line), or once when no file was given at all."""
    if options.tasks:  # tasks were named: task-not-found says which
        return []
    if not specs:
        return [diag.make("no-tasks", "the specs", None, where="the specs")]
    first_line = Span(line=1, column=1, end_line=1, end_column=1)
    return [diag.make("no-tasks", spec.display_path, first_line, where=spec.display_path) for spec in specs]


def compile_specs(specs: Sequence[LoadedSpec], options: CompileOptions, result: CompileResult | None = None,
                  environments: EnvironmentSet | None = None) -> CompileResult:
    """Compile specs that passed the front end's checks (:func:`writ_dsl.api.check`), in worker processes
    when ``options.workers`` asks for more than one (the output is the same for any number)."""
    result = result or CompileResult()
    quotas = task_quotas(specs, options)
    if not quotas:
        result.diagnostics.extend(_no_tasks(specs, options))
    if options.progress is not None:
        options.progress.start(sum(quotas.values()))
    workers = options.workers or _cores()
    engine = None if options.engine in (None, "auto") else options.engine
    if environments is None and quotas and (engine not in (None, "local") or (workers > 1 and len(quotas) > 1)):
        from .shards import compile_sharded

        compile_sharded(specs, options, result, workers=workers, name=engine)
    else:
        environments = environments or EnvironmentSet(options)
        for spec in specs:
            compile_spec(spec, options, environments, result, quotas)
    result.diagnostics.extend(_missing_tasks(specs, options))
    return result


def _cores() -> int:
    from .engine import available_cores

    return available_cores()


def _selected(spec: LoadedSpec, options: CompileOptions) -> list[ast.TaskDecl]:
    return [t for t in spec.module.tasks if not options.tasks or t.name.name in options.tasks]


def task_quotas(specs: Sequence[LoadedSpec], options: CompileOptions) -> dict[tuple[str, str], int]:
    """Instances wanted per (spec, task): ``n`` each, or ``total`` spread evenly over the tasks."""
    keys = [(spec.display_path, task.name.name) for spec in specs for task in _selected(spec, options)]
    if options.total is None:
        return dict.fromkeys(keys, options.n)
    total, count = options.total, max(len(keys), 1)
    # Evenly spaced shares (as in line drawing): every task gets floor or ceil of total/count.
    return {key: (i + 1) * total // count - i * total // count for i, key in enumerate(keys)}


def compile_spec(spec: LoadedSpec, options: CompileOptions, environments: EnvironmentSet,
                 result: CompileResult, quotas: dict[tuple[str, str], int] | None = None) -> None:
    quotas = quotas if quotas is not None else task_quotas([spec], options)
    tasks = [t for t in _selected(spec, options) if quotas.get((spec.display_path, t.name.name), 0) > 0]
    if not tasks or spec.env_name is None:
        return
    env = environments.get(spec.env_name)
    options = _with_library_settings(spec, options)
    for task in tasks:
        wanted = quotas[(spec.display_path, task.name.name)]
        _compile_task(spec, task, env, environments, replace(options, n=wanted), result)
        if options.progress is not None:
            options.progress.advance(wanted, f"{spec.display_path}::{task.name.name}")


# ---------------------------------------------------------------------- one task
def _compile_task(spec: LoadedSpec, task: ast.TaskDecl, env: Environment, environments: EnvironmentSet,
                  options: CompileOptions, result: CompileResult) -> None:
    plan = build_plan(spec, task)
    picker, behavior_problems = BehaviorPicker.create(spec, task, options.seed)
    result.diagnostics.extend(behavior_problems)
    if behavior_problems:
        return
    thresholds = Thresholds(options.read_heavy_burden or 5, options.write_intensive_writes or 3)
    frame = TaskFrame.create(spec, plan, env, environments.db_ref(env.name), options.seed, thresholds)
    ctx = TaskContext.create(plan, env, environments.db_view(env.name), limits=spec.limits)
    report = TaskReport(spec.display_path, task.name.name, options.n)
    result.reports.append(report)
    _draw(frame, ctx, picker, options, report, result)


def _draw(frame: TaskFrame, ctx: TaskContext, picker: BehaviorPicker, options: CompileOptions,
          report: TaskReport, result: CompileResult) -> None:
    samples: dict[str, Rejection] = {}
    watch = DrawWatch(frame.spec_path)
    index, attempt = 0, 0
    while report.produced < options.n and report.attempts < options.max_attempts * options.n:
        if not report.produced and report.attempts >= options.max_attempts:
            break
        seed = derive_seed(frame.seed_key, frame.task.name.name, options.seed, index, attempt)
        report.attempts += 1
        try:
            run = run_instance(ctx, seed)
        except Rejection as exc:
            report.rejected[exc.reason] += 1
            samples.setdefault(exc.reason, exc)
            watch.rejected(exc)
            attempt += 1
            continue
        except Fatal as exc:
            result.diagnostics.append(exc.diagnostic)
            return
        result.tasks.append(assemble(frame, run, index, picker.pick(index)))
        watch.accepted(run.params)
        report.produced += 1
        index, attempt = index + 1, 0
    report.eval_errors = [site.to_json() for _, site in sorted(watch.eval_errors.items())]
    if not report.produced and report.attempts:  # the unsatisfiable error below already shows this rejection
        watch.forget(samples[report.rejected.most_common(1)[0][0]])
    result.diagnostics.extend(watch.diagnostics(frame.plan, report.task, report.produced, options.strict))
    if report.produced < options.n:
        result.diagnostics.append(_shortfall(frame, report, samples))


def _shortfall(frame: TaskFrame, report: TaskReport, samples: dict[str, Rejection]) -> Diagnostic:
    reason, _ = report.rejected.most_common(1)[0]
    sample = samples[reason]
    notes = [f"{count} rejected: {name}" for name, count in sorted(report.rejected.items())]
    notes.append(f"first '{reason}' rejection: {sample.detail}")
    fields: dict[str, Any] = {"task": report.task, "attempts": report.attempts, "reason": reason, "notes": notes}
    span = sample.span or frame.task.span
    path = sample.path or frame.spec_path
    if not report.produced:
        return diag.make("task-unsatisfiable", path, span, detail=sample.detail, **fields)
    return diag.make("task-underproduced", path, span, severity=Severity.WARNING,
                      produced=report.produced, wanted=report.wanted, **fields)


# ---------------------------------------------------------------------- settings
def library_settings(root: Path) -> dict[str, Any]:
    """The ``[compile]`` table of the library's writ.toml (empty when absent)."""
    path = root / LIBRARY_MARKER
    if not path.is_file():
        return {}
    try:
        with path.open("rb") as handle:
            return dict(tomllib.load(handle).get("compile", {}))
    except (OSError, tomllib.TOMLDecodeError) as exc:
        raise InputError(f"{path}: {exc}") from None


def _with_library_settings(spec: LoadedSpec, options: CompileOptions) -> CompileOptions:
    settings = library_settings(spec.root)
    updates = {}
    for key in ("read_heavy_burden", "write_intensive_writes"):
        value = settings.get(key)
        if getattr(options, key) is None and value is not None:
            if not isinstance(value, int) or isinstance(value, bool) or value < 1:
                raise InputError(f"{spec.root / LIBRARY_MARKER}: [compile] {key} must be a positive integer")
            updates[key] = value
    return replace(options, **updates)
