"""Runner benchmarks: offline trajectories per second, and LLM-path dialogues per second against a loopback
endpoint with a fixed added latency, next to the limit that latency sets.

Run: ``.venv/bin/python benchmarks/bench_runner.py [--quick]``. Network: 127.0.0.1 only. The loopback
server runs in a child process so that it does not share the runner's interpreter lock.
"""

from __future__ import annotations

import argparse
import multiprocessing
import sys
import tempfile
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))

from writ_dsl.api import compile_paths
from writ_dsl.compiler.compile import CompileOptions  # noqa: E402
from writ_dsl.compiler.model import CompiledTask  # noqa: E402
from writ_dsl.runner.loopback import FaultPlan, LoopbackServer  # noqa: E402
from writ_dsl.runner.run import RunOptions, run_tasks  # noqa: E402

SPECS = REPO / "specs"
LATENCY = 0.050  # seconds added to every completion
CONCURRENCY = (1, 8, 64)


def compiled(n: int) -> list[CompiledTask]:
    result = compile_paths([SPECS], CompileOptions(n=n))
    if not result.ok:
        raise SystemExit("the bundled specs do not compile: " + "; ".join(str(d) for d in result.diagnostics))
    return result.tasks


def bench_offline(tasks: list[CompiledTask]) -> None:
    with tempfile.TemporaryDirectory() as out:
        summary = run_tasks(tasks, out, RunOptions(concurrency=1))
    print(f"offline (scripted user × oracle agent, verify, SQLite, export): {len(tasks)} dialogues, "
          f"{summary.verified} verified, {summary.elapsed:.2f} s -> {len(tasks) / summary.elapsed:.0f} "
          f"trajectories/s")


def _serve(tasks: list[CompiledTask], latency: float, ready: multiprocessing.Queue, stop: multiprocessing.Event,
           counts: multiprocessing.Queue) -> None:
    with LoopbackServer(tasks, FaultPlan(), latency=latency) as server:
        ready.put(server.base_url)
        stop.wait(timeout=600)
        counts.put(server.counts["requests"])


def bench_llm(tasks: list[CompiledTask], concurrency: int) -> tuple[int, int, float]:
    """(dialogues, completions, seconds) of one run through the loopback endpoint."""
    context = multiprocessing.get_context("fork")
    ready, counts, stop = context.Queue(), context.Queue(), context.Event()
    server = context.Process(target=_serve, args=(tasks, LATENCY, ready, stop, counts), daemon=True)
    server.start()
    try:
        base_url = ready.get(timeout=30)
        options = RunOptions(user="llm", agent="llm", model="loopback", api_key="none", base_url=base_url,
                             concurrency=concurrency, timeout=30, max_retries=0)
        with tempfile.TemporaryDirectory() as out:
            summary = run_tasks(tasks, out, options)
        stop.set()
        return summary.ran, counts.get(timeout=30), summary.elapsed
    finally:
        stop.set()
        server.join(timeout=30)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--quick", action="store_true", help="fewer dialogues")
    args = parser.parse_args()
    tasks = compiled(8 if args.quick else 40)
    bench_offline(tasks)
    print(f"\nLLM path (LLM user × LLM agent) via loopback, {LATENCY * 1000:.0f} ms added per completion:")
    print(f"{'concurrency':>11} {'dialogues':>9} {'completions/dlg':>15} {'dialogues/s':>11} {'limit/s':>8} "
          f"{'of limit':>8}")
    for concurrency in CONCURRENCY:
        wanted = min(len(tasks), max(4, 2 * concurrency) if args.quick else max(8, 3 * concurrency))
        dialogues, completions, seconds = bench_llm(tasks[:wanted], concurrency)
        per_dialogue = completions / dialogues
        limit = concurrency / (LATENCY * per_dialogue)
        rate = dialogues / seconds
        print(f"{concurrency:>11} {dialogues:>9} {per_dialogue:>15.1f} {rate:>11.2f} {limit:>8.2f} "
              f"{rate / limit:>8.0%}")


if __name__ == "__main__":
    main()
