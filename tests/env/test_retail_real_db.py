"""Retail tools on τ²-bench's real retail database (../shared/data/tau2-retail-db.json)."""

from __future__ import annotations

import json
from collections import Counter
from pathlib import Path

import pytest

from writ_dsl.env.core import Database

from .retail_helpers import RETAIL_DB_PATH, Retail, require_shared

pytestmark = pytest.mark.shared


@pytest.fixture(scope="module")
def real_db() -> Database:
    return Database.from_json_file(require_shared(RETAIL_DB_PATH))


@pytest.fixture
def retail(real_db: Database) -> Retail:
    return Retail(real_db)


def orders_where(db: Database, status: str, source: str | None = None) -> list[dict]:
    """Orders in a status, optionally paid (first payment) with a given kind of method."""
    found = []
    for order in db.tables["orders"].values():
        method_id = order["payment_history"][0]["payment_method_id"]
        if order["status"] == status and (source is None or method_id.startswith(source)):
            found.append(order)
    return found


def other_available_variant(db: Database, item: dict) -> dict | None:
    variants = db.tables["products"][item["product_id"]]["variants"].values()
    return next((v for v in variants if v["available"] and v["item_id"] != item["item_id"]), None)


def test_the_real_database_loads(real_db: Database) -> None:
    tables = real_db.tables
    assert (len(tables["products"]), len(tables["users"]), len(tables["orders"])) == (50, 500, 1000)
    assert sum(len(p["variants"]) for p in tables["products"].values()) == 591
    statuses = Counter(o["status"] for o in tables["orders"].values())
    assert statuses == {"pending": 423, "delivered": 373, "processed": 102, "cancelled": 102}


def test_hash_round_trip_on_real_data(real_db: Database, tmp_path: Path) -> None:
    path = tmp_path / "copy.json"
    path.write_text(real_db.to_json(), encoding="utf-8")
    assert Database.from_json_file(path).state_hash() == real_db.state_hash()


def test_identify_a_real_customer(retail: Retail, real_db: Database) -> None:
    user = next(iter(real_db.tables["users"].values()))
    assert retail.ok("find_user_id_by_email", email=user["email"].upper()) == user["user_id"]
    name = user["name"]
    found = retail.ok("find_user_id_by_name_zip", first_name=name["first_name"], last_name=name["last_name"],
                      zip=user["address"]["zip"])
    assert found == user["user_id"]


def test_list_all_product_types_on_real_data(retail: Retail, real_db: Database) -> None:
    listing = json.loads(retail.ok("list_all_product_types"))
    assert len(listing) == 50 and list(listing) == sorted(listing)
    assert all(real_db.tables["products"][pid]["name"] == name for name, pid in listing.items())


def test_cancel_a_real_pending_gift_card_order(retail: Retail, real_db: Database) -> None:
    order = orders_where(real_db, "pending", "gift_card")[0]
    paid = order["payment_history"][0]
    before = retail.balance(order["user_id"], paid["payment_method_id"])
    result = retail.ok("cancel_pending_order", order_id=order["order_id"], reason="no longer needed")
    assert result["status"] == "cancelled" and result["cancel_reason"] == "no longer needed"
    assert result["payment_history"] == [paid, {**paid, "transaction_type": "refund"}]
    assert retail.balance(order["user_id"], paid["payment_method_id"]) == round(before + paid["amount"], 2)
    assert real_db.tables["orders"][order["order_id"]]["status"] == "pending"


def test_cancel_a_real_pending_card_order_refunds_later(retail: Retail, real_db: Database) -> None:
    order = orders_where(real_db, "pending", "credit_card")[0]
    result = retail.ok("cancel_pending_order", order_id=order["order_id"], reason="ordered by mistake")
    assert result["payment_history"][-1]["transaction_type"] == "refund"
    assert retail.state.changed_keys == [("orders", order["order_id"])]


def test_real_processed_order_cannot_be_cancelled(retail: Retail, real_db: Database) -> None:
    order = orders_where(real_db, "processed")[0]
    assert retail.error("cancel_pending_order", order_id=order["order_id"], reason="no longer needed") == (
        "Non-pending order cannot be cancelled"
    )


