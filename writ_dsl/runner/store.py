"""The durable state of a run: ``DIR/run.sqlite`` (WAL), one transaction per finished dialogue.

``meta`` holds what identifies the run (the fingerprint of its tasks and
options) and what the exports need (each domain's tools); ``results`` holds one
row per finished dialogue, keyed by task id and attempt, with the task's position in the run (``seq``:
the outputs follow it). ``rendered`` holds a finished task's output rows, made while the run goes on, so
that the exports at its end only copy them; committing another attempt of the task drops them, and an
export renders again rows that another renderer made, or made of other records (``renderer``, ``source``).
Every record is stored with the run's API keys masked. A killed run loses at most the
dialogues in flight; running it again skips every task already in ``results``.
"""

from __future__ import annotations

import functools
import json
import sqlite3
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from itertools import groupby
from pathlib import Path
from typing import IO, Any

from ..errors import InputError
from .json_text import compact, parse_stored

try:
    import fcntl
except ImportError:  # pragma: no cover - not on POSIX
    fcntl = None  # type: ignore[assignment]

StoredRow = tuple[str, int, str, "int | None", str]  # task id, attempt, outcome, position, record text
RenderedRows = tuple[bytes, bytes, bytes, str]  # trajectory lines, reject lines, simulation items, tallies
DB_NAME = "run.sqlite"
LOCK_NAME = "run.lock"
_SCHEMA = """
CREATE TABLE IF NOT EXISTS meta (key TEXT PRIMARY KEY, value TEXT NOT NULL);
CREATE TABLE IF NOT EXISTS results (
    task_id TEXT NOT NULL,
    attempt INTEGER NOT NULL DEFAULT 0,
    outcome TEXT NOT NULL,
    record TEXT NOT NULL,
    seq INTEGER,
    PRIMARY KEY (task_id, attempt)
);
CREATE TABLE IF NOT EXISTS rendered (
    task_id TEXT PRIMARY KEY,
    renderer TEXT NOT NULL,
    source TEXT NOT NULL,
    trajectories BLOB NOT NULL,
    rejects BLOB NOT NULL,
    simulations BLOB NOT NULL,
    tallies TEXT NOT NULL
);
"""


def record_text(record: dict[str, Any]) -> str:
    """A record as the store keeps it."""
    return compact(record).decode()


@dataclass(frozen=True)
class EncodedRecord:
    """A finished dialogue's record already as the store keeps it (:func:`record_text`, keys not yet masked),
    with the fields a commit reads: what a worker process sends back, a string to pickle instead of a tree."""

    task_id: str
    attempt: int
    outcome: str
    text: str


def encoded(record: dict[str, Any] | EncodedRecord) -> EncodedRecord:
    if isinstance(record, EncodedRecord):
        return record
    return EncodedRecord(record["task_id"], record.get("attempt", 0), record["outcome"], record_text(record))


def lock_folder(out_dir: Path) -> IO[str]:
    """Hold ``out_dir/run.lock`` exclusively until the returned file is closed; InputError if another run holds it."""
    handle = open(out_dir / LOCK_NAME, "w")  # noqa: SIM115 - held until closed by the caller
    if fcntl is not None:
        try:
            fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except OSError:
            handle.close()
            raise InputError(f"{out_dir}: another writ run is using this folder") from None
    return handle


def in_use(out_dir: Path) -> bool:
    """True while a writ run holds ``out_dir``'s lock (it is still adding dialogues)."""
    path = out_dir / LOCK_NAME
    if fcntl is None or not path.is_file():
        return False
    try:
        with open(path) as handle:
            fcntl.flock(handle, fcntl.LOCK_SH | fcntl.LOCK_NB)  # released when the file closes
    except OSError:
        return True
    return False


def _named_errors(method: Callable[..., Any]) -> Callable[..., Any]:
    """SQLite failures (a corrupt file, a full disk) become an InputError that names the file."""

    @functools.wraps(method)
    def wrapper(self: RunStore, *args: Any, **kwargs: Any) -> Any:
        try:
            return method(self, *args, **kwargs)
        except sqlite3.DatabaseError as exc:
            raise InputError(sqlite_problem(self.path, exc)) from None

    return wrapper


