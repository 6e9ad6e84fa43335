"""Run many dialogues, verify them, and keep the results durably: the library behind ``writ run``.

:func:`run_tasks` simulates every task not yet finished in ``out_dir`` (many at
once, on threads), commits each verdict to ``out_dir/run.sqlite`` as it
arrives, then rewrites the output files from the database. Running it again on
the same tasks and options resumes; other tasks or options into the same folder
are an error unless ``force``.
"""

from __future__ import annotations

import hashlib
import time
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from ..compiler.model import CompiledTask
from ..env.core import Environment, canonical_json
from ..errors import InputError
from ..io import refuse_foreign_folder
from .engines import Job, choose_engine
from .environments import env_key, prepare_environments
from .export import export_outputs
from .manifest import write_manifest
from .options import RunOptions
from .progress import Reporter
from .simulate import Cast, simulate, task_record
from .store import DB_NAME, RunStore

__all__ = ["RunOptions", "RunSummary", "run_tasks", "fingerprint", "prepare_environments",
           "simulate", "task_record"]


@dataclass(frozen=True)
class RunSummary:
    out_dir: Path
    tasks: int
    ran: int  # dialogues finished by this call
    verified: int  # the totals below count every finished task in out_dir
    rejected: int
    failed: int
    pending: int
    elapsed: float
    requests: int = 0  # HTTP requests this call made (cache hits and finished tasks make none)
    cache_hits: int = 0

    @property
    def rate(self) -> float:
        return self.ran / self.elapsed if self.elapsed > 0 else 0.0


def run_tasks(tasks: Sequence[CompiledTask], out_dir: str | Path, options: RunOptions = RunOptions(),
              spec_paths: Sequence[str | Path] = (), *, locked: bool = False,
              meta: dict[str, Any] | None = None) -> RunSummary:
    """Run every unfinished task into ``out_dir``; ``locked``: the caller holds the folder's lock
    (:func:`~writ_dsl.runner.store.lock_folder`); ``meta`` is kept with the run's identity; ``spec_paths``
    locate the spec library for the manifest."""
    started, out_dir = time.monotonic(), Path(out_dir)
    _check(tasks, options)
    envs = prepare_environments(tasks, options.env_path)
    if not (out_dir / DB_NAME).is_file():
        refuse_foreign_folder(out_dir, options.force)
    out_dir.mkdir(parents=True, exist_ok=True)
    with RunStore(out_dir, lock=not locked, redact=options.redactor().known) as store:
        store.claim(fingerprint(tasks, options), {**_meta(tasks, envs, options), **(meta or {})}, options.force)
        write_manifest(out_dir, tasks, envs, options, spec_paths)
        cast = Cast(options, out_dir)
        try:
            positions = {task.id: seq for seq, task in enumerate(tasks)}
            ran = _execute(_jobs(tasks, envs, store, options), cast, store, options, positions)
        finally:
            cast.close()
            summary = export_outputs(out_dir)
    return RunSummary(out_dir, len(tasks), ran, summary["verified"], summary["rejected"], summary["failed"],
                      summary["pending"], time.monotonic() - started, cast.requests,
                      cast.cache.hits if cast.cache is not None else 0)


def _check(tasks: Sequence[CompiledTask], options: RunOptions) -> None:
    repeated = [task_id for task_id, n in Counter(task.id for task in tasks).items() if n > 1]
    if repeated:
        raise InputError(f"task id {repeated[0]} appears more than once in the input")
    if options.uses_llm and options.backend is None and not options.model:
        raise InputError("--model (or $WRIT_MODEL) is needed when --user llm or --agent llm/guided")
    if options.concurrency < 1:
        raise InputError("--concurrency must be at least 1")
    if options.attempts < 1:
        raise InputError("--attempts must be at least 1")


def fingerprint(tasks: Sequence[CompiledTask], options: RunOptions) -> str:
    digests = sorted(hashlib.sha256(task.to_json_line().encode()).hexdigest() for task in tasks)
    return hashlib.sha256(canonical_json({"tasks": digests, "options": options.identity()}).encode()).hexdigest()


def _meta(tasks: Sequence[CompiledTask], envs: dict[str, Environment], options: RunOptions) -> dict[str, Any]:
    tools = {env.name: env.domain.openai_tools() for env in envs.values()}
    return {"options": options.identity(), "tasks": len(tasks), "tools": tools}


def open_attempts(made: dict[int, str], options: RunOptions) -> tuple[int, ...]:
    """The attempts of a task still to make, given the outcomes of those made."""
    if options.keep == "first" and "verified" in made.values():
        return ()
    return tuple(a for a in range(options.attempts)
                 if a not in made or (made[a] == "failed" and options.retry_failed))


def _jobs(tasks: Sequence[CompiledTask], envs: dict[str, Environment], store: RunStore,
          options: RunOptions) -> list[Job]:
    chosen = tasks[: options.limit] if options.limit is not None else tasks
    made = store.outcomes()
    jobs = [Job(task, envs[env_key(task)], open_attempts(made.get(task.id, {}), options)) for task in chosen]
    return [job for job in jobs if job.attempts]


# --------------------------------------------------------------------- execution
def _execute(jobs: list[Job], cast: Cast, store: RunStore, options: RunOptions, positions: dict[str, int]) -> int:
    """Run the jobs on the engine the options choose, committing every finished dialogue with its task's
    position."""
    committed = 0
    with Reporter(len(jobs), enabled=options.progress) as reporter:

        def sink(records: list[dict[str, Any]]) -> None:
            nonlocal committed
            store.commit_many(records, [positions[record["task_id"]] for record in records])
            for record in records:
                reporter.advance(record["outcome"])
            committed += len(records)

        choose_engine(options).execute(jobs, cast, options, sink)
    return committed
