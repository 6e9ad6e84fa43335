"""Compile in worker processes: one shard per (spec, task), merged in the serial order.

Every instance seed already depends only on (spec, task, base seed, index,
attempt), and every task has its own plan, context and behavior picker, so a
task compiles to the same instances wherever it runs. The shards are listed in
the order :func:`compile_specs` visits tasks and their results are appended in
that order, so the output is byte-identical for any engine and worker count.
The loaded specs and the options are the engine's context (sent to each
worker once); a shard names its spec by position. Each worker builds its own
environments (databases are generated from their seed, or read from
``--db``), once per process.
"""

from __future__ import annotations

from contextlib import nullcontext
from dataclasses import dataclass, replace
from functools import lru_cache
from typing import TYPE_CHECKING

from ..diagnostics import Diagnostic
from ..lang.loader import LoadedSpec
from .engine import Engine, make_engine, worker_context
from .environments import EnvironmentSet

if TYPE_CHECKING:
    from collections.abc import Iterable, Sequence

    from .compile import CompileOptions, CompileResult
    from .progress import ProgressSink


@dataclass(frozen=True)
class TaskShard:
    spec: int  # position in the context's specs
    task: str
    wanted: int


@dataclass(frozen=True)
class ShardContext:
    specs: Sequence[LoadedSpec]
    options: CompileOptions  # without its progress display, which stays in this process


def shards(specs: Sequence[LoadedSpec], options: CompileOptions) -> list[TaskShard]:
    """One shard per task that has instances to make, in the serial compile order."""
    from .compile import task_quotas

    quotas = task_quotas(specs, options)
    return [TaskShard(i, task.name.name, quotas[(spec.display_path, task.name.name)])
            for i, spec in enumerate(specs) for task in spec.module.tasks
            if quotas.get((spec.display_path, task.name.name), 0) > 0]


def compile_shard(shard: TaskShard) -> CompileResult:
    """One task's instances, reports and diagnostics (run in a worker)."""
    from .compile import CompileResult, compile_spec

    context: ShardContext = worker_context()
    spec, result = context.specs[shard.spec], CompileResult()
    options = replace(context.options, tasks=(shard.task,))
    quotas = {(spec.display_path, shard.task): shard.wanted}
    compile_spec(spec, options, _environments(_environment_key(context.options)), result, quotas)
    return result


def compile_sharded(specs: Sequence[LoadedSpec], options: CompileOptions, result: CompileResult,
                    *, workers: int = 1, engine: Engine | None = None, name: str | None = None) -> CompileResult:
    """Compile every task on ``engine`` (default: the engine ``name``, else by workers; as many workers as
    asked, at most one per shard) and
    append the results to ``result`` in the serial order. An ``engine`` given must carry the
    :class:`ShardContext` of these specs.

    A spec's own problems (its environment, its tool checks) come back from each of its shards; they
    are kept once.
    """
    units = shards(specs, options)
    context = ShardContext(list(specs), replace(options, progress=None))
    with nullcontext(engine) if engine else make_engine(min(workers, len(units)), name, context) as running:
        merge(result, running.map(compile_shard, units), options.progress, units)
    return result


def merge(result: CompileResult, parts: Iterable[CompileResult], progress: ProgressSink | None = None,
          units: Sequence[TaskShard] = ()) -> None:
    seen: set[Diagnostic] = set(result.diagnostics)
    for index, part in enumerate(parts):
        if progress is not None and index < len(units):
            progress.advance(units[index].wanted, units[index].task)
        result.tasks.extend(part.tasks)
        result.reports.extend(part.reports)
        fresh = [d for d in part.diagnostics if d not in seen]
        seen.update(fresh)
        result.diagnostics.extend(fresh)


_EnvironmentKey = tuple[object, ...]


def _environment_key(options: CompileOptions) -> _EnvironmentKey:
    return (options.db_path, options.db_seed, options.db_size, options.env_path)


@lru_cache(maxsize=1)
def _environments(key: _EnvironmentKey) -> EnvironmentSet:
    """The environments of a worker, built on its first shard and kept for the next ones."""
    from .compile import CompileOptions

    db_path, db_seed, db_size, env_path = key
    return EnvironmentSet(CompileOptions(db_path=db_path, db_seed=db_seed, db_size=db_size,  # type: ignore[arg-type]
                                         env_path=env_path))  # type: ignore[arg-type]
