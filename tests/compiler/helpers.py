"""Shared helpers of the compiler tests: parse expressions, compile spec text against the fake shop."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from writ_dsl.api import compile_paths
from writ_dsl.compiler.compile import CompileOptions, CompileResult
from writ_dsl.compiler.evaluate import Evaluator
from writ_dsl.compiler.model import CompiledTask
from writ_dsl.compiler.values import DbView
from writ_dsl.env.core import Database, Environment
from writ_dsl.env.registry import load_domain
from writ_dsl.lang import ast
from writ_dsl.lang.parser import parse_text

FAKE_ENVS = str(Path(__file__).resolve().parents[1] / "fake_envs")
REPO = Path(__file__).resolve().parents[2]
SPECS = REPO / "specs"


def parse_expr(text: str) -> ast.Node:
    module, problems = parse_text(f"let x = {text}\n", "expr.writ")
    assert module is not None and not problems, problems
    return module.items[0].value


def evaluate(text: str, db: dict[str, Any] | None = None, **names: Any) -> Any:
    view = DbView(Database(db)) if db is not None else None
    return Evaluator(view).eval(parse_expr(text), names)


def shop_env() -> Environment:
    return load_domain("shop", [FAKE_ENVS]).environment()


def write_spec(folder: Path, text: str, name: str = "task.writ", toml: str | None = "") -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    if toml is not None:
        (folder / "writ.toml").write_text(toml, encoding="utf-8")
    path = folder / name
    path.write_text(text, encoding="utf-8")
    return path


def compile_shop(folder: Path, text: str, toml: str | None = "", **options: Any) -> CompileResult:
    """Write ``text`` as a spec in ``folder`` and compile it against the fake shop domain."""
    path = write_spec(folder, text, toml=toml)
    options.setdefault("env_path", (FAKE_ENVS,))
    return compile_paths([path], CompileOptions(**options))


def replay(env: Environment, task: CompiledTask, with_reads: bool = False) -> str:
    """Run the gold actions (or the whole plan) on a fresh state; every call must succeed."""
    state = env.new_state()
    calls = [(c.tool, c.arguments) for c in task.plan] if with_reads else [
        (a.name, a.arguments) for a in task.gold_actions
    ]
    for tool, arguments in calls:
        outcome = env.call(state, tool, arguments)
        assert outcome.ok, f"{tool}({arguments}) failed: {outcome.error}"
    return state.state_hash()


def codes(result: CompileResult) -> list[str]:
    """The codes of the error diagnostics (warnings left out)."""
    return [d.code for d in result.diagnostics if d.is_error]
