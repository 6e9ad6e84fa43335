"""``openai``: verified dialogues in the OpenAI chat training format (``messages`` + ``tools``), one per line.

The same rows as the run folder's ``trajectories.jsonl``.
"""

from __future__ import annotations

from pathlib import Path

from ..runner.export import trajectory
from .options import ExportOptions
from .source import RunSource, write_verified

NAME = "openai"
SUMMARY = "OpenAI chat JSONL (messages + tools), verified dialogues"
OUTPUT = "file"


def write(source: RunSource, out: Path, options: ExportOptions) -> int:
    return write_verified(source, out, NAME, trajectory)
