"""The C=1 client CPU of writ's runner as it was before the asyncio runner (one thread per dialogue sharing one
synchronous openai client), for ``bench_async.py`` to set the current runner's figure against in the same
session.

Run by ``bench_async.py`` in a process of its own: ``python baseline_runner.py ROOT N``, where ROOT is an
extracted copy of that commit's tree (its ``writ_dsl`` and ``specs``); it never imports this checkout's
``writ_dsl``. It plays N of that tree's bundled-spec dialogues (evenly spaced over its compiled tasks) with an
LLM user and an LLM agent against that tree's loopback endpoint (in a process started fresh, 200 ms per
completion), at concurrency 1, once to warm up and then measured, and prints one JSON line: the dialogues, the
completions and the client's CPU seconds for the whole ``run_tasks`` call. :func:`measure` does all of that
from the calling side: it extracts the commit with ``git archive`` and runs this script on it.
"""

from __future__ import annotations

import io
import json
import multiprocessing
import subprocess
import sys
import tarfile
import tempfile
import time
from pathlib import Path
from typing import Any

LATENCY = 0.200
# The last commit before the asyncio runner: the runner the teacher-throughput issue measured at 2-3 ms of client
# CPU per completion when it set the target of 1 ms.
BASELINE = "9fc9a8debd08e48566452c3ccabe3b8262b843bf"


def measure(repo: Path, n: int, commit: str = BASELINE) -> dict[str, float] | str:
    """The baseline's C=1 figures for ``n`` dialogues (``dialogues``, ``completions``, ``cpu`` seconds), or why
    they could not be had (no git, a clone without that commit, a failed run)."""
    try:
        archive = subprocess.run(["git", "-C", str(repo), "archive", "--format=tar", commit], capture_output=True,
                                 check=True, timeout=120).stdout
    except (OSError, subprocess.SubprocessError) as exc:
        return f"no copy of commit {commit[:7]} ({type(exc).__name__})"
    with tempfile.TemporaryDirectory() as root:
        with tarfile.open(fileobj=io.BytesIO(archive)) as tar:
            tar.extractall(root, filter="data")
        try:
            done = subprocess.run([sys.executable, __file__, root, str(n)], capture_output=True, text=True,
                                  check=True, timeout=1800, cwd=root)
        except subprocess.SubprocessError as exc:
            return f"the baseline run failed ({type(exc).__name__})"
    return json.loads(done.stdout.strip().splitlines()[-1])


def _serve(root: str, tasks: list[Any], latency: float, ready: Any, stop: Any, counts: Any) -> None:
    sys.path.insert(0, root)
    from writ_dsl.runner.loopback import FaultPlan, LoopbackServer

    with LoopbackServer(tasks, FaultPlan(), latency=latency) as server:
        ready.put(server.base_url)
        stop.wait(timeout=1800)
        counts.put(server.counts["requests"])


def played(root: str, tasks: list[Any], latency: float) -> tuple[int, int, float]:
    """(dialogues, completions, client CPU seconds) of one C=1 run."""
    from writ_dsl.runner.run import RunOptions, run_tasks

    context = multiprocessing.get_context("spawn")
    ready, stop, counts = context.Queue(), context.Event(), context.Queue()
    server = context.Process(target=_serve, args=(root, tasks, latency, ready, stop, counts), daemon=True)
    server.start()
    try:
        options = RunOptions(user="llm", agent="llm", model="loopback", api_key="none",
                             base_url=ready.get(timeout=120), concurrency=1, timeout=30, max_retries=0)
        with tempfile.TemporaryDirectory() as out:
            started = time.process_time()
            summary = run_tasks(tasks, out, options)
            cpu = time.process_time() - started
        stop.set()
        return summary.ran, counts.get(timeout=60), cpu
    finally:
        stop.set()
        server.join(timeout=30)


def main() -> None:
    root, n = sys.argv[1], int(sys.argv[2])
    sys.path.insert(0, root)
    from writ_dsl.compiler.compile import CompileOptions, compile_paths

    result = compile_paths([Path(root) / "specs"], CompileOptions(n=8 * n))
    if not result.ok:
        raise SystemExit("the baseline's bundled specs do not compile")
    tasks = [result.tasks[i * len(result.tasks) // n] for i in range(min(n, len(result.tasks)))]
    played(root, tasks[:2], 0.0)  # imports and first-use costs, as the measured runs of bench_async have paid them
    dialogues, completions, cpu = played(root, tasks, LATENCY)
    print(json.dumps({"dialogues": dialogues, "completions": completions, "cpu": cpu}))


if __name__ == "__main__":
    main()
