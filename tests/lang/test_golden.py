"""Golden files of each stage for the specs of tests/golden/specs/: AST, diagnostics, formatted text.

Regenerate after an intended change with ``WRIT_UPDATE_GOLDEN=1 .venv/bin/pytest tests/lang/test_golden.py``
and review the diff.
"""

from __future__ import annotations

from collections.abc import Callable
from functools import cache
from pathlib import Path

import pytest

from writ_dsl import api
from writ_dsl import diagnostics as diag
from writ_dsl.lang.fmt import format_source
from writ_dsl.lang.parser import parse_text

SPECS = Path(__file__).resolve().parents[1] / "golden" / "specs"
NAMES = sorted(p.stem for p in SPECS.glob("*.writ"))
PARSING = [n for n in NAMES if n != "syntax_errors"]


def source(name: str) -> str:
    return (SPECS / f"{name}.writ").read_text(encoding="utf-8")


@cache
def checked() -> api.CheckResult:
    return api.check_paths([SPECS])


def test_the_golden_set_has_clean_and_broken_specs() -> None:
    errors = {d.path.rsplit("/", 1)[-1] for d in checked().diagnostics if d.is_error}
    assert len(NAMES) >= 5 and {"semantic_errors.writ", "syntax_errors.writ"} <= errors
    assert "airline_cancel.writ" not in errors and "expressions.writ" not in errors


@pytest.mark.parametrize("name", PARSING)
def test_ast(name: str, golden: Callable[[str, str], None]) -> None:
    module, problems = parse_text(source(name), f"specs/{name}.writ")
    assert module is not None, problems
    golden(f"ast/{name}.json", module.model_dump_json(indent=1) + "\n")


@pytest.mark.parametrize("name", NAMES)
def test_diagnostics(name: str, golden: Callable[[str, str], None]) -> None:
    result = checked()
    own = [d for d in result.diagnostics if d.path == f"specs/{name}.writ"]
    text = "".join(diag.format_text(d, result.sources[d.path]) + "\n" for d in own) or "no diagnostics\n"
    golden(f"diagnostics/{name}.txt", text)


@pytest.mark.parametrize("name", PARSING)
def test_formatted(name: str, golden: Callable[[str, str], None]) -> None:
    formatted, problems = format_source(source(name))
    assert formatted is not None, problems
    golden(f"fmt/{name}.writ", formatted)
