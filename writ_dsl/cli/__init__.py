"""The ``writ`` command line: a thin shell over :mod:`writ_dsl.api`.

Exit statuses are decided here alone: 0 success, 1 problems found (or a
``WritError``), 2 usage errors, 130 interrupted.
"""

from __future__ import annotations

import click

from ._common import WritGroup


@click.group(cls=WritGroup)
@click.version_option(package_name="writ-dsl")
def main() -> None:
    """writ: compile .writ task specs into verified agent trajectories."""


# Command modules register themselves on ``main`` when imported.
from . import env_commands  # noqa: E402,F401
from . import check_commands  # noqa: E402,F401
from . import stats_commands  # noqa: E402,F401
from . import compile_commands  # noqa: E402,F401
from . import run_commands  # noqa: E402,F401
from . import synth_commands  # noqa: E402,F401
from . import leakage_commands  # noqa: E402,F401
