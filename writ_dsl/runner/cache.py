"""A response cache for LLM roles: one SQLite file, keyed on the whole request.

The key is the SHA-256 of the request body (model, sampling options, messages,
tools) together with the dialogue it belongs to, the attempt and the re-ask
number, so that distinct dialogues stay independent samples while a re-run of
the same dialogue replays every answer without a request. By default the cache
is ``DIR/responses.sqlite`` in the run folder; ``--cache FILE`` shares one
between runs, ``--no-cache`` turns it off, and deleting the file clears it.

Lookups are made on the event loop (an indexed read); new entries are kept in
memory and written in batches by the run's committer thread (:meth:`flush`).
"""

from __future__ import annotations

import hashlib
import json
import sqlite3
import threading
from pathlib import Path

from .endpoint import Completion
from .secrets import Redactor

CACHE_NAME = "responses.sqlite"
_SCHEMA = "CREATE TABLE IF NOT EXISTS responses (key TEXT PRIMARY KEY, response TEXT NOT NULL)"


def cache_key(body: bytes, dialogue_id: str, attempt: int, ask: int) -> str:
    digest = hashlib.sha256(body)
    digest.update(f"\0{dialogue_id}\0{attempt}\0{ask}".encode())
    return digest.hexdigest()


class ResponseCache:
    def __init__(self, path: Path, redactor: Redactor = Redactor()) -> None:
        self.path, self.redactor = path, redactor
        path.parent.mkdir(parents=True, exist_ok=True)
        self._writer = _connect(path)
        self._writer.execute(_SCHEMA)
        self._reader = _connect(path)
        self._lock = threading.Lock()
        self._pending: dict[str, str] = {}
        self.hits = 0

    def get(self, key: str) -> Completion | None:
        with self._lock:
            text = self._pending.get(key)
        if text is None:
            row = self._reader.execute("SELECT response FROM responses WHERE key = ?", (key,)).fetchone()
            text = row[0] if row else None
        if text is None:
            return None
        self.hits += 1
        data = json.loads(text)
        return Completion(data["message"], tuple(data["usage"]), cached=True)  # type: ignore[arg-type]

    def put(self, key: str, completion: Completion) -> None:
        text = json.dumps({"message": completion.message, "usage": list(completion.usage)}, ensure_ascii=False)
        with self._lock:
            self._pending[key] = self.redactor.known(text)

    def flush(self) -> None:
        """Write the new entries (from one thread at a time; reads go on meanwhile)."""
        with self._lock:
            rows = list(self._pending.items())
        if not rows:
            return
        self._writer.execute("BEGIN IMMEDIATE")
        self._writer.executemany("INSERT OR REPLACE INTO responses (key, response) VALUES (?, ?)", rows)
        self._writer.execute("COMMIT")
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
