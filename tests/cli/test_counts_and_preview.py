"""One meaning of -n (instances in all) in compile and synth, --per-task, the dry run, and compile progress."""

from __future__ import annotations

import io
import json
from pathlib import Path

from click.testing import CliRunner

from writ_dsl.cli import main
from writ_dsl.api import compile_paths
from writ_dsl.compiler.compile import CompileOptions
from writ_dsl.compiler.progress import CompileProgress

SPECS = Path(__file__).resolve().parents[2] / "specs"


def invoke(*args: object):
    return CliRunner().invoke(main, [str(a) for a in args])


def _tasks(path: Path) -> list[dict]:
    return [json.loads(line) for line in path.read_text().splitlines()]


def test_compile_n_counts_instances_in_all_and_per_task_counts_each(tmp_path):
    assert invoke("compile", SPECS / "retail", "-n", "5", "-o", tmp_path / "a.jsonl").exit_code == 0
    assert len(_tasks(tmp_path / "a.jsonl")) == 5
    assert invoke("compile", SPECS / "retail", "--task", "cancel_pending_order", "--task", "change_pending_item",
                  "--per-task", "2", "-o", tmp_path / "b.jsonl").exit_code == 0
    rows = _tasks(tmp_path / "b.jsonl")
    assert sorted(r["task"] for r in rows) == ["cancel_pending_order"] * 2 + ["change_pending_item"] * 2


def test_n_and_per_task_together_are_refused_clearly(tmp_path):
    for command in ("compile", "synth"):
        result = invoke(command, SPECS / "retail", "-n", "5", "--per-task", "2", "-o", tmp_path / "x")
        assert result.exit_code == 2 and "not both" in result.output


def test_synth_dry_run_prints_the_spread_and_writes_nothing(tmp_path):
    result = invoke("synth", SPECS, "-n", "40", "--dry-run", "-o", tmp_path / "out")
    assert result.exit_code == 0, result.output
    templates = len([*SPECS.glob("airline/*.writ"), *SPECS.glob("retail/*.writ")])  # one task each
    assert f"40 instances over {templates} templates" in result.stdout and "book_fastest_business" in result.stdout
    assert not (tmp_path / "out").exists()
    assert invoke("synth", SPECS, "-n", "40", "--dry-run").exit_code == 0
    missing = invoke("synth", SPECS, "-n", "40")
    assert missing.exit_code == 2 and "Missing option '-o'" in missing.output


def test_synth_dry_run_reports_spec_errors(tmp_path):
    (tmp_path / "bad.writ").write_text("env airline\ntask t {\n  read x = no_such_tool()\n}\n")
    result = invoke("synth", tmp_path, "--dry-run", "-o", tmp_path / "out")
    assert result.exit_code == 1 and "no_such_tool" in result.output


def test_compile_progress_is_plain_lines_off_a_terminal(tmp_path):
    result = invoke("compile", SPECS / "retail", "-n", "3", "-o", tmp_path / "a.jsonl")
    lines = [line for line in result.stderr.splitlines() if line.startswith("compile: ")]
    assert [line.split()[1] for line in lines] == ["1/3", "2/3", "3/3"]
    quiet = invoke("compile", SPECS / "retail", "-n", "3", "-o", tmp_path / "b.jsonl", "--no-progress")
    assert "compile: " not in quiet.stderr


def test_compile_progress_draws_a_bar_on_a_terminal():
    class Terminal(io.StringIO):
        def isatty(self) -> bool:
            return True

    stream = Terminal()
    with CompileProgress(stream=stream) as progress:
        result = compile_paths([SPECS / "retail"], CompileOptions(total=4, progress=progress))
    assert len(result.tasks) == 4 and progress.done == progress.total == 4
    assert "compile" in stream.getvalue() and "compile: " not in stream.getvalue()


def test_a_missing_task_in_a_whole_library_is_one_short_line(tmp_path):
    result = invoke("compile", SPECS, "--task", "nosuch", "-o", tmp_path / "t.jsonl")
    files = len(list(SPECS.rglob("*.writ")))
    assert result.exit_code == 1
    assert result.stderr.strip().endswith(f"error: no task named 'nosuch' in the {files} spec files given "
                                          "[task-not-found]")
    assert len(result.stderr) < 200


def test_graph_instance_is_bounded(tmp_path):
    result = invoke("graph", f"{SPECS / 'retail' / 'cancel_pending_order.writ'}:cancel_pending_order", "--instance",
                    "100000000000000000000")
    assert result.exit_code == 2 and "100000000000000000000 is not in the range 0<=x<=9999" in result.output
