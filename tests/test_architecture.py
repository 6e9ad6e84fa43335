"""The import graph keeps the pipeline's layers apart: nothing reaches back up the stack.

The stack, bottom to top: diagnostics → lang → env → compiler → runner → exports → cli.
Every ``import`` statement of the package counts, also those inside functions.
"""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

from writ_dsl import api

PACKAGE = Path(__file__).resolve().parents[1] / "writ_dsl"


def _module_name(path: Path) -> str:
    parts = path.relative_to(PACKAGE.parent).with_suffix("").parts
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def _imports(path: Path) -> set[str]:
    """The writ_dsl modules a file imports, as dotted names (``from . import x`` counted as ``pkg.x``)."""
    module = _module_name(path)
    package = module if path.name == "__init__.py" else module.rpartition(".")[0]
    found: set[str] = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            found.update(alias.name for alias in node.names if alias.name.startswith("writ_dsl"))
        elif isinstance(node, ast.ImportFrom):
            base = node.module or ""
            if node.level:
                anchor = package.split(".")[: len(package.split(".")) - node.level + 1]
                base = ".".join([*anchor, base] if base else anchor)
            if base.startswith("writ_dsl"):
                found.add(base)
                found.update(f"{base}.{alias.name}" for alias in node.names)
    return {name for name in found if name != "writ_dsl" and _exists(name)}


def _exists(name: str) -> bool:
    relative = Path(*name.split(".")[1:])
    return (PACKAGE / relative).with_suffix(".py").is_file() or (PACKAGE / relative / "__init__.py").is_file()


GRAPH = {_module_name(p): _imports(p) for p in sorted(PACKAGE.rglob("*.py"))}


def _importers(prefix: str) -> dict[str, set[str]]:
    return {m: deps for m, deps in GRAPH.items() if m == prefix or m.startswith(prefix + ".")}


def _reaching(prefix: str, forbidden: tuple[str, ...]) -> list[str]:
    return sorted(f"{m} imports {d}" for m, deps in _importers(prefix).items() for d in deps
                  if any(d == f or d.startswith(f + ".") for f in forbidden))


UPPER = ("writ_dsl.api", "writ_dsl.cli", "writ_dsl.synth", "writ_dsl.stats", "writ_dsl.plots", "writ_dsl.io")


def test_the_graph_is_read() -> None:
    assert "writ_dsl.lang.depgraph" in GRAPH["writ_dsl.compiler.plan"]  # the walker sees real edges


def test_diagnostics_imports_nothing_of_the_package() -> None:
    assert GRAPH["writ_dsl.diagnostics"] == set()


@pytest.mark.parametrize("layer, forbidden", [
    ("writ_dsl.lang", ("writ_dsl.compiler", "writ_dsl.runner", *UPPER)),
    ("writ_dsl.env", ("writ_dsl.lang", "writ_dsl.compiler", "writ_dsl.runner", *UPPER)),
    ("writ_dsl.compiler", ("writ_dsl.runner", *UPPER)),
    ("writ_dsl.runner", ("writ_dsl.api", "writ_dsl.cli", "writ_dsl.synth", "writ_dsl.stats", "writ_dsl.plots")),
])
def test_no_layer_reaches_back_up(layer: str, forbidden: tuple[str, ...]) -> None:
    assert _reaching(layer, forbidden) == []


def test_the_cli_imports_only_the_api_diagnostics_and_errors() -> None:
    allowed = ("writ_dsl.api", "writ_dsl.diagnostics", "writ_dsl.errors", "writ_dsl.cli")
    stray = sorted(f"{m} imports {d}" for m, deps in _importers("writ_dsl.cli").items() for d in deps
                   if not any(d == a or d.startswith(a + ".") for a in allowed))
    assert stray == []


def test_the_api_surface_is_pinned() -> None:
    stages = ["load", "check", "plan", "compile", "run", "export", "synthesize"]
    assert set(stages) <= set(api.__all__)
    assert sorted(api.__all__) == sorted(name for name in vars(api) if name in api.__all__)  # each one exists
    assert api.__all__ == PINNED


PINNED = [
    # the stages and their results
    "CheckResult", "SynthResult", "load", "check", "check_paths", "plan", "compile", "compile_paths", "run",
    "export", "synthesize",
    # options and files
    "compile_options", "run_options", "compile_progress", "read_tasks", "task_file", "write_tasks", "write_text",
    "spec_files",
    "no_cycle_collection", "redact",
    # beside the stages: formatting, graphs, previews, exports, schemas, reports
    "format_source", "format_bytes", "graph_formats", "render_graph", "render_graphs", "rejection_reasons",
    "compile_instance",
    "instance_calls", "preview", "tau2_tasks", "task_schema", "export_formats", "export_as", "run_in_progress",
    "schema_names",
    "json_schema", "view", "collect_stats", "write_plots", "token_summary", "leakage", "write_without_leaks",
    # the response cache of LLM runs, and an endpoint to try them on
    "cache_info", "clear_cache", "loopback_endpoint",
    # environments and editors
    "list_environments", "environment", "result_shapes", "new_environment", "resolve_database",
    "generate_database", "tools_json", "serve_language_server",
]


@pytest.mark.parametrize("package", ["writ_dsl.compiler", "writ_dsl.runner", "writ_dsl.exports"])
def test_every_exported_name_resolves(package: str) -> None:
    import importlib

    module = importlib.import_module(package)
    assert [name for name in module.__all__ if not hasattr(module, name)] == []
