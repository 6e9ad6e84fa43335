"""Offline synthesis as one stream: each unit of instances is compiled, simulated, verified and rendered
where it runs, and this process only writes what comes back, in unit order.

A unit (:class:`~writ_dsl.compiler.shards.TaskShard`: up to 32 instances of one task) runs on one of
the compiler's engines (``local``, worker ``process``\\es, ``ray``) and comes back as a
:class:`UnitOutput`: the unit's draw (its report and what it noticed), its tasks' ``tasks.jsonl`` lines
and τ²-bench task items, and each dialogue's store text and output rows. Memory stays flat in the
number of instances: nothing here holds more than the units in flight.

    unit ──▶ compile ──▶ simulate + verify ──▶ render rows   (a worker)
                                                   │
    tasks.jsonl, tau2_tasks.json, run.sqlite, ◀────┘        (this process, in unit order)
    trajectories.jsonl, rejects.jsonl, simulations.json
"""

from __future__ import annotations

from dataclasses import dataclass, field, replace
from typing import TYPE_CHECKING, Any

from .compiler.engine import worker_context
from .compiler.environments import EnvironmentSet
from .compiler.shards import ShardContext, TaskShard, draw_unit, environment_key, worker_environments
from .diagnostics import Diagnostic
from .exports.tau2_tasks import to_tau2
from .io import json_array_item
from .runner.engines import Job, run_job
from .runner.export import TaskRows, render_task
from .runner.manifest import ManifestFacts
from .runner.options import RunOptions
from .runner.run import open_attempts
from .runner.simulate import Cast
from .runner.json_text import parse_stored
from .runner.store import record_text

if TYPE_CHECKING:
    from .compiler.compile import Draw


@dataclass(frozen=True)
class StreamContext:
    """What every unit needs, sent to each worker once."""

    shard: ShardContext
    run: RunOptions  # offline roles
    meta: dict[str, Any]  # the run's identity and tools, as the exports read them
    made: dict[str, dict[int, str]] = field(default_factory=dict)  # a resumed run's finished attempts
    environments: EnvironmentSet | None = None  # in this process (the local engine): built fresh per run


@dataclass
class UnitOutput:
    draw: Draw | list[Diagnostic]  # the unit's draw without its tasks, or its task's problems
    task_ids: list[str] = field(default_factory=list)
    task_lines: list[bytes] = field(default_factory=list)  # UTF-8: encoded in the worker, written as they are
    tau2_items: list[bytes] = field(default_factory=list)
    stored: list[tuple[str, int, str, str]] = field(default_factory=list)  # (task id, attempt, outcome, text)
    rows: list[TaskRows] = field(default_factory=list)
    facts: ManifestFacts = field(default_factory=ManifestFacts)

    @property
    def dialogues(self) -> int:
        return len(self.stored)


_casts: list[tuple[StreamContext, Cast]] = []  # this process's cast for its current context


def _cast(context: StreamContext) -> Cast:
    if not _casts or _casts[0][0] is not context:
        _casts[:] = [(context, Cast(context.run))]
    return _casts[0][1]


def stream_unit(unit: TaskShard) -> UnitOutput:
    """Compile one unit, run and verify its dialogues, render their rows (run in a worker)."""
    context: StreamContext = worker_context()
    environments = context.environments or worker_environments(environment_key(context.shard.options))
    part = draw_unit(context.shard, unit, environments)
    found = UnitOutput(part)
    if isinstance(part, list):
        return found
    for task in part.tasks:
        found.task_ids.append(task.id)
        found.task_lines.append(task.to_json_line().encode())
        found.tau2_items.append(json_array_item(to_tau2(task), 2).encode())
        found.facts.add(task)
        attempts = open_attempts(context.made.get(task.id, {}), context.run)
        if not attempts:
            continue
        job = Job(task, environments.get(task.env), attempts)  # the environment it was just compiled in
        texts = [record_text(r) for r in run_job(job, _cast(context), context.run)]
        stored = [parse_stored(text) for text in texts]  # rendered as the store gives it back: the same bytes
        found.stored.extend((r["task_id"], r.get("attempt", 0), r["outcome"], text) for r, text in zip(stored, texts))
        found.rows.append(render_task(stored, context.meta))
    part.tasks = []
    return found


def stream_context(shard: ShardContext, run: RunOptions, meta: dict[str, Any], made: dict[str, dict[int, str]],
                   local: bool) -> StreamContext:
    """The context of a stream; ``local``: its units run in this process."""
    environments = EnvironmentSet(shard.options) if local else None
    return StreamContext(shard, replace(run, backend=None, progress=False), meta, made, environments)
