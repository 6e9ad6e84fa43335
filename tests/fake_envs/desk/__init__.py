"""A tiny help-desk domain for the runner's tests: users, items, orders, a note tool (tools in tests/fake_domain.py)."""

from __future__ import annotations

from typing import Any

from fake_domain import tools

from writ_dsl.env.core import Domain


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
    tools=tools("get_user", "find_user", "get_item", "buy", "refund", "note", "transfer_to_human_agents"),
    db_schema={"users": frozenset(), "items": frozenset(), "orders": frozenset()},
    generate=generate,
)
