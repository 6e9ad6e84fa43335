"""Shared CLI plumbing: one place that turns outcomes into exit statuses."""

from __future__ import annotations

import sys
from collections.abc import Callable
from typing import Any, TypeVar

import click

from ..errors import WritError
from ..runner.secrets import redact

EXIT_OK = 0
EXIT_PROBLEMS = 1
EXIT_USAGE = 2
EXIT_INTERRUPTED = 130


class WritGroup(click.Group):
    """A click group that reports WritError without a traceback."""

    def invoke(self, ctx: click.Context) -> Any:
        try:
            return super().invoke(ctx)
        except WritError as exc:
            click.echo(f"writ: error: {redact(str(exc))}", err=True)
            sys.exit(EXIT_PROBLEMS)
        except OSError as exc:  # a path the user gave cannot be read or written
            where = f"{exc.filename}: " if exc.filename else ""
            click.echo(f"writ: error: {where}{exc.strerror or exc}", err=True)
            sys.exit(EXIT_PROBLEMS)
        except KeyboardInterrupt:
            click.echo("writ: interrupted", err=True)
            sys.exit(EXIT_INTERRUPTED)


def exit_on_failures(failed: int) -> None:
    """Dialogues that failed (endpoint errors, internal errors) make the command exit 1."""
    if failed:
        click.echo(f"writ: error: {failed} dialogue(s) failed (see rejects.jsonl); "
                   "run again with --retry-failed to retry them", err=True)
        sys.exit(EXIT_PROBLEMS)


env_path_option = click.option(
    "--env-path",
    "env_path",
    multiple=True,
    type=click.Path(file_okay=False),
    help="Extra folder of environments (repeatable; also $WRIT_ENV_PATH).",
)

_Command = TypeVar("_Command", bound=Callable[..., Any])
_DATABASE_OPTIONS = (
    click.option("--db", "db_path", type=click.Path(dir_okay=False, exists=True),
                 help="A τ²-bench-layout database JSON to use instead of the generated one."),
    click.option("--db-seed", type=int, default=0, show_default=True, help="Seed of the generated database."),
    click.option("--db-size", type=click.IntRange(min=1), default=1, show_default=True,
                 help="Scale of the generated database."),
)


def database_options(command: _Command) -> _Command:
    """The options --db, --db-seed and --db-size, in that order."""
    for option in reversed(_DATABASE_OPTIONS):
        command = option(command)
    return command
