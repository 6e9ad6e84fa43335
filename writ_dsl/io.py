"""Files in and out: the one atomic write, and tasks.jsonl read and written line by line.

Every file writ produces is written to a temporary file beside its target,
then renamed over it, so that a killed run never leaves half a file. Read
and write failures become :class:`~writ_dsl.errors.InputError` naming the file.
"""

from __future__ import annotations

import json
import os
import stat
import tempfile
from collections.abc import Iterable, Iterator
from pathlib import Path
from typing import Any

from pydantic import ValidationError

from .compiler.model import CompiledTask
from .errors import InputError


def partial_file(path: str | Path) -> tuple[int, str]:
    """A new temporary file beside ``path`` (descriptor and name), to be renamed over it once complete. It
    gets the mode ``path`` has, or for a new file the mode any new file gets here (0666 less the umask), not
    the owner-only mode of a temporary file. Raises OSError."""
    target = Path(path)
    fd, tmp = tempfile.mkstemp(dir=target.parent, prefix=f".{target.name}.", suffix=".partial")
    try:
        os.chmod(tmp, stat.S_IMODE(target.stat().st_mode) if target.exists() else 0o666 & ~_umask())
    except OSError:
        os.close(fd)
        Path(tmp).unlink(missing_ok=True)
        raise
    return fd, tmp


def _umask() -> int:
    """The process's umask, read without changing it where Linux tells it (``/proc/self/status``)."""
    try:
        for line in Path("/proc/self/status").read_text().splitlines():
            if line.startswith("Umask:"):
                return int(line.split()[1], 8)
    except (OSError, ValueError, IndexError):
        pass
    mask = os.umask(0o022)
    os.umask(mask)
    return mask


def atomic_write(path: str | Path, text: str | bytes | Iterable[str]) -> None:
    """Write ``text`` (or its chunks, in order; or bytes, such as an image) to ``path`` through a temporary
    file and a rename."""
    target = Path(path)
    tmp = None
    try:
        fd, tmp = partial_file(target)
        if isinstance(text, bytes):
            with os.fdopen(fd, "wb") as raw:
                raw.write(text)
        else:
            with os.fdopen(fd, "w", encoding="utf-8") as handle:
                handle.writelines([text] if isinstance(text, str) else text)
        os.replace(tmp, target)
    except BaseException as exc:  # a full disk, an error in the text's source, Ctrl-C: no half file is left
        if tmp is not None:
            Path(tmp).unlink(missing_ok=True)
        if isinstance(exc, OSError):
            raise InputError(f"{path}: cannot write: {exc.strerror or exc}") from None
        raise


def json_array_rows(values: Iterable[Any], indent: int) -> Iterator[str]:
    """``json.dumps(list(values), indent=indent, ensure_ascii=False) + "\\n"``, an item at a time (the same
    bytes, without the whole list in memory)."""
    empty = True
    for value in values:
        yield ("[\n" if empty else ",\n") + json_array_item(value, indent)
        empty = False
    yield "[]\n" if empty else "\n]\n"


def json_array_item(value: Any, indent: int) -> str:
    """One item of :func:`json_array_rows`, as it appears between the separators."""
    pad = " " * indent
    return pad + json.dumps(value, ensure_ascii=False, indent=indent).replace("\n", "\n" + pad)