def sqlite_problem(path: Path, exc: sqlite3.Error) -> str:
    text = str(exc)
    if "not a database" in text or "malformed" in text:
        return f"{path}: not a writ run database ({text}); delete it or write to another folder"
    if "full" in text or "disk" in text or "readonly" in text:
        return f"{path}: cannot write: {text}"
    return f"{path}: {text}"


def read_only_connection(path: Path) -> sqlite3.Connection:
    """A connection that reads the SQLite file at ``path`` without writing anything beside it: for a finished
    run on read-only storage (a shared dataset), where SQLite cannot make the files a WAL database is read
    with. With no write-ahead log beside it the file is complete and is read as immutable; a log left there
    is read with it, which SQLite can do only if its index (``-shm``) is there too."""
    uri = path.absolute().as_uri()
    wal = Path(f"{path}-wal").exists()
    conn = sqlite3.connect(f"{uri}?mode=ro" if wal else f"{uri}?mode=ro&immutable=1", uri=True,
                           isolation_level=None, check_same_thread=False)
    try:
        conn.execute("SELECT 1 FROM sqlite_master LIMIT 1").fetchone()
    except sqlite3.Error:
        conn.close()
        raise
    return conn


def cannot_write_beside(exc: sqlite3.Error) -> bool:
    return "unable to open database file" in str(exc) or "readonly" in str(exc)


