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
from ..env.core import checked_size
from ..errors import InputError, SpecError
from ..lang import ast
from ..lang.limits import COMPILE_SETTINGS, compile_setting_problems
from ..lang.loader import LIBRARY_MARKER, LoadedSpec
from .behaviors import BehaviorPicker
from .build import TaskFrame, assemble
from .environments import EnvironmentSet
from .instantiate import Fatal, TaskContext, derive_seed, run_instance
from .metrics import Thresholds
from .model import CompiledTask
from .plan import Plan, build_plan
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

    def __post_init__(self) -> None:
        if self.db_path is None:  # refused here, before a command makes or claims any folder
            checked_size(self.db_size)


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
    where = specs[0].display_path if len(specs) == 1 else f"the {len(specs)} spec files given" if specs else "the specs"
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
    from .shards import compile_sharded

    result = result or CompileResult()
    quotas = task_quotas(specs, options)
    if not quotas:
        result.diagnostics.extend(_no_tasks(specs, options))
    if options.progress is not None:
        options.progress.start(sum(quotas.values()))
    workers = options.workers or _cores()
    engine = None if options.engine in (None, "auto") else options.engine
    if quotas:
        compile_sharded(specs, options, result, workers=workers, name=engine, environments=environments)
    result.diagnostics.extend(_missing_tasks(specs, options))
    return result


def front_problems(specs: Sequence[LoadedSpec], options: CompileOptions) -> list[Diagnostic]:
    """What is wrong before any instance is drawn: no task to compile, a ``--task`` that names none."""
    found = [] if task_quotas(specs, options) else _no_tasks(specs, options)
    return found + _missing_tasks(specs, options)


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


@dataclass
class TaskSetup:
    """What every instance of one task shares: its frame, instance context and behavior picker."""

    frame: TaskFrame
    ctx: TaskContext
    picker: BehaviorPicker

    @classmethod
    def create(cls, spec: LoadedSpec, task: ast.TaskDecl, environments: EnvironmentSet,
               options: CompileOptions) -> tuple[TaskSetup | None, list[Diagnostic]]:
        """The task's setup, or None with the problems that keep it from compiling."""
        if spec.env_name is None:
            return None, []
        env = environments.get(spec.env_name)
        options = _with_library_settings(spec, options)
        plan = build_plan(spec, task)
        picker, problems = BehaviorPicker.create(spec, task, options.seed)
        if problems:
            return None, problems
        thresholds = Thresholds(options.read_heavy_burden or 5, options.write_intensive_writes or 3)
        frame = TaskFrame.create(spec, plan, env, environments.db_ref(env.name), options.seed, thresholds)
        ctx = TaskContext.create(plan, env, environments.db_view(env.name), limits=spec.limits)
        return cls(frame, ctx, picker), []


@dataclass
class Draw:
    """The instances drawn for a range of one task's indices, and what the draw noticed."""

    report: TaskReport
    watch: DrawWatch
    tasks: list[CompiledTask] = field(default_factory=list)
    samples: dict[str, Rejection] = field(default_factory=dict)  # the first rejection of each reason
    diagnostics: list[Diagnostic] = field(default_factory=list)

    def absorb(self, later: Draw) -> None:
        """Add the next range's draw of the same task (ranges are absorbed in index order)."""
        self.report.produced += later.report.produced
        self.report.attempts += later.report.attempts
        self.report.rejected.update(later.report.rejected)
        self.watch.absorb(later.watch)
        self.tasks.extend(later.tasks)
        for reason, sample in later.samples.items():
            self.samples.setdefault(reason, sample)
        self.diagnostics.extend(d for d in later.diagnostics if d not in self.diagnostics)


def draw(setup: TaskSetup, options: CompileOptions, start: int, stop: int) -> Draw:
    """Instances ``start`` to ``stop - 1`` of a task: each index draws seeds (index, attempt 0, 1, …) until one
    is accepted, within a budget of ``max_attempts`` per instance; none at all after ``max_attempts`` is a
    give-up. The same range always draws the same instances, wherever it runs."""
    frame, ctx = setup.frame, setup.ctx
    found = Draw(TaskReport(frame.spec_path, frame.task.name.name, stop - start), DrawWatch(frame.spec_path))
    report, index, attempt = found.report, start, 0
    while index < stop and report.attempts < options.max_attempts * (stop - start):
        if not report.produced and report.attempts >= options.max_attempts:
            break
        seed = derive_seed(frame.seed_key, frame.task.name.name, options.seed, index, attempt)
        report.attempts += 1
        try:
            run = run_instance(ctx, seed)
        except Rejection as exc:
            report.rejected[exc.reason] += 1
            found.samples.setdefault(exc.reason, exc)
            found.watch.rejected(exc)
            attempt += 1
            continue
        except Fatal as exc:
            found.diagnostics.append(exc.diagnostic)
            break
        found.tasks.append(assemble(frame, run, index, setup.picker.pick(index)))
        found.watch.accepted(run.params)
        report.produced += 1
        index, attempt = index + 1, 0
    return found


def finish_task(merged: Draw, plan: Plan, wanted: int, strict: bool) -> list[Diagnostic]:
    """The task's own diagnostics once every range of it is drawn: eval errors, small pools, a shortfall
    (none after a fatal error, which is the task's one diagnostic)."""
    report, watch, samples = merged.report, merged.watch, merged.samples
    report.wanted = wanted
    report.eval_errors = [site.to_json() for _, site in sorted(watch.eval_errors.items())]
    if merged.diagnostics:
        return []
    if not report.produced and report.attempts:  # the unsatisfiable error below already shows this rejection
        watch.forget(samples[report.rejected.most_common(1)[0][0]])
    found = watch.diagnostics(plan, report.task, report.produced, strict)
    if report.produced < wanted:
        found.append(_shortfall(report.spec_path, plan.task, report, samples))
    return found


def _shortfall(spec_path: str, task: ast.TaskDecl, report: TaskReport, samples: dict[str, Rejection]) -> Diagnostic:
    reason, _ = report.rejected.most_common(1)[0]
    sample = samples[reason]
    notes = [f"{count} rejected: {name}" for name, count in sorted(report.rejected.items())]
    notes.append(f"first '{reason}' rejection: {sample.detail}")
    fields: dict[str, Any] = {"task": report.task, "attempts": report.attempts, "reason": reason, "notes": notes}
    span = sample.span or task.span
    path = sample.path or spec_path
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
    problems = compile_setting_problems(settings, (spec.root / LIBRARY_MARKER).as_posix())
    if problems:
        raise InputError(f"{problems[0].path}: {problems[0].message}")
    updates = {key: settings[key] for key in COMPILE_SETTINGS if getattr(options, key) is None and key in settings}
    return replace(options, **updates)
