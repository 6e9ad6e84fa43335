"""Simulate dialogues for compiled tasks, verify them, and keep the verified trajectories.

Entry points: :func:`run_tasks` (with :class:`RunOptions`, returning a
:class:`RunSummary`) and :func:`export_outputs` (rewrite a run folder's files
from its database).
"""

from typing import Any

__all__ = ["RunOptions", "RunSummary", "export_outputs", "run_tasks"]
_HOMES = {"export_outputs": ".export", "RunOptions": ".run", "RunSummary": ".run", "run_tasks": ".run"}


def __getattr__(name: str) -> Any:
    """The entry points, imported when first used (a submodule's importers don't pay for the rest)."""
    if name not in _HOMES:
        raise AttributeError(name)
    from importlib import import_module

    return getattr(import_module(_HOMES[name], __name__), name)
