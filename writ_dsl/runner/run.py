"""Run many dialogues, verify them, and keep the results durably: the library behind ``writ run``.

:func:`run_tasks` simulates every task not yet finished in ``out_dir`` (many at
once, on threads), commits each verdict to ``out_dir/run.sqlite`` as it
arrives, then rewrites the output files from the database. Running it again on
the same tasks and options resumes; other tasks or options into the same folder
are an error unless ``force``.
"""

from __future__ import annotations

import hashlib
import threading
import time
import traceback
from collections import Counter
from collections.abc import Sequence
from concurrent.futures import FIRST_COMPLETED, Future, ThreadPoolExecutor, wait
from dataclasses import dataclass, field
from itertools import islice
from pathlib import Path
from typing import Any, Literal

from ..compiler.model import CompiledTask
from ..env.core import Environment, canonical_json
from ..env.database import load_database
from ..env.registry import UnknownEnvironment, load_domain
from ..errors import InputError
from ..io import refuse_foreign_folder
from .dialogue import Dialogue, Interrupted, Limits, agent_system_prompt, run_dialogue
from .export import export_outputs
from .llm import ChatBackend, Endpoint, LLMAgent, LLMUser, OpenAIBackend
from .oracle_agent import OracleAgent
from .progress import Reporter
from .roles import AgentRole, UserRole
from .scripted_user import ScriptedUser
from .store import DB_NAME, RunStore
from .verify import FAILED, Verdict, verify


@dataclass(frozen=True)
class RunOptions:
    user: Literal["scripted", "llm"] = "scripted"
    agent: Literal["oracle", "llm"] = "oracle"
    model: str | None = None  # the agent's model (and the user's, unless user_model)
    user_model: str | None = None
    base_url: str | None = None
    api_key: str | None = None
    timeout: float = 60.0  # seconds per request
    max_retries: int = 4  # the openai client's retries (429, 5xx, timeouts, connection errors)
    reply_retries: int = 2  # extra asks after a malformed reply
    concurrency: int = 8
    limit: int | None = None  # only the first N tasks of the input
    max_steps: int = 100
    max_errors: int = 10
    env_path: tuple[str, ...] = ()
    force: bool = False
    retry_failed: bool = False
    progress: bool = False
    policy: str | None = None  # the agent's policy: None (the domain's), "tau2" (τ²-bench's own) or a file
    backend: ChatBackend | None = field(default=None, compare=False)  # instead of an OpenAI endpoint

    def identity(self) -> dict[str, Any]:
        """The options that shape the dialogues (a resumed run must use the same)."""
        return {"user": self.user, "agent": self.agent,
                "agent_model": self.model if self.agent == "llm" else None,
                "user_model": (self.user_model or self.model) if self.user == "llm" else None,
                "max_steps": self.max_steps, "max_errors": self.max_errors,
                **({"policy": self.policy} if self.policy else {})}


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

    @property
    def rate(self) -> float:
        return self.ran / self.elapsed if self.elapsed > 0 else 0.0


def run_tasks(tasks: Sequence[CompiledTask], out_dir: str | Path, options: RunOptions = RunOptions(), *,
              locked: bool = False, meta: dict[str, Any] | None = None) -> RunSummary:
    """Run every unfinished task into ``out_dir``; ``locked``: the caller holds the folder's lock
    (:func:`~writ_dsl.runner.store.lock_folder`); ``meta`` is kept with the run's identity."""
    started, out_dir = time.monotonic(), Path(out_dir)
    _check(tasks, options)
    envs = prepare_environments(tasks, options.env_path)
    if not (out_dir / DB_NAME).is_file():
        refuse_foreign_folder(out_dir, options.force)
    out_dir.mkdir(parents=True, exist_ok=True)
    with RunStore(out_dir, lock=not locked) as store:
        store.claim(fingerprint(tasks, options), {**_meta(tasks, envs, options), **(meta or {})}, options.force)
        try:
            ran = _execute(_todo(tasks, store, options), envs, store, options)
        finally:
            summary = export_outputs(out_dir)
    return RunSummary(out_dir, len(tasks), ran, summary["verified"], summary["rejected"], summary["failed"],
                      summary["pending"], time.monotonic() - started)


def _check(tasks: Sequence[CompiledTask], options: RunOptions) -> None:
    repeated = [task_id for task_id, n in Counter(task.id for task in tasks).items() if n > 1]
    if repeated:
        raise InputError(f"task id {repeated[0]} appears more than once in the input")
    uses_llm = options.user == "llm" or options.agent == "llm"
    if uses_llm and options.backend is None and not options.model:
        raise InputError("--model (or $WRIT_MODEL) is needed when --user llm or --agent llm")
    if options.concurrency < 1:
        raise InputError("--concurrency must be at least 1")


def fingerprint(tasks: Sequence[CompiledTask], options: RunOptions) -> str:
    digests = sorted(hashlib.sha256(task.to_json_line().encode()).hexdigest() for task in tasks)
    return hashlib.sha256(canonical_json({"tasks": digests, "options": options.identity()}).encode()).hexdigest()


def _meta(tasks: Sequence[CompiledTask], envs: dict[str, Environment], options: RunOptions) -> dict[str, Any]:
    tools = {env.name: env.domain.openai_tools() for env in envs.values()}
    return {"options": options.identity(), "tasks": len(tasks), "tools": tools}


def _todo(tasks: Sequence[CompiledTask], store: RunStore, options: RunOptions) -> list[CompiledTask]:
    chosen = tasks[: options.limit] if options.limit is not None else tasks
    done = store.finished(include_failed=not options.retry_failed)
    return [task for task in chosen if task.id not in done]


