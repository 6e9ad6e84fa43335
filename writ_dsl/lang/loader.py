"""Load a .writ file with its imports into a :class:`LoadedSpec`.

Imports are resolved relative to the importing file and must stay inside the
library root: the nearest folder above the file that holds a ``writ.toml``
(or, when there is none, the file's own folder). Import cycles are errors.
"""

from __future__ import annotations

import hashlib
import os
from collections.abc import Iterable
from dataclasses import dataclass, field
from functools import cached_property, lru_cache
from pathlib import Path

from .. import diagnostics as diag
from . import ast
from .limits import LIBRARY_MARKER, Limits, read_limits
from .parser import parse_text, too_large

__all__ = ["LIBRARY_MARKER", "LoadedSpec", "LoadResult", "load_all", "load_spec", "library_root", "spec_files"]
SPEC_SUFFIX = ".writ"


@dataclass
class LoadedSpec:
    path: Path
    root: Path
    source: str
    module: ast.Module
    imports: list[LoadedSpec] = field(default_factory=list)
    limits: Limits = field(default_factory=Limits)

    @cached_property
    def display_path(self) -> str:
        """The path as diagnostics show it (worked out once: it asks the file system)."""
        return display_path(self.path, self.root)

    @property
    def env_name(self) -> str | None:
        env = self.module.env
        return env.name.name if env else None

    def closure(self) -> list[LoadedSpec]:
        """This spec and every spec it imports, transitively, each once, imports first."""
        seen: dict[Path, LoadedSpec] = {}
        _visit(self, seen)
        return list(seen.values())

    def behaviors(self) -> dict[str, ast.BehaviorDecl]:
        return {b.name.name: b for spec in self.closure() for b in spec.module.behaviors}

    def shared(self) -> dict[str, ast.ParamStmt | ast.LetStmt]:
        return {s.name.name: s for spec in self.closure() for s in spec.module.shared}

    @property
    def spec_hash(self) -> str:
        digest = hashlib.sha256()
        for spec in self.closure():
            digest.update(spec.display_path.encode() + b"\0" + spec.source.encode() + b"\0")
        return digest.hexdigest()


def _visit(spec: LoadedSpec, seen: dict[Path, LoadedSpec]) -> None:
    """Add ``spec``'s imports, then ``spec``, to ``seen`` (a plain function: a nested one that calls itself
    is a reference cycle, left to the cycle collector)."""
    if spec.path in seen:
        return
    for child in spec.imports:
        _visit(child, seen)
    seen[spec.path] = spec


def library_root(path: Path) -> Path:
    for folder in path.resolve().parents:
        if (folder / LIBRARY_MARKER).is_file():
            return folder
    return path.resolve().parent


def display_path(path: Path, root: Path) -> str:
    try:
        return path.resolve().relative_to(root.parent if root.parent != root else root).as_posix()
    except ValueError:
        return path.as_posix()


def load_spec(path: Path, root: Path | None = None) -> tuple[LoadedSpec | None, list[diag.Diagnostic]]:
    """Parse ``path`` and its imports; diagnostics from every file involved."""
    root = (root or library_root(path)).resolve()
    return _Loader(root).load(path.resolve(), chain=())


@dataclass
class LoadResult:
    """Loaded files (None where a file did not load), every diagnostic, and every text read."""

    specs: list[LoadedSpec | None] = field(default_factory=list)
    diagnostics: list[diag.Diagnostic] = field(default_factory=list)
    sources: dict[str, str] = field(default_factory=dict)  # display path -> text
    files: dict[str, Path] = field(default_factory=dict)  # display path -> file

    @property
    def loaded(self) -> list[LoadedSpec]:
        return [spec for spec in self.specs if spec is not None]


def spec_files(paths: Iterable[str | Path]) -> tuple[list[Path], list[diag.Diagnostic]]:
    """The files named and the ``*.writ`` files under the folders named, each once, in sorted order."""
    found: dict[Path, None] = {}
    problems = []
    for raw in paths:
        path = Path(raw)
        if path.is_dir():
            inside = _specs_under(path, problems)
            if not inside:
                problems.append(diag.make("no-specs", path.as_posix(), None, severity=diag.Severity.WARNING,
                                          what=path.as_posix()))
            found.update(dict.fromkeys(p.resolve() for p in inside))
        else:
            found[path.resolve()] = None
    return sorted(found), problems


