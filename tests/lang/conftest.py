"""Fixtures of the language tests: a schema-only fake domain (tool signatures, no behaviour)."""

from __future__ import annotations

from typing import Literal

import pytest
from pydantic import BaseModel

from writ_dsl.env.core import Domain, Tool, ToolArgs, ToolKind


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
