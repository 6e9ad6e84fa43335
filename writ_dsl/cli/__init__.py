"""The ``writ`` command line: a thin shell over :mod:`writ_dsl.api`.

Exit statuses are decided here alone: 0 success, 1 problems found (or a
``WritError``), 2 usage errors, 130 interrupted. A subcommand's module is
imported only when that subcommand runs (or when its help is shown).
"""

from __future__ import annotations

import click

from ._common import WritGroup

# command name -> "module:attribute" under writ_dsl.cli, in the order `writ --help` lists them
COMMANDS = {
    "check": "check_commands:check_command",
    "fmt": "check_commands:fmt_command",
    "compile": "compile_commands:compile_command",
    "graph": "compile_commands:graph_command",
    "run": "run_commands:run_command",
    "synth": "synth_commands:synth_command",
    "stats": "stats_commands:stats_command",
    "env": "env_commands:env_group",
    "export": "export_commands:export_command",
    "schema": "export_commands:schema_command",
    "view": "view_commands:view_command",
    "lsp": "editor_commands:lsp_command",
    "leakage": "leakage_commands:leakage_command",
    "cache": "cache_commands:cache_group",
}


@click.group(cls=WritGroup, lazy_commands=COMMANDS)
@click.version_option(package_name="writ-dsl")
def main() -> None:
    """writ: compile .writ task specs into verified agent trajectories."""
