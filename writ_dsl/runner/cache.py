"""A response cache for LLM roles: one SQLite file, keyed on the whole request.

The key is the SHA-256 of the request body (model, sampling options, messages,
tools) together with the dialogue it belongs to, the attempt and the re-ask
number, so that distinct dialogues stay independent samples while a re-run of
the same dialogue replays every answer without a request. By default the cache
is ``DIR/responses.sqlite`` in the run folder; ``--cache FILE`` shares one
between runs, ``--no-cache`` turns it off. :func:`cache_info` tells what a cache
holds and :func:`clear_cache` empties it (``writ cache info|clear``).

Lookups are made on the event loop (an indexed read); new entries are kept in
memory and written in batches by the run's committer thread (:meth:`flush`).
A cache that held no answer when it was opened is not read again while it is
open: a run never sends the same request twice (the dialogue, attempt and
re-ask are in the key), so only an earlier run's answers could be found.
"""

from __future__ import annotations

import hashlib
import json
import sqlite3
import threading
from dataclasses import dataclass
from pathlib import Path

from ..errors import InputError
from .endpoint import Completion
from .json_text import compact
from .secrets import Redactor
from .store import cannot_write_beside, read_only_connection

CACHE_NAME = "responses.sqlite"
_SCHEMA = "CREATE TABLE IF NOT EXISTS responses (key TEXT PRIMARY KEY, response TEXT NOT NULL)"


def cache_key(body: bytes, dialogue_id: str, attempt: int, ask: int) -> str:
    digest = hashlib.sha256(body)
    digest.update(f"\0{dialogue_id}\0{attempt}\0{ask}".encode())
    return digest.hexdigest()


class ResponseCache:
    def __init__(self, path: Path, redactor: Redactor = Redactor()) -> None:
        self.path, self.redactor = path, redactor
        try:
            path.parent.mkdir(parents=True, exist_ok=True)
            self._writer = _connect(path)
            self._writer.execute(_SCHEMA)
            self._reader = _connect(path)
            self._stored = self._reader.execute("SELECT 1 FROM responses LIMIT 1").fetchone() is not None
        except sqlite3.DatabaseError as exc:
            raise InputError(f"{path} is not a writ response cache ({exc}); give another --cache FILE, or delete "
                             f"it to start an empty one") from None
        except (sqlite3.Error, OSError) as exc:
            raise InputError(f"{path}: cannot open the response cache: {exc}") from None
        self._lock = threading.Lock()
        self._pending: dict[str, str] = {}
        self.hits = 0

    def get(self, key: str) -> Completion | None:
        with self._lock:
            text = self._pending.get(key)
        if text is None and self._stored:
            row = self._reader.execute("SELECT response FROM responses WHERE key = ?", (key,)).fetchone()
            text = row[0] if row else None
        if text is None:
            return None
        self.hits += 1
        data = json.loads(text)
        return Completion(data["message"], tuple(data["usage"]), cached=True)  # type: ignore[arg-type]

    def put(self, key: str, completion: Completion) -> None:
        text = compact({"message": completion.message, "usage": list(completion.usage)}).decode()
        with self._lock:
            self._pending[key] = self.redactor.known(text)

    def flush(self) -> None:
        """Write the new entries (from one thread at a time; reads go on meanwhile)."""
        with self._lock:
            rows = list(self._pending.items())
        if not rows:
            return
        self._writer.execute("BEGIN IMMEDIATE")
        try:
            self._writer.executemany("INSERT OR REPLACE INTO responses (key, response) VALUES (?, ?)", rows)
            self._writer.execute("COMMIT")
        except BaseException:  # the entries stay pending: a later flush, or closing the cache, tries again
            if self._writer.in_transaction:  # SQLite may have rolled back already (a full disk)
                self._writer.execute("ROLLBACK")
            raise
        with self._lock:
            for key, _ in rows:
                self._pending.pop(key, None)

    def close(self) -> None:
        self.flush()
        self._reader.close()
        self._writer.close()


