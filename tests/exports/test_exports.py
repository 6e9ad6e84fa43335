"""Every export format against its golden files in tests/exports/<format>/, plus what each format promises.

Regenerate after an intended change with ``WRIT_UPDATE_GOLDEN=1 .venv/bin/pytest tests/exports`` and review the diff.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from click.testing import CliRunner

from writ_dsl.cli import main
from writ_dsl.errors import InputError
from writ_dsl.exports import FORMATS, ExportOptions, export_run
from writ_dsl.exports.hf import validation_templates

from .conftest import HERE


def _export(fmt: str, run: Path, out: Path, *extra: str):
    return CliRunner().invoke(main, ["export", fmt, str(run), "-o", str(out), *extra])


def _folder_text(out: Path) -> str:
    return "".join(f"== {p.relative_to(out).as_posix()}\n{p.read_text(encoding='utf-8')}"
                   for p in sorted(out.rglob("*")) if p.is_file() and p.suffix != ".parquet")


@pytest.mark.parametrize("fmt", ["openai", "sharegpt", "trl", "tau2-tasks"])
def test_file_formats_match_their_golden_files(fmt, desk_run, tmp_path, golden):
    out = tmp_path / "out"
    result = _export(fmt, desk_run, out)
    assert result.exit_code == 0, result.output
    golden(f"{fmt}/out.{'json' if fmt == 'tau2-tasks' else 'jsonl'}", out.read_text(encoding="utf-8"))


def test_openai_export_is_the_run_folders_trajectories(desk_run, tmp_path):
    assert export_run("openai", desk_run, tmp_path / "o.jsonl") == 5
    assert (tmp_path / "o.jsonl").read_bytes() == (desk_run / "trajectories.jsonl").read_bytes()


def test_trl_tool_call_arguments_are_objects(desk_run, tmp_path):
    export_run("trl", desk_run, tmp_path / "t.jsonl")
    rows = [json.loads(line) for line in (tmp_path / "t.jsonl").read_text().splitlines()]
    calls = [c for row in rows for m in row["messages"] for c in m.get("tool_calls") or []]
    assert calls and all(isinstance(c["function"]["arguments"], dict) for c in calls)
    assert {"name": "get_user", "arguments": {"user_id": "u0"}}.items() <= calls[1]["function"].items()


def test_sharegpt_turns_alternate_as_llama_factory_requires(desk_run, tmp_path):
    export_run("sharegpt", desk_run, tmp_path / "s.jsonl")
    for line in (tmp_path / "s.jsonl").read_text().splitlines():
        turns = json.loads(line)["conversations"]
        for i, turn in enumerate(turns):
            assert turn["from"] in (("human", "observation") if i % 2 == 0 else ("gpt", "function_call"))
        assert any(t["from"] == "function_call" for t in turns)


def test_tau2_results_golden_and_shape(desk_run, tmp_path, golden):
    out = tmp_path / "results"
    result = _export("tau2-results", desk_run, out)
    assert result.exit_code == 0, result.output
    golden("tau2-results/out.txt", _folder_text(out))
    data = json.loads((out / "desk.json").read_text())
    assert set(data) == {"timestamp", "info", "tasks", "simulations"}
    assert len(data["tasks"]) == len(data["simulations"]) == 6
    rewards = sorted(s["reward_info"]["reward"] for s in data["simulations"])
    assert rewards == [0.0, 1.0, 1.0, 1.0, 1.0, 1.0]
    assert data["info"]["environment_info"]["policy"].startswith("# Desk policy")


@pytest.mark.tau2
def test_tau2_bench_loads_the_results_with_its_own_models(desk_run, tmp_path):
    simulation = pytest.importorskip("tau2.data_model.simulation")
    export_run("tau2-results", desk_run, tmp_path / "r")
    results = simulation.Results.load(tmp_path / "r" / "desk.json")
    assert len(results.simulations) == 6 and results.info.environment_info.domain_name == "desk"
    assert {t.id for t in results.tasks} == {s.task_id for s in results.simulations}


def test_hf_split_keeps_each_template_on_one_side(desk_run, tmp_path, golden):
    pytest.importorskip("pyarrow")
    from writ_dsl.exports.hf import read_rows

    out = tmp_path / "hf"
    result = _export("hf", desk_run, out, "--validation-share", "0.3")
    assert result.exit_code == 0, result.output
    rows = list(read_rows(out))
    sides = {}
    for split, row in rows:
        sides.setdefault(row["template"], set()).add(split)
    assert all(len(s) == 1 for s in sides.values()) and {"train", "validation"} == set().union(*sides.values())
    shown = [{"split": split, **row} for split, row in rows]
    golden("hf/out.txt", _folder_text(out) + json.dumps(shown, indent=1, ensure_ascii=False) + "\n")


def test_hf_export_loads_as_a_datasets_dataset(desk_run, tmp_path):
    datasets = pytest.importorskip("datasets")
    export_run("hf", desk_run, tmp_path / "hf", ExportOptions(validation_share=0.3))
    loaded = datasets.load_dataset(str(tmp_path / "hf"), cache_dir=str(tmp_path / "cache"))
    assert set(loaded) == {"train", "validation"}
    assert loaded["train"].num_rows + loaded["validation"].num_rows == 5
    assert not set(loaded["train"]["template"]) & set(loaded["validation"]["template"])


def test_an_hf_export_without_validation_has_no_validation_split(desk_run, tmp_path):
    out = tmp_path / "hf"
    export_run("hf", desk_run, out, ExportOptions(validation_share=0.3))
    assert export_run("hf", desk_run, out, ExportOptions(validation_share=0)) == 5  # over the one with both
    assert sorted(p.name for p in (out / "data").iterdir()) == ["train-00000-of-00001.parquet"]
    assert "validation" not in (out / "README.md").read_text()
    datasets = pytest.importorskip("datasets")
    loaded = datasets.load_dataset(str(out), cache_dir=str(tmp_path / "cache"))
    assert set(loaded) == {"train"} and loaded["train"].num_rows == 5


def test_validation_templates_are_a_seeded_share_and_never_everything():
    names = [f"t{i}" for i in range(20)]
    held = validation_templates(names, ExportOptions(validation_share=0.1, seed=0))
    assert len(held) == 2 and held == validation_templates(reversed(names), ExportOptions(0.1, 0))
    assert held != validation_templates(names, ExportOptions(0.1, 1))
    assert len(validation_templates(["a", "b"], ExportOptions(0.9))) == 1
    assert validation_templates(["a"], ExportOptions(0.5)) == set()


def test_exports_refuse_what_is_not_a_run(tmp_path):
    (tmp_path / "empty").mkdir()
    with pytest.raises(InputError, match="not a run folder"):
        export_run("openai", tmp_path / "empty", tmp_path / "o.jsonl")
    result = _export("trl", tmp_path / "empty", tmp_path / "o.jsonl")
    assert result.exit_code == 1 and "not a run folder" in result.output


def test_exports_are_byte_stable(desk_run, tmp_path):
    for fmt in FORMATS:
        if fmt == "hf":
            continue
        export_run(fmt, desk_run, tmp_path / f"{fmt}-a")
        export_run(fmt, desk_run, tmp_path / f"{fmt}-b")
        a, b = tmp_path / f"{fmt}-a", tmp_path / f"{fmt}-b"
        assert (_folder_text(a) == _folder_text(b)) if a.is_dir() else a.read_bytes() == b.read_bytes()


def test_every_format_has_a_golden_folder():
    assert {p.name for p in HERE.iterdir() if p.is_dir() and not p.name.startswith("__")} >= set(FORMATS)


def test_an_export_never_overwrites_what_it_reads(desk_run, tmp_path):
    import shutil

    run = tmp_path / "run"
    shutil.copytree(desk_run, run)
    before = {p.name: p.read_bytes() for p in run.iterdir() if p.is_file()}
    for fmt, out in (("openai", run / "run.sqlite"), ("trl", run / "trajectories.jsonl"), ("hf", run)):
        result = _export(fmt, run, out)
        assert result.exit_code == 1 and "would overwrite what the export reads" in result.output, result.output
    result = _export("tau2-tasks", run / "tasks.jsonl", run / "tasks.jsonl")
    assert result.exit_code == 1 and "would overwrite what the export reads" in result.output
    assert {p.name: p.read_bytes() for p in run.iterdir() if p.is_file()} == before
    assert _export("openai", run, run / "train.jsonl").exit_code == 0  # a new file beside them is fine


def test_an_export_of_a_run_still_going_says_so(desk_run, tmp_path):
    import shutil

    from writ_dsl.runner.store import lock_folder

    run = tmp_path / "run"
    shutil.copytree(desk_run, run)
    assert "still writing" not in _export("openai", run, tmp_path / "a.jsonl").output
    with lock_folder(run):  # as a run holds its folder
        result = _export("openai", run, tmp_path / "b.jsonl")
    assert result.exit_code == 0 and f"a run is still writing into {run}" in result.output
    assert "still writing" not in _export("openai", run, tmp_path / "c.jsonl").output


@pytest.fixture
def read_only_run(desk_run, read_only_copy):
    return read_only_copy(desk_run)


def test_a_finished_run_on_read_only_storage_exports_and_views_the_same(read_only_run, desk_run, tmp_path):
    assert not os_writable(read_only_run)
    for fmt in FORMATS:
        if fmt == "hf":
            continue
        export_run(fmt, desk_run, tmp_path / f"{fmt}-writable")
        result = _export(fmt, read_only_run, tmp_path / f"{fmt}-read-only")
        assert result.exit_code == 0, result.output
        a, b = tmp_path / f"{fmt}-writable", tmp_path / f"{fmt}-read-only"
        assert (_folder_text(a) == _folder_text(b)) if a.is_dir() else a.read_bytes() == b.read_bytes()
    result = CliRunner().invoke(main, ["view", str(read_only_run), "-o", str(tmp_path / "r.html"), "--no-plots"])
    assert result.exit_code == 0 and "6 dialogues, 6 tasks" in result.output, result.output
    assert sorted(p.name for p in read_only_run.iterdir()) == sorted(p.name for p in desk_run.iterdir())


def os_writable(folder: Path) -> bool:
    try:
        (folder / ".probe").write_text("")
    except OSError:
        return False
    (folder / ".probe").unlink()
    return True
