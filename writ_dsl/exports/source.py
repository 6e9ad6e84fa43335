"""A finished run folder as the exports read it: records streamed from ``run.sqlite``, tasks from ``tasks.jsonl``.

Records come one at a time from the store's cursor (in task-id order), so an
export never holds a whole run in memory; only a small index of the tasks
(id -> template) is kept.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from ..compiler.model import CompiledTask
from ..errors import InputError
from ..io import atomic_write, iter_tasks
from ..runner.store import DB_NAME, RunStore
from ..runner.verify import VERIFIED

TASKS_FILE = "tasks.jsonl"


@dataclass
class RunSource:
    """What an export reads: a run folder (or, for task-only formats, a tasks.jsonl file)."""

    path: Path
    _templates: dict[str, str] | None = field(default=None, repr=False)

    @property
    def is_run(self) -> bool:
        return self.path.is_dir() and (self.path / DB_NAME).is_file()

    @property
    def tasks_file(self) -> Path:
        return self.path if self.path.is_file() else self.path / TASKS_FILE

    def require_run(self, reader: str) -> None:
        """InputError unless this is a run folder; ``reader`` names what needs one ("the hf export")."""
        if not self.is_run:
            raise InputError(f"{self.path}: not a run folder ({DB_NAME} is missing); "
                             f"{reader} needs the folder written by `writ run` or `writ synth`")

    def tasks(self) -> Iterator[CompiledTask]:
        if not self.tasks_file.is_file():
            raise InputError(f"{self.path}: no {TASKS_FILE} here (expected a run folder or a tasks.jsonl file)")
        return iter_tasks(self.tasks_file)

    def records(self, *, verified_only: bool = False) -> Iterator[dict[str, Any]]:
        """Finished dialogues in task-id order, one at a time."""
        with RunStore(self.path, reading=True) as store:
            for record in store.records():
                if not verified_only or record["outcome"] == VERIFIED:
                    yield record

    def meta(self) -> dict[str, Any]:
        with RunStore(self.path, reading=True) as store:
            return {key: store.get_meta(key) for key in ("fingerprint", "options", "tasks", "tools")}

    def template(self, record: dict[str, Any]) -> str:
        """The spec template a record was drawn from: ``spec_path::task``."""
        if self._templates is None:
            self._templates = template_index(self.tasks()) if self.tasks_file.is_file() else {}
        return self._templates.get(record["task_id"], str(record.get("task") or record["task_id"]))


def template_index(tasks: Iterator[CompiledTask]) -> dict[str, str]:
    return {task.id: template_name(task) for task in tasks}


def template_name(task: CompiledTask) -> str:
    return f"{task.spec_path}::{task.task}"


def write_verified(source: RunSource, out: Path, fmt: str,
                   to_row: Callable[[dict[str, Any], dict[str, Any]], Any]) -> int:
    """One JSON line per verified dialogue, ``to_row(record, run meta)``, streamed to ``out``; rows written."""
    source.require_run(f"the {fmt} export")
    meta = source.meta()
    rows = Counted(to_row(record, meta) for record in source.records(verified_only=True))
    atomic_write(out, (json_line(row) for row in rows))
    return rows.count


def domain_tools(record: dict[str, Any], meta: dict[str, Any]) -> list[dict[str, Any]]:
    """The tool schemas of a record's domain, as the run recorded them."""
    return (meta.get("tools") or {}).get(record["domain"], [])


def json_line(value: Any) -> str:
    return json.dumps(value, ensure_ascii=False) + "\n"


def pretty(value: Any) -> str:
    return json.dumps(value, ensure_ascii=False, indent=1) + "\n"


def json_array(items: Iterator[Any], indent: int = 2, level: int = 0) -> Iterator[str]:
    """A JSON array written item by item, laid out as ``json.dumps(list(items), indent=indent)`` nested
    ``level`` deep (no final newline)."""
    outer = " " * (indent * level)
    inner, first = outer + " " * indent, True
    for item in items:
        body = json.dumps(item, ensure_ascii=False, indent=indent).replace("\n", "\n" + inner)
        yield ("[\n" if first else ",\n") + inner + body
        first = False
    yield "[]" if first else "\n" + outer + "]"


def json_object(fields: list[tuple[str, Any]], indent: int = 2) -> Iterator[str]:
    """A JSON object whose values may be streamed arrays (iterators of items), written piece by piece."""
    pad = " " * indent
    for number, (key, value) in enumerate(fields):
        yield ("{\n" if number == 0 else ",\n") + pad + json.dumps(key) + ": "
        if isinstance(value, Iterator):
            yield from json_array(value, indent, level=1)
        else:
            yield json.dumps(value, ensure_ascii=False, indent=indent).replace("\n", "\n" + pad)
    yield "\n}\n" if fields else "{}\n"


class Counted:
    """An iterator that counts what passes through it (rows written by an export)."""

    def __init__(self, items: Iterator[Any]) -> None:
        self._items, self.count = items, 0

    def __iter__(self) -> Iterator[Any]:
        for item in self._items:
            self.count += 1
            yield item
