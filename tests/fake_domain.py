"""The tools of the fake domains that the tests compile and run against (``tests/fake_envs/``).

``shop`` (the compiler's tests) and ``desk`` (the runner's tests) share these tools and differ in their data.
"""

from __future__ import annotations

from typing import Any

from writ_dsl.env.core import State, Tool, ToolArgs, ToolError, ToolKind


class UserArgs(ToolArgs):
    user_id: str


class EmailArgs(ToolArgs):
    email: str


class ItemArgs(ToolArgs):
    item_id: str


class CategoryArgs(ToolArgs):
    category: str
    day: str = ""


class BuyArgs(ToolArgs):
    user_id: str
    item_id: str
    quantity: int = 1


class OrderArgs(ToolArgs):
    order_id: str


class TextArgs(ToolArgs):
    text: str


class CalcArgs(ToolArgs):
    expression: str


def _find(state: State, table: str, key: str) -> dict[str, Any]:
    record = state.get(table, key)
    if record is None:
        raise ToolError(f"{table[:-1]} {key} not found")
    return record


def get_user(state: State, p: UserArgs) -> dict[str, Any]:
    return _find(state, "users", p.user_id)


def find_user(state: State, p: EmailArgs) -> str:
    for user in state.values("users"):
        if user.get("email") == p.email:
            return user["user_id"]
    raise ToolError("user not found")


def get_item(state: State, p: ItemArgs) -> dict[str, Any]:
    return _find(state, "items", p.item_id)


def list_items(state: State, p: CategoryArgs) -> list[dict[str, Any]]:
    return [item for item in state.values("items") if item["category"] == p.category]


def buy(state: State, p: BuyArgs) -> dict[str, Any]:
    item, user = _find(state, "items", p.item_id), _find(state, "users", p.user_id)
    total = item["price"] * p.quantity
    if item["stock"] < p.quantity:
        raise ToolError(f"not enough stock of {p.item_id}")
    if user["balance"] < total:
        raise ToolError("insufficient balance")
    order_id = f"O{len(state.keys('orders')) + 1:03d}"
    state.edit("items", p.item_id)["stock"] -= p.quantity
    editable = state.edit("users", p.user_id)
    editable["balance"] -= total
    editable["orders"].append(order_id)
    order = {"order_id": order_id, "user_id": p.user_id, "item_id": p.item_id, "quantity": p.quantity,
             "total": total, "status": "placed"}
    state.insert("orders", order_id, order)
    return order


def refund(state: State, p: OrderArgs) -> dict[str, Any]:
    order = state.edit("orders", _find(state, "orders", p.order_id)["order_id"])
    if order["status"] != "placed":
        raise ToolError("order already refunded")
    order["status"] = "refunded"
    state.edit("users", order["user_id"])["balance"] += order["total"]
    return order


TOOLS = {tool.name: tool for tool in (
    Tool("get_user", ToolKind.READ, "Get a user by id.", UserArgs, get_user),
    Tool("find_user", ToolKind.READ, "Find a user id by email.", EmailArgs, find_user),
    Tool("get_item", ToolKind.READ, "Get an item.", ItemArgs, get_item),
    Tool("list_items", ToolKind.READ, "Items of a category.", CategoryArgs, list_items),
    Tool("buy", ToolKind.WRITE, "Buy an item.", BuyArgs, buy),
    Tool("refund", ToolKind.WRITE, "Refund an order.", OrderArgs, refund),
    Tool("calc", ToolKind.GENERIC, "Echo an expression.", CalcArgs, lambda state, p: p.expression),
    Tool("note", ToolKind.GENERIC, "Write a note.", TextArgs, lambda state, p: f"noted: {p.text}"),
    Tool("transfer_to_human_agents", ToolKind.GENERIC, "Hand over to a human.", TextArgs,
         lambda state, p: "Transfer successful"),
)}


def tools(*names: str) -> dict[str, Tool]:
    """The named tools, in that order."""
    return {name: TOOLS[name] for name in names}
