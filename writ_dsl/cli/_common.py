"""Shared CLI plumbing: one place that turns outcomes into exit statuses."""

from __future__ import annotations

import sys
from typing import Any

import click

from ..errors import WritError

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
            click.echo(f"writ: error: {exc}", err=True)
            sys.exit(EXIT_PROBLEMS)
        except KeyboardInterrupt:
            click.echo("writ: interrupted", err=True)
            sys.exit(EXIT_INTERRUPTED)


env_path_option = click.option(
    "--env-path",
    "env_path",
    multiple=True,
    type=click.Path(file_okay=False),
    help="Extra folder of environments (repeatable; also $WRIT_ENV_PATH).",
)
