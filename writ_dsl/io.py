"""Files in and out: the one atomic write, and tasks.jsonl read and written line by line.

Every file writ produces is written to a temporary file beside its target,
then renamed over it, so that a killed run never leaves half a file. Read
and write failures become :class:`~writ_dsl.errors.InputError` naming the file.
"""

from __future__ import annotations

import os
import tempfile
from collections.abc import Iterable, Iterator
from pathlib import Path

from pydantic import ValidationError

from .compiler.model import CompiledTask
from .errors import InputError


def atomic_write(path: str | Path, text: str | Iterable[str]) -> None:
    """Write ``text`` (or its chunks, in order) to ``path`` through a temporary file and a rename."""
    target = Path(path)
    tmp = None
    try:
        fd, tmp = tempfile.mkstemp(dir=target.parent, prefix=f".{target.name}.", suffix=".partial")
        with os.fdopen(fd, "w", encoding="utf-8") as handle:
            handle.writelines([text] if isinstance(text, str) else text)
        os.replace(tmp, target)
    except OSError as exc:
        if tmp is not None:
            Path(tmp).unlink(missing_ok=True)
        raise InputError(f"{path}: cannot write: {exc.strerror or exc}") from None


def read_text(path: str | Path) -> str:
    """A UTF-8 text file; unreadable or undecodable is an InputError naming the file."""
    try:
        return Path(path).read_text(encoding="utf-8")
    except UnicodeDecodeError:
        raise InputError(f"{path}: not UTF-8 text") from None
    except OSError as exc:
        raise InputError(f"{path}: cannot read: {exc.strerror or exc}") from None


def read_tasks(path: str | Path) -> list[CompiledTask]:
    """Every task of a tasks.jsonl file; a malformed line is an InputError naming file:line."""
    return list(iter_tasks(path))


def iter_tasks(path: str | Path) -> Iterator[CompiledTask]:
    """The tasks of a tasks.jsonl file, read and parsed one line at a time."""
    try:
        with Path(path).open(encoding="utf-8") as handle:
            for number, line in enumerate(handle, start=1):
                if line.strip():
                    yield _parse_task(path, number, line)
    except UnicodeDecodeError:
        raise InputError(f"{path}: not UTF-8 text") from None
    except OSError as exc:
        raise InputError(f"{path}: cannot read: {exc.strerror or exc}") from None


def write_tasks(path: str | Path, tasks: Iterable[CompiledTask]) -> None:
    atomic_write(path, (task.to_json_line() for task in tasks))


def _parse_task(path: str | Path, number: int, line: str) -> CompiledTask:
    try:
        return CompiledTask.model_validate_json(line)
    except ValidationError as exc:
        first = exc.errors()[0]
        where = ".".join(str(part) for part in first["loc"])
        detail = first["msg"] if first["type"] == "json_invalid" else f"{where}: {first['msg']}"
        raise InputError(f"{path}:{number}: not a compiled task ({detail})") from None
