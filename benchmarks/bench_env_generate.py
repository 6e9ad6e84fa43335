"""Time and peak memory of every environment's database generator at sizes 1, 10 and 100.

Run from the repository root:  .venv/bin/python benchmarks/bench_env_generate.py [--seed N] [--sizes 1 10 100]

Time is measured in a plain run; peak memory (tracemalloc) in a second run, since tracing slows Python down.
A domain whose generator fails is reported and the others still run.
"""

from __future__ import annotations

import argparse
import gc
import time
import tracemalloc
from collections.abc import Callable
from typing import Any

from writ_dsl.env.registry import available, load_domain

Generator = Callable[[int, int], dict[str, Any]]


def timed(generate: Generator, seed: int, size: int) -> tuple[float, dict[str, int]]:
    gc.collect()
    start = time.perf_counter()
    tables = generate(seed, size)
    elapsed = time.perf_counter() - start
    return elapsed, {name: len(rows) for name, rows in tables.items()}


def peak_memory(generate: Generator, seed: int, size: int) -> int:
    gc.collect()
    tracemalloc.start()
    try:
        generate(seed, size)
        return tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()


def measure(name: str, seed: int, size: int) -> str:
    generate = load_domain(name).generate
    try:
        seconds, counts = timed(generate, seed, size)
        peak = peak_memory(generate, seed, size)
    except Exception as exc:  # noqa: BLE001 - a broken domain must not stop the table
        return f"{name:<10} {size:>5}  failed: {type(exc).__name__}: {exc}"
    rows = ", ".join(f"{table} {count:,}" for table, count in counts.items())
    return f"{name:<10} {size:>5} {seconds:>9.3f} {peak / 2**20:>10.1f}  {rows}"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--sizes", type=int, nargs="+", default=[1, 10, 100])
    args = parser.parse_args()
    print(f"{'domain':<10} {'size':>5} {'time (s)':>9} {'peak (MiB)':>10}  records")
    for name in sorted(available()):
        for size in args.sizes:
            print(measure(name, args.seed, size), flush=True)


if __name__ == "__main__":
    main()
