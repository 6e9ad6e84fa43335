"""writ env: list, show and generate environments."""

from __future__ import annotations

import click
from rich.console import Console
from rich.markup import escape
from rich.table import Table
from rich.text import Text

from .. import api
from ._common import DB_SIZE_MAX, env_path_option


def _console() -> Console:
    """A console on the current stdout, wide enough for signatures when it is not a terminal."""
    console = Console()
    return console if console.is_terminal else Console(width=200)


@click.group("env")
def env_group() -> None:
    """List, inspect and generate environments."""


@env_group.command("list")
@env_path_option
def list_command(env_path: tuple[str, ...]) -> None:
    """List the environments on the search path."""
    table = Table("name", "tools", "source")
    for entry in api.list_environments(env_path):
        tools = str(entry.tool_count) if entry.problem is None else f"not loadable: {entry.problem}"
        table.add_row(Text(entry.name), Text(tools), Text(str(entry.folder)))
    _console().print(table)


@env_group.command("show")
@click.argument("name")
@click.option("--results", is_flag=True, help="Show what each tool returns and the fields of every record.")
@env_path_option
def show_command(name: str, results: bool, env_path: tuple[str, ...]) -> None:
    """Show an environment: its description, tables and tools."""
    domain = api.environment(name, env_path)
    if results:
        click.echo("\n".join(api.result_shapes(domain)))
        return
    console = _console()
    console.print(f"[bold]{escape(domain.name)}[/bold]: {escape(domain.description)}")
    console.print(Text(f"source: {domain.path}"))
    for table_name, fields in domain.db_schema.items():
        console.print(Text(f"table {table_name}: {', '.join(sorted(fields))}"))
    table = Table("tool", "kind", "signature", title=f"{len(domain.tools)} tools")
    for tool in domain.tools.values():
        table.add_row(Text(tool.name), Text(tool.kind.value), Text(tool.signature()))
    console.print(table)


@env_group.command("tools")
@click.argument("name")
@click.option("--format", "fmt", type=click.Choice(["openai"]), default="openai", show_default=True)
@env_path_option
def tools_command(name: str, fmt: str, env_path: tuple[str, ...]) -> None:
    """Print an environment's tool schemas as JSON."""
    domain = api.environment(name, env_path)
    click.echo(api.tools_json(domain), nl=False)


@env_group.command("db")
@click.argument("name")
@click.option("--seed", type=int, default=0, show_default=True, help="Generator seed.")
@click.option("--size", type=click.IntRange(1, DB_SIZE_MAX), default=1, show_default=True, help="Scale factor.")
@click.option("-o", "--output", type=click.Path(dir_okay=False), default="-", help="Output file (default stdout).")
@env_path_option
def db_command(name: str, seed: int, size: int, output: str, env_path: tuple[str, ...]) -> None:
    """Generate an environment's database as τ²-bench-layout JSON."""
    domain = api.environment(name, env_path)
    database = api.generate_database(domain, seed, size)
    text = database.to_json()
    if output == "-":
        click.echo(text, nl=False)
        return
    api.write_text(output, text)
    counts = ", ".join(f"{table}={len(rows)}" for table, rows in database.tables.items())
    click.echo(f"wrote {output} ({counts}; state hash {database.state_hash()[:16]})", err=True)


@env_group.command("new")
@click.argument("name")
@click.option("--root", type=click.Path(file_okay=False), default=".", show_default=True,
              help="Where envs/NAME and specs/NAME are created.")
def new_command(name: str, root: str) -> None:
    """Scaffold a new environment (tools, result shapes, database generator, policy, tests) and an example spec."""
    made = api.new_environment(name, root)
    for path in made.files:
        click.echo(f"created {path}")
    click.echo(f"\nnext:\n  writ compile {made.specs} --env-path {made.envs} -n 5\n"
               f"  writ synth {made.specs} --env-path {made.envs} -n 20 -o runs/{name}\n"
               f"  pytest {made.envs / name / 'tests'}\n"
               "then follow docs/environments.md to make it your own.")
