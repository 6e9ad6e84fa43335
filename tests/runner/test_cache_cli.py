"""writ cache info|clear: the response cache of an LLM run, inspected and emptied from the command line."""

from __future__ import annotations

from pathlib import Path

from click.testing import CliRunner

from writ_dsl.cli import main
from writ_dsl.runner.loopback import LoopbackServer
from writ_dsl.runner.run import RunOptions, run_tasks

from .helpers import FAKE_ENVS, many_tasks


def writ(*args: str):
    return CliRunner().invoke(main, list(args), catch_exceptions=False)


def llm(base_url: str, **changes: object) -> RunOptions:
    return RunOptions(**{"user": "llm", "agent": "llm", "model": "loop", "api_key": "k", "base_url": base_url,
                         "env_path": (str(FAKE_ENVS),), "concurrency": 4, **changes})


def test_info_counts_the_answers_and_clear_makes_the_next_run_ask_again(tmp_path: Path) -> None:
    tasks, out = many_tasks(3), tmp_path / "run"
    with LoopbackServer(tasks) as server:
        first = run_tasks(tasks, out, llm(server.base_url))
        shown = writ("cache", "info", str(out))
        assert shown.exit_code == 0
        assert f"{out / 'responses.sqlite'}: {first.requests} cached answers" in shown.output
        assert run_tasks(tasks, out, llm(server.base_url, force=True)).requests == 0
        cleared = writ("cache", "clear", str(out))
        assert cleared.exit_code == 0 and f"cleared {first.requests} cached answers" in cleared.output
        assert f"{out / 'responses.sqlite'}: 0 cached answers" in writ("cache", "info", str(out)).output
        assert run_tasks(tasks, out, llm(server.base_url, force=True)).requests == first.requests


def test_a_cache_on_read_only_storage_is_counted_and_not_cleared(tmp_path: Path, read_only_copy) -> None:
    tasks, out = many_tasks(2), tmp_path / "run"
    with LoopbackServer(tasks) as server:
        first = run_tasks(tasks, out, llm(server.base_url))
    stored = read_only_copy(out)
    shown = writ("cache", "info", str(stored))
    assert shown.exit_code == 0 and f"{first.requests} cached answers" in shown.output, shown.output
    cleared = writ("cache", "clear", str(stored))
    assert cleared.exit_code == 1 and "cannot change the response cache: its folder cannot be written" in cleared.output
    assert "not a writ response cache" not in cleared.output
    assert f"{first.requests} cached answers" in writ("cache", "info", str(stored)).output


def test_a_shared_cache_file_is_named_with_cache(tmp_path: Path) -> None:
    tasks, shared = many_tasks(2), tmp_path / "shared.sqlite"
    with LoopbackServer(tasks) as server:
        first = run_tasks(tasks, tmp_path / "run", llm(server.base_url, cache_path=shared))
    assert f"{first.requests} cached answers" in writ("cache", "info", "--cache", str(shared)).output
    assert writ("cache", "clear", "--cache", str(shared)).exit_code == 0
    assert "0 cached answers" in writ("cache", "info", "--cache", str(shared)).output


def test_no_cache_a_foreign_file_and_a_missing_argument_are_clear_errors(tmp_path: Path) -> None:
    assert "no response cache at" in writ("cache", "info", str(tmp_path)).output
    assert "nothing to clear" in writ("cache", "clear", str(tmp_path)).output
    foreign = tmp_path / "notes.txt"
    foreign.write_text("not a database, just some notes " * 100)
    result = writ("cache", "clear", "--cache", str(foreign))
    assert result.exit_code == 1 and "is not a writ response cache" in result.output
    assert foreign.read_text().startswith("not a database")
    neither = writ("cache", "info")
    assert neither.exit_code == 1 and "give a run folder or --cache FILE" in neither.output
    missing = writ("cache", "info", str(tmp_path / "nowhere"))
    assert missing.exit_code == 1 and "is not a folder" in missing.output


def test_another_sqlite_database_is_refused_and_left_as_it_was(tmp_path: Path) -> None:
    import sqlite3

    other = tmp_path / "notes.sqlite"
    with sqlite3.connect(other) as conn:
        conn.execute("CREATE TABLE notes (text TEXT)")
        conn.execute("INSERT INTO notes VALUES ('keep me')")
    before = other.read_bytes()
    result = writ("cache", "clear", "--cache", str(other))
    assert result.exit_code == 1 and "has no responses table" in result.output
    assert other.read_bytes() == before


def test_a_run_given_a_cache_that_is_not_one_stops_with_a_clear_error(tmp_path: Path) -> None:
    spec = Path(__file__).resolve().parents[2] / "specs" / "retail" / "cancel_pending_order.writ"
    assert writ("compile", str(spec), "-n", "1", "-o", str(tmp_path / "tasks.jsonl")).exit_code == 0
    foreign = tmp_path / "notes.txt"
    foreign.write_text("not a database, just some notes " * 100)
    result = CliRunner().invoke(main, ["run", str(tmp_path / "tasks.jsonl"), "-o", str(tmp_path / "run"),
                                       "--agent", "llm", "--model", "m", "--base-url", "http://127.0.0.1:9/v1",
                                       "--cache", str(foreign), "--no-progress"])
    assert result.exit_code == 1 and "Traceback" not in result.output, result.output
    assert f"writ: error: {foreign} is not a writ response cache" in result.output
    assert foreign.read_text().startswith("not a database")


def test_a_cache_on_read_only_storage_that_cannot_be_read_is_said_not_a_traceback(tmp_path: Path,
                                                                                 read_only_copy) -> None:
    import shutil
    import sqlite3

    live = tmp_path / "live"
    live.mkdir()
    writer = sqlite3.connect(live / "responses.sqlite", isolation_level=None)
    writer.execute("PRAGMA journal_mode=WAL")
    writer.execute("CREATE TABLE responses (key TEXT PRIMARY KEY, response TEXT NOT NULL)")
    writer.execute("INSERT INTO responses VALUES ('k', '{}')")
    copied = tmp_path / "copied"  # as a folder copied while a run had it open: its log, not the log's index
    copied.mkdir()
    for name in ("responses.sqlite", "responses.sqlite-wal"):
        shutil.copy(live / name, copied / name)
    writer.close()
    shown = CliRunner().invoke(main, ["cache", "info", str(read_only_copy(copied))])
    assert shown.exit_code == 1 and "cannot read the response cache on read-only storage" in shown.output, shown.output
