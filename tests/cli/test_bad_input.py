"""Mistakes in what a user gives the CLI end as a clear error and exit 1, never a traceback or lost data."""

import json
from pathlib import Path

import pytest
from click.testing import CliRunner

from writ_dsl.cli import main
from writ_dsl.compiler.evaluate import Evaluator
from writ_dsl.env.generic import evaluate_arithmetic
from writ_dsl.env.core import ToolError
from writ_dsl.lang.parser import parse_text

REPO = Path(__file__).resolve().parents[2]
SPECS = REPO / "specs"
SIMPLE = SPECS / "retail" / "cancel_pending_order.writ"
TAU2_AIRLINE = REPO.parent / "shared" / "data" / "tau2-airline-db.json"


def invoke(*args: str):
    result = CliRunner().invoke(main, [str(a) for a in args])
    assert "Traceback" not in result.output
    return result


def test_a_broken_environment_folder_is_a_located_error(tmp_path):
    (tmp_path / "envs" / "shop").mkdir(parents=True)
    (tmp_path / "envs" / "shop" / "__init__.py").write_text('raise RuntimeError("boom")\n')
    (tmp_path / "s.writ").write_text('env shop\ntask t { title "x" }\n')
    result = invoke("compile", tmp_path / "s.writ", "--env-path", tmp_path / "envs")
    assert result.exit_code == 1
    assert "s.writ:1:5: error: environment 'shop' cannot be loaded" in result.output
    assert "RuntimeError: boom" in result.output


def test_an_output_folder_that_cannot_be_created_is_an_error(tmp_path):
    (tmp_path / "file").write_text("")
    result = invoke("synth", SIMPLE, "-n", "1", "-o", tmp_path / "file" / "out", "--no-progress")
    assert result.exit_code == 1 and "writ: error:" in result.output


def test_synth_into_a_folder_of_another_run_changes_nothing(tmp_path):
    out = tmp_path / "out"
    assert invoke("synth", SIMPLE, "-n", "2", "-o", out, "--no-progress").exit_code == 0
    before = {p.name: p.read_bytes() for p in out.iterdir() if p.is_file() and p.suffix != ".lock"}
    result = invoke("synth", SIMPLE, "-n", "3", "-o", out, "--no-progress")
    assert result.exit_code == 1 and "holds another synthesis" in result.output
    after = {p.name: p.read_bytes() for p in out.iterdir() if p.is_file() and p.suffix != ".lock"}
    assert after == before


def test_a_relative_database_path_is_recorded_absolute(tmp_path, monkeypatch):
    database = tmp_path / "db.json"
    assert invoke("env", "db", "retail", "-o", database).exit_code == 0
    monkeypatch.chdir(tmp_path)
    assert invoke("compile", SIMPLE, "--db", "db.json", "-o", "tasks.jsonl").exit_code == 0
    task = json.loads((tmp_path / "tasks.jsonl").read_text().splitlines()[0])
    assert task["db"]["path"] == str(database.resolve())


def test_a_task_line_with_an_impossible_database_size_is_a_located_error(tmp_path):
    assert invoke("compile", SIMPLE, "-o", tmp_path / "t.jsonl").exit_code == 0
    task = json.loads((tmp_path / "t.jsonl").read_text())
    task["db"]["size"] = -5
    (tmp_path / "bad.jsonl").write_text(json.dumps(task) + "\n")
    result = invoke("run", tmp_path / "bad.jsonl", "-o", tmp_path / "run")
    assert result.exit_code == 1 and "bad.jsonl:1" in result.output


def test_failed_dialogues_make_run_exit_1(tmp_path):
    assert invoke("compile", SIMPLE, "-n", "2", "-o", tmp_path / "t.jsonl").exit_code == 0
    result = invoke("run", tmp_path / "t.jsonl", "-o", tmp_path / "run", "--agent", "llm", "--model", "m",
                    "--api-key", "k", "--base-url", "http://127.0.0.1:9/v1", "--max-retries", "0",
                    "--timeout", "1", "--no-progress")
    assert result.exit_code == 1 and "2 dialogue(s) failed" in result.output
    rejects = (tmp_path / "run" / "rejects.jsonl").read_text().splitlines()
    assert [json.loads(r)["reason"] for r in rejects] == ["endpoint-unavailable"] * 2


@pytest.mark.parametrize("line, message", [("[1]", "expected a JSON object"),
                                           ('{"messages": 5}', "field 'messages' must be a JSON list")])
def test_stats_on_malformed_trajectories_is_a_located_error(tmp_path, line, message):
    assert invoke("compile", SIMPLE, "-o", tmp_path / "tasks.jsonl").exit_code == 0
    (tmp_path / "trajectories.jsonl").write_text(line + "\n")
    result = invoke("stats", tmp_path, "--no-plots")
    assert result.exit_code == 1 and f"trajectories.jsonl:1: {message}" in result.output


def test_deeply_nested_arithmetic_is_a_tool_error():
    with pytest.raises(ToolError):
        evaluate_arithmetic("2*" * 3000 + "2")