# ------------------------------------------------------------------ environments
def _env_key(task: CompiledTask) -> str:
    return canonical_json([task.env, task.db.source, task.db.seed, task.db.size, task.db.path])


def prepare_environments(tasks: Sequence[CompiledTask], env_path: Sequence[str] = ()) -> dict[str, Environment]:
    """One environment per (domain, database) the tasks use, checked against the compiled hash."""
    envs: dict[str, Environment] = {}
    for task in tasks:
        key = _env_key(task)
        if key not in envs:
            envs[key] = _environment(task, env_path)
    return envs


def _environment(task: CompiledTask, env_path: Sequence[str]) -> Environment:
    try:
        domain = load_domain(task.env, env_path)
    except UnknownEnvironment as exc:
        raise InputError(f"task {task.id}: {exc}") from None
    ref = task.db
    db = load_database(ref.path) if ref.source == "file" and ref.path else domain.database(ref.seed or 0,
                                                                                          ref.size or 1)
    if db.state_hash() != ref.state_hash:
        raise InputError(f"task {task.id}: the {task.env} database differs from the one the task was compiled "
                         f"against (hash {db.state_hash()[:12]}…, expected {ref.state_hash[:12]}…)")
    return domain.environment(db)


# ------------------------------------------------------------------------- roles
class Roles:
    """Builds the user and agent of each dialogue from the options."""

    def __init__(self, options: RunOptions) -> None:
        self.options = options
        self._prompts: dict[str, str] = {}
        needs_backend = options.user == "llm" or options.agent == "llm"
        self.backend = options.backend
        if needs_backend and self.backend is None:
            endpoint = Endpoint(options.base_url, options.api_key, options.timeout, options.max_retries)
            self.backend = OpenAIBackend(endpoint)

    def system_prompt(self, env: Environment) -> str:
        """The agent's system prompt for an environment, built once per run."""
        if env.name not in self._prompts:
            self._prompts[env.name] = agent_system_prompt(env.domain, self.options.policy)
        return self._prompts[env.name]

    def user(self, task: CompiledTask) -> UserRole:
        if self.options.user == "scripted":
            return ScriptedUser(task)
        model = self.options.user_model or self.options.model or "default"
        assert self.backend is not None
        return LLMUser(self.backend, model, task, self.options.reply_retries)

    def agent(self, task: CompiledTask, env: Environment) -> AgentRole:
        if self.options.agent == "oracle":
            return OracleAgent(task, env.domain.tools)
        assert self.backend is not None
        return LLMAgent(self.backend, self.options.model or "default", env.domain.openai_tools(), task.id,
                        self.options.reply_retries)


# --------------------------------------------------------------------- execution
def simulate(task: CompiledTask, env: Environment, roles: Roles, limits: Limits,
             stop: threading.Event | None = None) -> dict[str, Any]:
    """One dialogue, verified: the record the run database keeps."""
    try:
        dialogue = run_dialogue(env, roles.user(task), roles.agent(task, env), limits=limits, stop=stop,
                                system_prompt=roles.system_prompt(env))
        verdict = verify(task, env, dialogue)
    except Interrupted:
        raise
    except Exception as exc:  # a bug must not cost the other dialogues: record it as a failure
        dialogue = Dialogue([], termination="agent_error")
        detail = "".join(traceback.format_exception_only(type(exc), exc)).strip()
        verdict = Verdict(FAILED, "internal-error", detail)
    return task_record(task, dialogue, verdict)


def task_record(task: CompiledTask, dialogue: Dialogue, verdict: Verdict) -> dict[str, Any]:
    return {
        "task_id": task.id, "task": task.task, "domain": task.env, "seed": task.seed,
        "trajectory_type": task.metrics.trajectory_type,
        "behavior": task.behavior.name if task.behavior else None,
        "gold_state_hash": task.gold_state_hash,
        "termination_reason": dialogue.termination, "stop_token": dialogue.stop_token,
        "tool_errors": dialogue.errors,
        "messages": [m.to_record() for m in dialogue.messages],
        **verdict.to_record(),
    }


def _execute(todo: list[CompiledTask], envs: dict[str, Environment], store: RunStore, options: RunOptions) -> int:
    """Run the dialogues on a thread pool, at most two per worker queued at once, committing each as it ends."""
    roles, limits, stop = Roles(options), Limits(options.max_steps, options.max_errors), threading.Event()
    queue, window, committed = iter(todo), 2 * options.concurrency, 0
    with Reporter(len(todo), enabled=options.progress) as reporter, \
            ThreadPoolExecutor(max_workers=options.concurrency, thread_name_prefix="writ-run") as pool:

        def keep(future: Future[dict[str, Any]]) -> None:
            nonlocal committed
            record = future.result()
            store.commit(record["task_id"], record["outcome"], record)
            reporter.advance(record["outcome"])
            committed += 1

        def refill(running: set[Future[dict[str, Any]]]) -> set[Future[dict[str, Any]]]:
            for task in islice(queue, max(window - len(running), 0)):
                running.add(pool.submit(simulate, task, envs[_env_key(task)], roles, limits, stop))
            return running

        running = refill(set())
        try:
            while running:
                finished, running = wait(running, return_when=FIRST_COMPLETED)
                for future in finished:
                    keep(future)
                running = refill(running)
        except BaseException:
            stop.set()
            for future in wait(running).done:
                if future.exception() is None:
                    keep(future)
            raise
    return committed
