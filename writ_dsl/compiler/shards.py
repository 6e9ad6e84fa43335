"""Compile in units: ranges of one task's instance indices, drawn anywhere and merged in the serial order.

Every instance seed depends only on (spec, task, base seed, index, attempt), and
every unit draws a fixed range of indices with its own budget, so a unit draws
the same instances wherever it runs. The units are listed in the order
:func:`~.compile.compile_specs` visits tasks, at most :data:`UNIT_SIZE`
instances each, and merged in that order, so the output is byte-identical for
any engine and number of workers. A task's own diagnostics (eval errors, small
pools, shortfalls) are made once its last unit is merged.

The loaded specs and the options are the engine's context (sent to each
worker once); a unit names its spec by position. Each worker builds its own
environments (databases are generated from their seed, or read from ``--db``)
and each task's setup, once per process.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Sequence
from contextlib import nullcontext
from dataclasses import dataclass, replace
from functools import lru_cache
from typing import TYPE_CHECKING, Any

from ..diagnostics import Diagnostic
from ..lang.loader import LoadedSpec
from .engine import Engine, make_engine, worker_context
from .environments import EnvironmentSet

if TYPE_CHECKING:
    from .compile import CompileOptions, CompileResult, Draw, TaskSetup
    from .progress import ProgressSink

UNIT_SIZE = 32  # instances per unit: small enough to stream, large enough to amortize a round trip
KEPT_SETUPS = 4  # task setups a process keeps (their caches grow with the instances drawn)


@dataclass(frozen=True)
class TaskShard:
    """Instances ``start`` to ``stop - 1`` of one task; ``wanted``: how many that is."""

    spec: int  # position in the context's specs
    task: str
    start: int
    stop: int
    last: bool  # the task's last unit: its diagnostics are made after this one

    @property
    def wanted(self) -> int:
        return self.stop - self.start


@dataclass(frozen=True)
class ShardContext:
    specs: Sequence[LoadedSpec]
    options: CompileOptions  # without its progress display, which stays in this process


def shards(specs: Sequence[LoadedSpec], options: CompileOptions, size: int = UNIT_SIZE) -> list[TaskShard]:
    """The units of every task that has instances to make, in the serial compile order."""
    from .compile import task_quotas

    quotas = task_quotas(specs, options)
    found = []
    for i, spec in enumerate(specs):
        for task in spec.module.tasks:
            wanted = quotas.get((spec.display_path, task.name.name), 0)
            found.extend(TaskShard(i, task.name.name, start, min(start + size, wanted), start + size >= wanted)
                         for start in range(0, wanted, size))
    return found


def compile_shard(shard: TaskShard) -> Draw | list[Diagnostic]:
    """One unit's draw (run in a worker), or the problems that keep its task from compiling."""
    context: ShardContext = worker_context()
    return draw_unit(context, shard, worker_environments(environment_key(context.options)))


def draw_unit(context: ShardContext, shard: TaskShard, environments: EnvironmentSet) -> Draw | list[Diagnostic]:
    from .compile import draw

    setup, problems = _setup(context, shard.spec, shard.task, environments)
    if setup is None:
        return problems
    return draw(setup, context.options, shard.start, shard.stop)


_setups: dict[tuple[int, str], tuple[TaskSetup | None, list[Diagnostic]]] = {}
_setups_context: list[ShardContext] = []  # the context the setups belong to (held: its id is never reused)


def _setup(context: ShardContext, spec_index: int, task_name: str,
           environments: EnvironmentSet) -> tuple[TaskSetup | None, list[Diagnostic]]:
    """A task's setup, built once per process and context (a worker keeps only its current context's)."""
    from .compile import TaskSetup

    if not _setups_context or _setups_context[0] is not context:
        _setups.clear()
        _setups_context[:] = [context]
    key = (spec_index, task_name)
    if key not in _setups:
        spec = context.specs[spec_index]
        task = next(t for t in spec.module.tasks if t.name.name == task_name)
        _setups[key] = TaskSetup.create(spec, task, environments, context.options)
        while len(_setups) > KEPT_SETUPS:  # units come in task order: older tasks are done with
            del _setups[next(iter(_setups))]
    return _setups[key]


