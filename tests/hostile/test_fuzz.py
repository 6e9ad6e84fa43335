"""A subset of the fuzz harness (benchmarks/fuzz_specs.py) in the normal suite: no traceback, no hang."""

from __future__ import annotations

import importlib.util
import os
import sys
from pathlib import Path

HARNESS = Path(__file__).resolve().parents[2] / "benchmarks" / "fuzz_specs.py"
COUNT = int(os.environ.get("WRIT_FUZZ_COUNT", "1500"))


def load_harness():
    spec = importlib.util.spec_from_file_location("fuzz_specs", HARNESS)
    module = importlib.util.module_from_spec(spec)
    sys.modules.setdefault("fuzz_specs", module)
    spec.loader.exec_module(module)
    return module


def test_mutated_and_hostile_specs_give_diagnostics_only() -> None:
    # A slice of the stream the harness runs at 100,000 (WRIT_FUZZ_COUNT sets its size).
    report = load_harness().fuzz(COUNT, seed=20261125, timeout=3.0)  # seconds of CPU time
    assert report.count == COUNT
    assert [trace for _, _, trace in report.tracebacks] == []
    assert report.hangs == []
    assert sum(report.unlocated.values()) == 0, report.unlocated
    assert report.compiled > COUNT // 10  # a good share reaches the compiler


def test_the_stream_is_the_same_for_the_same_seed() -> None:
    harness = load_harness()
    sources = ["env airline\ntask t {\n    let x = 1\n}\n"]
    first = list(harness.generate(3, range(50, 60), sources))
    assert first == list(harness.generate(3, range(50, 60), sources))
    assert first != list(harness.generate(4, range(50, 60), sources))
