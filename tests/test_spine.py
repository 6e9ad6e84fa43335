"""The spine: one front end for check and compile, each stage callable alone, and synth's run folder guarded."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

from writ_dsl import api
from writ_dsl.errors import InputError

REPO = Path(__file__).resolve().parents[1]
BROKEN = sorted((REPO / "tests" / "data" / "broken").glob("*.writ"))
SIMPLE = REPO / "specs" / "retail" / "cancel_pending_order.writ"


@pytest.mark.parametrize("spec", BROKEN, ids=lambda p: p.stem)
def test_check_and_compile_report_the_same_diagnostics(spec: Path) -> None:
    checked = api.check_paths([spec])
    compiled = api.compile(checked, api.compile_options(n=1))
    assert checked.diagnostics and compiled.diagnostics == checked.diagnostics
    assert compiled.tasks == []


def test_a_clean_library_compiles_with_the_front_ends_warnings_kept(tmp_path: Path) -> None:
    (tmp_path / "writ.toml").write_text("")
    spec = SIMPLE.read_text(encoding="utf-8").replace('import "../common/', 'import "')
    (tmp_path / "t.writ").write_text(spec)
    for name in ("behaviors.writ", "more_behaviors.writ", "retail_data.writ"):
        (tmp_path / name).write_text((REPO / "specs" / "common" / name).read_text(encoding="utf-8"))
    (tmp_path / "unused.writ").write_text("env retail\ntask t2 {\n  read p = get_user_details(user_id = \"x\")\n"
                                           "  user { reason \"r\" wants \"w\" }\n}\n")
    checked = api.check_paths([tmp_path])
    compiled = api.compile(checked, api.compile_options(n=1, tasks=("cancel_pending_order",)))
    warnings = [d for d in checked.diagnostics if not d.is_error]
    assert warnings and checked.ok
    assert set(warnings) <= set(compiled.diagnostics) and len(compiled.tasks) == 1


def test_each_stage_can_be_called_alone(tmp_path: Path) -> None:
    loaded = api.load([SIMPLE])
    checked = api.check(loaded)
    spec = checked.specs[0]
    plan = api.plan(spec, spec.module.tasks[0])
    assert plan.of_kind("write")
    compiled = api.compile(checked, api.compile_options(n=2, seed=3))
    api.write_tasks(tmp_path / "tasks.jsonl", compiled.tasks)
    tasks = api.read_tasks(tmp_path / "tasks.jsonl")
    assert tasks == compiled.tasks
    summary = api.run(tasks, tmp_path / "run", api.run_options())
    assert summary.verified == 2
    (tmp_path / "run" / "trajectories.jsonl").unlink()
    assert api.export(tmp_path / "run")["verified"] == 2
    assert len((tmp_path / "run" / "trajectories.jsonl").read_text().splitlines()) == 2


def test_synth_refuses_a_foreign_folder_before_compiling(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    out = tmp_path / "out"
    first = api.synthesize([SIMPLE], out, api.compile_options(total=2), api.run_options())
    assert first.summary is not None and first.summary.verified == 2
    before = {p.name: p.read_bytes() for p in out.iterdir() if p.is_file()}

    import writ_dsl.synth

    monkeypatch.setattr(writ_dsl.synth, "compile_specs", lambda *a, **k: pytest.fail("compiled"))
    with pytest.raises(InputError, match="holds another synthesis"):
        api.synthesize([SIMPLE], out, api.compile_options(total=3), api.run_options())
    assert {p.name: p.read_bytes() for p in out.iterdir() if p.is_file()} == before


def test_synth_refuses_a_folder_of_unrelated_files(tmp_path: Path) -> None:
    (tmp_path / "summary.json").write_text("mine")
    (tmp_path / "thesis.tex").write_text("mine")
    with pytest.raises(InputError, match="thesis.tex"):
        api.synthesize([SIMPLE], tmp_path, api.compile_options(total=1), api.run_options())
    assert (tmp_path / "summary.json").read_text() == "mine"


def test_two_syntheses_started_at_once_leave_one_consistent_folder(tmp_path: Path) -> None:
    out = tmp_path / "out"
    command = [sys.executable, "-c", "import sys; from writ_dsl.cli import main; sys.exit(main())",
               "synth", str(REPO / "specs"), "-n", "60", "--seed", "0", "-o", str(out), "--no-progress"]
    processes = [subprocess.Popen(command, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True)
                 for _ in range(2)]
    results = [(p.wait(timeout=300), p.stderr.read()) for p in processes]
    for code, stderr in results:
        assert "Traceback" not in stderr
        assert code == 0 or "another writ run is using this folder" in stderr, stderr
    assert any(code == 0 for code, _ in results)
    task_ids = {json.loads(line)["id"] for line in (out / "tasks.jsonl").read_text().splitlines()}
    verified = {json.loads(line)["task_id"] for line in (out / "trajectories.jsonl").read_text().splitlines()}
    assert len(verified) == 60 and verified <= task_ids