class TaskMerger:
    """Absorbs the units of each task in order; a finished task's report, instances and diagnostics go into
    ``result`` (its instances only when ``keep_tasks``: a streaming caller takes them from each unit)."""

    def __init__(self, specs: Sequence[LoadedSpec], options: CompileOptions, result: CompileResult,
                 *, keep_tasks: bool = True) -> None:
        self.specs, self.options, self.result, self.keep_tasks = specs, options, result, keep_tasks
        self._current: Draw | None = None
        self._seen: set[Diagnostic] = set(result.diagnostics)

    def add(self, shard: TaskShard, part: Draw | list[Diagnostic]) -> None:
        if isinstance(part, list):  # the task cannot compile: its problems, once
            self._diagnose(part)
            return
        if not self.keep_tasks:
            part.tasks = []
        if shard.start == 0 or self._current is None:
            self._current = part
            self.result.reports.append(part.report)
        else:
            self._current.absorb(part)
        if shard.last:
            self._finish(shard, self._current)
            self._current = None

    def _finish(self, shard: TaskShard, merged: Draw) -> None:
        from .compile import finish_task
        from .plan import build_plan

        spec = self.specs[shard.spec]
        task = next(t for t in spec.module.tasks if t.name.name == shard.task)
        wanted = shard.stop
        self.result.tasks.extend(merged.tasks)
        self._diagnose(merged.diagnostics)
        self._diagnose(finish_task(merged, build_plan(spec, task), wanted, self.options.strict))

    def _diagnose(self, found: Iterable[Diagnostic]) -> None:
        fresh = [d for d in found if d not in self._seen]
        self._seen.update(fresh)
        self.result.diagnostics.extend(fresh)


def compile_sharded(specs: Sequence[LoadedSpec], options: CompileOptions, result: CompileResult,
                    *, workers: int = 1, engine: Engine | None = None, name: str | None = None,
                    environments: EnvironmentSet | None = None) -> CompileResult:
    """Compile every unit on ``engine`` (default: the engine ``name``, else by workers; as many workers as
    asked, at most one per unit) and merge the results into ``result`` in the serial order. An ``engine``
    given must carry the :class:`ShardContext` of these specs; ``environments`` (in this process only) are
    used instead of building them."""
    units = shards(specs, options)
    context = ShardContext(list(specs), replace(options, progress=None))
    merger = TaskMerger(specs, options, result)
    count = min(workers, len(units))
    if engine is None and (name == "local" or (name is None and count <= 1)):
        environments = environments or EnvironmentSet(options)  # fresh: a --db file may have changed
        parts: Iterator[Any] = (draw_unit(context, unit, environments) for unit in units)
        _merge(merger, units, parts, options.progress)
        return result
    with nullcontext(engine) if engine else make_engine(count, name, context) as running:
        _merge(merger, units, running.map(compile_shard, units), options.progress)
    return result


def _merge(merger: TaskMerger, units: Sequence[TaskShard], parts: Iterable[Any],
           progress: ProgressSink | None) -> None:
    for unit, part in zip(units, parts, strict=True):
        merger.add(unit, part)
        if progress is not None:
            progress.advance(unit.wanted, unit.task)


_EnvironmentKey = tuple[object, ...]


def environment_key(options: CompileOptions) -> _EnvironmentKey:
    return (options.db_path, options.db_seed, options.db_size, options.env_path)


@lru_cache(maxsize=1)
def worker_environments(key: _EnvironmentKey) -> EnvironmentSet:
    """The environments of a worker, built on its first unit and kept for the next ones."""
    from .compile import CompileOptions

    db_path, db_seed, db_size, env_path = key
    return EnvironmentSet(CompileOptions(db_path=db_path, db_seed=db_seed, db_size=db_size,  # type: ignore[arg-type]
                                         env_path=env_path))  # type: ignore[arg-type]
