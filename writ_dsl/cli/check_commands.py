"""writ check and writ fmt: report problems in specs, and print specs in their canonical layout."""

from __future__ import annotations

import dataclasses
import difflib
import sys
from pathlib import Path

import click

from .. import api
from .. import diagnostics as diag
from ..errors import WritError
from ._common import EXIT_OK, EXIT_PROBLEMS, env_path_option

_paths_argument = click.argument("paths", nargs=-1, required=True, type=click.Path(exists=True))


@click.command("check")
@_paths_argument
@click.option("--format", "output", type=click.Choice(["text", "json", "github"]), default="text",
              show_default=True, help="How to print the diagnostics.")
@click.option("--strict", is_flag=True, help="Treat warnings as errors.")
@env_path_option
def check_command(paths: tuple[str, ...], output: str, strict: bool, env_path: tuple[str, ...]) -> None:
    """Check .writ files (and the *.writ files under folders) without compiling them."""
    result = api.check_paths(paths, env_path=env_path)
    found = sorted((_shown(d, result.files, strict) for d in result.diagnostics), key=diag.Diagnostic.sort_key)
    sources = {_shown_path(path, result.files): text for path, text in result.sources.items()}
    if output == "json":
        click.echo(diag.format_json(found))
    else:
        for d in found:
            click.echo(diag.format_github(d) if output == "github" else diag.format_text(d, sources.get(d.path)))
        click.echo(_summary(found, result.checked))
    sys.exit(EXIT_PROBLEMS if diag.has_errors(found) else EXIT_OK)


def _shown(d: diag.Diagnostic, files: dict[str, Path], strict: bool) -> diag.Diagnostic:
    severity = diag.Severity.ERROR if strict and d.severity is diag.Severity.WARNING else d.severity
    return dataclasses.replace(diag.with_typed_paths([d], files)[0], severity=severity)


def _shown_path(display: str, files: dict[str, Path]) -> str:
    """A diagnostic's file as the user would type it: relative to the working folder when inside it."""
    path = files.get(display)
    return display if path is None else _relative(path)


def _summary(found: list[diag.Diagnostic], files: int) -> str:
    errors = sum(d.is_error for d in found)
    warnings = sum(d.severity is diag.Severity.WARNING for d in found)
    return f"{_count(errors, 'error')}, {_count(warnings, 'warning')} in {_count(files, 'file')}"


def _count(n: int, word: str) -> str:
    return f"{n} {word}{'' if n == 1 else 's'}"


@click.command("fmt")
@click.argument("paths", nargs=-1, required=True, type=click.Path(exists=True, allow_dash=True))
@click.option("--check", "check_only", is_flag=True, help="Change nothing; exit 1 if a file would change.")
@click.option("--diff", "show_diff", is_flag=True, help="Change nothing; print what would change as a diff.")
def fmt_command(paths: tuple[str, ...], check_only: bool, show_diff: bool) -> None:
    """Rewrite .writ files in the canonical layout (comments are kept); `-` formats standard input to
    standard output."""
    if "-" in paths:
        _format_stdin(paths, check_only, show_diff)
    files = api.spec_files(paths)
    changed = failed = 0
    for path in files:
        outcome = _format_file(path, write=not (check_only or show_diff), show_diff=show_diff)
        changed += outcome == "changed"
        failed += outcome == "failed"
    verb = "would be reformatted" if check_only or show_diff else "reformatted"
    click.echo(f"{_count(changed, 'file')} {verb}, {len(files) - changed - failed} unchanged"
               + (f", {failed} not formatted (errors)" if failed else ""), err=True)
    problems = failed or (check_only and changed)
    sys.exit(EXIT_PROBLEMS if problems else EXIT_OK)


def _format_stdin(paths: tuple[str, ...], check_only: bool, show_diff: bool) -> None:
    if len(paths) > 1:
        raise click.UsageError("`-` (standard input) cannot be combined with other paths")
    source = sys.stdin.buffer.read()
    formatted, problems = api.format_bytes(source)
    text = source.decode("utf-8", "replace")
    for d in problems:
        click.echo(diag.format_text(d, text), err=True)
    if formatted is None:
        sys.exit(EXIT_PROBLEMS)
    if show_diff:
        click.echo(_diff(text, formatted, "<stdin>"), nl=False)
    elif not check_only:
        click.echo(formatted, nl=False)
    sys.exit(EXIT_PROBLEMS if check_only and formatted != text else EXIT_OK)


def _format_file(path: Path, *, write: bool, show_diff: bool) -> str:
    """Format one file; "changed", "unchanged" or "failed" (problems are printed)."""
    shown = _relative(path)
    source = _read(path, shown)
    formatted, problems = api.format_source(source, shown, path) if source is not None else (None, [])
    for d in problems:
        click.echo(diag.format_text(d, source), err=True)
    if formatted is None or source is None:
        return "failed"
    if formatted == source:
        return "unchanged"
    if show_diff:
        click.echo(_diff(source, formatted, shown), nl=False)
    elif not write:
        click.echo(f"would reformat {shown}", err=True)
    elif not _write(path, formatted, shown):
        return "failed"
    return "changed"


def _read(path: Path, shown: str) -> str | None:
    try:
        return path.read_text(encoding="utf-8-sig")
    except (OSError, UnicodeDecodeError) as exc:
        detail = "not UTF-8 text" if isinstance(exc, UnicodeDecodeError) else exc.strerror or str(exc)
        click.echo(diag.format_text(diag.make("io", shown, None, what="the file", detail=detail)), err=True)
        return None


def _write(path: Path, text: str, shown: str) -> bool:
    try:
        api.write_text(path, text)
    except WritError as exc:
        click.echo(f"writ: error: {exc}", err=True)
        return False
    click.echo(f"reformatted {shown}", err=True)
    return True


def _diff(before: str, after: str, shown: str) -> str:
    lines = difflib.unified_diff(before.splitlines(True), after.splitlines(True), shown, f"{shown} (formatted)")
    return "".join(line if line.endswith("\n") else line + "\n\\ No newline at end of file\n" for line in lines)


def _relative(path: Path) -> str:
    return diag.as_typed(path)
