"""Synthesis at scale: throughput and peak memory of ``writ synth``, compile workers, check, CLI start-up.

Every figure comes from this one run, ratios against a baseline measured in
the same run. Times are CPU seconds (user + system, the command and its
worker processes) unless marked "wall"; on a machine shared with other work,
CPU time is the stable figure and wall time is what a user waits.

    .venv/bin/python benchmarks/bench_synth.py [--sizes 200 2000] [--repeat 2] [--quick]

Prints:
  - ``writ synth specs -n N``: trajectories per CPU second and per wall second, peak RSS;
  - ``writ compile`` on 1 and 2 workers: wall and CPU time, their ratio, byte-identical outputs;
  - ``writ synth`` (compile + offline dialogues) on 1 vs 2 worker processes, and the ray engine (a local
    2-CPU Ray it starts, and one already running at $RAY_ADDRESS) vs the process engine: wall-time ratios and
    byte-identical outputs (Ray's workers are not our children: their CPU time is not counted);
  - ``writ check`` against a raw Lark parse of the same generated files (see bench_check.py);
  - airline flight search: the index against a scan of every flight;
  - ``writ --help``: CPU time, beside a bare ``python -c pass``.
"""

from __future__ import annotations

import argparse
import os
import random
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))
sys.path.insert(0, str(REPO / "benchmarks"))

WRIT = [sys.executable, "-c", "import sys; from writ_dsl.cli import main; sys.argv[0] = 'writ'; main()"]


@dataclass
class Usage:
    wall: float
    cpu: float
    peak_rss_mib: float  # the largest single process (the command or one of its workers)
    tree_pss_mib: float = 0.0  # the command and all its workers together (PSS), sampled every 0.1 s


def _tree_pss(root: int) -> int:
    """Proportional set size, in bytes, of ``root`` and every process below it: each page shared by k
    of them (forked workers share their parent's) counts 1/k in each, so the sum is the memory they use."""
    parents: dict[int, int] = {}
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            try:
                parents[int(entry.name)] = int((entry / "stat").read_text().rsplit(") ", 1)[1].split()[1])
            except (OSError, IndexError, ValueError):
                continue
    tree, grew = {root}, True
    while grew:
        more = {pid for pid, parent in parents.items() if parent in tree} - tree
        tree |= more
        grew = bool(more)
    return sum(_pss(pid) for pid in tree)


def _pss(pid: int) -> int:
    try:
        for line in Path(f"/proc/{pid}/smaps_rollup").read_text().splitlines():
            if line.startswith("Pss:"):
                return int(line.split()[1]) * 1024
    except (OSError, IndexError, ValueError):
        pass
    return 0


def measure(args: list[str], cwd: Path = REPO, env: dict[str, str] | None = None) -> Usage:
    """Run a command; its wall time, CPU time and peak RSS (its own and its reaped workers')."""
    import threading

    start = time.perf_counter()
    errors_file = tempfile.TemporaryFile()
    child = subprocess.Popen(args, cwd=cwd, stdout=subprocess.DEVNULL, stderr=errors_file, env=env)
    peak, done = [0], threading.Event()

    def sample() -> None:
        while not done.wait(0.1):
            peak[0] = max(peak[0], _tree_pss(child.pid))

    sampler = threading.Thread(target=sample, daemon=True)
    sampler.start()
    _, status, usage = os.wait4(child.pid, 0)
    done.set()
    sampler.join()
    wall = time.perf_counter() - start
    child.returncode = os.waitstatus_to_exitcode(status)
    errors_file.seek(0)
    errors = errors_file.read().decode(errors="replace")
    if child.returncode != 0:
        raise SystemExit(f"{' '.join(args[3:])} failed ({child.returncode}):\n{errors[-2000:]}")
    return Usage(wall, usage.ru_utime + usage.ru_stime, usage.ru_maxrss / 1024, peak[0] / 2**20)


def best(repeat: int, action) -> Usage:  # type: ignore[no-untyped-def]
    runs = [action() for _ in range(repeat)]
    return Usage(min(r.wall for r in runs), min(r.cpu for r in runs), max(r.peak_rss_mib for r in runs))


def synth(sizes: list[int], workers: int, tmp: Path) -> None:
    print(f"writ synth specs -n N --seed 0 --workers {workers} (offline dialogues)")
    for n in sizes:
        out = tmp / f"synth{n}"
        usage = measure(WRIT + ["synth", "specs", "-n", str(n), "--seed", "0", "--workers", str(workers),
                                "-o", str(out)])
        print(f"  N={n:>6}: {usage.cpu:6.1f} s CPU, {usage.wall:6.1f} s wall, {n / usage.cpu:6.0f} traj/CPU s, "
              f"{n / usage.wall:6.0f} traj/wall s, peak RSS {usage.peak_rss_mib:5.0f} MiB (largest process), "
              f"{usage.tree_pss_mib:5.0f} MiB PSS (all processes together)")