def _connect(path: Path) -> sqlite3.Connection:
    conn = sqlite3.connect(path, isolation_level=None, check_same_thread=False, timeout=30)
    conn.execute("PRAGMA journal_mode=WAL")
    conn.execute("PRAGMA synchronous=NORMAL")
    return conn


# ------------------------------------------------------------------ inspecting and clearing
@dataclass(frozen=True)
class CacheInfo:
    path: Path
    exists: bool
    entries: int = 0
    size: int = 0  # bytes on disk, with SQLite's write-ahead log


def cache_location(folder: str | Path | None = None, file: str | Path | None = None) -> Path:
    """The cache of a run folder (``DIR/responses.sqlite``) or the file given with ``--cache``; exactly one."""
    if (folder is None) == (file is None):
        raise InputError("give a run folder or --cache FILE (one of them)")
    if file is not None:
        return Path(file)
    folder = Path(folder)  # type: ignore[arg-type]
    if not folder.is_dir():
        raise InputError(f"{folder} is not a folder")
    return folder / CACHE_NAME


def cache_info(path: Path) -> CacheInfo:
    """How many answers the cache at ``path`` holds and the bytes it takes (nothing there: ``exists`` False)."""
    if not path.is_file():
        return CacheInfo(path, False)
    with _OpenCache(path, reading=True) as conn:
        entries = conn.execute("SELECT COUNT(*) FROM responses").fetchone()[0]
    return CacheInfo(path, True, entries, _size(path))


def clear_cache(path: Path) -> CacheInfo:
    """Remove every answer from the cache at ``path`` and give its space back; returns what it held.

    The file stays (emptied), so a run that has it open goes on; its next requests are made anew."""
    before = cache_info(path)
    if before.exists:
        with _OpenCache(path) as conn:
            conn.execute("DELETE FROM responses")
            conn.execute("VACUUM")
            conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    return before


class _OpenCache:
    """A connection to an existing cache file, refused with a clear error when it is not one; ``reading``:
    only reads follow, so a cache on read-only storage is read as it is."""

    def __init__(self, path: Path, *, reading: bool = False) -> None:
        self.path, self.reading = path, reading
        self.conn: sqlite3.Connection | None = None

    def __enter__(self) -> sqlite3.Connection:
        try:
            self.conn = sqlite3.connect(self.path, isolation_level=None, timeout=30)  # changes nothing yet
            names = _table_names(self.conn)
        except sqlite3.OperationalError as exc:
            self.__exit__()
            names = self._read_only_instead(exc)
        except sqlite3.DatabaseError:
            self.__exit__()
            raise InputError(f"{self.path} is not a writ response cache (not an SQLite database)") from None
        if "responses" not in names:
            self.__exit__()
            raise InputError(f"{self.path} is not a writ response cache (it has no responses table)")
        assert self.conn is not None
        return self.conn

    def _read_only_instead(self, exc: sqlite3.OperationalError) -> set[str]:
        """The cache's tables read as it is on storage SQLite cannot write beside it (only when ``reading``);
        else the InputError that says why it cannot be opened."""
        if not cannot_write_beside(exc):
            raise InputError(f"{self.path}: cannot read the response cache: {exc}") from None
        if not self.reading:
            raise InputError(f"{self.path}: cannot change the response cache: its folder cannot be written "
                             f"to ({exc})") from None
        try:
            self.conn = read_only_connection(self.path)
            return _table_names(self.conn)
        except sqlite3.Error as again:
            self.__exit__()
            raise InputError(f"{self.path}: cannot read the response cache on read-only storage ({again}); "
                             "copy it somewhere writable first") from None

    def __exit__(self, *exc: object) -> None:
        if self.conn is not None:
            self.conn.close()
            self.conn = None


def _table_names(conn: sqlite3.Connection) -> set[str]:
    return {row[0] for row in conn.execute("SELECT name FROM sqlite_master WHERE type = 'table'")}


def _size(path: Path) -> int:
    return sum(part.stat().st_size for part in (path, Path(f"{path}-wal")) if part.is_file())
