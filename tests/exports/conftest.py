"""A small finished run on the fake ``desk`` domain (three templates, one rejected dialogue), and golden files."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest
from goldens import comparer

from runner.helpers import BUY_AND_REFUND_STEPS, BUY_STEPS, FAKE_ENVS, make_task
from writ_dsl.io import write_tasks
from writ_dsl.runner.run import RunOptions, run_tasks

HERE = Path(__file__).resolve().parent


def desk_tasks():
    tasks = []
    for i in range(6):
        steps = BUY_AND_REFUND_STEPS if i % 2 else BUY_STEPS
        bad_hash = "f" * 64 if i == 5 else None  # a gold state no dialogue can reach: rejected
        task = make_task(steps, task_id=f"desk-{i:04d}", behavior=("straightforward", "reserved")[i % 2],
                         facts=("60", "noted") if i % 2 else ("60",), gold_state_hash=bad_hash)
        tasks.append(task.model_copy(update={"task": f"template_{i % 3}"}))
    return tasks


def make_desk_run(out: Path) -> Path:
    """A finished run of :func:`desk_tasks` in ``out``, its tasks.jsonl beside it."""
    tasks = desk_tasks()
    run_tasks(tasks, out, RunOptions(env_path=(str(FAKE_ENVS),), concurrency=1))
    write_tasks(out / "tasks.jsonl", tasks)
    return out


@pytest.fixture(scope="session")
def desk_run(tmp_path_factory) -> Path:
    return make_desk_run(tmp_path_factory.mktemp("desk_run"))


@pytest.fixture
def golden() -> Callable[[str, str], None]:
    """Compare ``actual`` with ``tests/exports/<name>``; WRIT_UPDATE_GOLDEN=1 rewrites it."""
    return comparer(HERE)
