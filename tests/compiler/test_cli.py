"""writ compile, writ graph, writ schema task, writ export tau2: exit codes, outputs, diagnostics."""

from __future__ import annotations

import json

import pytest
from click.testing import CliRunner

from writ_dsl.cli import main
from writ_dsl.exports.tau2_tasks import to_tau2
from writ_dsl.io import read_tasks
from writ_dsl.compiler.model import CompiledTask
from writ_dsl.errors import InputError

from .helpers import FAKE_ENVS, SPECS, write_spec
from .test_compile import CHEAPEST_LAMP


def run(*args: str) -> object:
    return CliRunner().invoke(main, list(args), catch_exceptions=False)


@pytest.fixture()
def lamp_spec(tmp_path):
    return write_spec(tmp_path / "lib", CHEAPEST_LAMP)


def test_compile_writes_jsonl_and_prints_a_summary(lamp_spec, tmp_path):
    out = tmp_path / "tasks.jsonl"
    result = run("compile", str(lamp_spec), "-n", "3", "-o", str(out), "--env-path", FAKE_ENVS)
    assert result.exit_code == 0, result.stderr
    lines = out.read_text().splitlines()
    assert len(lines) == 3 and all(CompiledTask.model_validate_json(line) for line in lines)
    assert "cheapest_lamp" in result.stderr and "3/3" in result.stderr


def test_compile_to_stdout_and_rejections_in_the_summary(tmp_path):
    spec = write_spec(tmp_path / "lib", """env shop
task ties {
  param category = one of ["lamp", "chair"]
  let best = argmin(db.items where it.category == category, by = it.price)
  tell best.item_id
  user { reason "r" wants "w" }
}
""")
    result = run("compile", str(spec), "-n", "4", "--env-path", FAKE_ENVS)
    assert result.exit_code == 0
    assert len(result.stdout.splitlines()) == 4
    assert "tie" in result.stderr


def test_compile_errors_are_located_diagnostics_and_exit_1(tmp_path):
    spec = write_spec(tmp_path / "lib", 'env shop\ntask t {\n  let a = nope + 1\n  user { reason "r" wants "w" }\n}\n')
    out = tmp_path / "out.jsonl"
    result = run("compile", str(spec), "-o", str(out), "--env-path", FAKE_ENVS)
    assert result.exit_code == 1 and not out.exists()
    assert "lib/task.writ:3:11: error: 'nope' is not defined" in result.stderr
    assert "      let a = nope + 1" in result.stderr and "^~~~" in result.stderr
    assert "Traceback" not in result.stderr


def test_threshold_options(lamp_spec):
    result = run("compile", str(lamp_spec), "--read-heavy-burden", "2", "--env-path", FAKE_ENVS)
    assert CompiledTask.model_validate_json(result.stdout).metrics.trajectory_type == "read-heavy"


def test_unwritable_output_is_an_error_without_traceback(lamp_spec, tmp_path):
    result = run("compile", str(lamp_spec), "-o", str(tmp_path / "no" / "such" / "t.jsonl"), "--env-path", FAKE_ENVS)
    assert result.exit_code == 1 and "cannot write" in result.stderr


def test_task_selection_and_unknown_task(lamp_spec):
    assert run("compile", str(lamp_spec), "--task", "cheapest_lamp", "--env-path", FAKE_ENVS).exit_code == 0
    result = run("compile", str(lamp_spec), "--task", "nope", "--env-path", FAKE_ENVS)
    assert result.exit_code == 1 and "no task named 'nope'" in result.stderr


def test_folder_without_specs_is_an_error(tmp_path):
    result = run("compile", str(tmp_path))
    assert result.exit_code == 1 and "no .writ files under" in result.stderr


def test_syntax_errors_exit_1(tmp_path):
    spec = write_spec(tmp_path / "lib", "env shop\ntask t {\n  let = 1\n}\n")
    result = run("compile", str(spec), "--env-path", FAKE_ENVS)
    assert result.exit_code == 1 and "[syntax]" in result.stderr


def test_compile_with_a_database_file(lamp_spec, tmp_path):
    from fake_envs.shop import generate

    data = generate()
    data["items"]["i2"]["stock"] = 0
    db = tmp_path / "db.json"
    db.write_text(json.dumps(data))
    result = run("compile", str(lamp_spec), "--db", str(db), "--env-path", FAKE_ENVS)
    assert result.exit_code == 0, result.stderr
    task = CompiledTask.model_validate_json(result.stdout)
    assert task.db.source == "file" and task.gold_actions[0].arguments["item_id"] == "i0"


