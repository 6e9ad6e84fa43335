"""Simulate dialogues for compiled tasks, verify them, and keep the verified trajectories.

Entry points: :func:`run_tasks` (with :class:`RunOptions`, returning a
:class:`RunSummary`) and :func:`export_outputs` (rewrite a run folder's files
from its database).
"""

from .export import export_outputs
from .run import RunOptions, RunSummary, run_tasks

__all__ = ["RunOptions", "RunSummary", "export_outputs", "run_tasks"]
