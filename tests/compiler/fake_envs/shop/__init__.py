"""A tiny in-memory shop domain for the compiler's tests: users, items, orders."""

from __future__ import annotations

from typing import Any

from writ_dsl.env.core import Domain, State, Tool, ToolArgs, ToolError, ToolKind


class UserArgs(ToolArgs):
    user_id: str


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


class CalcArgs(ToolArgs):
    expression: str


def _find(state: State, table: str, key: str) -> dict[str, Any]:
    record = state.get(table, key)
    if record is None:
        raise ToolError(f"{table[:-1]} {key} not found")
    return record


def get_user(state: State, p: UserArgs) -> dict[str, Any]:
    return _find(state, "users", p.user_id)


def get_item(state: State, p: ItemArgs) -> dict[str, Any]:
    return _find(state, "items", p.item_id)


def list_items(state: State, p: CategoryArgs) -> list[dict[str, Any]]:
    return [item for item in state.values("items") if item["category"] == p.category]


def buy(state: State, p: BuyArgs) -> dict[str, Any]:
    item = _find(state, "items", p.item_id)
    user = _find(state, "users", p.user_id)
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


def calc(state: State, p: CalcArgs) -> str:
    return p.expression


TOOLS = (
    Tool("get_user", ToolKind.READ, "Get a user.", UserArgs, get_user),
    Tool("get_item", ToolKind.READ, "Get an item.", ItemArgs, get_item),
    Tool("list_items", ToolKind.READ, "Items of a category.", CategoryArgs, list_items),
    Tool("buy", ToolKind.WRITE, "Buy an item.", BuyArgs, buy),
    Tool("refund", ToolKind.WRITE, "Refund an order.", OrderArgs, refund),
    Tool("calc", ToolKind.GENERIC, "Echo an expression.", CalcArgs, calc),
)


def generate(seed: int = 0, size: int = 1) -> dict[str, Any]:
    users = {
        f"u{i}": {"user_id": f"u{i}", "name": name, "balance": balance, "orders": [], "dob": f"199{i}-0{i + 1}-1{i}"}
        for i, (name, balance) in enumerate([("Ann", 500), ("Bob", 40), ("Cy", 1000), ("Di", 120)])
    }
    items = {
        f"i{i}": {"item_id": f"i{i}", "category": cat, "price": price, "stock": stock}
        for i, (cat, price, stock) in enumerate(
            [("lamp", 30, 5), ("lamp", 45, 0), ("lamp", 25, 2), ("desk", 200, 1), ("desk", 150, 3),
             ("chair", 60, 4), ("chair", 60, 4)]
        )
    }
    return {"users": users, "items": items, "orders": {}}


DOMAIN = Domain(
    name="shop",
    description="A tiny shop.",
    policy="Be nice.",
    tools={tool.name: tool for tool in TOOLS},
    db_schema={
        "users": frozenset({"user_id", "name", "balance", "orders", "dob"}),
        "items": frozenset({"item_id", "category", "price", "stock"}),
        "orders": frozenset({"order_id", "user_id", "item_id", "quantity", "total", "status"}),
    },
    generate=generate,
)
