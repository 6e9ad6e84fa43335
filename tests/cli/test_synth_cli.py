import json
from pathlib import Path

from click.testing import CliRunner

from writ_dsl.cli import main

REPO = Path(__file__).resolve().parents[2]
SPECS = REPO / "specs"
OUTPUTS = ("tasks.jsonl", "compile_summary.json", "tau2_tasks.json", "trajectories.jsonl",
           "rejects.jsonl", "simulations.json", "summary.json")


def _synth(out: Path, *extra: str):
    args = ["synth", str(SPECS / "airline"), str(SPECS / "retail"), "-n", "12", "--seed", "3",
            "-o", str(out), "--no-progress", *extra]
    return CliRunner().invoke(main, args)


def _read(out: Path) -> dict[str, bytes]:
    return {name: (out / name).read_bytes() for name in OUTPUTS}


def test_synth_leaves_verified_trajectories_in_openai_chat_format(tmp_path):
    result = _synth(tmp_path / "out")
    assert result.exit_code == 0, result.output
    rows = [json.loads(line) for line in (tmp_path / "out" / "trajectories.jsonl").read_text().splitlines()]
    assert len(rows) == 12
    assert {row["domain"] for row in rows} == {"airline", "retail"}
    tasks = {json.loads(line)["id"] for line in (tmp_path / "out" / "tasks.jsonl").read_text().splitlines()}
    assert {row["task_id"] for row in rows} == tasks
    for row in rows:
        assert row["has_user_script"] is True and row["tools"][0]["type"] == "function"
        assert row["messages"][0]["role"] == "system"
        calls = [c for m in row["messages"] if m["role"] == "assistant" for c in m.get("tool_calls") or []]
        answered = {m["tool_call_id"] for m in row["messages"] if m["role"] == "tool"}
        assert calls and {c["id"] for c in calls} == answered


def test_synth_spreads_the_count_over_tasks_and_records_the_compile_summary(tmp_path):
    assert _synth(tmp_path / "out").exit_code == 0
    summary = json.loads((tmp_path / "out" / "compile_summary.json").read_text())
    wanted = [task["wanted"] for task in summary["tasks"]]
    assert sum(wanted) == summary["produced"] == 12 and max(wanted) - min(wanted) <= 1
    tau2 = json.loads((tmp_path / "out" / "tau2_tasks.json").read_text())
    assert len(tau2) == 12 and all(t["evaluation_criteria"]["actions"] for t in tau2)


def test_synth_is_deterministic_and_a_rerun_resumes_without_changes(tmp_path):
    assert _synth(tmp_path / "a").exit_code == 0
    assert _synth(tmp_path / "b").exit_code == 0
    first = _read(tmp_path / "a")
    assert first == _read(tmp_path / "b")
    again = _synth(tmp_path / "a")
    assert again.exit_code == 0 and "0 run now" in again.output
    assert _read(tmp_path / "a") == first


def test_synth_on_a_broken_spec_reports_it_and_exits_1(tmp_path):
    (tmp_path / "bad.writ").write_text("env airline\ntask t {\n  read x = no_such_tool()\n}\n")
    result = CliRunner().invoke(main, ["synth", str(tmp_path / "bad.writ"), "-o", str(tmp_path / "out")])
    assert result.exit_code == 1
    assert "bad.writ:3:" in result.output and "Traceback" not in result.output
    assert not (tmp_path / "out" / "trajectories.jsonl").exists()
