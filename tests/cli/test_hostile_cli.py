"""Hostile files and folders given to the CLI: a clear one-line error and exit 1, never a traceback."""

from __future__ import annotations

import errno
import json
import sqlite3
from pathlib import Path

import pytest
from click.testing import CliRunner

from writ_dsl.cli import main
from writ_dsl.errors import InputError
from writ_dsl.io import atomic_write
from writ_dsl.runner.store import RunStore

REPO = Path(__file__).resolve().parents[2]
SIMPLE = REPO / "specs" / "retail" / "cancel_pending_order.writ"


def invoke(*args: object, stdin: bytes | None = None):
    result = CliRunner().invoke(main, [str(a) for a in args], input=stdin)
    assert result.exception is None or isinstance(result.exception, SystemExit), result.exception
    assert "Traceback" not in result.output
    return result


@pytest.fixture(scope="module")
def run_folder(tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("run") / "out"
    assert invoke("synth", SIMPLE, "-n", "2", "-o", out, "--no-progress").exit_code == 0
    return out


def test_stats_on_a_non_utf8_file_is_an_error(tmp_path: Path) -> None:
    (tmp_path / "tasks.jsonl").write_bytes(b"\xff\xfe{}\n")
    for target in (tmp_path / "tasks.jsonl", tmp_path):
        result = invoke("stats", target, "--no-plots")
        assert result.exit_code == 1 and "tasks.jsonl: not UTF-8 text" in result.output


def test_stats_on_a_trajectories_file_says_it_is_the_wrong_kind(run_folder: Path) -> None:
    result = invoke("stats", run_folder / "trajectories.jsonl", "--no-plots")
    assert result.exit_code == 1 and "not a file of compiled tasks" in result.output
    assert "give its folder instead" in result.output
    assert invoke("stats", run_folder, "--no-plots", "--json").exit_code == 0


def test_synth_into_a_corrupt_run_database_is_an_error(tmp_path: Path) -> None:
    (tmp_path / "run.sqlite").write_text("this is not a database\n" * 100)
    result = invoke("synth", SIMPLE, "-n", "1", "-o", tmp_path, "--no-progress")
    assert result.exit_code == 1 and "run.sqlite: not a writ run database" in result.output


def test_specs_without_tasks_fail_compile_synth_and_graph(tmp_path: Path) -> None:
    spec = tmp_path / "empty.writ"
    spec.write_text("env retail\n")
    for args in (("compile", spec), ("synth", spec, "-o", tmp_path / "out", "--no-progress"), ("graph", spec)):
        result = invoke(*args)
        assert result.exit_code == 1 and "no task in" in result.output and "[no-tasks]" in result.output, args
    assert not (tmp_path / "out").exists()


def test_graph_of_a_folder_shows_every_task(tmp_path: Path) -> None:
    result = invoke("graph", SIMPLE.parent)
    tasks = [line for line in result.output.splitlines() if line.startswith("task ")]
    assert result.exit_code == 0 and len(tasks) == len(list(SIMPLE.parent.glob("*.writ")))


def test_a_missing_env_path_is_refused(tmp_path: Path) -> None:
    result = invoke("check", SIMPLE, "--env-path", tmp_path / "nonexistent")
    assert result.exit_code == 2 and "does not exist" in result.output


def test_a_full_disk_names_the_file(tmp_path: Path) -> None:
    def chunks():
        yield "a line\n"
        raise OSError(errno.ENOSPC, "No space left on device")

    with pytest.raises(InputError, match=r"tasks\.jsonl: cannot write: No space left on device"):
        atomic_write(tmp_path / "tasks.jsonl", chunks())
    assert list(tmp_path.iterdir()) == []


@pytest.mark.parametrize("stop", [KeyboardInterrupt, ValueError])
def test_a_write_stopped_midway_leaves_neither_half_a_file_nor_its_temporary(tmp_path: Path, stop: type) -> None:
    (tmp_path / "out.jsonl").write_text("the earlier export\n")

    def rows():
        yield "a row\n"
        raise stop("stopped while the rows were read")

    with pytest.raises(stop):
        atomic_write(tmp_path / "out.jsonl", rows())
    assert [p.name for p in tmp_path.iterdir()] == ["out.jsonl"]
    assert (tmp_path / "out.jsonl").read_text() == "the earlier export\n"


@pytest.mark.parametrize("damage, said", [("{bad json", "it is not JSON"), ("null", "it is null, not a JSON object"),
                                          ("[]", "it is an array"), ('{"outcome": 5, "task_id": "x"}', "'outcome'")])
def test_a_damaged_record_in_the_run_is_named_not_a_traceback(tmp_path: Path, damage: str, said: str) -> None:
    out = tmp_path / "out"
    assert invoke("synth", SIMPLE, "-n", "2", "-o", out, "--no-progress").exit_code == 0
    with sqlite3.connect(out / "run.sqlite") as conn:
        task_id = conn.execute("SELECT task_id FROM results ORDER BY task_id LIMIT 1").fetchone()[0]
        conn.execute("UPDATE results SET record = ? WHERE task_id = ?", (damage, task_id))
    conn.close()
    for command in (["view", out, "-o", tmp_path / "r.html", "--no-plots"], ["export", "openai", out, "-o",
                    tmp_path / "x.jsonl"], ["synth", SIMPLE, "-n", "2", "-o", out, "--no-progress"]):
        result = invoke(*command)
        assert result.exit_code == 1, result.output
        assert f"the record of task {task_id!r} (attempt 0) is damaged: " in result.output and said in result.output


def test_a_full_disk_in_the_run_database_names_the_file(tmp_path: Path) -> None:
    class FullDisk:
        in_transaction = False

        def execute(self, sql: str, *args: object) -> None:
            raise sqlite3.OperationalError("database or disk is full")

        def close(self) -> None:
            pass

    store = RunStore(tmp_path)
    store.conn.close()
    store.conn = FullDisk()
    with pytest.raises(InputError, match=r"run\.sqlite: cannot write: database or disk is full"):
        store.commit("t1", "verified", {"task_id": "t1"})


def test_a_non_utf8_spec_is_located(tmp_path: Path) -> None:
    (tmp_path / "bad.writ").write_bytes(b'env retail\n# caf\xe9\n')
    result = invoke("check", tmp_path / "bad.writ")
    assert result.exit_code == 1 and "bad.writ:2:6: error: this file is not UTF-8 text" in result.output


def test_fmt_reads_standard_input() -> None:
    result = invoke("fmt", "-", stdin=b"env   retail\nlet x=1\n")
    assert result.exit_code == 0 and result.stdout == "env retail\n\nlet x = 1\n"
    broken = invoke("fmt", "-", stdin=b"let x = (\n")
    assert broken.exit_code == 1 and "<stdin>:" in broken.output
    assert invoke("fmt", "-", "--check", stdin=b"env   retail\n").exit_code == 1


def test_synth_refuses_an_unrelated_folder_unless_forced(tmp_path: Path) -> None:
    (tmp_path / "summary.json").write_text('{"mine": true}\n')
    (tmp_path / "notes.txt").write_text("keep me\n")
    result = invoke("synth", SIMPLE, "-n", "1", "-o", tmp_path, "--no-progress")
    assert result.exit_code == 1 and "holds no writ run" in result.output
    assert json.loads((tmp_path / "summary.json").read_text()) == {"mine": True}
    assert invoke("synth", SIMPLE, "-n", "1", "-o", tmp_path, "--no-progress", "--force").exit_code == 0
    assert (tmp_path / "notes.txt").read_text() == "keep me\n"


def test_starting_over_removes_the_earlier_runs_plots_and_report(tmp_path: Path) -> None:
    out = tmp_path / "out"
    assert invoke("synth", SIMPLE, "-n", "2", "-o", out, "--no-progress").exit_code == 0
    assert invoke("stats", out).exit_code == 0 and invoke("view", out, "--no-plots").exit_code == 0
    (out / "plots" / "mine.txt").write_text("keep me\n")
    assert (out / "plots" / "types.png").is_file() and (out / "report.html").is_file()
    refused = invoke("run", out / "tasks.jsonl", "-o", out, "--no-progress", "--force", "--policy", tmp_path / "none.md")
    assert refused.exit_code == 1 and (out / "report.html").is_file(), "a refused run starts nothing over"
    assert invoke("synth", SIMPLE, "-n", "1", "-o", out, "--no-progress", "--force").exit_code == 0
    assert not (out / "report.html").exists() and sorted(p.name for p in (out / "plots").iterdir()) == ["mine.txt"]
    (out / "plots" / "mine.txt").unlink()
    assert invoke("stats", out).exit_code == 0 and invoke("view", out, "--no-plots").exit_code == 0
    assert invoke("run", out / "tasks.jsonl", "-o", out, "--no-progress", "--force").exit_code == 0
    assert not (out / "report.html").exists() and not (out / "plots").exists()


_BROKEN_PIPE_COMMAND = """
import sys, time
import click
from writ_dsl.cli._common import WritGroup

@click.group(cls=WritGroup)
def group():
    pass

@group.command("emit")
def emit():
    time.sleep(0.5)  # the reader closes its end meanwhile, or not
    raise BrokenPipeError(32, "Broken pipe")

group()
"""


@pytest.mark.parametrize("reader_quits", [True, False])
def test_a_closed_output_pipe_ends_writ_quietly_and_another_broken_pipe_is_said(reader_quits: bool) -> None:
    """`writ check | head`: the reader of the output went away, so nothing more is said; a broken pipe that
    is not the output (an -o FIFO whose reader quit) is an error like any other."""
    import subprocess
    import sys

    writer = subprocess.Popen([sys.executable, "-c", _BROKEN_PIPE_COMMAND, "emit"], stdout=subprocess.PIPE,
                              stderr=subprocess.PIPE)
    assert writer.stdout is not None and writer.stderr is not None
    if reader_quits:
        writer.stdout.close()
    errors = writer.stderr.read().decode()
    writer.wait(timeout=60)
    assert writer.returncode == 1 and "Traceback" not in errors
    assert (errors == "") if reader_quits else ("writ: error: a pipe: Broken pipe" in errors), errors


def test_names_in_a_message_are_retyped_once_each(tmp_path: Path, monkeypatch) -> None:
    from writ_dsl.diagnostics import Diagnostic, with_typed_paths

    monkeypatch.chdir(tmp_path)
    files = {"specs/a.writ": tmp_path / "a.writ", "specs/specs/a.writ": tmp_path / "specs" / "a.writ"}
    found = Diagnostic("import-cycle", "import cycle: specs/a.writ -> specs/specs/a.writ -> specs/a.writ",
                       "specs/a.writ")
    [shown] = with_typed_paths([found], files)
    assert shown.message == "import cycle: a.writ -> specs/a.writ -> a.writ" and shown.path == "a.writ"


def test_files_a_message_names_are_shown_as_typed(tmp_path: Path, monkeypatch) -> None:
    (tmp_path / "lib" / "imp").mkdir(parents=True)
    (tmp_path / "lib" / "imp" / "a.writ").write_text('import "b.writ"\nlet a = 1\n')
    (tmp_path / "lib" / "imp" / "b.writ").write_text('import "a.writ"\nlet b = 1\n')
    monkeypatch.chdir(tmp_path / "lib")
    for command in (["check", "imp/a.writ"], ["compile", "imp/a.writ", "-o", tmp_path / "x.jsonl"]):
        result = invoke(*command)
        assert "imp/b.writ:1:8: error: import cycle: imp/a.writ -> imp/b.writ -> imp/a.writ" in result.output


def test_an_ascii_terminal_gets_escapes_not_a_traceback(run_folder: Path) -> None:
    import os
    import subprocess
    import sys

    script = "from writ_dsl.cli import main; main()"
    env = {**os.environ, "PYTHONIOENCODING": "ascii", "COLUMNS": "40"}  # narrow: rich cuts cells with "…"
    done = subprocess.run([sys.executable, "-c", script, "stats", str(run_folder), "--no-plots"], env=env,
                          capture_output=True, text=True, encoding="ascii", errors="strict", timeout=120)
    assert done.returncode == 0 and "Traceback" not in done.stderr, done.stderr
    assert "evidence burden per write" in done.stdout


def test_the_ranges_help_shows_are_the_librarys_bounds() -> None:
    from writ_dsl.cli._common import ATTEMPTS_MAX, DB_SIZE_MAX
    from writ_dsl.env.core import MAX_DB_SIZE
    from writ_dsl.runner.options import MAX_ATTEMPTS

    assert (DB_SIZE_MAX, ATTEMPTS_MAX) == (MAX_DB_SIZE, MAX_ATTEMPTS)
    assert "1<=x<=1000" in invoke("run", "--help").output and "1<=x<=100" in invoke("synth", "--help").output


def test_options_refused_before_any_folder_is_made(tmp_path: Path) -> None:
    out = tmp_path / "out"
    result = invoke("synth", SIMPLE, "-n", "2", "-o", out, "--no-progress", "--db-size", "101")
    assert result.exit_code == 2 and not out.exists()
    tasks = tmp_path / "tasks.jsonl"
    assert invoke("compile", SIMPLE, "-n", "1", "-o", tasks, "--no-progress").exit_code == 0
    result = invoke("run", tasks, "-o", out, "--agent", "llm", "--model", "m", "--base-url", "http://127.0.0.1:9/v1",
                    "--engine", "ray", "--no-progress")
    assert result.exit_code == 1 and "runs offline roles only" in result.output and not out.exists()
    from writ_dsl import api
    from writ_dsl.errors import InputError

    with pytest.raises(InputError, match="size must be from 1 to 100"):
        api.compile_options(db_size=101)


def test_messages_that_name_what_the_user_gave(tmp_path: Path) -> None:
    (tmp_path / "empty").mkdir()
    for command in (["synth", tmp_path / "empty", "-n", "2", "-o", tmp_path / "out", "--no-progress"],
                    ["compile", tmp_path / "empty", "-n", "2", "-o", tmp_path / "x.jsonl"]):
        result = invoke(*command)
        assert result.exit_code == 1 and f"error: no .writ files under {tmp_path / 'empty'}" in result.output
        assert "the specs" not in result.output
    one_task = REPO / "specs" / "airline" / "book_fastest_business.writ"
    assert invoke("graph", one_task, "--instance", "1").exit_code == 0
    many = invoke("graph", REPO / "specs" / "airline", "--instance", "1")
    assert many.exit_code == 2 and "--instance needs one task: FILE:TASK (" in many.output and " tasks)" in many.output
    spec = tmp_path / "kiosk.writ"
    spec.write_text("env kiosk\n")
    assert "found with --env-path FOLDER or $WRIT_ENV_PATH" in invoke("check", spec).output