def test_exchange_items_of_a_real_delivered_order(retail: Retail, real_db: Database) -> None:
    order, pairs = next(
        (o, [(item, other_available_variant(real_db, item)) for item in o["items"][:2]])
        for o in orders_where(real_db, "delivered")
        if len(o["items"]) >= 2 and all(other_available_variant(real_db, i) for i in o["items"][:2])
    )
    old_ids = [item["item_id"] for item, _ in pairs]
    new_ids = [variant["item_id"] for _, variant in pairs]
    method_id = order["payment_history"][0]["payment_method_id"]
    result = retail.ok("exchange_delivered_order_items", order_id=order["order_id"], item_ids=old_ids[::-1],
                       new_item_ids=new_ids[::-1], payment_method_id=method_id)
    difference = sum(variant["price"] - item["price"] for item, variant in pairs[::-1])
    assert result["status"] == "exchange requested"
    assert result["exchange_items"] == sorted(old_ids)
    assert result["exchange_new_items"] == sorted(new_ids)
    assert result["exchange_price_difference"] == round(difference, 2)
    assert result["items"] == order["items"]


def test_return_real_items_to_a_gift_card(retail: Retail, real_db: Database) -> None:
    users = real_db.tables["users"]
    order = next(
        o for o in orders_where(real_db, "delivered", "credit_card")
        if any(m["source"] == "gift_card" for m in users[o["user_id"]]["payment_methods"].values())
    )
    card = next(m for m in users[order["user_id"]]["payment_methods"].values() if m["source"] == "gift_card")
    item_ids = [item["item_id"] for item in order["items"]]
    result = retail.ok("return_delivered_order_items", order_id=order["order_id"], item_ids=item_ids,
                       payment_method_id=card["id"])
    assert result["return_items"] == sorted(item_ids)
    assert result["return_payment_method_id"] == card["id"]
    assert retail.balance(order["user_id"], card["id"]) == card["balance"]


def test_modify_items_of_a_real_pending_order(retail: Retail, real_db: Database) -> None:
    order = next(
        o for o in orders_where(real_db, "pending", "paypal")
        if len({i["product_id"] for i in o["items"]}) >= 2 and all(other_available_variant(real_db, i) for i in o["items"])
    )
    first, second = order["items"][0], next(i for i in order["items"] if i["product_id"] != order["items"][0]["product_id"])
    new_first, new_second = other_available_variant(real_db, first), other_available_variant(real_db, second)
    method_id = order["payment_history"][0]["payment_method_id"]
    result = retail.ok("modify_pending_order_items", order_id=order["order_id"],
                       item_ids=[first["item_id"], second["item_id"]],
                       new_item_ids=[new_first["item_id"], new_second["item_id"]], payment_method_id=method_id)
    difference = (new_first["price"] - first["price"]) + (new_second["price"] - second["price"])
    assert result["payment_history"][-1] == {
        "transaction_type": "payment" if difference > 0 else "refund",
        "amount": abs(difference),
        "payment_method_id": method_id,
    }
    changed = [i for i in result["items"] if i["item_id"] in (new_first["item_id"], new_second["item_id"])]
    assert [(i["price"], i["options"]) for i in changed] == [(new_second["price"], new_second["options"])] * 2
    assert result["status"] == "pending (item modified)"


def test_move_a_real_pending_order_onto_a_gift_card(retail: Retail, real_db: Database) -> None:
    users = real_db.tables["users"]

    def rich_card(order: dict) -> dict | None:
        cards = [m for m in users[order["user_id"]]["payment_methods"].values() if m["source"] == "gift_card"]
        amount = order["payment_history"][0]["amount"]
        return next((c for c in cards if c["balance"] >= amount), None)

    order = next(o for o in orders_where(real_db, "pending", "credit_card") if rich_card(o))
    card, amount = rich_card(order), order["payment_history"][0]["amount"]
    result = retail.ok("modify_pending_order_payment", order_id=order["order_id"], payment_method_id=card["id"])
    assert [e["transaction_type"] for e in result["payment_history"]] == ["payment", "payment", "refund"]
    assert retail.balance(order["user_id"], card["id"]) == round(card["balance"] - amount, 2)


def test_many_real_writes_keep_the_hash_consistent(retail: Retail, real_db: Database) -> None:
    for order in orders_where(real_db, "pending")[:20]:
        retail.ok("cancel_pending_order", order_id=order["order_id"], reason="no longer needed")
    assert retail.state.state_hash() == retail.state.to_database().state_hash()
    assert real_db.state_hash() == Retail(real_db).state.state_hash()
