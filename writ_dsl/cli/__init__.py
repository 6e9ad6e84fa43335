"""The ``writ`` command line: a thin shell over :mod:`writ_dsl.api`.

Exit statuses are decided here alone: 0 success, 1 problems found (or a
``WritError``), 2 usage errors, 130 interrupted (Ctrl-C), 143 terminated (SIGTERM, which stops as cleanly as
Ctrl-C). A subcommand's module is imported only when that subcommand runs (or when its help is shown).
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
    "loopback": "loopback_commands:loopback_command",
}

# command name -> its one-line help, as `writ --help` lists it without importing the command
# (tests/cli check that each is the command's own first sentence)
SUMMARIES = {
    "check": 'Check .writ files (and the *.writ files under folders) without compiling them.',
    "fmt": 'Rewrite .writ files in the canonical layout (comments are kept); `-` formats standard input to standard output.',
    "compile": 'Compile .writ specs (files or folders) into verified task instances (JSONL).',
    "graph": 'Print the evidence graph of a task: FILE, FILE:TASK, or every task under a FOLDER (static, or with --instance the fan-out of one compiled instance).',
    "run": 'Simulate a dialogue per task of TASKS_FILE, verify it, and keep the verified trajectories.',
    "synth": 'Compile the specs under PATHS, simulate and verify a dialogue per instance, export the verified ones.',
    "stats": 'Counts by domain and type, writes per task, evidence burden per write, dialogue lengths and rejection reasons of PATH (a tasks.jsonl or an output folder).',
    "env": 'List, inspect and generate environments.',
    "export": 'Write the run in RUN_DIR in FORMAT (-o is a file, or a folder for hf and tau2-results).',
    "schema": "Print the JSON Schema of a file writ writes: a line of trajectories.jsonl (trajectory), rejects.jsonl (reject) or tasks.jsonl (task), or a run's manifest.json (manifest).",
    "view": 'Write a static HTML report of the run in RUN_DIR: dialogues as chats with filters, evidence graphs, rejects with reasons, statistics plots.',
    "lsp": 'Run the .writ language server on stdin/stdout (diagnostics, formatting, go-to-definition, hover).',
    "leakage": 'Report the instances of PATH (a tasks.jsonl or an output folder) that make the same changes as a τ²-bench task (needs the tau2 extra); exit 1 when any matches, unless --without wrote a file without them.',
    "cache": 'The response cache of LLM runs: DIR/responses.sqlite, or the file given with --cache.',
    "loopback": 'Serve an OpenAI-compatible endpoint on 127.0.0.1 that answers as the oracle agent and the scripted user of the tasks in TASKS_FILE, until Ctrl-C: `writ run TASKS_FILE --agent llm --user llm` against it runs without a model or a network.',
}


@click.group(cls=WritGroup, lazy_commands=COMMANDS, summaries=SUMMARIES)
@click.version_option(package_name="writ-dsl")
def main() -> None:
    """writ: compile .writ task specs into verified agent trajectories."""
