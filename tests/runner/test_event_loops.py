"""LLM dialogues over several worker processes: the same run folder as one event loop, one shared cache,
every request and hit counted, and a worker that dies is a clear error that loses no finished dialogue."""

from __future__ import annotations

import os
import signal
from pathlib import Path
from typing import Any

import pytest

from writ_dsl.errors import WorkerStopped
from writ_dsl.runner import event_loops
from writ_dsl.runner.engines import ENGINES, choose_engine
from writ_dsl.runner.event_loops import shares
from writ_dsl.runner.loopback import LoopbackServer
from writ_dsl.runner.run import run_tasks

from .helpers import many_tasks
from .test_teacher import options
from .test_workers import folder_bytes, stored


def test_shares_split_the_slots_over_at_most_one_process_per_slot() -> None:
    assert [s.concurrency for s in shares(256, 2, None)] == [128, 128]
    assert [s.concurrency for s in shares(7, 3, "c")] == [3, 2, 2]
    assert [s.concurrency for s in shares(2, 8, None)] == [1, 1]
    assert [s.concurrency for s in shares(5, 1, None)] == [5]
    assert {s.cache_path for s in shares(7, 3, "c")} == {"c"}


def test_llm_runs_use_the_sharded_event_loop_engine() -> None:
    assert choose_engine(options(workers=2)) is ENGINES["asyncio"]
    assert isinstance(ENGINES["asyncio"], event_loops.ShardedEngine)


def test_two_worker_processes_give_the_run_folder_of_one_and_share_the_cache(tmp_path: Path,
                                                                             monkeypatch: pytest.MonkeyPatch) -> None:
    tasks = many_tasks(24)
    folders, summaries = {}, {}
    started: list[int] = []
    real_run = event_loops._Run.run
    monkeypatch.setattr(event_loops._Run, "run", lambda self, ordered: (started.append(len(self.processes)),
                                                                    real_run(self, ordered))[1])
    with LoopbackServer(tasks) as server:
        for workers in (1, 2):
            folders[workers] = tmp_path / f"w{workers}"
            summaries[workers] = run_tasks(tasks, folders[workers],
                                           options(base_url=server.base_url, workers=workers, seed=3))
        made = server.counts["requests"]
        again = run_tasks(tasks, folders[2], options(base_url=server.base_url, workers=2, seed=3, force=True))
        assert server.counts["requests"] == made, "a forced re-run answers every turn from the shared cache"
    assert started == [2, 2], "the runs with two workers ran in two processes"
    one, two = summaries[1], summaries[2]
    assert one.verified == two.verified == len(tasks)
    assert one.requests == two.requests > 0 and one.requests + two.requests == made
    assert again.requests == 0 and again.cache_hits == two.requests
    assert folder_bytes(folders[1]).keys() == folder_bytes(folders[2]).keys()
    for name, content in folder_bytes(folders[1]).items():
        if name not in ("manifest.json", "responses.sqlite", "responses.sqlite-wal", "responses.sqlite-shm"):
            assert content == folder_bytes(folders[2])[name], name
    assert stored(folders[1]) == stored(folders[2])


def _dies_after_first_dialogue(real: Any) -> Any:
    """A job source for the worker processes that lets each make one dialogue, then kills its process."""

    def jobs_from(jobs: Any, opts: Any, make_job: Any) -> Any:
        for number, job in enumerate(real(jobs, opts, make_job)):
            if number == 1:
                os.kill(os.getpid(), signal.SIGKILL)
            yield job

    return jobs_from


def test_a_worker_that_dies_is_a_clear_error_and_the_rerun_resumes(tmp_path: Path,
                                                                     monkeypatch: pytest.MonkeyPatch) -> None:
    tasks = many_tasks(12)
    with LoopbackServer(tasks) as server:
        run_opts = options(base_url=server.base_url, workers=2, concurrency=2)
        with monkeypatch.context() as patch:
            patch.setattr(event_loops, "_jobs_from", _dies_after_first_dialogue(event_loops._jobs_from))
            with pytest.raises(WorkerStopped, match=r"worker process \d stopped unexpectedly .*run again"):
                run_tasks(tasks, tmp_path, run_opts)
        kept = len(stored(tmp_path))
        assert kept < len(tasks)
        resumed = run_tasks(tasks, tmp_path, run_opts)
    assert resumed.ran == len(tasks) - kept and resumed.verified == len(tasks)
    assert sorted(task_id for task_id, _, _ in stored(tmp_path)) == sorted(task.id for task in tasks)