def _specs_under(folder: Path, problems: list[diag.Diagnostic]) -> list[Path]:
    """The ``*.writ`` files under ``folder``, sorted; a folder that cannot be listed, or a ``*.writ`` name
    that is no readable file (a dangling link, a loop of links), is a problem, never silently left out."""
    found = []

    def unreadable(exc: OSError) -> None:
        shown = Path(exc.filename or folder).as_posix()
        problems.append(diag.make("io", shown, None, what=f"the folder {shown}", detail=exc.strerror or str(exc)))

    seen = set()
    for where, folders, names in os.walk(folder, onerror=unreadable, followlinks=True):
        seen.add(os.path.realpath(where))
        folders[:] = [f for f in folders if os.path.realpath(os.path.join(where, f)) not in seen]  # link loops
        for name in names:
            if name.endswith(SPEC_SUFFIX):
                candidate = Path(where) / name
                if candidate.is_file():
                    found.append(candidate)
                else:
                    problems.append(diag.make("io", candidate.as_posix(), None, what=candidate.as_posix(),
                                              detail="not a file (a dangling link or a loop of links?)"))
    return sorted(found)


def load_all(paths: Iterable[str | Path]) -> LoadResult:
    """Load every spec file under ``paths``; files of one library share one parse of each import."""
    files, problems = spec_files(paths)
    result = LoadResult(diagnostics=problems)
    loaders: dict[Path, _Loader] = {}
    for path in files:
        root = library_root(path)
        loader = loaders.setdefault(root, _Loader(root))
        spec, _ = loader.load(path, chain=())
        result.specs.append(spec)
    for loader in loaders.values():
        result.diagnostics.extend(loader.diagnostics)
        result.sources.update(loader.sources)
        result.files.update(loader.files)
    result.diagnostics = sorted(set(result.diagnostics), key=diag.Diagnostic.sort_key)
    return result


def load_source(path: Path, text: str) -> tuple[LoadedSpec | None, list[diag.Diagnostic]]:
    """Like :func:`load_spec`, with the text of ``path`` given (an editor's unsaved buffer); imports from disk."""
    path = path.resolve()
    return _Loader(library_root(path).resolve(), overrides={path: text}).load(path, chain=())


