"""Retail order tools: order details; cancel, re-address and re-pay pending orders."""

from __future__ import annotations

import pytest

from .retail_helpers import Retail

NEW_ADDRESS = {
    "address1": "5 Mill Road",
    "address2": "",
    "city": "Boston",
    "state": "MA",
    "country": "USA",
    "zip": "02110",
}
OPTIONAL_FIELDS = (
    "cancel_reason",
    "exchange_items",
    "exchange_new_items",
    "exchange_payment_method_id",
    "exchange_price_difference",
    "return_items",
    "return_payment_method_id",
)


@pytest.fixture
def retail() -> Retail:
    return Retail()


def test_get_order_details_lists_every_field_with_nulls(retail: Retail) -> None:
    order = retail.ok("get_order_details", order_id="#W0000001")
    assert list(order)[:7] == ["order_id", "user_id", "address", "items", "status", "fulfillments", "payment_history"]
    assert all(order[name] is None for name in OPTIONAL_FIELDS)
    assert list(order)[7:] == list(OPTIONAL_FIELDS)
    assert '"cancel_reason": null' in retail.call("get_order_details", order_id="#W0000001").content()


def test_get_order_details_unknown(retail: Retail) -> None:
    assert retail.error("get_order_details", order_id="W0000001") == "Order not found"


# -- cancel_pending_order -------------------------------------------------
def test_cancel_refunds_a_card_later(retail: Retail) -> None:
    order = retail.ok("cancel_pending_order", order_id="#W0000001", reason="ordered by mistake")
    assert order["status"] == "cancelled"
    assert order["cancel_reason"] == "ordered by mistake"
    assert order["payment_history"] == [
        {"transaction_type": "payment", "amount": 50.0, "payment_method_id": "credit_card_1"},
        {"transaction_type": "refund", "amount": 50.0, "payment_method_id": "credit_card_1"},
    ]
    assert retail.order("#W0000001") == {k: v for k, v in order.items() if v is not None}
    assert retail.state.changed_keys == [("orders", "#W0000001")]


def test_cancel_credits_a_gift_card_at_once(retail: Retail) -> None:
    retail.ok("cancel_pending_order", order_id="#W0000002", reason="no longer needed")
    assert retail.balance("ann_lee_1", "gift_card_1") == 75.6
    assert retail.db.tables["users"]["ann_lee_1"]["payment_methods"]["gift_card_1"]["balance"] == 50.1


def test_cancel_rounds_the_gift_card_balance_to_cents() -> None:
    retail = Retail()
    retail.state.edit("users", "ann_lee_1")["payment_methods"]["gift_card_1"]["balance"] = 0.1
    retail.state.edit("orders", "#W0000002")["payment_history"][0]["amount"] = 0.2
    retail.ok("cancel_pending_order", order_id="#W0000002", reason="no longer needed")
    assert 0.1 + 0.2 != 0.3
    assert retail.balance("ann_lee_1", "gift_card_1") == 0.3


def test_cancel_refunds_every_history_entry() -> None:
    retail = Retail()
    retail.ok("modify_pending_order_payment", order_id="#W0000002", payment_method_id="paypal_1")
    retail.state.edit("orders", "#W0000002")["status"] = "pending"
    order = retail.ok("cancel_pending_order", order_id="#W0000002", reason="no longer needed")
    refunds = order["payment_history"][3:]
    assert [(e["transaction_type"], e["payment_method_id"]) for e in refunds] == [
        ("refund", "gift_card_1"),
        ("refund", "paypal_1"),
        ("refund", "gift_card_1"),
    ]
    # 50.1, +25.5 when the order moved to PayPal, then +25.5 for each gift-card entry of the history
    assert retail.balance("ann_lee_1", "gift_card_1") == 126.6


@pytest.mark.parametrize("order_id", ["#W0000003", "#W0000004", "#W0000005", "#W0000007"])
def test_cancel_needs_a_plain_pending_order(retail: Retail, order_id: str) -> None:
    assert retail.error("cancel_pending_order", order_id=order_id, reason="no longer needed") == (
        "Non-pending order cannot be cancelled"
    )


def test_cancel_twice_fails(retail: Retail) -> None:
    retail.ok("cancel_pending_order", order_id="#W0000001", reason="no longer needed")
    assert retail.error("cancel_pending_order", order_id="#W0000001", reason="no longer needed") == (
        "Non-pending order cannot be cancelled"
    )


