"""writ export (a finished run folder in another tool's format) and writ schema (the JSON Schema of a file)."""

from __future__ import annotations

import json
from pathlib import Path

import click

from .. import api

_FORMATS = api.export_formats()
_HELP = ("Write the run in RUN_DIR in FORMAT (-o is a file, or a folder for hf and tau2-results).\n\n\b\n"
         + "\n".join(f"{name:13} {summary}" for name, summary in _FORMATS.items())
         + "\n(tau2: RUN_DIR may also be a tasks.jsonl file)")


@click.command("export", help=_HELP)
@click.argument("fmt", metavar="FORMAT", type=click.Choice(list(_FORMATS)))
@click.argument("source", metavar="RUN_DIR", type=click.Path(exists=True, path_type=Path))
@click.option("-o", "--output", required=True, type=click.Path(path_type=Path),
              help="Output file (a folder for hf and tau2-results).")
@click.option("--validation-share", type=click.FloatRange(0, 1), default=0.1, show_default=True,
              help="hf: share of templates held out for the validation split.")
@click.option("--split-seed", type=int, default=0, show_default=True, help="hf: which templates are held out.")
def export_command(fmt: str, source: Path, output: Path, validation_share: float, split_seed: int) -> None:
    running = api.run_in_progress(source)
    rows, unit = api.export_as(fmt, source, output, validation_share=validation_share, split_seed=split_seed)
    click.echo(f"wrote {rows} {unit} to {output}", err=True)
    if running:
        click.echo(f"writ: warning: a run is still writing into {source}; this export holds only the dialogues "
                   "finished so far (export again when it ends)", err=True)


@click.command("schema")
@click.argument("name", type=click.Choice(api.schema_names()))
def schema_command(name: str) -> None:
    """Print the JSON Schema of a file writ writes: a line of trajectories.jsonl (trajectory),
    rejects.jsonl (reject) or tasks.jsonl (task), or a run's manifest.json (manifest)."""
    click.echo(json.dumps(api.json_schema(name), indent=2, ensure_ascii=False))
