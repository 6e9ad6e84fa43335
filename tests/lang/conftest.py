"""Fixtures of the language tests: a small fake domain, spec files in a temp folder, golden files."""

from __future__ import annotations

import os
from collections.abc import Callable
from pathlib import Path
from typing import Literal

import pytest
from pydantic import BaseModel

from writ_dsl.env.core import Domain, Tool, ToolArgs, ToolKind

GOLDEN = Path(__file__).resolve().parents[1] / "golden"
UPDATE_GOLDEN = os.environ.get("WRIT_UPDATE_GOLDEN") == "1"


class _UserArgs(ToolArgs):
    user_id: str


class _OrderArgs(ToolArgs):
    order_id: str
    reason: Literal["no longer needed", "ordered by mistake"]
    note: str | None = None


class _RefundArgs(ToolArgs):
    order_id: str
    amount: int
    items: list[str]


class _NoArgs(ToolArgs):
    pass


def _tool(name: str, kind: ToolKind, params: type[BaseModel]) -> Tool:
    return Tool(name, kind, f"the {name} tool", params, lambda state, args: None)


def make_domain() -> Domain:
    tools = [
        _tool("get_user", ToolKind.READ, _UserArgs),
        _tool("list_things", ToolKind.READ, _NoArgs),
        _tool("cancel_order", ToolKind.WRITE, _OrderArgs),
        _tool("refund", ToolKind.WRITE, _RefundArgs),
        _tool("think", ToolKind.GENERIC, _NoArgs),
    ]
    schema = {"users": frozenset({"user_id", "name", "orders"}), "orders": frozenset({"order_id", "status"})}
    return Domain("shop", "a fake shop", "no policy", {t.name: t for t in tools}, schema, lambda seed, size: {})


@pytest.fixture
def domain() -> Domain:
    return make_domain()


@pytest.fixture
def golden() -> Callable[[str, str], None]:
    """Compare ``actual`` with the golden file ``tests/golden/<name>``; WRIT_UPDATE_GOLDEN=1 rewrites it."""

    def compare(name: str, actual: str) -> None:
        path = GOLDEN / name
        if UPDATE_GOLDEN:
            path.parent.mkdir(parents=True, exist_ok=True)
            path.write_text(actual, encoding="utf-8")
            return
        assert path.is_file(), f"no golden file {path}; run with WRIT_UPDATE_GOLDEN=1 to create it"
        assert actual == path.read_text(encoding="utf-8"), f"{name} differs from its golden file"

    return compare
