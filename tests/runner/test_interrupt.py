"""Killing ``writ run`` midway and running it again gives the same bytes as one uninterrupted run."""

from __future__ import annotations

import os
import signal
import sqlite3
import subprocess
import sys
import time
from pathlib import Path

import pytest

from writ_dsl.runner.export import REJECTS, SIMULATIONS, SUMMARY, TRAJECTORIES
from writ_dsl.runner.loopback import LoopbackServer

from .helpers import FAKE_ENVS, many_tasks, write_tasks

N_TASKS = 800
LAUNCH = "import sys; from writ_dsl.cli import main; sys.exit(main())"


def writ_run(tasks_file: Path, out: Path) -> list[str]:
    return [sys.executable, "-c", LAUNCH, "run", str(tasks_file), "-o", str(out), "--env-path", str(FAKE_ENVS),
            "--no-progress", "--concurrency", "4"]


def finished(out: Path) -> int:
    try:
        with sqlite3.connect(f"file:{out / 'run.sqlite'}?mode=ro", uri=True, timeout=1) as conn:
            return conn.execute("SELECT count(*) FROM results").fetchone()[0]
    except sqlite3.Error:
        return 0


def signal_when_committed(process: subprocess.Popen[bytes], out: Path, count: int, sig: int = signal.SIGKILL,
                          wait: float = 120) -> None:
    """Send ``sig`` to a running writ once ``out`` holds ``count`` finished dialogues."""
    deadline = time.monotonic() + wait
    while finished(out) < count and process.poll() is None and time.monotonic() < deadline:
        time.sleep(0.01)
    assert process.poll() is None, "the run ended before it could be interrupted"
    os.kill(process.pid, sig)


def interrupt_midway(command: list[str], out: Path, sig: int) -> tuple[int, str]:
    process = subprocess.Popen(command, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    signal_when_committed(process, out, N_TASKS // 5, sig, wait=60)
    _, errors = process.communicate(timeout=60)
    return process.returncode, errors.decode(errors="replace")


EXIT_AFTER = {signal.SIGKILL: -signal.SIGKILL, signal.SIGINT: 130, signal.SIGTERM: 143}


@pytest.mark.slow
@pytest.mark.parametrize("sig", [signal.SIGKILL, signal.SIGINT, signal.SIGTERM], ids=["kill-9", "ctrl-c", "sigterm"])
def test_interrupted_run_resumes_to_identical_outputs(tmp_path: Path, sig: int) -> None:
    tasks_file = write_tasks(many_tasks(N_TASKS), tmp_path / "tasks.jsonl")
    whole, resumed = tmp_path / "whole", tmp_path / "resumed"
    subprocess.run(writ_run(tasks_file, whole), check=True, capture_output=True, timeout=120)
    code, errors = interrupt_midway(writ_run(tasks_file, resumed), resumed, sig)
    assert code == EXIT_AFTER[sig], errors
    assert "Traceback" not in errors and (sig == signal.SIGKILL or "writ: " in errors)
    if sig != signal.SIGKILL:  # a clean stop leaves no temporary file behind
        assert not list(resumed.glob("*.partial")) and not list(resumed.glob(".*.partial"))
    done = finished(resumed)
    assert N_TASKS // 5 <= done < N_TASKS
    subprocess.run(writ_run(tasks_file, resumed), check=True, capture_output=True, timeout=120)
    for name in (TRAJECTORIES, REJECTS, SIMULATIONS, SUMMARY):
        assert (resumed / name).read_bytes() == (whole / name).read_bytes(), name
    assert finished(resumed) == N_TASKS


@pytest.mark.slow
@pytest.mark.parametrize("sig", [signal.SIGKILL, signal.SIGINT], ids=["kill-9", "ctrl-c"])
def test_an_interrupted_llm_run_on_two_processes_resumes_to_the_outputs_of_one(tmp_path: Path, sig: int) -> None:
    n = 240
    tasks = many_tasks(n)
    tasks_file = write_tasks(tasks, tmp_path / "tasks.jsonl")
    whole, resumed = tmp_path / "whole", tmp_path / "resumed"
    with LoopbackServer(tasks, latency=0.005) as server:
        llm = ["--user", "llm", "--agent", "llm", "--model", "loop", "--base-url", server.base_url,
               "--api-key", "test-key"]
        subprocess.run(writ_run(tasks_file, whole) + llm + ["--workers", "1"], check=True, capture_output=True,
                       timeout=300)
        process = subprocess.Popen(writ_run(tasks_file, resumed) + llm + ["--workers", "2"],
                                   stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
        signal_when_committed(process, resumed, n // 5, sig)
        _, errors = process.communicate(timeout=60)
        assert process.returncode == (-signal.SIGKILL if sig == signal.SIGKILL else 130), errors
        assert b"Traceback" not in errors
        assert n // 5 <= finished(resumed) < n
        subprocess.run(writ_run(tasks_file, resumed) + llm + ["--workers", "2"], check=True, capture_output=True,
                       timeout=300)
    for name in (TRAJECTORIES, REJECTS, SIMULATIONS, SUMMARY):
        assert (resumed / name).read_bytes() == (whole / name).read_bytes(), name
    assert finished(resumed) == n
