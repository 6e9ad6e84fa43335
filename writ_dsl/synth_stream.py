"""The offline synthesis stream's writing side: units in, run folder out (see :mod:`.stream`)."""

from __future__ import annotations

import hashlib
import time
from collections.abc import Sequence
from dataclasses import replace
from pathlib import Path
from typing import Any

from .compiler.compile import CompileOptions, CompileResult, front_problems
from .compiler.engine import make_engine
from .compiler.shards import ShardContext, TaskMerger, TaskShard, shards
from .env.registry import load_domain
from .io import RowFile, atomic_write, remove_partial_files
from .lang.loader import LoadedSpec
from .runner.export import META_KEYS, OutputWriter, export_outputs
from .runner.manifest import ManifestFacts, manifest_of, write_manifest_of
from .runner.options import RunOptions
from .runner.run import RunSummary
from .runner.store import DB_NAME, RunStore
from .stream import UnitOutput, stream_context, stream_unit


def stream_synthesis(specs: Sequence[LoadedSpec], out_dir: Path, compile_options: CompileOptions,
                     run_options: RunOptions, identity: str) -> tuple[CompileResult, RunSummary | None]:
    """Compile, run and export offline roles as one stream into ``out_dir`` (locked by the caller)."""
    from .synth import compile_summary, dump_json

    started = time.monotonic()
    remove_partial_files(out_dir)
    fresh = not (out_dir / DB_NAME).is_file() or run_options.force
    meta = {"fingerprint": hashlib.sha256(f"synth\0{identity}".encode()).hexdigest(),
            "options": run_options.identity(), "tasks": None, "tools": _tools(specs, run_options)}
    units = shards(specs, compile_options)
    result = CompileResult(diagnostics=front_problems(specs, compile_options))
    if not result.ok:
        return result, None
    if compile_options.progress is not None:
        compile_options.progress.start(sum(unit.wanted for unit in units))
    with RunStore(out_dir, redact=run_options.redactor().known) as store:
        resumed = store.claim(meta["fingerprint"], {**meta, "synth": identity}, run_options.force)
        meta = {key: store.get_meta(key) for key in META_KEYS}  # as an export from the store reads it
        made = store.outcomes() if resumed else {}
        stream = _Stream(out_dir, store, meta, writing=not made)
        try:
            ran = stream.run(specs, units, compile_options, run_options, made, result)
        except BaseException:
            stream.discard()
            raise
        if not result.ok:
            stream.discard()
    if not result.ok:
        if fresh:
            _remove_store(out_dir)
        return result, None
    with RunStore(out_dir) as store:
        meta["tasks"] = stream.facts.count
        store.update_meta({"tasks": stream.facts.count})
        stream.commit_tasks()
        atomic_write(out_dir / "compile_summary.json", dump_json(compile_summary(result)))
        write_manifest_of(out_dir, manifest_of(stream.facts, meta["tools"], run_options, [s.path for s in specs]),
                          run_options)
    summary = stream.commit_outputs()
    return result, RunSummary(out_dir, stream.facts.count, ran, summary["verified"], summary["rejected"],
                              summary["failed"], summary["pending"], time.monotonic() - started)


def _remove_store(out_dir: Path) -> None:
    """A stream that found errors in the specs leaves no run behind (as if nothing had been compiled)."""
    for name in (DB_NAME, f"{DB_NAME}-wal", f"{DB_NAME}-shm"):
        (out_dir / name).unlink(missing_ok=True)


def _tools(specs: Sequence[LoadedSpec], options: RunOptions) -> dict[str, Any]:
    names = sorted({spec.env_name for spec in specs if spec.env_name})
    return {name: load_domain(name, options.env_path).openai_tools() for name in names}


class _Stream:
    """The files a stream writes while it runs; nothing is in place until the commits."""

    def __init__(self, out_dir: Path, store: RunStore, meta: dict[str, Any], *, writing: bool) -> None:
        self.out_dir, self.store, self.meta = out_dir, store, meta
        self.tasks = RowFile(out_dir / "tasks.jsonl")
        self.tau2 = RowFile(out_dir / "tau2_tasks.json", array=True)
        self.outputs = OutputWriter(out_dir, meta) if writing else None  # a resumed run exports from the store
        self.facts = ManifestFacts()

    def run(self, specs: Sequence[LoadedSpec], units: list[TaskShard], compile_options: CompileOptions,
            run_options: RunOptions, made: dict[str, dict[int, str]], result: CompileResult) -> int:
        workers = min(run_options.worker_count(), max(len(units), 1))
        name = run_options.engine if run_options.engine in ("process", "ray") else None
        local = name is None and workers <= 1
        shard = ShardContext(list(specs), replace(compile_options, progress=None))
        context = stream_context(shard, run_options, self.meta, made, local)
        merger, ran = TaskMerger(specs, compile_options, result, keep_tasks=False), 0
        with make_engine(workers, name, context) as engine:
            for unit, output in zip(units, engine.map(stream_unit, units), strict=True):
                merger.add(unit, output.draw)
                if not result.ok:
                    break
                ran += self._write(output)
                if compile_options.progress is not None:
                    compile_options.progress.advance(unit.wanted, unit.task)
        return ran

    def _write(self, output: UnitOutput) -> int:
        for line in output.task_lines:
            self.tasks.write(line)
        for item in output.tau2_items:
            self.tau2.write(item)
        first = self.facts.count
        self.facts.absorb(output.facts)
        seq = {task_id: first + i for i, task_id in enumerate(output.task_ids)}
        self.store.commit_texts([(task_id, attempt, outcome, seq[task_id], text)
                                 for task_id, attempt, outcome, text in output.stored])
        if self.outputs is not None:
            for rows in output.rows:
                self.outputs.add(rows)
        return output.dialogues

    def commit_tasks(self) -> None:
        self.tasks.commit()
        self.tau2.commit()

    def commit_outputs(self) -> dict[str, Any]:
        if self.outputs is None:
            return export_outputs(self.out_dir)
        return self.outputs.commit()

    def discard(self) -> None:
        for handle in (self.tasks, self.tau2):
            handle.discard()
        if self.outputs is not None:
            self.outputs.discard()
