"""Offline dialogues in worker processes: the same run folder for any number of workers, and resumable."""

from __future__ import annotations

import json
import os
import signal
import sqlite3
import subprocess
import time
from pathlib import Path

import pytest

from writ_dsl.errors import InputError
from writ_dsl.io import json_array_rows
from writ_dsl.runner.engines import ENGINES, Job, WorkerEngine, batches, choose_engine
from writ_dsl.runner.run import RunOptions, run_tasks
from writ_dsl.runner.store import DB_NAME

from .helpers import FAKE_ENVS, make_task, many_tasks, write_tasks
from .test_interrupt import finished, writ_run

ENV = (str(FAKE_ENVS),)


def folder_bytes(folder: Path) -> dict[str, bytes]:
    """Every file of a run folder but the database (and its journal, which a reader left open may keep),
    whose committed records are compared apart."""
    return {path.name: path.read_bytes() for path in sorted(folder.iterdir()) if not path.name.startswith(DB_NAME)}


def stored(folder: Path) -> list[tuple[str, int, str]]:
    conn = sqlite3.connect(folder / DB_NAME)
    try:
        return conn.execute("SELECT task_id, attempt, record FROM results ORDER BY task_id, attempt").fetchall()
    finally:
        conn.close()


def test_one_and_two_workers_give_byte_identical_run_folders(tmp_path: Path) -> None:
    tasks = [*many_tasks(40), make_task(task_id="desk-bad-hash", gold_state_hash="0" * 64)]
    folders = {}
    for workers in (1, 2):
        folders[workers] = tmp_path / f"w{workers}"
        summary = run_tasks(tasks, folders[workers], RunOptions(env_path=ENV, workers=workers, attempts=2,
                                                                 keep="all"))
        assert summary.ran == 2 * len(tasks)
    assert summary.verified > 0 and summary.rejected > 0  # both outcomes went through the workers
    assert folder_bytes(folders[1]) == folder_bytes(folders[2])
    assert stored(folders[1]) == stored(folders[2])


def test_the_engine_follows_the_workers_and_roles() -> None:
    assert choose_engine(RunOptions(workers=2)) is ENGINES["process"]
    assert choose_engine(RunOptions(workers=1)) is ENGINES["threads"]
    assert choose_engine(RunOptions(workers=2, agent="llm", model="m")) is ENGINES["asyncio"]
    with pytest.raises(InputError, match="offline roles only"):
        WorkerEngine("process").execute([], None, RunOptions(agent="llm", model="m"), lambda records: None)  # type: ignore[arg-type]


def test_batches_cover_every_job_once_in_order() -> None:
    tasks = many_tasks(70)
    jobs = [Job(task, None, (0,)) for task in tasks]  # type: ignore[arg-type]
    for size in (1, 7, 32, 100):
        found = list(batches(iter(jobs), size))
        assert [task.id for batch in found for task, _ in batch] == [task.id for task in tasks]
        assert all(0 < len(batch) <= size for batch in found)
    assert list(batches(iter([]))) == []


@pytest.mark.slow
def test_a_killed_two_worker_run_resumes_to_identical_outputs_and_leaves_no_worker(tmp_path: Path) -> None:
    n = 800
    tasks_file = write_tasks(many_tasks(n), tmp_path / "tasks.jsonl")
    whole, resumed = tmp_path / "whole", tmp_path / "resumed"
    subprocess.run(writ_run(tasks_file, whole) + ["--workers", "1"], check=True, capture_output=True, timeout=120)
    process = subprocess.Popen(writ_run(tasks_file, resumed) + ["--workers", "2"], stdout=subprocess.DEVNULL,
                               stderr=subprocess.DEVNULL)
    deadline = time.monotonic() + 60
    while finished(resumed) < n // 5 and process.poll() is None and time.monotonic() < deadline:
        time.sleep(0.01)
    assert process.poll() is None, "the run ended before it could be interrupted"
    workers = _children(process.pid)
    assert workers, "no worker process was started"
    os.kill(process.pid, signal.SIGKILL)
    process.wait(timeout=60)
    assert n // 5 <= finished(resumed) < n
    deadline = time.monotonic() + 10
    while any(_alive(pid) for pid in workers) and time.monotonic() < deadline:
        time.sleep(0.05)
    assert not any(_alive(pid) for pid in workers), "a worker outlived its killed parent"
    subprocess.run(writ_run(tasks_file, resumed) + ["--workers", "2"], check=True, capture_output=True, timeout=120)
    assert folder_bytes(resumed) == folder_bytes(whole)
    assert stored(resumed) == stored(whole)


def _children(pid: int) -> list[int]:
    found = []
    for entry in Path("/proc").iterdir():
        try:
            if entry.name.isdigit() and (entry / "stat").read_text().split(") ")[1].split()[1] == str(pid):
                found.append(int(entry.name))
        except (OSError, IndexError):
            continue
    return found


def _alive(pid: int) -> bool:
    try:
        state = Path(f"/proc/{pid}/stat").read_text().split(") ")[1].split()[0]
    except (OSError, IndexError):
        return False
    return state != "Z"


def test_rows_written_one_at_a_time_are_the_bytes_of_the_whole_list(tmp_path) -> None:
    from writ_dsl.io import RowFile, json_array_item

    for number, value in enumerate(([], [{"a": [1, {"b": "x\ny"}], "c": None}], [{"k": []}, 2, "é", {"d": {}}])):
        for indent in (1, 2):
            assert "".join(json_array_rows(iter(value), indent=indent)) == json.dumps(
                value, indent=indent, ensure_ascii=False) + "\n"
            rows = RowFile(tmp_path / f"{number}-{indent}.json", array=True)
            for item in value:
                rows.write(json_array_item(item, indent))
            assert not rows.path.exists()  # nothing in place before the commit
            rows.commit()
            assert rows.path.read_text(encoding="utf-8") == json.dumps(value, indent=indent, ensure_ascii=False) + "\n"
    assert not list(tmp_path.glob(".*.partial"))
