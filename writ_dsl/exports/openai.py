"""``openai``: verified dialogues in the OpenAI chat training format (``messages`` + ``tools``), one per line.

The same rows as the run folder's ``trajectories.jsonl``.
"""

from __future__ import annotations

from pathlib import Path

from ..io import atomic_write
from ..runner.export import trajectory
from .options import ExportOptions
from .source import Counted, RunSource, json_line

NAME = "openai"
SUMMARY = "OpenAI chat JSONL (messages + tools), verified dialogues"
OUTPUT = "file"


def write(source: RunSource, out: Path, options: ExportOptions) -> int:
    source.require_run(NAME)
    meta = source.meta()
    rows = Counted(trajectory(r, meta) for r in source.records(verified_only=True))
    atomic_write(out, (json_line(row) for row in rows))
    return rows.count
