"""The pipeline as typed functions: each stage takes the previous stage's output.

``load`` reads and parses spec files (with their imports); ``check`` runs the
semantic checks over what loaded. The CLI is a thin shell over these.
"""

from __future__ import annotations

import gc
from collections.abc import Iterable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path

import jinja2

from . import diagnostics as diag
from .env.registry import find_domain
from .lang import checks, templates
from .lang.loader import LoadedSpec, LoadResult, load_all
from .lang.parser import too_deep


@dataclass
class CheckResult:
    """What ``writ check`` reports: every diagnostic, and the texts and files they point into."""

    diagnostics: list[diag.Diagnostic] = field(default_factory=list)
    sources: dict[str, str] = field(default_factory=dict)
    files: dict[str, Path] = field(default_factory=dict)
    checked: int = 0

    @property
    def errors(self) -> int:
        return sum(d.is_error for d in self.diagnostics)

    @property
    def warnings(self) -> int:
        return sum(d.severity is diag.Severity.WARNING for d in self.diagnostics)


def load(paths: Iterable[str | Path]) -> LoadResult:
    """Stage 1: every ``.writ`` file under ``paths``, parsed, with its imports."""
    return load_all(paths)


def check(specs: Sequence[LoadedSpec], *, env_path: Sequence[str | Path] = (),
          template_env: jinja2.Environment | None = None) -> list[diag.Diagnostic]:
    """Stage 2: the semantic checks of every loaded file and of every file it imports."""
    template_env = template_env or templates.environment()
    found: set[diag.Diagnostic] = set()
    for spec, env_name in _files_with_env(specs).values():
        domain, problem = find_domain(env_name, env_path) if env_name else (None, None)
        own_problem = problem if env_name == spec.env_name else None
        try:
            found.update(checks.check_spec(spec, domain, env_problem=own_problem, template_env=template_env))
        except RecursionError:
            found.add(too_deep(spec.display_path))
    return sorted(found, key=diag.Diagnostic.sort_key)


def check_paths(paths: Iterable[str | Path], *, env_path: Sequence[str | Path] = ()) -> CheckResult:
    """``load`` then ``check``: what ``writ check PATH...`` does."""
    with no_cycle_collection():
        loaded = load(paths)
        problems = set(loaded.diagnostics) | set(check(loaded.loaded, env_path=env_path))
    ordered = sorted(checks.without_knock_on(problems), key=diag.Diagnostic.sort_key)
    return CheckResult(ordered, loaded.sources, loaded.files, checked=len(loaded.specs))


@contextmanager
def no_cycle_collection() -> Iterator[None]:
    """Pause Python's cycle collector while syntax trees pile up (they hold no cycles; it would
    rescan them again and again); reference counting still frees everything at once."""
    was_enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was_enabled:
            gc.enable()


def _files_with_env(specs: Sequence[LoadedSpec]) -> dict[Path, tuple[LoadedSpec, str | None]]:
    """Every file to check, with the environment it is checked against: its own, else its importer's."""
    found: dict[Path, tuple[LoadedSpec, str | None]] = {}
    for root in specs:
        for spec in root.closure():
            env_name = spec.env_name or root.env_name
            if spec.path not in found or (found[spec.path][1] is None and env_name is not None):
                found[spec.path] = (spec, env_name)
    return found
