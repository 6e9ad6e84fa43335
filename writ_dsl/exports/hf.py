"""``hf``: verified dialogues as a Hugging Face dataset: parquet files per split plus a dataset card.

``OUT/data/train-00000-of-00001.parquet`` and ``OUT/data/validation-…``; the
card's ``configs`` section makes ``datasets.load_dataset(OUT)`` return both
splits. The split is by template (spec file + task): every instance of a
template lands in the same split, so no template leaks from training into
validation. Which templates are held out is drawn by hashing (seeded), a
share ``validation_share`` of them, at least one when there are two or more.
Messages are typed rows (tool-call arguments as JSON strings, as in the OpenAI
format); the tool schemas are a JSON string per row.
"""

from __future__ import annotations

import hashlib
import json
import math
import os
from collections.abc import Iterable, Iterator
from pathlib import Path
from typing import Any

from ..errors import InputError
from ..io import partial_file
from ..runner.export import trajectory
from .options import ExportOptions
from .source import RunSource

NAME = "hf"
SUMMARY = "Hugging Face dataset folder: parquet train/validation split by template + dataset card"
OUTPUT = "folder"
SPLITS = ("train", "validation")
BATCH = 256


def write(source: RunSource, out: Path, options: ExportOptions) -> int:
    source.require_run(f"the {NAME} export")
    pa, pq = _arrow()
    held_out = validation_templates(_templates(source), options)
    meta = source.meta()
    data = out / "data"
    data.mkdir(parents=True, exist_ok=True)
    writers = {split: _Writer(pq, data / f"{split}-00000-of-00001.parquet", schema(pa)) for split in SPLITS}
    try:
        for record in source.records(verified_only=True):
            template = source.template(record)
            writers["validation" if template in held_out else "train"].add(row(record, meta, template))
    finally:
        for writer in writers.values():
            writer.close()
    counts = {split: w.count for split, w in writers.items() if w.count or split == "train"}
    for split in set(SPLITS) - set(counts):  # a split with no rows has no file: datasets refuses an empty one
        writers[split].path.unlink(missing_ok=True)
    (out / "README.md").write_text(card(counts), encoding="utf-8")
    return sum(counts.values())


def _arrow() -> tuple[Any, Any]:
    try:
        import pyarrow as pa
        import pyarrow.parquet as pq
    except ImportError:
        raise InputError("the hf export needs pyarrow: pip install 'writ-dsl[hf]'") from None
    return pa, pq


def _templates(source: RunSource) -> list[str]:
    return sorted({source.template(r) for r in source.records(verified_only=True)})


def validation_templates(templates: Iterable[str], options: ExportOptions) -> set[str]:
    """The templates held out: the lowest seeded hashes, ``validation_share`` of them (at least one of two)."""
    templates = sorted(set(templates))
    if len(templates) < 2 or options.validation_share <= 0:
        return set()
    wanted = min(max(1, math.ceil(options.validation_share * len(templates))), len(templates) - 1)
    ranked = sorted(templates, key=lambda t: hashlib.sha256(f"{options.seed}\0{t}".encode()).hexdigest())
    return set(ranked[:wanted])


def row(record: dict[str, Any], meta: dict[str, Any], template: str) -> dict[str, Any]:
    chat = trajectory(record, meta)
    return {"task_id": chat["task_id"], "template": template, "domain": chat["domain"],
            "trajectory_type": chat["trajectory_type"], "behavior": chat["behavior"],
            "messages": [_message(m) for m in chat["messages"]],
            "tools": json.dumps(chat["tools"], ensure_ascii=False)}


def _message(m: dict[str, Any]) -> dict[str, Any]:
    return {"role": m["role"], "content": m.get("content"), "tool_calls": m.get("tool_calls"),
            "tool_call_id": m.get("tool_call_id")}


def schema(pa: Any) -> Any:
    call = pa.struct([("id", pa.string()), ("type", pa.string()),
                      ("function", pa.struct([("name", pa.string()), ("arguments", pa.string())]))])
    message = pa.struct([("role", pa.string()), ("content", pa.string()), ("tool_calls", pa.list_(call)),
                         ("tool_call_id", pa.string())])
    return pa.schema([("task_id", pa.string()), ("template", pa.string()), ("domain", pa.string()),
                      ("trajectory_type", pa.string()), ("behavior", pa.string()),
                      ("messages", pa.list_(message)), ("tools", pa.string())])


class _Writer:
    """One split's parquet file, written in batches through a temporary file and a rename."""

    def __init__(self, pq: Any, path: Path, schema: Any) -> None:
        self.path, self.schema, self.count, self._rows = path, schema, 0, []
        fd, self._tmp = partial_file(path)
        os.close(fd)
        self._writer = pq.ParquetWriter(self._tmp, schema, compression="zstd")

    def add(self, row: dict[str, Any]) -> None:
        self._rows.append(row)
        self.count += 1
        if len(self._rows) >= BATCH:
            self._flush()

    def _flush(self) -> None:
        if self._rows:
            import pyarrow as pa

            self._writer.write_table(pa.Table.from_pylist(self._rows, schema=self.schema))
            self._rows = []

    def close(self) -> None:
        try:
            self._flush()
            self._writer.close()
            os.replace(self._tmp, self.path)
        finally:
            Path(self._tmp).unlink(missing_ok=True)


def card(counts: dict[str, int]) -> str:
    """The dataset card: YAML front matter that tells ``datasets`` where each split in ``counts`` is."""
    lines = ["---", "configs:", "- config_name: default", "  data_files:"]
    for split in counts:
        lines += [f"  - split: {split}", f"    path: data/{split}-*.parquet"]
    lines += ["---", "", "# writ-dsl trajectories", "",
              "Verified multi-turn agent trajectories synthesized by writ-dsl, split by template "
              "(no template appears in both splits).", ""]
    lines += [f"- {split}: {count} dialogues" for split, count in counts.items()]
    return "\n".join(lines) + "\n"


def read_rows(out: Path) -> Iterator[tuple[str, dict[str, Any]]]:
    """Every (split, row) of an hf export, read back with pyarrow (for checks and goldens)."""
    _, pq = _arrow()
    for split in SPLITS:
        path = out / "data" / f"{split}-00000-of-00001.parquet"
        for item in pq.read_table(path).to_pylist() if path.is_file() else ():
            yield split, item
