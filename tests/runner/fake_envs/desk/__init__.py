"""A tiny help-desk domain for the runner's tests: users, items, orders, and a note tool."""

from __future__ import annotations

from typing import Any

from writ_dsl.env.core import Domain, State, Tool, ToolArgs, ToolError, ToolKind


class UserArgs(ToolArgs):
    user_id: str


class EmailArgs(ToolArgs):
    email: str


class ItemArgs(ToolArgs):
    item_id: str


class BuyArgs(ToolArgs):
    user_id: str
    item_id: str
    quantity: int = 1


class OrderArgs(ToolArgs):
    order_id: str


class NoteArgs(ToolArgs):
    text: str


def _find(state: State, table: str, key: str) -> dict[str, Any]:
    record = state.get(table, key)
    if record is None:
        raise ToolError(f"{table[:-1]} {key} not found")
    return record


def get_user(state: State, p: UserArgs) -> dict[str, Any]:
    return _find(state, "users", p.user_id)


def find_user(state: State, p: EmailArgs) -> str:
    for user in state.values("users"):
        if user["email"] == p.email:
            return user["user_id"]
    raise ToolError("user not found")


def get_item(state: State, p: ItemArgs) -> dict[str, Any]:
    return _find(state, "items", p.item_id)


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


def note(state: State, p: NoteArgs) -> str:
    return f"noted: {p.text}"


def transfer_to_human_agents(state: State, p: NoteArgs) -> str:
    return "Transfer successful"


TOOLS = (
    Tool("get_user", ToolKind.READ, "Get a user by id.", UserArgs, get_user),
    Tool("find_user", ToolKind.READ, "Find a user id by email.", EmailArgs, find_user),
    Tool("get_item", ToolKind.READ, "Get an item.", ItemArgs, get_item),
    Tool("buy", ToolKind.WRITE, "Buy an item.", BuyArgs, buy),
    Tool("refund", ToolKind.WRITE, "Refund an order.", OrderArgs, refund),
    Tool("note", ToolKind.GENERIC, "Write a note.", NoteArgs, note),
    Tool("transfer_to_human_agents", ToolKind.GENERIC, "Hand over to a human.", NoteArgs, transfer_to_human_agents),
)


def generate(seed: int = 0, size: int = 1) -> dict[str, Any]:
    people = [("Ann", 500), ("Bob", 40), ("Cy", 1000), ("Di", 120)]
    users = {f"u{i}": {"user_id": f"u{i}", "name": name, "email": f"{name.lower()}@example.com",
                       "balance": balance, "orders": []} for i, (name, balance) in enumerate(people)}
    stock = [("lamp", 30, 5), ("desk", 200, 1), ("chair", 60, 4)]
    items = {f"i{i}": {"item_id": f"i{i}", "name": name, "price": price, "stock": n}
             for i, (name, price, n) in enumerate(stock)}
    return {"users": users, "items": items, "orders": {}}


DOMAIN = Domain(
    name="desk",
    description="A tiny help desk.",
    policy="# Desk policy\n\nConfirm every change with the user before making it. No discounts.",
    tools={tool.name: tool for tool in TOOLS},
    db_schema={"users": frozenset(), "items": frozenset(), "orders": frozenset()},
    generate=generate,
)
