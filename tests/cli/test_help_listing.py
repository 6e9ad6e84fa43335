"""`writ --help` lists every command from its one-line summary without importing any command module."""

from __future__ import annotations

import json
import subprocess
import sys

import click

from writ_dsl.cli import COMMANDS, SUMMARIES, main


def test_each_summary_is_the_first_sentence_of_its_command_help() -> None:
    ctx = click.Context(main)
    assert set(SUMMARIES) == set(COMMANDS)
    for name in COMMANDS:
        assert SUMMARIES[name] == main.get_command(ctx, name).get_short_help_str(limit=1000), name


def test_the_help_listing_imports_no_command_and_names_them_all() -> None:
    script = ("import json, sys\nfrom writ_dsl.cli import main\n"
              "try:\n    main(['--help'])\nexcept SystemExit:\n    pass\n"
              "print(json.dumps(sorted(m for m in sys.modules if m.startswith('writ_dsl.cli.') and m != "
              "'writ_dsl.cli._common' or m in ('httptools', 'writ_dsl.runner.run', 'writ_dsl.exports'))))")
    done = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, check=True, timeout=60)
    listing, imported = done.stdout.rsplit("\n", 2)[0], json.loads(done.stdout.strip().splitlines()[-1])
    assert imported == []
    for name in COMMANDS:
        assert f"  {name} " in listing
