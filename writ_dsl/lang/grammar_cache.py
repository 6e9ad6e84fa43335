"""The LALR tables of the grammar, built once per machine instead of once per process.

The built parser is saved with :meth:`lark.Lark.save` to the user's cache folder
(``$WRIT_CACHE_DIR``, else ``$XDG_CACHE_HOME/writ-dsl``, else
``~/.cache/writ-dsl``), under a name that hashes the grammar text, the parser
options and the Lark and Python versions, so an edited grammar or an upgrade
never loads stale tables. The file is written atomically (temporary file, then
rename) and read back only from that private folder. Any failure to read or
write it falls back to building the tables in memory; ``WRIT_CACHE_DIR=off``
turns the cache off.
"""

from __future__ import annotations

import contextlib
import hashlib
import os
import pickle
import sys
import tempfile
from pathlib import Path
from typing import Any

import lark
from lark import Lark

OFF = "off"


def cache_dir() -> Path | None:
    """The folder for writ's caches, or None when caching is turned off."""
    configured = os.environ.get("WRIT_CACHE_DIR")
    if configured:
        return None if configured == OFF else Path(configured)
    xdg = os.environ.get("XDG_CACHE_HOME")
    if xdg:
        return Path(xdg) / "writ-dsl"
    try:
        return Path.home() / ".cache" / "writ-dsl"
    except (KeyError, RuntimeError):  # no home folder to be found: no cache
        return None


def cache_file(grammar: str, options: dict[str, Any]) -> Path | None:
    folder = cache_dir()
    if folder is None:
        return None
    key = repr((grammar, sorted(options.items()), lark.__version__, sys.version_info[:2]))
    return folder / f"lalr-{hashlib.sha256(key.encode()).hexdigest()[:32]}.pickle"


def cached_lark(grammar: str, **options: Any) -> Lark:
    """``Lark(grammar, **options)`` for an LALR parser, its tables loaded from the cache when there."""
    path = cache_file(grammar, options)
    if path is not None:
        loaded = _load(path)
        if loaded is not None:
            return loaded
    built = Lark(grammar, **options)
    if path is not None:
        _save(built, path)
    return built


def _load(path: Path) -> Lark | None:
    try:
        with path.open("rb") as handle:
            return Lark.load(handle)
    except Exception:  # a missing, truncated or foreign file: build the tables instead
        return None


def _save(parser: Lark, path: Path) -> None:
    try:
        path.parent.mkdir(parents=True, exist_ok=True, mode=0o700)
        descriptor, temporary = tempfile.mkstemp(dir=path.parent, prefix=".lalr-")
    except OSError:
        return
    try:
        with os.fdopen(descriptor, "wb") as handle:
            parser.save(handle)
        os.replace(temporary, path)
    except (OSError, pickle.PicklingError):
        with contextlib.suppress(OSError):
            os.unlink(temporary)
