"""Synthesis: checked specs -> one run folder with compiled tasks, verified trajectories and every export.

:func:`synthesize_checked` locks the folder first and refuses one that holds
another synthesis (or files that are not writ's) before compiling. Offline
roles then run as one stream (:mod:`.stream`): units of instances are compiled,
simulated and rendered in workers, and written here as they come back, so
memory stays flat in the number of instances. LLM roles compile every task
first and run them on the asyncio engine. The run state remembers the
synthesis identity (spec texts and options), so the same command resumes; a
resumed stream recompiles (the same bytes) and runs only what is unfinished.
"""

from __future__ import annotations

import hashlib
import json
from collections import Counter
from collections.abc import Sequence
from dataclasses import fields
from pathlib import Path
from typing import Any

from .compiler.compile import CompileOptions, CompileResult, compile_specs
from .env.core import canonical_json
from .errors import InputError
from .exports.tau2_tasks import to_tau2
from .io import atomic_write, forget_views, json_array_rows, refuse_foreign_folder, write_tasks
from .lang.loader import LoadedSpec
from .runner.run import RunOptions, RunSummary, check_options, run_tasks
from .runner.store import DB_NAME, RunStore, lock_folder
from .synth_stream import stream_synthesis



def synthesize_checked(specs: Sequence[LoadedSpec], out_dir: Path, compile_options: CompileOptions,
                       run_options: RunOptions) -> tuple[CompileResult, RunSummary | None]:
    """Compile and run into ``out_dir``; the run summary is None when compiling found errors."""
    check_options(run_options)  # before the folder is made: a refused command leaves nothing behind
    out_dir.mkdir(parents=True, exist_ok=True)
    identity = synth_identity(specs, compile_options, run_options)
    if not run_options.force:
        refuse_foreign_folder(out_dir)  # before the lock file, which a refused folder must not be left with
    with lock_folder(out_dir):
        _refuse_foreign(out_dir, identity, run_options.force)
        if run_options.force:
            forget_views(out_dir)
        if not run_options.uses_llm:
            return stream_synthesis(specs, out_dir, compile_options, run_options, identity)
        result = compile_specs(specs, compile_options)
        if not result.ok:
            return result, None
        write_tasks(out_dir / "tasks.jsonl", result.tasks)
        atomic_write(out_dir / "compile_summary.json", dump_json(compile_summary(result)))
        atomic_write(out_dir / "tau2_tasks.json", json_array_rows((to_tau2(task) for task in result.tasks), indent=2))
        summary = run_tasks(result.tasks, out_dir, run_options, [spec.path for spec in specs], locked=True,
                            meta={"synth": identity})
    return result, summary


def synth_identity(specs: Sequence[LoadedSpec], compile_options: CompileOptions, run_options: RunOptions) -> str:
    """What makes two syntheses the same run: the spec texts and every option that shapes the output."""
    options = {field.name: getattr(compile_options, field.name) for field in fields(compile_options) if field.compare}
    options = {k: (str(v) if isinstance(v, Path) else v) for k, v in options.items()}
    content = {"specs": sorted(spec.spec_hash for spec in specs), "compile": options, "run": run_options.identity()}
    return hashlib.sha256(canonical_json(content).encode()).hexdigest()


def _refuse_foreign(out_dir: Path, identity: str, force: bool) -> None:
    """InputError unless ``out_dir`` is new, holds only writ's files, or holds this same synthesis."""
    if force:
        return
    refuse_foreign_folder(out_dir)
    if not (out_dir / DB_NAME).is_file():
        return
    with RunStore(out_dir) as store:
        earlier, fingerprint = store.get_meta("synth"), store.get_meta("fingerprint")
    if fingerprint is not None and earlier != identity:
        what = "another synthesis (other specs or options)" if earlier else "a `writ run` of other tasks"
        raise InputError(f"{out_dir} holds {what}; choose another folder, or use --force to start over")


def compile_summary(result: CompileResult) -> dict[str, Any]:
    """Produced and rejected instances, in all and per task (no timings: byte-stable)."""
    rejections: Counter[str] = Counter()
    for report in result.reports:
        rejections.update(report.rejected)
    return {
        "produced": sum(report.produced for report in result.reports),
        "attempts": sum(report.attempts for report in result.reports),
        "rejections": dict(sorted(rejections.items())),
        "tasks": [
            {"spec": r.spec_path, "task": r.task, "wanted": r.wanted, "produced": r.produced,
             "attempts": r.attempts, "rejected": dict(sorted(r.rejected.items())), "eval_errors": r.eval_errors}
            for r in result.reports
        ],
    }


def dump_json(value: Any) -> str:
    return json.dumps(value, indent=2, ensure_ascii=False) + "\n"
