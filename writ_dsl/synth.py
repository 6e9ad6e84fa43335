"""Synthesis: compiled instances -> run folder with verified trajectories and every export.

``writ synth`` = :func:`writ_dsl.compiler.compile_paths` + :func:`synthesize`.
The compiled tasks, the compile summary and the τ²-bench tasks are written
first; the run then resumes wherever an earlier, interrupted run stopped.
"""

from __future__ import annotations

import json
from collections import Counter
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from .compiler.compile import CompileResult
from .io import atomic_write
from .compiler.export_tau2 import to_tau2
from .runner.run import RunOptions, RunSummary, check_out_dir, run_tasks


def synthesize(result: CompileResult, out_dir: Path, options: RunOptions,
               spec_paths: Sequence[str | Path] = ()) -> RunSummary:
    out_dir.mkdir(parents=True, exist_ok=True)
    check_out_dir(result.tasks, out_dir, options)
    atomic_write(out_dir / "tasks.jsonl", result.to_jsonl())
    atomic_write(out_dir / "compile_summary.json", _dump(compile_summary(result)))
    atomic_write(out_dir / "tau2_tasks.json", _dump([to_tau2(task) for task in result.tasks]))
    return run_tasks(result.tasks, out_dir, options, spec_paths)


def compile_summary(result: CompileResult) -> dict[str, Any]:
    """Produced and rejected instances, in all and per task (no timings: byte-stable)."""
    rejections: Counter[str] = Counter()
    for report in result.reports:
        rejections.update(report.rejected)
    return {
        "produced": len(result.tasks),
        "attempts": sum(report.attempts for report in result.reports),
        "rejections": dict(sorted(rejections.items())),
        "tasks": [
            {"spec": r.spec_path, "task": r.task, "wanted": r.wanted, "produced": r.produced,
             "attempts": r.attempts, "rejected": dict(sorted(r.rejected.items()))}
            for r in result.reports
        ],
    }


def _dump(value: Any) -> str:
    return json.dumps(value, indent=2, ensure_ascii=False) + "\n"
