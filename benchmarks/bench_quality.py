"""Dialogue quality of the bundled library, next to the targets of issue 11.

Run: ``.venv/bin/python benchmarks/bench_quality.py [-n 2000] [--seed 0]``. It runs the equivalent of
``writ synth specs -n 2000 --seed 0`` (offline roles) into a temporary folder, then prints the quality
section of ``writ stats`` and each target with its measured value.

Distinct-n is measured with the tokenizer of ``writ_dsl/quality.py`` (ids, numbers and e-mail addresses
masked; a full stop is a token of its own).
"""

from __future__ import annotations

import argparse
import subprocess
import sys
import tempfile
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))

from writ_dsl.quality import Quality, measure  # noqa: E402
from writ_dsl.stats import read_jsonl  # noqa: E402

TARGETS = (
    ("lints (all kinds)", lambda q: sum(len(v) for v in q.lints.values()), "== 0"),
    ("distinct first user messages", lambda q: q.distinct_first_share, ">= 0.95"),
    ("masked distinct-2, assistant turns", lambda q: q.distinct["assistant"][2], ">= 0.03"),
    ("masked distinct-2, user turns", lambda q: q.distinct["user"][2], ">= 0.08"),
    ("templates with independent reads and a single tool order", lambda q: len(q.single_order_templates), "== 0"),
)


def synthesize(n: int, seed: int, out: Path) -> str:
    command = [str(Path(sys.executable).with_name("writ")), "synth", str(REPO / "specs"), "-n", str(n),
               "--seed", str(seed), "-o", str(out), "--no-progress"]
    done = subprocess.run(command, capture_output=True, text=True, check=True)
    lines = (done.stdout + done.stderr).strip().splitlines()
    return next((line for line in reversed(lines) if "verified" in line), "")


def _holds(value: float, target: str) -> bool:
    operator, bound = target.split()
    return value == float(bound) if operator == "==" else value >= float(bound)


def report(quality: Quality) -> None:
    print("\n".join(quality.summary_lines()))
    print("\ntargets (issue 11)")
    for name, value_of, target in TARGETS:
        value = value_of(quality)
        met = _holds(value, target)
        shown = f"{value:.4f}" if isinstance(value, float) else str(value)
        print(f"  {'met ' if met else 'MISS'} {name}: {shown} (target {target})")


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("-n", type=int, default=2000)
    parser.add_argument("--seed", type=int, default=0)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as folder:
        out = Path(folder) / "out"
        print(synthesize(args.n, args.seed, out))
        report(measure(read_jsonl(out / "tasks.jsonl"), read_jsonl(out / "trajectories.jsonl")))


if __name__ == "__main__":
    main()