class RunStore:
    @_named_errors
    def __init__(self, out_dir: Path, *, lock: bool = False, redact: Callable[[str], str] | None = None,
                 reading: bool = False) -> None:
        """``reading``: only reads follow (an export, a report), so a folder writ cannot write to (read-only
        storage) is read as it is."""
        self.path, self.redact = out_dir / DB_NAME, redact
        self._lock_file = lock_folder(out_dir) if lock else None
        self.conn = sqlite3.connect(self.path, isolation_level=None, check_same_thread=False)
        try:
            self._prepare()
        except sqlite3.Error as exc:
            if not (reading and self.path.is_file() and cannot_write_beside(exc)):
                self.close()  # nothing stays open: not the file, not the folder's lock
                raise
            self.conn.close()
            self.conn = read_only_connection(self.path)

    def _prepare(self) -> None:
        self.conn.execute("PRAGMA journal_mode=WAL")
        self.conn.execute("PRAGMA synchronous=NORMAL")
        self.conn.executescript(_SCHEMA)
        columns = {row[1] for row in self.conn.execute("PRAGMA table_info(results)")}
        if "seq" not in columns:  # a folder from before positions were kept: its records sort first
            self.conn.execute("ALTER TABLE results ADD COLUMN seq INTEGER")

    def close(self) -> None:
        self.conn.close()
        if self._lock_file is not None:
            self._lock_file.close()

    def __enter__(self) -> RunStore:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    # ------------------------------------------------------------------- meta
    @_named_errors
    def get_meta(self, key: str) -> Any:
        row = self.conn.execute("SELECT value FROM meta WHERE key = ?", (key,)).fetchone()
        return None if row is None else json.loads(row[0])

    @_named_errors
    def claim(self, fingerprint: str, meta: dict[str, Any], force: bool) -> bool:
        """Bind the folder to this run; True when earlier results are kept (a resume)."""
        existing = self.ensure_compatible(fingerprint, force)
        if force or existing is None:
            with self._transaction():
                self.conn.execute("DELETE FROM results")
                self.conn.execute("DELETE FROM rendered")
                self.conn.execute("DELETE FROM meta")
                self._put_meta({**meta, "fingerprint": fingerprint})
            return False
        return True

    def ensure_compatible(self, fingerprint: str, force: bool) -> str | None:
        """The folder's run fingerprint; InputError when it holds another run (unless ``force``)."""
        existing = self.get_meta("fingerprint")
        if existing is not None and existing != fingerprint and not force:
            raise InputError(f"{self.path.parent} holds a run of other tasks or options "
                             f"(run {existing[:12]}, this one {fingerprint[:12]}); use --force to start over")
        return existing

    @_named_errors
    def update_meta(self, values: dict[str, Any]) -> None:
        with self._transaction():
            self._put_meta(values)

    def _put_meta(self, values: dict[str, Any]) -> None:
        rows = [(key, json.dumps(value, ensure_ascii=False)) for key, value in values.items()]
        self.conn.executemany("INSERT OR REPLACE INTO meta (key, value) VALUES (?, ?)", rows)

    # ---------------------------------------------------------------- results
    @_named_errors
    def finished(self, *, include_failed: bool = True) -> set[str]:
        query = "SELECT task_id FROM results" + ("" if include_failed else " WHERE outcome != 'failed'")
        return {row[0] for row in self.conn.execute(query)}

    @_named_errors
    def outcomes(self) -> dict[str, dict[int, str]]:
        """Per task id, the outcome of each attempt made."""
        found: dict[str, dict[int, str]] = {}
        for task_id, attempt, outcome in self.conn.execute("SELECT task_id, attempt, outcome FROM results"):
            found.setdefault(task_id, {})[attempt] = outcome
        return found

    @_named_errors
    def commit(self, task_id: str, outcome: str, record: dict[str, Any]) -> None:
        self.commit_many([{**record, "task_id": task_id, "outcome": outcome}])

    @_named_errors
    def commit_many(self, records: Iterable[dict[str, Any]], seqs: Iterable[int | None] | None = None) -> None:
        """One transaction for a batch of finished dialogues; ``seqs``: each one's task position."""
        self.commit_stored(self.stored_rows(records, seqs))

    def stored_rows(self, records: Iterable[dict[str, Any] | EncodedRecord],
                    seqs: Iterable[int | None] | None = None) -> list[StoredRow]:
        """Records as :meth:`commit_stored` takes them: their text as it is stored (keys masked)."""
        made = [encoded(r) for r in records]
        positions = list(seqs) if seqs is not None else [None] * len(made)
        return self._masked([(r.task_id, r.attempt, r.outcome, seq, r.text)
                             for r, seq in zip(made, positions, strict=True)])

    @_named_errors
    def commit_texts(self, rows: Iterable[StoredRow]) -> None:
        """One transaction for records already encoded (:func:`record_text`): (task id, attempt, outcome,
        position, text)."""
        self.commit_stored(self._masked(rows))

    @_named_errors
    def commit_stored(self, rows: list[StoredRow], rendered: dict[str, RenderedRows] | None = None,
                      renderer: str = "") -> None:
        """One transaction for rows of :meth:`stored_rows`; with ``rendered``, the output rows of tasks whose
        every attempt is in ``rows``, made by ``renderer`` of exactly those texts."""
        sources = {task_id: _source_of((a, o, len(text)) for _, a, o, _, text in sorted(group, key=_attempt))
                   for task_id, group in groupby(sorted(rows, key=_task), key=_task)}
        with self._transaction():
            self.conn.executemany("INSERT OR REPLACE INTO results (task_id, attempt, outcome, seq, record) "
                                  "VALUES (?, ?, ?, ?, ?)", rows)
            self.conn.executemany("DELETE FROM rendered WHERE task_id = ?", [(task_id,) for task_id in sources])
            if rendered:
                self._insert_rendered([(t, renderer, sources[t], *made) for t, made in rendered.items()])

    def _masked(self, rows: Iterable[StoredRow]) -> list[StoredRow]:
        redact = self.redact
        return [(t, a, o, s, redact(text) if redact is not None else text) for t, a, o, s, text in rows]

    @_named_errors
    def attempts_of(self, task_id: str) -> list[dict[str, Any]]:
        """One task's records as stored, its attempts in order."""
        query = "SELECT task_id, attempt, record FROM results WHERE task_id = ? ORDER BY attempt"
        return [self._record(*row) for row in self.conn.execute(query, (task_id,))]

    @_named_errors
    def put_rendered(self, rendered: dict[str, RenderedRows], renderer: str) -> None:
        """Finished tasks' output rows, by task id: trajectory lines, reject lines, simulation items (one per
        line) and the summary's tallies (JSON); ``renderer`` names the code that made them."""
        with self._transaction():
            self._insert_rendered([(t, renderer, self._source(t), *made) for t, made in rendered.items()])

    def _insert_rendered(self, rows: list[tuple[Any, ...]]) -> None:
        self.conn.executemany("INSERT OR REPLACE INTO rendered (task_id, renderer, source, trajectories, "
                              "rejects, simulations, tallies) VALUES (?, ?, ?, ?, ?, ?, ?)", rows)

    def _source(self, task_id: str) -> str:
        query = "SELECT attempt, outcome, length(record) FROM results WHERE task_id = ? ORDER BY attempt"
        return _source_of(self.conn.execute(query, (task_id,)))

    def tasks_for_export(self, renderer: str) -> Iterator[tuple[str, RenderedRows | None, list[dict[str, Any]]]]:
        """Every task in order of its first position: its rendered rows when ``renderer`` made them of the
        records stored now, else its records (read only then). The order is worked out on the small columns
        alone; each task's rows or records are then read by its key, so no sort ever carries them."""
        query = ("SELECT r.task_id, r.attempt, r.outcome, length(r.record), d.renderer IS ?, d.source "
                 "FROM results r LEFT JOIN rendered d ON d.task_id = r.task_id "
                 f"ORDER BY {_FIRST_SEQ}, r.task_id, r.attempt")
        for task_id, group in groupby(self.conn.execute(query, (renderer,)).fetchall(), key=lambda row: row[0]):
            rows = list(group)
            ours, source = rows[0][4:]
            made = self._rendered(task_id, renderer, source) if ours and source == _source_of(
                row[1:4] for row in rows) else None
            if made is not None:
                yield task_id, made, []
            else:  # another renderer's rows, or of records since replaced (even since the query): the records
                yield task_id, None, self.attempts_of(task_id)

    def _rendered(self, task_id: str, renderer: str, source: str) -> RenderedRows | None:
        """The task's rows, if they are still the ones ``renderer`` made of ``source`` (a commit may have come
        between the two reads)."""
        query = ("SELECT trajectories, rejects, simulations, tallies FROM rendered "
                 "WHERE task_id = ? AND renderer = ? AND source = ?")
        return self.conn.execute(query, (task_id, renderer, source)).fetchone()

    def records(self) -> Iterator[dict[str, Any]]:
        """Every record, in the order of the tasks' positions (a task's attempts together, in order)."""
        query = f"SELECT task_id, attempt, record FROM results r ORDER BY {_FIRST_SEQ}, task_id, attempt"
        for row in self.conn.execute(query):
            yield self._record(*row)

    def _record(self, task_id: str, attempt: int, text: str) -> dict[str, Any]:
        """A stored record read back; InputError naming it when it is not one (a damaged or edited row)."""
        try:
            record = parse_stored(text)
        except (ValueError, RecursionError) as exc:
            problem = f"it is not JSON ({str(exc).splitlines()[0] if str(exc) else type(exc).__name__})"
        else:
            problem = _record_problem(record)
            if problem is None:
                return record  # type: ignore[no-any-return]
        raise InputError(f"{self.path}: the record of task {task_id!r} (attempt {attempt}) is damaged: {problem}; "
                         "start the run over with --force, or delete that row")

    def _transaction(self) -> _Transaction:
        return _Transaction(self.conn)


