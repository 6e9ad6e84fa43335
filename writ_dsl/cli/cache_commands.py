"""writ cache: what an LLM run's response cache holds, and clearing it."""

from __future__ import annotations

from pathlib import Path

import click

from .. import api

_folder = click.argument("folder", required=False, type=click.Path(path_type=Path))
_file = click.option("--cache", "file", type=click.Path(path_type=Path), metavar="FILE",
                     help="A cache file shared between runs (as given to writ run/synth --cache).")


@click.group("cache")
def cache_group() -> None:
    """The response cache of LLM runs: DIR/responses.sqlite, or the file given with --cache."""


@cache_group.command("info")
@_folder
@_file
def info_command(folder: Path | None, file: Path | None) -> None:
    """Where the cache of run folder FOLDER (or --cache FILE) lives, how many answers it holds, its size."""
    found = api.cache_info(folder, file)
    if not found.exists:
        click.echo(f"no response cache at {found.path}")
        return
    click.echo(f"{found.path}: {found.entries} cached answers, {_size(found.size)}")


@cache_group.command("clear")
@_folder
@_file
def clear_command(folder: Path | None, file: Path | None) -> None:
    """Remove every cached answer of run folder FOLDER (or --cache FILE): the next run asks the model anew."""
    found = api.clear_cache(folder, file)
    if not found.exists:
        click.echo(f"no response cache at {found.path}: nothing to clear")
        return
    click.echo(f"cleared {found.entries} cached answers ({_size(found.size)}) from {found.path}")


def _size(size: int) -> str:
    if size < 1024:
        return f"{size} bytes"
    return f"{size / 1024:.1f} KB" if size < 1024 * 1024 else f"{size / 1024 / 1024:.1f} MB"
