"""Export formats: one small module per format, read from a finished run folder.

Each format module has ``NAME``, ``SUMMARY``, ``OUTPUT`` ("file" or "folder")
and ``write(source, out, options) -> rows written``. Adding a format means one
module here, one entry in :data:`FORMATS`, and one golden folder under
``tests/exports/<format>/``.
"""

from __future__ import annotations

from pathlib import Path
from types import ModuleType

from ..errors import InputError
from . import hf, openai, sharegpt, tau2_results, tau2_tasks, trl
from .options import ExportOptions
from .source import RunSource

FORMATS: dict[str, ModuleType] = {module.NAME: module for module in
                                  (openai, hf, sharegpt, trl, tau2_tasks, tau2_results)}
ALIASES = {"tau2": "tau2-tasks"}


def format_module(name: str) -> ModuleType:
    module = FORMATS.get(ALIASES.get(name, name))
    if module is None:
        raise InputError(f"unknown export format '{name}' (known: {', '.join(FORMATS)})")
    return module


def export_run(name: str, source: str | Path, out: str | Path, options: ExportOptions = ExportOptions()) -> int:
    """Write ``source`` (a run folder; a tasks.jsonl for tau2-tasks) in format ``name`` to ``out``; rows written."""
    module = format_module(name)
    source_path, out_path = Path(source), Path(out)
    if not source_path.exists():
        raise InputError(f"{source}: no such file or folder")
    if module.OUTPUT == "file" and out_path.is_dir():
        raise InputError(f"{out}: is a folder; the {module.NAME} export writes one file")
    if module.OUTPUT == "folder" and out_path.is_file():
        raise InputError(f"{out}: is a file; the {module.NAME} export writes a folder")
    _refuse_overwriting_the_source(source_path, out_path)
    return module.write(RunSource(source_path), out_path, options)


def _refuse_overwriting_the_source(source: Path, out: Path) -> None:
    """An export never replaces what it reads: the source itself, or a file the source run folder holds (its
    run.sqlite is the run: replacing it loses the run)."""
    target, origin = out.resolve(), source.resolve()
    if target == origin or (origin.is_dir() and target.parent == origin and target.exists()):
        raise InputError(f"{out}: would overwrite what the export reads ({source}); write it elsewhere")


__all__ = ["ALIASES", "FORMATS", "ExportOptions", "RunSource", "export_run", "format_module"]
