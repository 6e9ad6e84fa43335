"""writ stats: counts and distributions of compiled tasks or a synthesis output."""

from __future__ import annotations

import json
from collections import Counter
from pathlib import Path

import click
from rich.console import Console
from rich.table import Table

from .. import api


@click.command("stats")
@click.argument("path", type=click.Path(exists=True, path_type=Path))
@click.option("--plots", "plots_dir", type=click.Path(file_okay=False, path_type=Path),
              help="Write plot images to this folder (default: PATH/plots for a folder).")
@click.option("--plot-format", type=click.Choice(["png", "svg"]), default="png", show_default=True)
@click.option("--no-plots", is_flag=True, help="Print the tables only.")
@click.option("--json", "as_json", is_flag=True, help="Print the statistics as JSON instead of tables.")
def stats_command(path: Path, plots_dir: Path | None, plot_format: str, no_plots: bool, as_json: bool) -> None:
    """Counts by domain and type, writes per task, evidence burden per write,
    dialogue lengths and rejection reasons of PATH (a tasks.jsonl or an output folder)."""
    stats = api.collect_stats(path)
    if as_json:
        click.echo(json.dumps(stats.to_json(), indent=2))
    else:
        _print_tables(stats)
    if not no_plots:
        target = plots_dir or (path / "plots" if path.is_dir() else path.with_name(path.stem + "_plots"))
        files = api.write_plots(stats, target, plot_format)
        click.echo(f"plots: {', '.join(str(f) for f in files)}", err=as_json)


def _print_tables(stats: api.Stats) -> None:
    console = Console()
    console.print(_types_table(stats))
    console.print(_histogram_table("writes per task", stats.writes_per_task, "tasks"))
    console.print(_histogram_table("evidence burden per write", stats.burden_per_write, "writes"))
    if stats.dialogue_lengths:
        console.print(_histogram_table("messages per dialogue", stats.dialogue_lengths, "dialogues"))
    if stats.by_behavior:
        console.print(_counts_table(f"{stats.unit} per user behaviour", "behaviour", stats.by_behavior, stats.unit))
    if stats.by_template:
        console.print(_counts_table(f"{stats.unit} per template", "template", stats.by_template, stats.unit))
    tokens = api.token_summary(stats)
    if tokens:
        console.print(f"tokens per dialogue ({tokens['tokenizer']}): mean {tokens['mean']}, median "
                      f"{tokens['median']}, max {tokens['max']}, total {tokens['total']}")
    if stats.rejections:
        console.print(_rejections_table(stats.rejections))
    if stats.quality is not None:
        console.print("\n".join(stats.quality.summary_lines()), highlight=False)
    for table in _run_tables(stats.run):
        console.print(table)


def _run_tables(run: dict) -> list[Table]:
    """Verified rate against evidence burden and writes, pass^k, blame and token usage of a run folder."""
    tables = []
    for key, title in (("verified_rate_by_evidence_burden", "verified rate by evidence burden (largest per task)"),
                       ("verified_rate_by_writes", "verified rate by writes per task")):
        if run.get(key):
            table = Table(title=title)
            for column in ("value", "passed", "tried", "rate"):
                table.add_column(column, justify="right")
            for value, row in run[key].items():
                rate = "-" if row["rate"] is None else f"{100 * row['rate']:.1f}%"
                table.add_row(value, str(row["passed"]), str(row["tried"]), rate)
            tables.append(table)
    attempts = run.get("attempts")
    if attempts:
        table = Table(title=f"attempts (k = {attempts['k']}, keep {attempts['keep']})")
        keys = [k for k in ("tasks", "dialogues", "solved", "pass^1", f"pass^{attempts['k']}") if k in attempts]
        for key in ["template", *keys]:
            table.add_column(key, justify="right")
        for name, row in [("all", attempts), *attempts.get("by_template", {}).items()]:
            table.add_row(name, *(str(row.get(key)) for key in keys))
        tables.append(table)
    blame = run.get("blame")
    if blame:
        table = Table(title="blame: dialogues that did not verify, by who spoiled them")
        for column in ("party", "fault", "dialogues"):
            table.add_column(column, justify="right" if column == "dialogues" else "left")
        for party in ("agent", "user", "endpoint"):
            table.add_row(party, "all", str(blame.get(party, 0)))
            for fault, count in (blame.get("faults") or {}).items():
                if fault.startswith(f"{party}:"):
                    table.add_row("", fault.removeprefix(f"{party}:"), str(count))
        tables.append(table)
    usage = run.get("usage")
    if usage:
        table = Table(title="token usage")
        for column in ("role", "prompt tokens", "completion tokens", "completions"):
            table.add_column(column, justify="right")
        for role, row in [("all", usage), *usage.get("by_role", {}).items()]:
            table.add_row(role, str(row["prompt_tokens"]), str(row["completion_tokens"]), str(row["completions"]))
        tables.append(table)
    return tables


def _counts_table(title: str, name: str, counter: Counter[str], unit: str) -> Table:
    table = Table(title=title)
    table.add_column(name)
    table.add_column(unit, justify="right")
    for key in sorted(counter):
        table.add_row(key, str(counter[key]))
    return table


def _types_table(stats: api.Stats) -> Table:
    table = Table(title=f"{stats.total} {stats.unit} by domain and trajectory type")
    table.add_column("domain")
    for kind in stats.TYPES:
        table.add_column(kind, justify="right")
    table.add_column("total", justify="right")
    for domain in sorted({d for d, _ in stats.by_domain_type}):
        counts = [stats.by_domain_type.get((domain, kind), 0) for kind in stats.TYPES]
        table.add_row(domain, *map(str, counts), str(sum(counts)))
    return table


def _histogram_table(title: str, counter: Counter[int], unit: str) -> Table:
    table = Table(title=title)
    table.add_column("value", justify="right")
    table.add_column(unit, justify="right")
    table.add_column("share", justify="right")
    total = sum(counter.values()) or 1
    for value in sorted(counter):
        table.add_row(str(value), str(counter[value]), f"{100 * counter[value] / total:.1f}%")
    return table


def _rejections_table(rejections: Counter[str]) -> Table:
    table = Table(title="rejections by reason")
    table.add_column("reason")
    table.add_column("count", justify="right")
    for reason, count in sorted(rejections.items(), key=lambda kv: (-kv[1], kv[0])):
        table.add_row(reason, str(count))
    return table