def test_cancel_rejects_other_reasons(retail: Retail) -> None:
    message = retail.error("cancel_pending_order", order_id="#W0000001", reason="found it cheaper")
    assert message.startswith("Invalid arguments for cancel_pending_order: reason:")
    assert "'no longer needed'" in message


def test_cancel_unknown_order(retail: Retail) -> None:
    assert retail.error("cancel_pending_order", order_id="#W9", reason="no longer needed") == "Order not found"


# -- modify_pending_order_address -----------------------------------------
@pytest.mark.parametrize("order_id", ["#W0000001", "#W0000005"])
def test_modify_address_of_any_pending_order(retail: Retail, order_id: str) -> None:
    order = retail.ok("modify_pending_order_address", order_id=order_id, **NEW_ADDRESS)
    assert list(order["address"]) == ["address1", "address2", "city", "country", "state", "zip"]
    assert order["address"]["zip"] == "02110"
    assert retail.order(order_id)["address"] == order["address"]
    user_id = order["user_id"]
    assert retail.state.get("users", user_id)["address"]["city"] != "Boston"


@pytest.mark.parametrize("order_id", ["#W0000003", "#W0000004", "#W0000007"])
def test_modify_address_needs_a_pending_order(retail: Retail, order_id: str) -> None:
    assert retail.error("modify_pending_order_address", order_id=order_id, **NEW_ADDRESS) == (
        "Non-pending order cannot be modified"
    )


def test_modify_address_unknown_order(retail: Retail) -> None:
    assert retail.error("modify_pending_order_address", order_id="#W9", **NEW_ADDRESS) == "Order not found"


# -- modify_pending_order_payment -----------------------------------------
def test_modify_payment_to_a_gift_card(retail: Retail) -> None:
    order = retail.ok("modify_pending_order_payment", order_id="#W0000001", payment_method_id="gift_card_1")
    assert order["payment_history"][1:] == [
        {"transaction_type": "payment", "amount": 50.0, "payment_method_id": "gift_card_1"},
        {"transaction_type": "refund", "amount": 50.0, "payment_method_id": "credit_card_1"},
    ]
    assert order["status"] == "pending"
    assert retail.balance("ann_lee_1", "gift_card_1") == 0.1


def test_modify_payment_away_from_a_gift_card(retail: Retail) -> None:
    retail.ok("modify_pending_order_payment", order_id="#W0000002", payment_method_id="paypal_1")
    assert retail.balance("ann_lee_1", "gift_card_1") == 75.6


def test_modify_payment_same_method(retail: Retail) -> None:
    assert retail.error("modify_pending_order_payment", order_id="#W0000001", payment_method_id="credit_card_1") == (
        "The new payment method should be different from the current one"
    )


@pytest.mark.parametrize("method_id", ["paypal_9", "credit_card_2"])
def test_modify_payment_needs_a_method_of_the_owner(retail: Retail, method_id: str) -> None:
    assert retail.error("modify_pending_order_payment", order_id="#W0000001", payment_method_id=method_id) == (
        "Payment method not found"
    )


def test_modify_payment_gift_card_balance(retail: Retail) -> None:
    retail.state.edit("users", "ann_lee_1")["payment_methods"]["gift_card_1"]["balance"] = 49.99
    assert retail.error("modify_pending_order_payment", order_id="#W0000001", payment_method_id="gift_card_1") == (
        "Insufficient gift card balance to pay for the order"
    )


def test_modify_payment_needs_exactly_one_payment(retail: Retail) -> None:
    assert retail.error("modify_pending_order_payment", order_id="#W0000005", payment_method_id="gift_card_2") == (
        "There should be exactly one payment for a pending order"
    )


def test_modify_payment_only_once(retail: Retail) -> None:
    retail.ok("modify_pending_order_payment", order_id="#W0000001", payment_method_id="paypal_1")
    assert retail.error("modify_pending_order_payment", order_id="#W0000001", payment_method_id="gift_card_1") == (
        "There should be exactly one payment for a pending order"
    )


@pytest.mark.parametrize("order_id", ["#W0000003", "#W0000004"])
def test_modify_payment_needs_a_pending_order(retail: Retail, order_id: str) -> None:
    assert retail.error("modify_pending_order_payment", order_id=order_id, payment_method_id="gift_card_1") == (
        "Non-pending order cannot be modified"
    )


def test_modify_payment_unknown_order(retail: Retail) -> None:
    assert retail.error("modify_pending_order_payment", order_id="#W9", payment_method_id="paypal_1") == (
        "Order not found"
    )