# A task's attempts stay together, at the position of its first (a resume may give later ones other positions).
_FIRST_SEQ = "MIN(r.seq) OVER (PARTITION BY r.task_id)"


def _task(row: StoredRow) -> str:
    return row[0]


def _record_problem(record: Any) -> str | None:
    if not isinstance(record, dict):
        kind = {list: "an array", str: "a string", bool: "a boolean", type(None): "null"}.get(type(record), "a number")
        return f"it is {kind}, not a JSON object"
    for key, kind in (("task_id", str), ("outcome", str)):
        if not isinstance(record.get(key), kind):
            return f"its {key!r} is missing or not text"
    return None


def _attempt(row: StoredRow) -> int:
    return row[1]


def _source_of(attempts: Iterable[tuple[int, str, int]]) -> str:
    """What rendered rows were made of: each attempt's number, outcome and stored length."""
    return ";".join(f"{attempt}:{outcome}:{length}" for attempt, outcome, length in attempts)


class _Transaction:
    def __init__(self, conn: sqlite3.Connection) -> None:
        self.conn = conn

    def __enter__(self) -> None:
        try:
            self.conn.execute("BEGIN IMMEDIATE")
        except BaseException:  # e.g. Ctrl-C right after BEGIN: leave no transaction open
            self._rollback()
            raise

    def __exit__(self, exc_type: object, *rest: object) -> None:
        if exc_type is not None:
            self._rollback()
        else:
            self.conn.execute("COMMIT")

    def _rollback(self) -> None:
        if self.conn.in_transaction:
            self.conn.execute("ROLLBACK")
