"""A small hand-made retail database and shortcuts shared by the retail tests."""

from __future__ import annotations

import copy
from pathlib import Path
from typing import Any

import pytest

from writ_dsl.env.core import CallOutcome, Database, Environment, State
from writ_dsl.env.registry import load_domain

SHARED = Path(__file__).resolve().parents[2].parent / "shared"
RETAIL_DB_PATH = SHARED / "data" / "tau2-retail-db.json"
REFERENCE_PATH = SHARED / "reference" / "tau2-domains.md"


def require_shared(path: Path) -> Path:
    if not SHARED.is_dir() or not path.is_file():
        pytest.skip(f"needs {path} (the shared data folder is absent)")
    return path


SHIRT, MUG = "1000000001", "1000000002"
RED_M, BLUE_M, GREEN_L, BLACK_S = "2000000001", "2000000002", "2000000003", "2000000004"
WHITE_MUG, BLACK_MUG = "3000000001", "3000000002"


def _variant(item_id: str, options: dict[str, str], price: float, available: bool = True) -> dict:
    return {"item_id": item_id, "options": options, "available": available, "price": price}


PRODUCTS = {
    SHIRT: {
        "name": "T-Shirt",
        "product_id": SHIRT,
        "variants": {
            RED_M: _variant(RED_M, {"color": "red", "size": "M"}, 20.0),
            BLUE_M: _variant(BLUE_M, {"color": "blue", "size": "M"}, 25.5),
            GREEN_L: _variant(GREEN_L, {"color": "green", "size": "L"}, 30.25),
            BLACK_S: _variant(BLACK_S, {"color": "black", "size": "S"}, 22.0, available=False),
        },
    },
    MUG: {
        "name": "Mug",
        "product_id": MUG,
        "variants": {
            WHITE_MUG: _variant(WHITE_MUG, {"color": "white"}, 10.0),
            BLACK_MUG: _variant(BLACK_MUG, {"color": "black"}, 12.0),
        },
    },
}


def _address(street: str, city: str, state: str, zip_code: str) -> dict:
    return {"address1": street, "address2": "", "city": city, "country": "USA", "state": state, "zip": zip_code}


USERS = {
    "ann_lee_1": {
        "user_id": "ann_lee_1",
        "name": {"first_name": "Ann", "last_name": "Lee"},
        "address": _address("1 Oak Street", "New York", "NY", "10001"),
        "email": "Ann.Lee@example.com",
        "payment_methods": {
            "credit_card_1": {"source": "credit_card", "id": "credit_card_1", "brand": "visa", "last_four": "1234"},
            "paypal_1": {"source": "paypal", "id": "paypal_1"},
            "gift_card_1": {"source": "gift_card", "id": "gift_card_1", "balance": 50.1},
        },
        "orders": ["#W0000001", "#W0000002", "#W0000003", "#W0000004"],
    },
    "bob_ray_2": {
        "user_id": "bob_ray_2",
        "name": {"first_name": "Bob", "last_name": "Ray"},
        "address": _address("2 Pine Road", "San Francisco", "CA", "94105"),
        "email": "bob.ray@example.com",
        "payment_methods": {
            "credit_card_2": {"source": "credit_card", "id": "credit_card_2", "brand": "amex", "last_four": "9876"},
            "gift_card_2": {"source": "gift_card", "id": "gift_card_2", "balance": 5.0},
        },
        "orders": ["#W0000005", "#W0000006", "#W0000007"],
    },
}


def _item(product_id: str, item_id: str) -> dict:
    product = PRODUCTS[product_id]
    variant = product["variants"][item_id]
    return {
        "name": product["name"],
        "product_id": product_id,
        "item_id": item_id,
        "price": variant["price"],
        "options": dict(variant["options"]),
    }


def _pay(amount: float, method: str, kind: str = "payment") -> dict:
    return {"transaction_type": kind, "amount": amount, "payment_method_id": method}


def _order(order_id: str, user_id: str, status: str, items: list, history: list, shipped: bool) -> dict:
    fulfillments = [{"tracking_id": ["111122223333"], "item_ids": [i["item_id"] for i in items]}] if shipped else []
    return {
        "order_id": order_id,
        "user_id": user_id,
        "address": copy.deepcopy(USERS[user_id]["address"]),
        "items": items,
        "status": status,
        "fulfillments": fulfillments,
        "payment_history": history,
    }


ORDERS = {
    o["order_id"]: o
    for o in (
        _order("#W0000001", "ann_lee_1", "pending",
               [_item(SHIRT, RED_M), _item(SHIRT, RED_M), _item(MUG, WHITE_MUG)],
               [_pay(50.0, "credit_card_1")], shipped=False),
        _order("#W0000002", "ann_lee_1", "pending", [_item(SHIRT, BLUE_M)], [_pay(25.5, "gift_card_1")], False),
        _order("#W0000003", "ann_lee_1", "delivered",
               [_item(SHIRT, RED_M), _item(MUG, WHITE_MUG), _item(SHIRT, BLUE_M)],
               [_pay(55.5, "paypal_1")], shipped=True),
        _order("#W0000004", "ann_lee_1", "processed", [_item(MUG, BLACK_MUG)], [_pay(12.0, "paypal_1")], True),
        _order("#W0000005", "bob_ray_2", "pending (item modified)", [_item(MUG, BLACK_MUG)],
               [_pay(10.0, "credit_card_2"), _pay(2.0, "credit_card_2")], shipped=False),
        _order("#W0000006", "bob_ray_2", "delivered", [_item(SHIRT, RED_M)], [_pay(20.0, "gift_card_2")], True),
        _order("#W0000007", "bob_ray_2", "cancelled", [_item(MUG, WHITE_MUG)],
               [_pay(10.0, "credit_card_2"), _pay(10.0, "credit_card_2", "refund")], shipped=True),
    )
}


def small_tables() -> dict[str, dict[str, Any]]:
    return copy.deepcopy({"products": PRODUCTS, "users": USERS, "orders": ORDERS})


class Retail:
    """A retail environment on the small database, with one state to call tools in."""

    def __init__(self, db: Database | None = None) -> None:
        self.db = db if db is not None else Database(small_tables())
        self.env: Environment = load_domain("retail").environment(self.db)
        self.state: State = self.env.new_state()

    def call(self, tool: str, **arguments: Any) -> CallOutcome:
        return self.env.call(self.state, tool, arguments)

    def ok(self, tool: str, **arguments: Any) -> Any:
        outcome = self.call(tool, **arguments)
        assert outcome.error is None, outcome.error
        return outcome.value

    def error(self, tool: str, **arguments: Any) -> str:
        """The error message of a call that must fail, after checking it changed nothing."""
        before = self.state.state_hash()
        outcome = self.call(tool, **arguments)
        assert outcome.error is not None, f"{tool} unexpectedly succeeded: {outcome.value}"
        assert self.state.state_hash() == before
        return outcome.error

    def order(self, order_id: str) -> dict:
        return self.state.get("orders", order_id)

    def method(self, user_id: str, method_id: str) -> dict:
        return self.state.get("users", user_id)["payment_methods"][method_id]

    def balance(self, user_id: str, method_id: str) -> float:
        return self.method(user_id, method_id)["balance"]
