"""The ray engine on a local 2-CPU Ray: the same bytes as the local engine, for compile and run, and a synth
that resumes. Skipped when ray (the ray extra) is absent."""

from __future__ import annotations

import os
from pathlib import Path

import pytest
from click.testing import CliRunner

from writ_dsl.api import compile_paths
from writ_dsl.cli import main
from writ_dsl.compiler.compile import CompileOptions
from writ_dsl.compiler.engine import make_engine
from writ_dsl.errors import CompileError

from .helpers import FAKE_ENVS
from .test_workers import library, outcome, slow_scaled

ray = pytest.importorskip("ray")
pytestmark = pytest.mark.ray


@pytest.fixture(scope="module", autouse=True)
def local_ray():
    """One local Ray for the module: 2 CPUs, loopback only, no dashboard (the engine joins it)."""
    os.environ.pop("RAY_ADDRESS", None)
    ray.init(address="local", num_cpus=2, include_dashboard=False, _node_ip_address="127.0.0.1", log_to_driver=False,
             logging_level="warning")
    yield
    ray.shutdown()


def test_ray_gives_results_in_input_order_with_the_context():
    with make_engine(2, "ray", context=10) as engine:
        assert list(engine.map(slow_scaled, range(5))) == [0, 10, 20, 30, 40]
    assert ray.is_initialized()  # a Ray the engine joined is not its to stop


def fail_on_three(value: int) -> int:
    if value == 3:
        raise RuntimeError("no environment 'shop' on this node")
    return value


def test_a_failed_ray_task_is_a_clear_error_not_a_traceback():
    with make_engine(2, "ray", context=None) as engine:
        with pytest.raises(CompileError, match="a Ray task failed: .*no environment 'shop' on this node"):
            list(engine.map(fail_on_three, range(5)))


def test_ray_compiles_the_same_bytes_reports_and_diagnostics_as_the_local_engine(tmp_path):
    root = library(tmp_path / "lib")
    options = CompileOptions(n=4, seed=4, max_attempts=2, env_path=(FAKE_ENVS,))
    serial = compile_paths([root], options)
    assert len(serial.tasks) > 10
    assert outcome(compile_paths([root], CompileOptions(**{**vars(options), "engine": "ray", "workers": 2}))) \
        == outcome(serial)


def test_synth_on_ray_writes_the_same_folder_as_one_local_worker(tmp_path: Path):
    root = library(tmp_path / "lib")
    folders = {}
    for engine, workers in (("auto", "1"), ("ray", "2")):
        folders[engine] = tmp_path / engine
        result = CliRunner().invoke(main, ["synth", str(root / "a.writ"), str(root / "b.writ"), "-n", "24",
                                           "--env-path", FAKE_ENVS, "--no-progress", "--engine", engine,
                                           "--workers", workers, "-o", str(folders[engine])])
        assert result.exit_code == 0, result.output
    names = sorted(p.name for p in folders["auto"].iterdir() if p.suffix in (".jsonl", ".json"))
    assert "trajectories.jsonl" in names and "tasks.jsonl" in names
    for name in names:
        assert (folders["ray"] / name).read_bytes() == (folders["auto"] / name).read_bytes(), name


def test_a_local_ray_started_by_synth_says_nothing_about_itself(tmp_path: Path):
    """Ray's notice that a local Ray uses token authentication (its default) is not repeated on every run."""
    import subprocess
    import sys

    root = library(tmp_path / "lib")
    env = {k: v for k, v in os.environ.items() if k not in ("RAY_ADDRESS", "RAY_AUTH_MODE")}
    done = subprocess.run([sys.executable, "-c", "from writ_dsl.cli import main; main()", "synth", str(root / "a.writ"), "-n", "4", "--env-path",
                           str(FAKE_ENVS), "--no-progress", "--engine", "ray", "--workers", "2", "-o",
                           str(tmp_path / "out")], capture_output=True, text=True, env=env, timeout=300)
    assert done.returncode == 0, done.stderr
    assert "verified" in done.stdout + done.stderr
    assert "Token authentication" not in done.stderr and "WARNING" not in done.stderr, done.stderr