def test_malformed_database_file_is_an_input_error(lamp_spec, tmp_path):
    db = tmp_path / "db.json"
    db.write_text("[1, 2]")
    result = run("compile", str(lamp_spec), "--db", str(db), "--env-path", FAKE_ENVS)
    assert result.exit_code == 1 and "expected a JSON object of tables" in result.stderr


def test_schema_task_prints_the_model_schema():
    result = run("schema", "task")
    assert result.exit_code == 0
    assert json.loads(result.stdout) == CompiledTask.model_json_schema()


def test_export_tau2(lamp_spec, tmp_path):
    tasks, out = tmp_path / "tasks.jsonl", tmp_path / "tau2.json"
    assert run("compile", str(lamp_spec), "-n", "2", "-o", str(tasks), "--env-path", FAKE_ENVS).exit_code == 0
    result = run("export", "tau2", str(tasks), "-o", str(out))
    assert result.exit_code == 0 and "wrote 2 tasks" in result.stderr
    exported = json.loads(out.read_text())
    first, compiled = exported[0], read_tasks(tasks)[0]
    assert first == to_tau2(compiled)
    assert set(first) == {"id", "description", "user_scenario", "evaluation_criteria"}
    criteria = first["evaluation_criteria"]
    assert criteria["actions"] == [{"action_id": "write:1", "name": "buy", "requestor": "assistant",
                                    "arguments": compiled.gold_actions[0].arguments}]
    assert criteria["communicate_info"] == ["25.00"] and criteria["reward_basis"] == ["DB", "COMMUNICATE"]
    assert criteria["env_assertions"] == [] and criteria["nl_assertions"] == []
    instructions = first["user_scenario"]["instructions"]
    assert instructions["domain"] == "shop" and instructions["known_info"] == compiled.user_scenario.known_info
    assert set(first["description"]) == {"purpose", "relevant_policies", "notes"}


def test_export_reports_the_malformed_line(lamp_spec, tmp_path):
    tasks = tmp_path / "tasks.jsonl"
    run("compile", str(lamp_spec), "-n", "2", "-o", str(tasks), "--env-path", FAKE_ENVS)
    lines = tasks.read_text().splitlines()
    tasks.write_text(lines[0] + "\n\n{not json\n" + lines[1] + "\n")
    result = run("export", "tau2", str(tasks), "-o", str(tmp_path / "x.json"))
    assert result.exit_code == 1 and f"{tasks}:3: not a compiled task" in result.stderr
    tasks.write_text('{"id": "x"}\n')
    with pytest.raises(InputError, match=r":1: not a compiled task \(spec_path: Field required\)"):
        read_tasks(tasks)


def test_graph_command_formats_and_task_selection():
    path = SPECS / "airline" / "book_fastest_business.writ"
    text = run("graph", f"{path}:book_fastest_business")
    assert text.exit_code == 0 and text.stdout.startswith("task book_fastest_business")
    dot = run("graph", str(path), "--format", "dot")
    assert dot.exit_code == 0 and dot.stdout.startswith('digraph "book_fastest_business"')
    mermaid = run("graph", str(path), "--format", "mermaid")
    assert mermaid.exit_code == 0 and mermaid.stdout.startswith("flowchart TD")
    missing = run("graph", f"{path}:nope")
    assert missing.exit_code == 1 and "no task named 'nope'" in missing.stderr
    folder = run("graph", str(path.parent), "--format", "mermaid")  # many tasks: still one Mermaid diagram
    tasks = len(list(path.parent.glob("*.writ")))
    assert folder.exit_code == 0 and folder.stdout.count("flowchart TD") == 1
    assert folder.stdout.count("  subgraph t") == tasks == folder.stdout.count("\n  end\n") > 1
    keys = [line.split("[", 1)[0].strip() for line in folder.stdout.splitlines()
            if '["' in line and "subgraph" not in line]
    assert len(keys) == len(set(keys))  # node keys do not collide between tasks


def test_graph_of_a_missing_file_is_a_usage_error(tmp_path):
    assert run("graph", str(tmp_path / "absent.writ")).exit_code == 2
