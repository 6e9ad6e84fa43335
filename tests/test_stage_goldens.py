"""Golden files of the stages after the front end, on bundled templates: the plan (its evidence graph), a
compiled task and a verified trajectory. The front end's own goldens are in tests/lang/test_golden.py.

Regenerate after an intended change with ``WRIT_UPDATE_GOLDEN=1 .venv/bin/pytest tests/test_stage_goldens.py``
and review the diff.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from functools import cache
from pathlib import Path

import pytest

from writ_dsl import api

SPECS = Path(__file__).resolve().parents[1] / "specs"
# A read-heavy airline booking, a write-intensive retail template and a plain one.
TEMPLATES = ["airline/book_fastest_business", "retail/exchange_and_cancel_described", "retail/cancel_pending_order"]


def _name(template: str) -> str:
    return template.replace("/", "__")


@cache
def _checked(template: str) -> api.CheckResult:
    checked = api.check_paths([SPECS / f"{template}.writ"])
    assert checked.ok, checked.diagnostics
    return checked


@cache
def _run(template: str, folder: Path) -> dict:
    result = api.compile(_checked(template), api.compile_options(n=1, seed=0))
    assert result.ok and len(result.tasks) == 1, result.diagnostics
    summary = api.run(result.tasks, folder, api.run_options(concurrency=1))
    assert summary.verified == 1
    (line,) = (folder / "trajectories.jsonl").read_text(encoding="utf-8").splitlines()
    return {"task": result.tasks[0], "trajectory": json.loads(line)}


@pytest.fixture(scope="module")
def runs(tmp_path_factory: pytest.TempPathFactory) -> Callable[[str], dict]:
    return lambda template: _run(template, tmp_path_factory.mktemp(_name(template)))


@pytest.mark.parametrize("template", TEMPLATES)
def test_plan(template: str, golden: Callable[[str, str], None]) -> None:
    checked = _checked(template)
    spec = checked.specs[0]
    drawn = [api.render_graph(spec, api.plan(spec, task), "text") for task in spec.module.tasks]
    golden(f"plan/{_name(template)}.txt", "\n".join(drawn))


@pytest.mark.parametrize("template", TEMPLATES)
def test_compiled_task(template: str, runs: Callable[[str], dict], golden: Callable[[str, str], None]) -> None:
    task = runs(template)["task"]
    golden(f"compiled/{_name(template)}.json", json.dumps(json.loads(task.to_json_line()), indent=1) + "\n")


@pytest.mark.parametrize("template", TEMPLATES)
def test_trajectory(template: str, runs: Callable[[str], dict], golden: Callable[[str, str], None]) -> None:
    trajectory = dict(runs(template)["trajectory"])
    trajectory["tools"] = [tool["function"]["name"] for tool in trajectory["tools"]]  # schemas: env tests
    golden(f"trajectory/{_name(template)}.json", json.dumps(trajectory, indent=1, ensure_ascii=False) + "\n")
