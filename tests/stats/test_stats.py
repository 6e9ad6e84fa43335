import json
from pathlib import Path

from click.testing import CliRunner

from writ_dsl.cli import main
from writ_dsl.stats import collect


def _task(task_id: str, env: str, kind: str, burdens: list[int]) -> dict:
    return {"id": task_id, "env": env,
            "metrics": {"writes": len(burdens), "evidence_burden": burdens, "trajectory_type": kind}}


def _write_jsonl(path: Path, rows: list[dict]) -> None:
    path.write_text("".join(json.dumps(r) + "\n" for r in rows))


def _output_folder(tmp_path: Path) -> Path:
    tasks = [_task("a", "airline", "read-heavy", [9]), _task("b", "retail", "write-intensive", [1, 2, 2]),
             _task("c", "retail", "normal", [1])]
    _write_jsonl(tmp_path / "tasks.jsonl", tasks)
    _write_jsonl(tmp_path / "trajectories.jsonl", [
        {"task_id": "a", "messages": [{}] * 12}, {"task_id": "b", "messages": [{}] * 20}])
    _write_jsonl(tmp_path / "rejects.jsonl", [{"task_id": "c", "status": "rejected", "reason": "hash-mismatch: x"}])
    (tmp_path / "compile_summary.json").write_text(json.dumps({"rejections": {"tie": 4}}))
    return tmp_path


def test_tasks_file_counts_by_domain_type_and_burden(tmp_path):
    tasks = [_task("a", "airline", "read-heavy", [9]), _task("b", "airline", "normal", [1])]
    _write_jsonl(tmp_path / "tasks.jsonl", tasks)
    stats = collect(tmp_path / "tasks.jsonl")
    assert stats.unit == "tasks"
    assert stats.by_domain_type == {("airline", "read-heavy"): 1, ("airline", "normal"): 1}
    assert stats.burden_per_write == {9: 1, 1: 1}


def test_output_folder_counts_verified_trajectories_and_all_rejections(tmp_path):
    stats = collect(_output_folder(tmp_path))
    assert stats.unit == "trajectories"
    assert stats.total == 2
    assert stats.writes_per_task == {1: 1, 3: 1}
    assert stats.burden_per_write == {9: 1, 1: 1, 2: 2}
    assert stats.dialogue_lengths == {12: 1, 20: 1}
    assert stats.rejections == {"compile: tie": 4, "run: rejected: hash-mismatch": 1}


def test_cli_prints_tables_and_writes_plot_images(tmp_path):
    folder = _output_folder(tmp_path)
    result = CliRunner().invoke(main, ["stats", str(folder)])
    assert result.exit_code == 0, result.output
    assert "by domain and trajectory type" in result.output
    assert "hash-mismatch" in result.output
    for name in ("types", "writes_per_task", "evidence_burden", "dialogue_lengths"):
        assert (folder / "plots" / f"{name}.png").read_bytes().startswith(b"\x89PNG")


def test_svg_plots_are_byte_identical_across_runs(tmp_path):
    folder = _output_folder(tmp_path)
    outputs = []
    for target in ("p1", "p2"):
        result = CliRunner().invoke(main, ["stats", str(folder), "--plots", str(tmp_path / target),
                                           "--plot-format", "svg", "--json"])
        assert result.exit_code == 0, result.output
        outputs.append((tmp_path / target / "types.svg").read_bytes())
    assert outputs[0] == outputs[1]


def test_malformed_line_is_a_located_error_without_traceback(tmp_path):
    (tmp_path / "tasks.jsonl").write_text('{"id": "a"}\nnot json\n')
    result = CliRunner().invoke(main, ["stats", str(tmp_path / "tasks.jsonl"), "--no-plots"])
    assert result.exit_code == 1
    assert "tasks.jsonl:2" in result.output
    assert "Traceback" not in result.output
