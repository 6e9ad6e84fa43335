"""Offline synthesis as one stream: units compiled, run and rendered in workers, written here in order.

What must hold: the files written as the units come back are the bytes an export from the run's store
writes; any number of workers gives the same folder; a killed stream resumes to the same bytes; specs
with errors leave no run behind; and nothing waits in memory beyond the units in flight.
"""

from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from writ_dsl import api
from writ_dsl.compiler import engine as engines
from writ_dsl.compiler.engine import ProcessEngine

from runner.test_interrupt import finished as committed, signal_when_committed

FAKE_ENVS = Path(__file__).resolve().parent / "fake_envs"

REPO = Path(__file__).resolve().parents[1]
SPECS = REPO / "specs"
LAUNCH = "import sys; from writ_dsl.cli import main; sys.exit(main())"
OUTPUTS = ("tasks.jsonl", "tau2_tasks.json", "compile_summary.json", "trajectories.jsonl", "rejects.jsonl",
           "simulations.json", "summary.json", "manifest.json")


def synth(out: Path, total: int, workers: int = 1, paths: tuple[Path, ...] = (SPECS,)) -> api.SynthResult:
    return api.synthesize(paths, out, api.compile_options(total=total, seed=3, workers=workers,
                                                          env_path=(str(FAKE_ENVS),)),
                          api.run_options(workers=workers, env_path=(str(FAKE_ENVS),), progress=False))


def outputs(folder: Path) -> dict[str, bytes]:
    return {name: (folder / name).read_bytes() for name in OUTPUTS}


def test_the_streamed_files_are_the_bytes_an_export_from_the_store_writes(tmp_path: Path) -> None:
    result = synth(tmp_path / "run", 70)
    assert result.summary is not None and result.summary.verified == 70
    copy = tmp_path / "copy"
    shutil.copytree(tmp_path / "run", copy)
    for name in ("trajectories.jsonl", "simulations.json", "summary.json", "rejects.jsonl"):
        (copy / name).unlink()
    api.export(copy)
    assert outputs(copy) == outputs(tmp_path / "run")
    assert not list((tmp_path / "run").glob(".*.partial"))


def test_the_outputs_follow_the_order_of_the_compiled_tasks(tmp_path: Path) -> None:
    synth(tmp_path / "run", 40)
    ids = [task.id for task in api.read_tasks(tmp_path / "run" / "tasks.jsonl")]
    import json

    exported = [json.loads(line)["task_id"] for line in (tmp_path / "run" / "trajectories.jsonl").open()]
    assert exported == ids and ids != sorted(ids)


def test_tools_and_arguments_are_listed_in_the_order_of_the_tools_parameters(tmp_path: Path) -> None:
    """The order a model is offered a tool's parameters in, and the order the agent then writes them in
    (as models do), not sorted by name."""
    import json

    synth(tmp_path / "run", 40)
    calls = 0
    for line in (tmp_path / "run" / "trajectories.jsonl").open(encoding="utf-8"):
        trajectory = json.loads(line)
        declared = {tool["function"]["name"]: list(tool["function"]["parameters"]["properties"])
                    for tool in trajectory["tools"]}
        assert any(names != sorted(names) for names in declared.values())
        for message in trajectory["messages"]:
            for call in message.get("tool_calls") or []:
                written = list(json.loads(call["function"]["arguments"]))
                assert written == [name for name in declared[call["function"]["name"]] if name in written]
                calls += 1
    assert calls > 100


def test_one_and_two_workers_stream_the_same_folder(tmp_path: Path) -> None:
    one, two = synth(tmp_path / "one", 90, workers=1), synth(tmp_path / "two", 90, workers=2)
    assert one.summary is not None and two.summary is not None
    assert outputs(tmp_path / "one") == outputs(tmp_path / "two")


def test_specs_with_errors_found_midway_leave_no_run_behind(tmp_path: Path) -> None:
    library = tmp_path / "lib"
    library.mkdir()
    (library / "a.writ").write_text("""env shop
task fine {
  param u = one of db.users
  tell u.name
  user { reason "r" wants "w" }
}

task never {
  let best = argmin(db.items where it.category == "chair", by = it.price)
  write buy(user_id = "u2", item_id = best.item_id)
  user { reason "r" wants "w" }
}
""", encoding="utf-8")
    out = tmp_path / "out"
    result = synth(out, 80, paths=(library,))
    assert result.summary is None
    assert "task-unsatisfiable" in {d.code for d in result.compiled.diagnostics}
    assert sorted(p.name for p in out.iterdir()) == ["run.lock"]  # no store, no half-written file


def consumed_before_first(engine: ProcessEngine, count: int) -> int:
    taken = []

    def items():
        for i in range(count):
            taken.append(i)
            yield i

    results = engine.map(abs, items())
    next(results)
    seen = len(taken)
    assert [0, *results] == list(range(count))
    return seen


def test_the_process_engine_submits_only_a_window_of_items_ahead() -> None:
    with ProcessEngine(2) as engine:
        assert consumed_before_first(engine, 500) <= engines.AHEAD * 2 + 1


@pytest.mark.slow
def test_a_killed_stream_resumes_to_the_bytes_of_an_uninterrupted_one(tmp_path: Path) -> None:
    n = 600
    command = [sys.executable, "-c", LAUNCH, "synth", str(SPECS), "-n", str(n), "--seed", "5", "--workers", "2",
               "--no-progress", "-o"]
    subprocess.run([*command, str(tmp_path / "whole")], check=True, capture_output=True, timeout=300)
    resumed = tmp_path / "resumed"
    process = subprocess.Popen([*command, str(resumed)], stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    signal_when_committed(process, resumed, n // 4)
    process.wait(timeout=60)
    assert n // 4 <= committed(resumed) < n
    assert not (resumed / "trajectories.jsonl").exists()  # nothing half-written is put in place
    subprocess.run([*command, str(resumed)], check=True, capture_output=True, timeout=300)
    assert outputs(resumed) == outputs(tmp_path / "whole")
    assert not list(resumed.glob(".*.partial"))
