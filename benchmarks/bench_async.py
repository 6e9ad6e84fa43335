"""Teacher-run throughput: the asyncio runner against a loopback endpoint (in its own process) with 200 ms per
completion, at concurrency 1, 32 and 256.

For each concurrency it prints dialogues/s, the share of the limit the latency sets (concurrency ÷ (latency ×
completions per dialogue)), and the client's CPU time per completion: for the whole client process (HTTP,
dialogue loop, environment, verification, SQLite, exports), and for the LLM path alone (the same minus the CPU
the same dialogues cost offline, which an LLM run pays as well); then the server's CPU per completion. The
"-setup" column leaves out the time spent building the tasks' databases before the first dialogue. Then: the requests a re-run makes (resumed, and forced with
the cache), and a run with 20 % injected faults in which every task must end verified, rejected or failed.

Run: ``.venv/bin/python benchmarks/bench_async.py [--quick]``. Network: 127.0.0.1 only.
"""

from __future__ import annotations

import argparse
import json
import multiprocessing
import sys
import tempfile
import time
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))

from writ_dsl.api import compile_paths  # noqa: E402
from writ_dsl.compiler.compile import CompileOptions  # noqa: E402
from writ_dsl.compiler.model import CompiledTask  # noqa: E402
from writ_dsl.runner.loopback import FaultPlan, LoopbackServer  # noqa: E402
from writ_dsl.runner.run import RunOptions, RunSummary, prepare_environments, run_tasks  # noqa: E402

LATENCY = 0.200


def compiled(n: int) -> list[CompiledTask]:
    result = compile_paths([REPO / "specs"], CompileOptions(total=n, seed=0))
    if not result.ok:
        raise SystemExit("the bundled specs do not compile")
    return result.tasks


def _serve(tasks: list[CompiledTask], latency: float, faults: FaultPlan, ready: multiprocessing.Queue,
           stop: multiprocessing.Event, counts: multiprocessing.Queue) -> None:
    with LoopbackServer(tasks, faults, latency=latency) as server:
        ready.put(server.base_url)
        while not stop.wait(timeout=0.05):
            pass
        counts.put({**server.counts, "cpu_ms": int(time.process_time() * 1000)})


class Server:
    """The loopback endpoint in a child process (it must not share the client's interpreter lock)."""

    def __init__(self, tasks: list[CompiledTask], latency: float, faults: FaultPlan = FaultPlan()) -> None:
        context = multiprocessing.get_context("fork")
        self.ready, self.counts, self.stop = context.Queue(), context.Queue(), context.Event()
        self.process = context.Process(target=_serve, args=(tasks, latency, faults, self.ready, self.stop,
                                                            self.counts), daemon=True)

    def __enter__(self) -> str:
        self.process.start()
        return self.ready.get(timeout=60)

    def finish(self) -> dict[str, int]:
        self.stop.set()
        found = self.counts.get(timeout=60)
        self.process.join(timeout=30)
        return found

    def __exit__(self, *exc: object) -> None:
        if self.process.is_alive():
            self.stop.set()
            self.process.join(timeout=30)


def options(base_url: str, concurrency: int, **changes: object) -> RunOptions:
    return RunOptions(**{"user": "llm", "agent": "llm", "model": "loopback", "api_key": "none", "base_url": base_url,
                         "concurrency": concurrency, "timeout": 30, "max_retries": 0, **changes})


def timed_run(tasks: list[CompiledTask], out: Path, opts: RunOptions) -> tuple[RunSummary, float]:
    cpu = time.process_time()
    summary = run_tasks(tasks, out, opts)
    return summary, time.process_time() - cpu


def offline_cpu(tasks: list[CompiledTask]) -> float:
    """CPU seconds of the same dialogues offline (scripted user, oracle agent): environment, verification,
    SQLite and exports, which an LLM run pays as well."""
    with tempfile.TemporaryDirectory() as out:
        return timed_run(tasks, Path(out), RunOptions(concurrency=1))[1]


def throughput(tasks: list[CompiledTask], concurrency: int) -> None:
    server = Server(tasks, LATENCY)
    with server as base_url, tempfile.TemporaryDirectory() as out:
        summary, cpu = timed_run(tasks, Path(out), options(base_url, concurrency, cache=False))
        server_ms = server.finish()["cpu_ms"]
    completions = summary.requests
    llm_only = (cpu - offline_cpu(tasks)) / completions
    started = time.monotonic()
    prepare_environments(tasks)  # databases built before the first dialogue: not the runner's speed
    setup = time.monotonic() - started
    per_dialogue = completions / summary.ran
    limit = concurrency / (LATENCY * per_dialogue)
    rate = summary.ran / summary.elapsed
    steady = summary.ran / max(summary.elapsed - setup, 1e-9)
    print(f"{concurrency:>11} {summary.ran:>9} {per_dialogue:>15.1f} {rate:>11.2f} {limit:>8.2f} {rate / limit:>8.0%} "
          f"{steady / limit:>8.0%} "
          f"{cpu / completions * 1000:>12.2f} {llm_only * 1000:>10.2f} {server_ms / completions:>10.2f}   {summary.verified}/{summary.rejected}/{summary.failed}")


def rerun(tasks: list[CompiledTask]) -> None:
    with tempfile.TemporaryDirectory() as out, Server(tasks, 0.0) as base_url:
        first = run_tasks(tasks, out, options(base_url, 32))
        resumed = run_tasks(tasks, out, options(base_url, 32))
        forced = run_tasks(tasks, out, options(base_url, 32, force=True))
    print(f"re-run: first run {first.requests} requests; the same command again {resumed.requests}; "
          f"--force with the cache {forced.requests} ({forced.cache_hits} answers from the cache)")


def faulty(tasks: list[CompiledTask]) -> None:
    plan = FaultPlan(rate=0.2, slow_seconds=1.0, seed=1)
    server = Server(tasks, 0.0, plan)
    with server as base_url, tempfile.TemporaryDirectory() as out:
        summary = run_tasks(tasks, out, options(base_url, 32, timeout=0.5, max_retries=3))
        rows = [json.loads(line) for line in (Path(out) / "rejects.jsonl").read_text().splitlines()]
        counts = server.finish()
    unexplained = [r for r in rows if not (r["reason"] and r["detail"])]
    accounted = summary.verified + summary.rejected + summary.failed
    injected = sum(v for k, v in counts.items() if k not in ("requests", "cpu_ms"))
    print(f"20 % faults: {counts['requests']} requests, {injected} faults injected; {len(tasks)} tasks -> "
          f"{summary.verified} verified, {summary.rejected} rejected, {summary.failed} failed "
          f"({accounted} accounted for, {summary.pending} pending, {len(unexplained)} without a reason)")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--quick", action="store_true", help="fewer dialogues")
    args = parser.parse_args()
    waves = 1 if args.quick else 2
    tasks = compiled(256 * waves)
    print(f"{len(tasks)} compiled tasks; loopback endpoint in its own process, {LATENCY * 1000:.0f} ms per completion")
    print(f"{'concurrency':>11} {'dialogues':>9} {'completions/dlg':>15} {'dialogues/s':>11} {'limit/s':>8} "
          f"{'of limit':>8} {'-setup':>8} {'CPU ms/compl':>12} {'LLM path':>10} {'server ms':>10}   verified/rejected/failed")
    for concurrency in (1, 32, 256):
        wanted = {1: 4 if args.quick else 8, 32: 32 * 2 * waves, 256: 256 * waves}[concurrency]
        throughput(tasks[:wanted], concurrency)
    rerun(tasks[:64])
    faulty(tasks[:200])


if __name__ == "__main__":
    main()
