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
    policy_rules: Iterable[Callable[..., Any]] = (),
) -> Domain:
    """The domain of the folder holding ``init_file`` (pass ``__file__``); its policy is the folder's policy.md.

    ``tools`` keep their order; ``tables`` maps each table to the fields of its records. ``results`` gives
    the result type of tools by name (for those that do not declare it themselves), ``records`` the pydantic
    model of each table's records: both let ``writ check`` check field access. ``policy_rules`` are the
    policy's rules as code (see :mod:`writ_dsl.env.policy`).
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
        policy_rules=tuple(policy_rules),
    )


def ordered_tools(tools: Iterable[Tool], order: Iterable[str]) -> list[Tool]:
    """``tools`` in the given order of names; a tool left out of the order, or a name without a tool, is an
    error (raised while the environment folder loads, so it is reported as a broken environment)."""
    by_name = {tool.name: tool for tool in tools}
    order = list(order)
    unlisted = [name for name in by_name if name not in order]
    unknown = [name for name in order if name not in by_name]
    if unlisted or unknown:
        problems = [f"tools missing from the tool order: {', '.join(unlisted)}"] if unlisted else []
        problems += [f"names in the tool order without a tool: {', '.join(unknown)}"] if unknown else []
        raise ValueError("; ".join(problems))
    return [by_name[name] for name in order]