class _Loader:
    def __init__(self, root: Path, overrides: dict[Path, str] | None = None) -> None:
        self.root = root
        self.overrides = overrides or {}
        self.cache: dict[Path, LoadedSpec | None] = {}
        self.limits, self.diagnostics = read_limits(root)
        self.sources: dict[str, str] = {}
        self.files: dict[str, Path] = {}

    def load(self, path: Path, chain: tuple[Path, ...]) -> tuple[LoadedSpec | None, list[diag.Diagnostic]]:
        spec = self._load(path, chain)
        return spec, self.diagnostics

    def _load(self, path: Path, chain: tuple[Path, ...]) -> LoadedSpec | None:
        if path in self.cache:
            return self.cache[path]
        shown = display_path(path, self.root)
        self.files[shown] = path
        source = self.overrides[path] if path in self.overrides else self._read(path, shown)
        if source is None:
            self.cache[path] = None
            return None
        self.sources[shown] = source
        module, problems = parsed(source, shown, self.limits)
        self.diagnostics.extend(problems)
        if module is None:
            self.cache[path] = None
            return None
        spec = LoadedSpec(path=path, root=self.root, source=source, module=module, limits=self.limits)
        self.cache[path] = spec
        spec.imports = self._imports(spec, chain + (path,))
        return spec

    def _read(self, path: Path, shown: str) -> str | None:
        """The file's text; unreadable, too large or not UTF-8 is a diagnostic (located where it can be)."""
        limit = self.limits.file_bytes
        try:
            if path.exists() and not (path.is_file() or path.is_dir()):  # reading a pipe could wait forever
                raise OSError(0, "not a regular file (a pipe or a device)")
            with path.open("rb") as handle:
                data = handle.read(limit + 1)
                size = len(data) if len(data) <= limit else path.stat().st_size
        except OSError as exc:
            self.diagnostics.append(diag.make("io", shown, None, what="the file", detail=_reason(exc)))
            return None
        if size > limit:
            self.diagnostics.append(too_large(data.decode("utf-8-sig", "replace"), shown, limit, size))
            return None
        try:
            return data.decode("utf-8-sig")
        except UnicodeDecodeError as exc:
            self.diagnostics.append(not_utf8(data, exc, shown))
            return None

    def _imports(self, spec: LoadedSpec, chain: tuple[Path, ...]) -> list[LoadedSpec]:
        loaded = []
        for decl in spec.module.imports:
            target = self._resolve(spec, decl, chain)
            child = self._load(target, chain) if target is not None else None
            if child is not None:
                loaded.append(child)
        return loaded

    def _resolve(self, spec: LoadedSpec, decl: ast.ImportDecl, chain: tuple[Path, ...]) -> Path | None:
        target = import_target(spec.path, decl)
        where = spec.display_path
        if target is None:
            self._report("import-not-found", where, decl, path=decl.path.value)
        elif not target.is_relative_to(self.root):
            notes = [] if (self.root / LIBRARY_MARKER).is_file() else [diag.NOTES["no-library-root"].format(
                marker=LIBRARY_MARKER, folder=str(self.root))]
            self.diagnostics.append(diag.make("import-outside-root", where, decl.path.span, notes=notes,
                                              path=decl.path.value, root=str(self.root)))
        elif len(chain) >= self.limits.import_depth:
            self._report("import-too-deep", where, decl, limit=str(self.limits.import_depth))
        elif target in chain:
            cycle = " -> ".join(display_path(p, self.root) for p in (*chain[chain.index(target):], target))
            self._report("import-cycle", where, decl, cycle=cycle)
        elif not _is_file(target):
            self._report("import-not-found", where, decl, path=decl.path.value)
        else:
            return target
        return None

    def _report(self, code: str, where: str, decl: ast.ImportDecl, **fields: str) -> None:
        self.diagnostics.append(diag.make(code, where, decl.path.span, **fields))


@lru_cache(maxsize=256)
def _parse_once(source: str, shown: str, limits: Limits) -> tuple[ast.Module | None, tuple[diag.Diagnostic, ...]]:
    module, problems = parse_text(source, shown, limits)
    return module, tuple(problems)


def parsed(source: str, shown: str, limits: Limits = Limits()) -> tuple[ast.Module | None, list[diag.Diagnostic]]:
    """``parse_text``, parsed once per process for the same text, path and limits: a file that many specs
    import (``specs/common/*.writ``) is parsed once per run. Syntax trees are immutable, so sharing is safe."""
    module, problems = _parse_once(source, shown, limits)
    return module, list(problems)


def forget_parses() -> None:
    """Empty the parse cache (benchmarks: to measure parsing, not the cache)."""
    _parse_once.cache_clear()


def import_target(importer: Path, decl: ast.ImportDecl) -> Path | None:
    """The file an import names, resolved against the importing file; None if it cannot be a path."""
    try:
        return (importer.parent / decl.path.value).resolve()
    except (OSError, ValueError):
        return None


def _is_file(path: Path) -> bool:
    try:
        return path.is_file()
    except (OSError, ValueError):
        return False


def not_utf8(data: bytes, exc: UnicodeDecodeError, shown: str) -> diag.Diagnostic:
    """A located diagnostic at the first byte that is not UTF-8."""
    good = data[:exc.start]
    line = good.count(b"\n") + 1
    column = len(good[good.rfind(b"\n") + 1:].decode("utf-8", "replace")) + 1
    span = ast.Span(line=line, column=column, end_line=line, end_column=column + 1)
    return diag.make("bad-encoding", shown, span, byte=f"{data[exc.start]:02x}")


def _reason(exc: Exception) -> str:
    if isinstance(exc, UnicodeDecodeError):
        return "not UTF-8 text"
    return getattr(exc, "strerror", None) or str(exc)
