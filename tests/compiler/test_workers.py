"""Compiling in worker processes: the same bytes, reports and diagnostics for any engine and worker count."""

from __future__ import annotations

import os
import time

import pytest
from click.testing import CliRunner

from writ_dsl.cli import main
from writ_dsl.api import compile_paths, spec_files
from writ_dsl.compiler.compile import CompileOptions, CompileResult
from writ_dsl.compiler.engine import (ENGINES, PROCESSES_PER_CORE, LocalEngine, ProcessEngine, available_cores,
                                      local_workers, make_engine, worker_context)
from writ_dsl.errors import CompileError
from writ_dsl.compiler.shards import ShardContext, compile_sharded, shards
from writ_dsl.lang.loader import load_spec

from .helpers import FAKE_ENVS, SPECS, write_spec

GOOD = """env shop
task pick_{name} {{
  param u = one of db.users
  param x = one of 1 .. 9
  read items = list_items(category = "lamp")
  let best = argmin(items, by = it.price)
  write buy(user_id = u.user_id, item_id = best.item_id)
  user {{ reason "r {{{{ x }}}}" wants "w" }}
}}

task tell_{name} {{
  param u = one of db.users
  tell u.name
  user {{ reason "r" wants "w" }}
}}
"""
RARE = """env shop
task rare {
  param x = one of 1 .. 4
  require x == 1 else "rare"
  tell x
  user { reason "r" wants "w" }
}

task never {
  let best = argmin(db.items where it.category == "chair", by = it.price)
  write buy(user_id = "u2", item_id = best.item_id)
  user { reason "r" wants "w" }
}
"""


def library(root):
    for name in ("a", "b", "c"):
        write_spec(root, GOOD.format(name=name), name=f"{name}.writ")
    write_spec(root, RARE, name="rare.writ")
    return root


def outcome(result: CompileResult) -> tuple[str, list[object], list[str]]:
    reports = [(r.spec_path, r.task, r.wanted, r.produced, r.attempts, dict(r.rejected)) for r in result.reports]
    return result.to_jsonl(), reports, [str(d) for d in result.diagnostics]


def test_two_workers_give_the_serial_result_with_shortfalls_and_failures(tmp_path):
    root = library(tmp_path / "lib")
    options = CompileOptions(n=4, seed=4, max_attempts=2, env_path=(FAKE_ENVS,))
    serial = compile_paths([root], options)
    assert not serial.ok and len(serial.tasks) > 10
    assert {d.code for d in serial.diagnostics} == {"task-underproduced", "task-unsatisfiable"}
    assert outcome(compile_paths([root], CompileOptions(**{**vars(options), "workers": 2}))) == outcome(serial)
    assert outcome(compile_paths([root], CompileOptions(**{**vars(options), "workers": 3}))) == outcome(serial)


def test_the_local_twin_merges_shards_like_the_serial_compile(tmp_path):
    root = library(tmp_path / "lib")
    options = CompileOptions(total=17, seed=1, env_path=(FAKE_ENVS,))
    specs = [load_spec(path)[0] for path in spec_files([root])]
    units = shards(specs, options)
    assert [(specs[u.spec].display_path, u.task) for u in units][:2] == [
        ("lib/a.writ", "pick_a"), ("lib/a.writ", "tell_a")]
    assert sum(u.wanted for u in units) == 17
    with LocalEngine(context=ShardContext(specs, options)) as engine:
        sharded = compile_sharded(specs, options, CompileResult(), engine=engine)
    assert worker_context() is None
    assert outcome(sharded) == outcome(compile_paths([root], options))


def test_bundled_specs_compile_to_the_same_bytes_on_two_workers():
    options = CompileOptions(n=2, seed=0)
    serial = compile_paths([SPECS], options)
    assert serial.ok and len(serial.tasks) > 40
    assert compile_paths([SPECS], CompileOptions(n=2, seed=0, workers=2)).to_jsonl() == serial.to_jsonl()


def test_cli_workers_option_does_not_change_the_output(tmp_path):
    root = library(tmp_path / "lib")
    outputs = []
    for workers in ("1", "2"):
        out = tmp_path / f"w{workers}.jsonl"
        result = CliRunner().invoke(main, ["compile", str(root / "a.writ"), str(root / "b.writ"), "--per-task", "3",
                                           "--env-path", FAKE_ENVS, "--workers", workers, "-o", str(out)])
        assert result.exit_code == 0, result.output
        outputs.append(out.read_text(encoding="utf-8"))
    assert outputs[0] == outputs[1] and outputs[0].count("\n") == 12


def slow_scaled(value: int) -> int:
    time.sleep(0.02 * (5 - value))  # the first items finish last
    return value * worker_context()


def test_engines_give_results_in_input_order_and_the_context_to_every_item():
    with ProcessEngine(2, context=10) as engine:
        assert list(engine.map(slow_scaled, range(5))) == [0, 10, 20, 30, 40]
    with LocalEngine(context=3) as engine:
        assert list(engine.map(slow_scaled, range(3))) == [0, 3, 6]


def stop_abruptly(value: int) -> int:
    os._exit(1)


def test_a_worker_that_dies_is_a_clear_error():
    with ProcessEngine(2) as engine, pytest.raises(CompileError, match="worker process stopped"):
        list(engine.map(stop_abruptly, range(3)))


def test_engine_registry():
    assert set(ENGINES) >= {"local", "process"}
    assert make_engine(1).name == "local" and isinstance(make_engine(1), LocalEngine)
    with make_engine(2) as engine:
        assert engine.name == "process" and engine.workers == 2
    with pytest.raises(ValueError, match="unknown engine"):
        make_engine(2, "cloud")


def pid(_: int) -> int:
    time.sleep(0.01)
    return os.getpid()


def test_a_huge_worker_count_starts_at_most_a_few_processes_per_core():
    cap = PROCESSES_PER_CORE * available_cores()
    assert local_workers(10**9) == cap and local_workers(1) == 1 and local_workers(0) == 1
    with make_engine(100_000) as engine:
        assert engine.workers == cap
        assert len(set(engine.map(pid, range(4 * cap)))) <= cap


def test_a_worker_killed_under_the_command_line_is_a_clear_error_not_a_hang(tmp_path):
    """The command line stops cleanly on SIGTERM; its workers must not inherit that, since a pool stops its
    other workers with SIGTERM when one dies (out of memory, killed)."""
    import signal
    import subprocess
    import sys
    from pathlib import Path

    repo = Path(__file__).resolve().parents[2]
    writ = subprocess.Popen([sys.executable, "-c", "from writ_dsl.cli import main; main()", "compile",
                             str(repo / "specs" / "retail"), "--per-task", "3000", "--workers", "2", "--no-progress",
                             "-o", str(tmp_path / "x.jsonl")], stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    children = Path(f"/proc/{writ.pid}/task/{writ.pid}/children")
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline and writ.poll() is None and len(children.read_text().split()) < 2:
        time.sleep(0.05)
    assert writ.poll() is None, "compiling ended before a worker could be killed"
    time.sleep(1.0)  # the workers are at work
    os.kill(int(children.read_text().split()[0]), signal.SIGKILL)
    _, errors = writ.communicate(timeout=90)
    assert writ.returncode == 1 and b"worker process stopped unexpectedly" in errors, errors[-500:]
