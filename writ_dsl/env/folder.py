"""Build the ``DOMAIN`` of an environment folder: its ``policy.md``, its tools and its tables."""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping
from dataclasses import replace
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
    results: Mapping[str, Any] | None = None,
    records: Mapping[str, Any] | None = None,
) -> Domain:
    """The domain of the folder holding ``init_file`` (pass ``__file__``); its policy is the folder's policy.md.

    ``tools`` keep their order; ``tables`` maps each table to the fields of its records. ``results`` gives
    the result type of tools by name (for those that do not declare it themselves), ``records`` the pydantic
    model of each table's records: both let ``writ check`` check field access.
    """
    folder = Path(init_file).resolve().parent
    results = results or {}
    tools = [replace(t, result=results[t.name]) if t.result is None and t.name in results else t for t in tools]
    return Domain(
        name=name,
        description=description,
        policy=(folder / POLICY_FILE).read_text(encoding="utf-8"),
        tools={tool.name: tool for tool in tools},
        db_schema={table: frozenset(fields) for table, fields in tables.items()},
        generate=generate,
        path=folder,
        records=dict(records or {}),
    )
