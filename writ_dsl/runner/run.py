"""Run many dialogues, verify them, and keep the results durably: the library behind ``writ run``.

:func:`run_tasks` simulates every task not yet finished in ``out_dir`` (many at
once, on threads), commits each verdict to ``out_dir/run.sqlite`` as it
arrives, then rewrites the output files from the database. Running it again on
the same tasks and options resumes; other tasks or options into the same folder
are an error unless ``force``.
"""

from __future__ import annotations

import hashlib
import math
import time
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from ..compiler.model import CompiledTask
from ..env.core import Environment, canonical_json
from ..errors import InputError
from ..io import forget_views, refuse_foreign_folder
from .dialogue import agent_system_prompt
from .engines import Job, choose_engine
from .environments import env_key, environment_for, prepare_environments
from .export import commit_rendered, export_meta, export_outputs
from .manifest import ManifestFacts, manifest_of, write_manifest_of
from .options import MAX_ATTEMPTS, RunOptions
from .progress import Reporter
from .simulate import Cast, simulate, task_record
from .store import DB_NAME, EncodedRecord, RunStore, encoded

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


def run_tasks(tasks: Iterable[CompiledTask], out_dir: str | Path, options: RunOptions = RunOptions(),
              spec_paths: Sequence[str | Path] = (), *, locked: bool = False,
              meta: dict[str, Any] | None = None) -> RunSummary:
    """Run every unfinished task into ``out_dir``; ``locked``: the caller holds the folder's lock
    (:func:`~writ_dsl.runner.store.lock_folder`); ``meta`` is kept with the run's identity; ``spec_paths``
    locate the spec library for the manifest.

    ``tasks`` is read twice, one task at a time (a list, or a :class:`~writ_dsl.io.TaskFile`): once to
    survey them (ids, environments, fingerprint), once to run them; none is kept beyond the jobs in flight.
    """
    started, out_dir = time.monotonic(), Path(out_dir)
    check_options(options)
    survey = Survey.of(tasks, options.env_path)
    _check_policy(options, survey.envs.values())
    if not (out_dir / DB_NAME).is_file():
        refuse_foreign_folder(out_dir, options.force)
    out_dir.mkdir(parents=True, exist_ok=True)
    with RunStore(out_dir, lock=not locked, redact=options.redactor().known) as store:
        if not store.claim(survey.fingerprint(options), {**survey.meta(options), **(meta or {})}, options.force) \
                and options.force:
            forget_views(out_dir)  # started over: the earlier run's plots and report describe another run
        write_manifest_of(out_dir, manifest_of(survey.facts, survey.tools(), options, spec_paths), options)
        cast = Cast(options, out_dir)
        try:
            made = store.outcomes()
            ran = _execute(_jobs(tasks, survey, made, options), survey.open_jobs(made, options), cast, store,
                           options, survey.positions, made)
        finally:
            cast.close()
            summary = export_outputs(out_dir)
    return RunSummary(out_dir, survey.facts.count, ran, summary["verified"], summary["rejected"], summary["failed"],
                      summary["pending"], time.monotonic() - started, cast.requests,
                      cast.cache.hits if cast.cache is not None else 0)


@dataclass
class Survey:
    """What a run needs to know of its tasks before running them, gathered in one pass."""

    positions: dict[str, int] = field(default_factory=dict)  # task id -> position
    digests: list[str] = field(default_factory=list)
    envs: dict[str, Environment] = field(default_factory=dict)
    facts: ManifestFacts = field(default_factory=ManifestFacts)

    @classmethod
    def of(cls, tasks: Iterable[CompiledTask], env_path: Sequence[str] = ()) -> Survey:
        found = cls()
        for seq, task in enumerate(tasks):
            if task.id in found.positions:
                raise InputError(f"task id {task.id} appears more than once in the input")
            found.positions[task.id] = seq
            found.digests.append(hashlib.sha256(task.to_json_line().encode()).hexdigest())
            key = env_key(task)
            if key not in found.envs:
                found.envs[key] = environment_for(task, env_path)
            found.facts.add(task)
        return found

    def fingerprint(self, options: RunOptions) -> str:
        content = {"tasks": sorted(self.digests), "options": options.identity()}
        return hashlib.sha256(canonical_json(content).encode()).hexdigest()

    def tools(self) -> dict[str, Any]:
        return {env.name: env.domain.openai_tools() for env in self.envs.values()}

    def meta(self, options: RunOptions) -> dict[str, Any]:
        return {"options": options.identity(), "tasks": self.facts.count, "tools": self.tools()}

    def open_jobs(self, made: dict[str, dict[int, str]], options: RunOptions) -> int:
        chosen = list(self.positions)[: options.limit] if options.limit is not None else self.positions
        return sum(1 for task_id in chosen if open_attempts(made.get(task_id, {}), options))


