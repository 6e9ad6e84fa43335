"""Build the ``DOMAIN`` of an environment folder: its ``policy.md``, its tools and its tables."""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping
from pathlib import Path
from typing import Any

from .core import Domain, Tool

POLICY_FILE = "policy.md"


def folder_domain(
    init_file: str | Path,
    *,
    name: str,
    description: str,
    tools: Iterable[Tool],
    tables: Mapping[str, Iterable[str]],
    generate: Callable[[int, int], dict[str, Any]],
) -> Domain:
    """The domain of the folder holding ``init_file`` (pass ``__file__``); its policy is the folder's policy.md.

    ``tools`` keep their order; ``tables`` maps each table to the fields of its records.
    """
    folder = Path(init_file).resolve().parent
    return Domain(
        name=name,
        description=description,
        policy=(folder / POLICY_FILE).read_text(encoding="utf-8"),
        tools={tool.name: tool for tool in tools},
        db_schema={table: frozenset(fields) for table, fields in tables.items()},
        generate=generate,
        path=folder,
    )
