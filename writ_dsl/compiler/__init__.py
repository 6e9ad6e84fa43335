"""The compiler: .writ specs -> verified task instances (:mod:`.model` is the output contract).

Stage functions, imported lazily so that reading :mod:`.model` stays cheap (from files, use
:func:`writ_dsl.api.compile_paths`)::

    compile_specs(checked_specs, options) -> CompileResult                   # specs the front end passed
    build_plan(spec, task) -> Plan                                           # execution order, fan-out
    render_graph(spec, plan, "text" | "dot" | "mermaid") -> str
"""

from __future__ import annotations

from importlib import import_module
from typing import Any

_EXPORTS = {
    "CompileOptions": ".compile",
    "CompileResult": ".compile",
    "TaskReport": ".compile",
    "compile_specs": ".compile",
    "build_plan": ".plan",
    "render_graph": ".graph",
}

__all__ = sorted(_EXPORTS)


def __getattr__(name: str) -> Any:
    if name not in _EXPORTS:
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    return getattr(import_module(_EXPORTS[name], __name__), name)
