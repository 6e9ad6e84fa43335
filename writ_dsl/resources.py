"""Where the bundled grammar and environments live, in a wheel or in a checkout."""

from __future__ import annotations

from pathlib import Path

_PACKAGE_DIR = Path(__file__).resolve().parent


def bundled_dir(name: str) -> Path:
    """The bundled folder ``name`` (``grammars`` or ``envs``).

    A built wheel carries them under ``writ_dsl/_data/``; a checkout (or an
    editable install) has them at the repository root.
    """
    for candidate in (_PACKAGE_DIR / "_data" / name, _PACKAGE_DIR.parent / name):
        if candidate.is_dir():
            return candidate
    raise FileNotFoundError(f"bundled folder '{name}' not found beside the writ_dsl package")


def grammar_path(name: str = "writ.lark") -> Path:
    return bundled_dir("grammars") / name
