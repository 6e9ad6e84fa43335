"""The retail database generator: determinism, τ²-bench layout, scale and consistency."""

from __future__ import annotations

import hashlib
import os
import subprocess
import sys
import time
from collections import Counter
from pathlib import Path

import pytest

from writ_dsl.env.core import Database
from writ_dsl.env.registry import load_domain

ROOT = Path(__file__).resolve().parents[2]
RETAIL = load_domain("retail")
STATUSES = {
    "pending", "pending (item modified)", "processed", "delivered", "cancelled", "exchange requested",
    "return requested",
}


@pytest.fixture(scope="module")
def db() -> dict:
    return RETAIL.generate(0, 1)


def test_same_seed_gives_byte_identical_json() -> None:
    assert Database(RETAIL.generate(7, 1)).to_json() == Database(RETAIL.generate(7, 1)).to_json()


def test_other_seed_or_size_gives_another_database() -> None:
    texts = {Database(RETAIL.generate(seed, size)).to_json() for seed, size in [(7, 1), (8, 1), (7, 2)]}
    assert len(texts) == 3


def test_same_json_in_another_process() -> None:
    code = (
        "import hashlib; from writ_dsl.env.core import Database; from writ_dsl.env.registry import load_domain;"
        "print(hashlib.sha256(Database(load_domain('retail').generate(11, 1)).to_json().encode()).hexdigest())"
    )
    process = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True, cwd=ROOT,
        env={**os.environ, "PYTHONHASHSEED": "123"},
    )
    here = hashlib.sha256(Database(RETAIL.generate(11, 1)).to_json().encode()).hexdigest()
    assert process.stdout.strip() == here


def test_size_one_is_fast() -> None:
    started = time.perf_counter()
    RETAIL.generate(99, 1)
    assert time.perf_counter() - started < 0.5


@pytest.mark.parametrize("size", [10, 100])
def test_size_scales_customers_and_orders(size: int) -> None:
    small, large = RETAIL.generate(1, 1), RETAIL.generate(1, size)
    assert len(large["users"]) == size * len(small["users"]) == size * 100
    assert 2.0 * len(large["users"]) < len(large["orders"]) < 2.6 * len(large["users"])
    assert large["products"] == small["products"]


def test_size_must_be_positive() -> None:
    with pytest.raises(ValueError):
        RETAIL.generate(0, 0)


def test_layout_matches_the_schema(db: dict) -> None:
    assert list(db) == ["products", "users", "orders"]
    required = {
        "products": set(RETAIL.db_schema["products"]),
        "users": set(RETAIL.db_schema["users"]),
        "orders": {"order_id", "user_id", "address", "items", "status", "fulfillments", "payment_history"},
    }
    for table, rows in db.items():
        for record in rows.values():
            assert required[table] <= set(record) <= RETAIL.db_schema[table]


def test_catalogue(db: dict) -> None:
    products = db["products"]
    assert 45 <= len(products) <= 55
    assert len({p["name"] for p in products.values()}) == len(products)
    for product_id, product in products.items():
        variants = product["variants"]
        assert product["product_id"] == product_id and len(product_id) == 10
        assert 5 <= len(variants) <= 20
        assert sum(v["available"] for v in variants.values()) >= 2
        assert len({tuple(sorted(v["options"].items())) for v in variants.values()}) == len(variants)
        assert all(k == v["item_id"] and isinstance(v["price"], float) for k, v in variants.items())


def test_customers(db: dict) -> None:
    users = db["users"].values()
    sources = Counter(m["source"] for u in users for m in u["payment_methods"].values())
    assert set(sources) == {"credit_card", "paypal", "gift_card"}
    assert any(len(u["payment_methods"]) >= 2 for u in users)
    assert len({u["email"] for u in users}) == len(users)
    identities = {(u["name"]["first_name"], u["name"]["last_name"], u["address"]["zip"]) for u in users}
    assert len(identities) == len(users)
    for user in users:
        for method_id, method in user["payment_methods"].items():
            assert method["id"] == method_id and method_id.startswith(method["source"] + "_")
            if method["source"] == "gift_card":
                assert round(method["balance"], 2) == method["balance"] >= 0


def test_orders_in_every_status(db: dict) -> None:
    statuses = Counter(order["status"] for order in db["orders"].values())
    assert set(statuses) == STATUSES
    assert min(statuses.values()) >= 3


def test_orders_are_consistent(db: dict) -> None:
    products, users = db["products"], db["users"]
    owned = {order_id for user in users.values() for order_id in user["orders"]}
    assert owned == set(db["orders"])
    for order_id, order in db["orders"].items():
        assert order_id in users[order["user_id"]]["orders"]
        for item in order["items"]:
            variant = products[item["product_id"]]["variants"][item["item_id"]]
            assert (item["price"], item["options"]) == (variant["price"], variant["options"])
        shipped = order["status"] not in {"pending", "pending (item modified)", "cancelled"}
        assert bool(order["fulfillments"]) == shipped
        first = order["payment_history"][0]
        assert first["transaction_type"] == "payment"
        assert first["payment_method_id"] in users[order["user_id"]]["payment_methods"]


def test_status_specific_fields(db: dict) -> None:
    for order in db["orders"].values():
        status, history = order["status"], order["payment_history"]
        if status == "cancelled":
            assert order["cancel_reason"] in {"no longer needed", "ordered by mistake"}
            assert history[1]["transaction_type"] == "refund" and history[1]["amount"] == history[0]["amount"]
        if status == "exchange requested":
            assert order["exchange_items"] == sorted(order["exchange_items"])
            assert len(order["exchange_new_items"]) == len(order["exchange_items"])
        if status == "return requested":
            assert order["return_items"] == sorted(order["return_items"])
        if status in {"pending", "processed", "delivered"}:
            assert round(sum(i["price"] for i in order["items"]), 2) == history[0]["amount"]


def test_tools_work_on_a_generated_database() -> None:
    env = RETAIL.environment(seed=4)
    state = env.new_state()
    pending = next(o for o in env.db.tables["orders"].values() if o["status"] == "pending")
    delivered = next(o for o in env.db.tables["orders"].values() if o["status"] == "delivered")
    user = env.db.tables["users"][pending["user_id"]]
    assert env.call(state, "find_user_id_by_email", {"email": user["email"]}).value == user["user_id"]
    cancel = env.call(state, "cancel_pending_order", {"order_id": pending["order_id"], "reason": "no longer needed"})
    assert cancel.value["status"] == "cancelled"
    method = delivered["payment_history"][0]["payment_method_id"]
    returned = env.call(
        state, "return_delivered_order_items",
        {"order_id": delivered["order_id"], "item_ids": [delivered["items"][0]["item_id"]], "payment_method_id": method},
    )
    assert returned.value["status"] == "return requested"