def compile_workers(n: int, repeat: int, tmp: Path) -> None:
    print(f"writ compile specs -n {n} --seed 0: 1 vs 2 workers (best of {repeat}, alternating)")
    outputs, usages = {}, {1: [], 2: []}
    for _ in range(repeat):
        for workers in (1, 2):
            out = tmp / f"compile{workers}.jsonl"
            usages[workers].append(measure(WRIT + ["compile", "specs", "-n", str(n), "--seed", "0",
                                                   "--workers", str(workers), "-o", str(out)]))
            outputs[workers] = out.read_bytes()
    one, two = (min(usages[w], key=lambda u: u.wall) for w in (1, 2))
    for workers, usage in ((1, one), (2, two)):
        print(f"  {workers} worker(s): {usage.wall:6.2f} s wall, {usage.cpu:6.2f} s CPU")
    print(f"  speed-up 2 vs 1 workers (wall): {one.wall / two.wall:5.2f}x   "
          f"CPU spent 2 vs 1: {two.cpu / one.cpu:5.2f}x   same bytes: {outputs[1] == outputs[2]}")


SYNTH_OUTPUTS = ("tasks.jsonl", "trajectories.jsonl", "rejects.jsonl", "simulations.json", "summary.json",
                 "tau2_tasks.json")


def synth_engines(n: int, repeat: int, tmp: Path) -> None:
    """synth on 1 and 2 worker processes and on Ray: wall-time ratios, and the same bytes from each."""
    runs = {"1 worker": ([], "--workers 1"), "2 workers": ([], "--workers 2"),
            "ray, started": ([], "--workers 2 --engine ray"), "ray, joined": ([], "--workers 2 --engine ray")}
    if not _has_ray():
        del runs["ray, started"], runs["ray, joined"]
    outputs: dict[str, list[bytes]] = {}
    print(f"writ synth specs -n {n} --seed 0: workers and engines (wall, best of {repeat}, alternating; "
          "the Ray head for the joined runs is up only while they run, so that it takes no CPU from the others)")
    local = [name for name in runs if name != "ray, joined"]
    for _ in range(repeat):
        for name in local:
            _engine_run(name, runs[name], n, tmp, outputs, None)
    if "ray, joined" in runs:
        head = _start_ray_head(tmp)
        try:
            for _ in range(repeat):
                if head is not None:
                    _engine_run("ray, joined", runs["ray, joined"], n, tmp, outputs, head)
        finally:
            if head is not None:
                _stop_ray_head()
        if not runs["ray, joined"][0]:
            del runs["ray, joined"]
    best_wall = {name: min(u.wall for u in usages) for name, (usages, _) in runs.items()}
    for name, (usages, flags) in runs.items():
        usage = min(usages, key=lambda u: u.wall)
        print(f"  {name:13} ({flags}): {usage.wall:6.2f} s wall, {usage.cpu:6.2f} s CPU of ours, "
              f"peak PSS of its process tree {usage.tree_pss_mib:5.0f} MiB")
    same = all(outputs[name] == outputs["1 worker"] for name in outputs)
    print(f"  speed-up 2 vs 1 workers (wall): {best_wall['1 worker'] / best_wall['2 workers']:5.2f}x (target >= 1.8x)"
          f"   same bytes everywhere: {same}")
    for name in ("ray, started", "ray, joined"):
        if name in best_wall:
            print(f"  {name} vs process engine (wall): {best_wall[name] / best_wall['2 workers']:5.2f}x "
                  f"(target <= 1.25x)")
    if not _has_ray():
        print("  (ray is not installed: pip install 'writ-dsl[ray]' for the Ray figures)")


def _engine_run(name: str, run: tuple[list[Usage], str], n: int, tmp: Path, outputs: dict[str, list[bytes]],
                head: str | None) -> None:
    usages, flags = run
    out = tmp / f"engines-{name.replace(' ', '').replace(',', '-')}"
    env = {**os.environ, **_HEAD_ENV, "RAY_ADDRESS": head} if head else \
        {k: v for k, v in os.environ.items() if k != "RAY_ADDRESS"}
    usages.append(measure(WRIT + ["synth", "specs", "-n", str(n), "--seed", "0", "--no-progress",
                                  "--force", *flags.split(), "-o", str(out)], env=env))
    outputs[name] = [(out / f).read_bytes() for f in SYNTH_OUTPUTS]


def _has_ray() -> bool:
    import importlib.util

    return importlib.util.find_spec("ray") is not None


_head: list[subprocess.Popen[bytes]] = []
# our head's own token (Ray authenticates its clients), so that no other Ray's token file is read or written
_HEAD_ENV = {"RAY_AUTH_MODE": "token", "RAY_AUTH_TOKEN": __import__("secrets").token_hex(32)}


def _start_ray_head(tmp: Path) -> str | None:
    """A local 2-CPU Ray head of our own (loopback, no dashboard), as a cluster would have it; its address."""
    import socket

    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    ray = Path(sys.executable).with_name("ray")
    head = subprocess.Popen([str(ray), "start", "--head", "--block", "--num-cpus=2", "--include-dashboard=false",
                             "--node-ip-address=127.0.0.1", f"--port={port}", "--disable-usage-stats"],
                            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, start_new_session=True,
                            env={**os.environ, **_HEAD_ENV})
    _head.append(head)
    deadline = time.monotonic() + 120
    while time.monotonic() < deadline and head.poll() is None:
        with socket.socket() as probe:
            if probe.connect_ex(("127.0.0.1", port)) == 0:
                time.sleep(3)  # the rest of the head comes up after its control store
                return f"127.0.0.1:{port}"
        time.sleep(0.5)
    print("  (could not start a Ray head; the joined figure is left out)")
    _stop_ray_head()
    return None


