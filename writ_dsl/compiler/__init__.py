"""The compiler: .writ specs -> verified task instances (:mod:`.model` is the output contract).

Stage functions, imported lazily so that reading :mod:`.model` stays cheap::

    compile_paths(paths, CompileOptions(n=..., seed=...)) -> CompileResult   # files/folders
    compile_specs(loaded_specs, options) -> CompileResult                    # already loaded specs
    build_plan(spec, task) -> (Plan | None, diagnostics)                     # static evidence graph
    render_graph(spec, plan, "text" | "dot" | "mermaid") -> str
"""

from __future__ import annotations

from importlib import import_module
from typing import Any

_EXPORTS = {
    "CompileOptions": ".compile",
    "CompileResult": ".compile",
    "TaskReport": ".compile",
    "compile_paths": ".compile",
    "compile_specs": ".compile",
    "build_plan": ".plan",
    "render_graph": ".graph",
}

__all__ = sorted(_EXPORTS)


def __getattr__(name: str) -> Any:
    if name not in _EXPORTS:
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    return getattr(import_module(_EXPORTS[name], __name__), name)