class RowFile:
    """A file written row by row to a temporary file beside ``path``, renamed over it by :meth:`commit`
    (:meth:`discard` removes it): a killed run never leaves half a file. ``array``: the rows are the items
    of a JSON array (:func:`json_array_item` texts) and the file is that array. Rows are UTF-8 bytes, or
    text encoded here."""

    def __init__(self, path: str | Path, *, array: bool = False) -> None:
        self.path, self.array, self.rows = Path(path), array, 0
        try:
            fd, tmp = partial_file(self.path)
        except OSError as exc:
            raise InputError(f"{path}: cannot write: {exc.strerror or exc}") from None
        self.tmp = Path(tmp)
        self.handle = os.fdopen(fd, "wb")

    def write(self, row: str | bytes) -> None:
        data = row.encode("utf-8") if isinstance(row, str) else row
        try:
            if self.array:
                self.handle.write(b",\n" if self.rows else b"[\n")
            self.handle.write(data)
        except OSError as exc:
            self.discard()
            raise InputError(f"{self.path}: cannot write: {exc.strerror or exc}") from None
        self.rows += 1

    def commit(self) -> None:
        try:
            if self.array:
                self.handle.write(b"\n]\n" if self.rows else b"[]\n")
            self.handle.close()
            os.replace(self.tmp, self.path)
        except OSError as exc:
            self.discard()
            raise InputError(f"{self.path}: cannot write: {exc.strerror or exc}") from None

    def discard(self) -> None:
        if not self.handle.closed:
            self.handle.close()
        self.tmp.unlink(missing_ok=True)


def remove_partial_files(folder: str | Path) -> None:
    """Delete the temporary files a killed writer left in ``folder``."""
    for stale in Path(folder).glob(".*.partial"):
        stale.unlink(missing_ok=True)


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


class TaskFile:
    """The tasks of a tasks.jsonl file, read anew (one line at a time) each time they are iterated."""

    def __init__(self, path: str | Path) -> None:
        self.path = Path(path)

    def __iter__(self) -> Iterator[CompiledTask]:
        return iter_tasks(self.path)


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


# What writ itself writes into an output folder (a run's files, its exports, its plots).
OUTPUT_NAMES = frozenset({
    "tasks.jsonl", "compile_summary.json", "tau2_tasks.json", "trajectories.jsonl", "rejects.jsonl",
    "simulations.json", "summary.json", "run.lock", "run.sqlite", "run.sqlite-wal", "run.sqlite-shm", "plots",
    "report.html", "manifest.json", "responses.sqlite", "responses.sqlite-wal", "responses.sqlite-shm",
})


PLOT_PANELS = ("types", "writes_per_task", "evidence_burden", "dialogue_lengths", "templates", "behaviors",
               "dialogue_tokens", "verified_rate")  # the images `writ stats` draws into RUN_DIR/plots
PLOT_FORMATS = ("png", "svg")
REPORT_NAME = "report.html"  # what `writ view` writes into RUN_DIR by default


def forget_views(out_dir: Path) -> None:
    """Remove what ``writ stats`` and ``writ view`` wrote into a run folder by default (its plot images and
    ``report.html``): a run started over (``--force``) must not sit beside figures of the run it replaces.
    Other files stay, and ``plots/`` goes only once empty."""
    remove_files([out_dir / "plots" / f"{name}.{fmt}" for name in PLOT_PANELS for fmt in PLOT_FORMATS]
                 + [out_dir / REPORT_NAME])
    try:
        (out_dir / "plots").rmdir()
    except OSError:  # not there, or holds other files
        pass


def remove_files(paths: Iterable[Path]) -> None:
    """Remove each file that is there (a folder of the same name stays); InputError naming one that cannot go."""
    for path in paths:
        try:
            path.unlink(missing_ok=True)
        except IsADirectoryError:
            continue
        except OSError as exc:
            raise InputError(f"{path}: cannot remove an outdated file: {exc.strerror or exc}") from None


def refuse_foreign_folder(folder: str | Path, force: bool = False) -> None:
    """An InputError when ``folder`` holds files writ did not write (unless ``force``): never overwrite
    an unrelated folder's ``summary.json`` or anything else in it."""
    folder = Path(folder)
    if force or not folder.is_dir():
        return
    foreign = sorted(p.name for p in folder.iterdir() if p.name not in OUTPUT_NAMES and not p.name.endswith(".partial"))
    if foreign:
        shown = ", ".join(foreign[:3]) + (", ..." if len(foreign) > 3 else "")
        raise InputError(f"{folder} is not empty and holds no writ run ({shown}); choose an empty or new folder, "
                         "or use --force to write into it anyway")