def _stop_ray_head() -> None:
    """Stop the head we started: its own process group (``ray start --block`` stops its processes)."""
    import signal

    for head in _head:
        if head.poll() is None:
            os.killpg(head.pid, signal.SIGTERM)
            try:
                head.wait(timeout=60)
            except subprocess.TimeoutExpired:
                os.killpg(head.pid, signal.SIGKILL)
    _head.clear()


def check_ratio(files: int, repeat: int) -> None:
    from bench_check import best_of, forget, generate, raw_parse

    from writ_dsl import api
    from writ_dsl.lang.parser import get_parser

    with tempfile.TemporaryDirectory() as folder:
        texts = [p.read_text(encoding="utf-8") for p in generate(Path(folder), files, 0)]
        lark = get_parser()
        api.check_paths([folder])
        check_s = best_of(repeat, lambda: api.check_paths([folder]), before=forget)
        parse_s = best_of(repeat, lambda: raw_parse(lark, texts))
    print(f"writ check vs raw Lark parse, {files} generated files (CPU, best of {repeat})")
    print(f"  check {check_s:6.3f} s, raw parse {parse_s:6.3f} s, ratio {check_s / parse_s:5.2f}x (target <= 1.5x)")


def flight_search(repeat: int) -> None:
    from envs.airline.flight_index import available_flights, is_available
    from writ_dsl.env.core import State
    from writ_dsl.env.registry import load_domain

    db = load_domain("airline").environment(seed=0, size=1).db
    state = State(db)
    flights = list(db.tables["flights"].values())
    airports = sorted({f["origin"] for f in flights})
    days = sorted({day for f in flights for day in f["dates"]})
    rng = random.Random(0)
    queries = [(rng.choice(days), rng.choice(airports)) for _ in range(500)]

    def scan() -> list[list[dict]]:
        return [[f for f in state.values("flights") if is_available(f, day) and f["origin"] == origin]
                for day, origin in queries]

    def indexed() -> list[list[dict]]:
        return [available_flights(state, day, origin=origin) for day, origin in queries]

    assert scan() == indexed()
    timings = {}
    for name, action in (("scan", scan), ("index", indexed)):
        runs = []
        for _ in range(repeat):
            start = time.process_time()
            action()
            runs.append(time.process_time() - start)
        timings[name] = min(runs) / len(queries) * 1000
    print(f"airline flight search by origin and date ({len(flights)} flights, {len(queries)} searches)")
    print(f"  scan {timings['scan']:.3f} ms, index {timings['index']:.3f} ms per search, "
          f"{timings['scan'] / timings['index']:.1f}x faster, same results")


def help_time(repeat: int) -> None:
    floor = best(repeat, lambda: measure([sys.executable, "-c", "pass"]))
    usage = best(repeat, lambda: measure(WRIT + ["--help"]))
    print(f"writ --help (best of {repeat})")
    print(f"  {usage.cpu:5.2f} s CPU ({usage.cpu - floor.cpu:5.2f} s beyond a bare interpreter's "
          f"{floor.cpu:4.2f} s; target <= 0.2 s)")


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", type=int, nargs="+", default=[200, 2000])
    parser.add_argument("--workers", type=int, default=0, help="synth workers (default: all cores)")
    parser.add_argument("--compile-n", type=int, default=30, help="instances per task for the workers ratio")
    parser.add_argument("--engines-n", type=int, default=1000, help="instances for the workers/engines ratios")
    parser.add_argument("--only-engines", action="store_true", help="only the workers/engines ratios")
    parser.add_argument("--check-files", type=int, default=300)
    parser.add_argument("--repeat", type=int, default=2)
    parser.add_argument("--quick", action="store_true", help="small sizes, one repeat")
    args = parser.parse_args()
    if args.quick:
        args.sizes, args.compile_n, args.check_files, args.repeat, args.engines_n = [100], 5, 60, 1, 200
    workers = args.workers or (os.cpu_count() or 1)
    print(f"{os.cpu_count()} cores, load average {os.getloadavg()[0]:.1f} at start\n")
    with tempfile.TemporaryDirectory() as folder:
        tmp = Path(folder)
        synth_engines(args.engines_n, args.repeat, tmp)
        if args.only_engines:
            print(f"\nload average {os.getloadavg()[0]:.1f} at end")
            return 0
        synth(args.sizes, workers, tmp)
        compile_workers(args.compile_n, args.repeat, tmp)
    check_ratio(args.check_files, max(args.repeat, 2))
    flight_search(max(args.repeat, 3))
    help_time(max(args.repeat, 3))
    print(f"\nload average {os.getloadavg()[0]:.1f} at end")
    return 0


if __name__ == "__main__":
    sys.exit(main())