def check_options(options: RunOptions) -> None:
    """InputError for options no run can use (checked before any folder is made or claimed)."""
    if options.uses_llm and options.backend is None and not options.model:
        raise InputError("--model (or $WRIT_MODEL) is needed when --user llm or --agent llm/guided")
    if options.concurrency < 1:
        raise InputError("--concurrency must be at least 1")
    for flag, value in (("--temperature", options.temperature), ("--top-p", options.top_p),
                        ("--timeout", options.timeout)):
        if value is not None and not math.isfinite(value):
            raise InputError(f"{flag} must be a finite number, not {value}")
    if not 1 <= options.attempts <= MAX_ATTEMPTS:
        raise InputError(f"--attempts must be from 1 to {MAX_ATTEMPTS}")
    if options.uses_llm and options.engine not in ("auto", "asyncio"):
        raise InputError(f"--engine {options.engine} runs offline roles only (LLM roles run on --engine auto)")
    if options.backend is None:
        used = ([("agent", options.agent_endpoint())] if options.agent != "oracle" else []) + \
               ([("user", options.user_endpoint())] if options.user == "llm" else [])
        for role, endpoint in used:
            if (problem := endpoint.problem()) is not None:
                raise InputError(f"the {role}'s endpoint: {problem}")


def _check_policy(options: RunOptions, envs: Iterable[Environment]) -> None:
    """``--policy`` read before any dialogue starts: a file that cannot be read, or ``tau2`` without the
    package, is the run's error, not every dialogue's."""
    if not options.policy:
        return
    for env in envs:
        try:
            agent_system_prompt(env.domain, options.policy)
        except InputError as exc:
            raise InputError(f"--policy {options.policy}: {exc}") from None


def fingerprint(tasks: Iterable[CompiledTask], options: RunOptions) -> str:
    return Survey.of(tasks, options.env_path).fingerprint(options)


def open_attempts(made: dict[int, str], options: RunOptions) -> tuple[int, ...]:
    """The attempts of a task still to make, given the outcomes of those made."""
    if options.keep == "first" and "verified" in made.values():
        return ()
    return tuple(a for a in range(options.attempts)
                 if a not in made or (made[a] == "failed" and options.retry_failed))


def _jobs(tasks: Iterable[CompiledTask], survey: Survey, made: dict[str, dict[int, str]],
          options: RunOptions) -> Iterator[Job]:
    """The jobs still to do, read from ``tasks`` as they are needed."""
    for seq, task in enumerate(tasks):
        if options.limit is not None and seq >= options.limit:
            return
        attempts = open_attempts(made.get(task.id, {}), options)
        if attempts:
            yield Job(task, survey.envs[env_key(task)], attempts)


# --------------------------------------------------------------------- execution
def _execute(jobs: Iterable[Job], count: int, cast: Cast, store: RunStore, options: RunOptions,
             positions: dict[str, int], made: dict[str, dict[int, str]]) -> int:
    """Run the ``count`` jobs on the engine the options choose, committing every finished dialogue with its
    task's position; a task with no attempt left to make has its output rows made at once (off the event
    loop: the sink runs in the committing thread or process), so that the exports at the end only copy them."""
    committed = 0
    meta = export_meta(store)
    with Reporter(count, enabled=options.progress) as reporter:

        def sink(records: list[dict[str, Any] | EncodedRecord]) -> None:
            nonlocal committed
            done = [encoded(record) for record in records]  # a worker process sends them encoded already
            rows = store.stored_rows(done, [positions[record.task_id] for record in done])
            for record in done:
                made.setdefault(record.task_id, {})[record.attempt] = record.outcome
            finished = {task_id: made[task_id] for task_id in (r.task_id for r in done)
                        if not open_attempts(made[task_id], options)}
            commit_rendered(store, rows, finished, meta)
            for record in done:
                reporter.advance(record.outcome)
            committed += len(done)

        choose_engine(options).execute(jobs, cast, options, sink)
    return committed