def test_a_schema_field_a_record_omits_reads_as_null_but_typos_still_fail():
    module, _ = parse_text("let a = r.status\nlet b = r.statsu\n", "x.writ")
    status, typo = (item.value for item in module.items)
    evaluator = Evaluator(optional_fields=frozenset({"status"}))
    assert evaluator.eval(status, {"r": {"id": 1}}) is None
    with pytest.raises(Exception, match="no field 'statsu'"):
        evaluator.eval(typo, {"r": {"id": 1}})


@pytest.mark.shared
@pytest.mark.skipif(not TAU2_AIRLINE.is_file(), reason="τ²-bench airline database not available")
def test_every_airline_template_compiles_on_the_tau2_airline_database(tmp_path):
    result = invoke("compile", SPECS / "airline", "--db", TAU2_AIRLINE, "--per-task", "2", "-o", tmp_path / "a.jsonl")
    assert result.exit_code == 0, result.output
    tasks = [json.loads(line) for line in (tmp_path / "a.jsonl").read_text().splitlines()]
    assert len({t["task"] for t in tasks}) == len(list((SPECS / "airline").glob("*.writ")))


def test_a_policy_that_cannot_be_read_stops_the_run_before_any_dialogue(tmp_path):
    assert invoke("compile", SIMPLE, "-n", "2", "-o", tmp_path / "tasks.jsonl").exit_code == 0
    missing = tmp_path / "no-such-policy.md"
    result = invoke("run", tmp_path / "tasks.jsonl", "-o", tmp_path / "out", "--policy", missing, "--no-progress")
    assert result.exit_code == 1
    assert f"writ: error: --policy {missing}: {missing}: cannot read" in result.output
    assert not (tmp_path / "out").exists()
    policy = tmp_path / "policy.md"
    policy.write_text("Be kind.\n")
    result = invoke("run", tmp_path / "tasks.jsonl", "-o", tmp_path / "out", "--policy", policy, "--no-progress")
    assert result.exit_code == 0, result.output
    first = json.loads((tmp_path / "out" / "trajectories.jsonl").read_text().splitlines()[0])
    assert "<policy>\nBe kind.\n</policy>" in first["messages"][0]["content"]


def test_sizes_that_would_exhaust_the_machine_are_refused_at_once(tmp_path):
    result = invoke("synth", SIMPLE, "-n", "1", "--db-size", "1000000000", "-o", tmp_path / "a", "--no-progress")
    assert result.exit_code == 2 and "1000000000 is not in the range 1<=x<=100" in result.output
    assert invoke("compile", SIMPLE, "-n", "1", "-o", tmp_path / "tasks.jsonl").exit_code == 0
    result = invoke("run", tmp_path / "tasks.jsonl", "-o", tmp_path / "b", "--attempts", "99999999999999999999")
    assert result.exit_code == 2 and "is not in the range 1<=x<=1000" in result.output
    line = json.loads((tmp_path / "tasks.jsonl").read_text())
    line["db"] = {**line["db"], "source": "generated", "size": 10**12, "path": None}
    (tmp_path / "big.jsonl").write_text(json.dumps(line) + "\n")
    result = invoke("run", tmp_path / "big.jsonl", "-o", tmp_path / "c")
    assert result.exit_code == 1 and "big.jsonl:1: not a compiled task (db.size:" in result.output


@pytest.mark.parametrize("flag,value", [("--temperature", "nan"), ("--temperature", "inf"), ("--top-p", "nan"),
                                        ("--timeout", "nan"), ("--timeout", "inf")])
def test_a_sampling_or_timeout_value_that_is_not_a_finite_number_is_refused(tmp_path, flag, value):
    assert invoke("compile", SIMPLE, "-n", "1", "-o", tmp_path / "tasks.jsonl").exit_code == 0
    result = invoke("run", tmp_path / "tasks.jsonl", "-o", tmp_path / "out", "--agent", "llm", "--model", "m",
                    "--base-url", "http://127.0.0.1:9/v1", flag, value, "--no-progress")
    assert result.exit_code == 1 and f"{flag} must be a finite number" in result.output, result.output
    assert not (tmp_path / "out").exists()


def test_compile_refuses_to_write_over_a_spec_it_reads(tmp_path):
    spec = tmp_path / "t.writ"
    spec.write_text(SIMPLE.read_text())
    for target in (spec, tmp_path):
        result = invoke("compile", target, "-n", "1", "-o", spec)
        assert result.exit_code == 2 and "is one of the specs being compiled" in result.output
    assert spec.read_text() == SIMPLE.read_text()


def test_a_database_that_is_a_folder_is_called_a_folder(tmp_path):
    result = invoke("compile", SIMPLE, "-n", "1", "--db", tmp_path, "-o", tmp_path / "t.jsonl")
    assert result.exit_code == 2 and "is a folder; give a database JSON file" in result.output


def test_a_folder_refused_for_its_files_is_left_as_it_was(tmp_path):
    (tmp_path / "notes.txt").write_text("mine\n")
    result = invoke("synth", SIMPLE, "-n", "1", "-o", tmp_path, "--no-progress")
    assert result.exit_code == 1 and "is not empty and holds no writ run (notes.txt)" in result.output
    assert sorted(p.name for p in tmp_path.iterdir()) == ["notes.txt"]
