"""The environments a run's tasks are simulated in: one per (domain, database), checked against the hash
each task was compiled against, kept for the process's later runs and inherited by forked workers."""

from __future__ import annotations

from collections.abc import Sequence

from ..compiler.model import CompiledTask
from ..env.core import Environment, canonical_json
from ..env.database import load_database
from ..env.registry import UnknownEnvironment, load_domain
from ..errors import InputError

_built: dict[tuple[str, tuple[str, ...], str], Environment] = {}


def env_key(task: CompiledTask) -> str:
    return canonical_json([task.env, task.db.source, task.db.seed, task.db.size, task.db.path])


def prepare_environments(tasks: Sequence[CompiledTask], env_path: Sequence[str] = ()) -> dict[str, Environment]:
    """One environment per (domain, database) the tasks use, checked against the compiled hash."""
    envs: dict[str, Environment] = {}
    for task in tasks:
        key = env_key(task)
        if key not in envs:
            envs[key] = environment_for(task, env_path)
    return envs


def environment_for(task: CompiledTask, env_path: Sequence[str] = ()) -> Environment:
    """The task's environment, built once per process (a worker process or a Ray worker builds its own)."""
    key = (env_key(task), tuple(env_path), task.db.state_hash)  # the hash: a changed --db file is read anew
    if key not in _built:
        _built[key] = _environment(task, env_path)
    return _built[key]


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
