"""Find environments (domains) by name: the bundled ones and a user's search path.

An environment is a folder holding an ``__init__.py`` that defines ``DOMAIN``,
a :class:`writ_dsl.env.core.Domain`. Folders on the search path
(``--env-path`` options, then ``$WRIT_ENV_PATH``, ``os.pathsep``-separated)
come before the bundled ``envs/``, so a user may override a bundled domain.
"""

from __future__ import annotations

import hashlib
import importlib.util
import os
import sys
from collections.abc import Sequence
from pathlib import Path

from ..resources import bundled_dir
from .core import Domain

ENV_PATH_VARIABLE = "WRIT_ENV_PATH"
_loaded: dict[Path, Domain] = {}
_found: dict[tuple[str, tuple[str, ...], str], Domain] = {}  # (name, search path, $WRIT_ENV_PATH) -> domain


class UnknownEnvironment(LookupError):
    def __init__(self, name: str, known: Sequence[str]) -> None:
        self.name = name
        self.known = list(known)
        super().__init__(f"unknown environment '{name}' (known: {', '.join(self.known) or 'none'}; an environment "
                         f"of your own is found with --env-path FOLDER or ${ENV_PATH_VARIABLE})")


class BrokenEnvironment(UnknownEnvironment):
    """An environment folder exists but cannot be loaded (its code fails, or DOMAIN is missing)."""

    def __init__(self, name: str, folder: Path, reason: str) -> None:
        LookupError.__init__(self, f"environment '{name}' cannot be loaded from {folder}: {reason}")
        self.reason = reason
        self.name = name
        self.known = []


def search_path(extra: Sequence[str | Path] = ()) -> list[Path]:
    from_env = [p for p in os.environ.get(ENV_PATH_VARIABLE, "").split(os.pathsep) if p]
    return [Path(p) for p in (*extra, *from_env)] + [bundled_dir("envs")]


def available(extra: Sequence[str | Path] = ()) -> dict[str, Path]:
    """Environment name -> folder, the first folder of the search path winning."""
    found: dict[str, Path] = {}
    for root in search_path(extra):
        if not root.is_dir():
            continue
        for folder in sorted(root.iterdir()):
            if (folder / "__init__.py").is_file() and not folder.name.startswith(("_", ".")):
                found.setdefault(folder.name, folder.resolve())
    return found


def load_domain(name: str, extra: Sequence[str | Path] = ()) -> Domain:
    """The domain called ``name``; raises :class:`UnknownEnvironment` (or :class:`BrokenEnvironment`)."""
    key = (name, tuple(str(p) for p in extra), os.environ.get(ENV_PATH_VARIABLE, ""))
    if key not in _found:
        folders = available(extra)
        if name not in folders:
            raise UnknownEnvironment(name, sorted(folders))
        _found[key] = _load_folder(folders[name])
    return _found[key]


def find_domain(name: str, extra: Sequence[str | Path] = ()) -> tuple[Domain | None, str | None]:
    """The domain called ``name``, or None and the reason it cannot be had, worded for a diagnostic."""
    try:
        return load_domain(name, extra), None
    except UnknownEnvironment as exc:
        return None, str(exc)


def _load_folder(folder: Path) -> Domain:
    if folder in _loaded:
        return _loaded[folder]
    tag = hashlib.sha1(str(folder).encode()).hexdigest()[:10]
    module_name = f"writ_envs_{folder.name}_{tag}"
    spec = importlib.util.spec_from_file_location(
        module_name, folder / "__init__.py", submodule_search_locations=[str(folder)]
    )
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules[module_name] = module
    try:
        spec.loader.exec_module(module)
    except Exception as exc:  # the folder's own code: any failure is the folder's, reported as such
        sys.modules.pop(module_name, None)
        raise BrokenEnvironment(folder.name, folder, f"{type(exc).__name__}: {exc}") from exc
    domain = getattr(module, "DOMAIN", None)
    if not isinstance(domain, Domain):
        raise BrokenEnvironment(folder.name, folder, "__init__.py does not define DOMAIN as a writ_dsl Domain")
    _loaded[folder] = domain
    return domain
