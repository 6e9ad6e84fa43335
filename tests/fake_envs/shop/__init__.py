"""A tiny in-memory shop domain for the compiler's tests: users, items, orders (tools in tests/fake_domain.py)."""

from __future__ import annotations

from typing import Any

from fake_domain import tools

from writ_dsl.env.core import Domain


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
    tools=tools("get_user", "get_item", "list_items", "buy", "refund", "calc"),
    db_schema={
        "users": frozenset({"user_id", "name", "balance", "orders", "dob"}),
        "items": frozenset({"item_id", "category", "price", "stock"}),
        "orders": frozenset({"order_id", "user_id", "item_id", "quantity", "total", "status"}),
    },
    generate=generate,
)
