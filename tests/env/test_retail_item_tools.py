"""Retail item tools: modify items of pending orders, return and exchange delivered items."""

from __future__ import annotations

import pytest

from .retail_helpers import BLACK_MUG, BLACK_S, BLUE_M, GREEN_L, RED_M, WHITE_MUG, Retail


@pytest.fixture
def retail() -> Retail:
    return Retail()


def modify(retail: Retail, old: list[str], new: list[str], method: str = "credit_card_1", order: str = "#W0000001"):
    return retail.call(
        "modify_pending_order_items", order_id=order, item_ids=old, new_item_ids=new, payment_method_id=method
    )


# -- modify_pending_order_items -------------------------------------------
def test_modify_one_item_charges_the_difference(retail: Retail) -> None:
    order = modify(retail, [RED_M], [BLUE_M]).value
    assert order["status"] == "pending (item modified)"
    assert [i["item_id"] for i in order["items"]] == [BLUE_M, RED_M, WHITE_MUG]
    assert order["items"][0]["price"] == 25.5
    assert order["items"][0]["options"] == {"color": "blue", "size": "M"}
    assert order["payment_history"][-1] == {
        "transaction_type": "payment",
        "amount": 5.5,
        "payment_method_id": "credit_card_1",
    }


def test_modified_items_take_the_last_new_variant_price_and_options(retail: Retail) -> None:
    order = modify(retail, [RED_M, WHITE_MUG], [GREEN_L, BLACK_MUG]).value
    shirt, mug = order["items"][0], order["items"][2]
    assert (shirt["item_id"], mug["item_id"]) == (GREEN_L, BLACK_MUG)
    assert shirt["price"] == mug["price"] == 12.0
    assert shirt["options"] == mug["options"] == {"color": "black"}
    assert shirt["name"] == "T-Shirt"
    assert order["payment_history"][-1]["amount"] == 10.25 + 2.0


def test_modify_duplicates_are_counted(retail: Retail) -> None:
    order = modify(retail, [RED_M, RED_M], [BLUE_M, GREEN_L]).value
    assert [i["item_id"] for i in order["items"]] == [BLUE_M, GREEN_L, WHITE_MUG]
    retail = Retail()
    assert modify(retail, [RED_M, RED_M, RED_M], [BLUE_M] * 3).error == f"{RED_M} not found"


def test_modify_refunds_a_cheaper_variant_to_a_gift_card(retail: Retail) -> None:
    order = modify(retail, [BLUE_M], [RED_M], method="gift_card_1", order="#W0000002").value
    assert order["payment_history"][-1] == {
        "transaction_type": "refund",
        "amount": 5.5,
        "payment_method_id": "gift_card_1",
    }
    assert retail.balance("ann_lee_1", "gift_card_1") == 55.6


def test_modify_pays_with_a_gift_card(retail: Retail) -> None:
    modify(retail, [RED_M], [GREEN_L], method="gift_card_1")
    assert retail.balance("ann_lee_1", "gift_card_1") == round(50.1 - 10.25, 2)


def test_modify_gift_card_must_cover_the_difference() -> None:
    retail = Retail()
    retail.state.edit("users", "ann_lee_1")["payment_methods"]["gift_card_1"]["balance"] = 10.0
    assert retail.error(
        "modify_pending_order_items",
        order_id="#W0000001",
        item_ids=[RED_M],
        new_item_ids=[GREEN_L],
        payment_method_id="gift_card_1",
    ) == "Insufficient gift card balance to pay for the new item"


def test_modify_only_once(retail: Retail) -> None:
    modify(retail, [RED_M], [BLUE_M])
    assert modify(retail, [WHITE_MUG], [BLACK_MUG]).error == "Non-pending order cannot be modified"


@pytest.mark.parametrize(
    ("old", "new", "message"),
    [
        ([BLUE_M], [RED_M], f"{BLUE_M} not found"),
        ([RED_M, WHITE_MUG], [BLUE_M], "The number of items to be exchanged should match"),
        ([RED_M], [RED_M], "The new item id should be different from the old item id"),
        ([RED_M], [BLACK_MUG], "Variant not found"),
        ([RED_M], ["0000000000"], "Variant not found"),
        ([RED_M], [BLACK_S], f"New item {BLACK_S} not found or available"),
    ],
)
def test_modify_item_errors(retail: Retail, old: list[str], new: list[str], message: str) -> None:
    before = retail.state.state_hash()
    assert modify(retail, old, new).error == message
    assert retail.state.state_hash() == before


def test_modify_payment_method_must_be_the_owners(retail: Retail) -> None:
    assert modify(retail, [RED_M], [BLUE_M], method="gift_card_2").error == "Payment method not found"


@pytest.mark.parametrize("order_id", ["#W0000003", "#W0000004", "#W0000005", "#W0000007"])
def test_modify_needs_a_plain_pending_order(retail: Retail, order_id: str) -> None:
    assert modify(retail, [RED_M], [BLUE_M], order=order_id).error == "Non-pending order cannot be modified"


def test_modify_unknown_order(retail: Retail) -> None:
    assert modify(retail, [RED_M], [BLUE_M], order="#W404").error == "Order not found"


# -- return_delivered_order_items -----------------------------------------
def test_return_to_the_original_method(retail: Retail) -> None:
    order = retail.ok(
        "return_delivered_order_items", order_id="#W0000003", item_ids=[WHITE_MUG, RED_M], payment_method_id="paypal_1"
    )
    assert order["status"] == "return requested"
    assert order["return_items"] == [RED_M, WHITE_MUG]
    assert order["return_payment_method_id"] == "paypal_1"
    assert order["payment_history"] == [{"transaction_type": "payment", "amount": 55.5, "payment_method_id": "paypal_1"}]
    assert retail.balance("ann_lee_1", "gift_card_1") == 50.1


def test_return_to_a_gift_card(retail: Retail) -> None:
    order = retail.ok(
        "return_delivered_order_items", order_id="#W0000003", item_ids=[BLUE_M], payment_method_id="gift_card_1"
    )
    assert order["return_payment_method_id"] == "gift_card_1"


@pytest.mark.parametrize(
    ("arguments", "message"),
    [
        ({"item_ids": [RED_M], "payment_method_id": "credit_card_1"}, "Payment method should be the original payment method"),
        ({"item_ids": [RED_M], "payment_method_id": "gift_card_2"}, "Payment method not found"),
        ({"item_ids": [RED_M, RED_M], "payment_method_id": "paypal_1"}, "Some item not found"),
        ({"item_ids": [BLACK_MUG], "payment_method_id": "paypal_1"}, "Some item not found"),
    ],
)
def test_return_errors(retail: Retail, arguments: dict, message: str) -> None:
    assert retail.error("return_delivered_order_items", order_id="#W0000003", **arguments) == message


@pytest.mark.parametrize("order_id", ["#W0000001", "#W0000004", "#W0000007"])
def test_return_needs_a_delivered_order(retail: Retail, order_id: str) -> None:
    message = retail.error("return_delivered_order_items", order_id=order_id, item_ids=[], payment_method_id="paypal_1")
    assert message == "Non-delivered order cannot be returned"


def test_return_unknown_order(retail: Retail) -> None:
    assert retail.error(
        "return_delivered_order_items", order_id="#W404", item_ids=[RED_M], payment_method_id="paypal_1"
    ) == "Order not found"


# -- exchange_delivered_order_items ---------------------------------------
def exchange(retail: Retail, old: list[str], new: list[str], method: str = "paypal_1", order: str = "#W0000003"):
    return retail.call(
        "exchange_delivered_order_items", order_id=order, item_ids=old, new_item_ids=new, payment_method_id=method
    )


def test_exchange_records_sorted_lists_and_the_difference(retail: Retail) -> None:
    order = exchange(retail, [WHITE_MUG, RED_M], [BLACK_MUG, GREEN_L]).value
    assert order["status"] == "exchange requested"
    assert order["exchange_items"] == [RED_M, WHITE_MUG]
    assert order["exchange_new_items"] == [GREEN_L, BLACK_MUG]
    assert order["exchange_payment_method_id"] == "paypal_1"
    assert order["exchange_price_difference"] == 12.25
    assert [i["item_id"] for i in order["items"]] == [RED_M, WHITE_MUG, BLUE_M]
    assert len(order["payment_history"]) == 1


def test_exchange_for_a_cheaper_item_with_any_gift_card_balance(retail: Retail) -> None:
    order = exchange(retail, [BLUE_M], [RED_M], method="gift_card_1").value
    assert order["exchange_price_difference"] == -5.5
    assert retail.balance("ann_lee_1", "gift_card_1") == 50.1


def test_exchange_may_keep_the_same_item(retail: Retail) -> None:
    assert exchange(retail, [RED_M], [RED_M]).value["exchange_price_difference"] == 0.0


def test_exchange_gift_card_must_cover_the_difference(retail: Retail) -> None:
    assert exchange(retail, [RED_M], [GREEN_L], method="gift_card_2", order="#W0000006").error == (
        "Insufficient gift card balance to pay for the price difference"
    )


@pytest.mark.parametrize(
    ("old", "new", "message"),
    [
        ([BLACK_MUG], [WHITE_MUG], f"Number of {BLACK_MUG} not found."),
        ([RED_M, RED_M], [BLUE_M, BLUE_M], f"Number of {RED_M} not found."),
        ([RED_M], [BLUE_M, GREEN_L], "The number of items to be exchanged should match."),
        ([RED_M], [BLACK_MUG], "Variant not found"),
        ([RED_M], [BLACK_S], f"New item {BLACK_S} not found or available"),
    ],
)
def test_exchange_item_errors(retail: Retail, old: list[str], new: list[str], message: str) -> None:
    before = retail.state.state_hash()
    assert exchange(retail, old, new).error == message
    assert retail.state.state_hash() == before


def test_exchange_payment_method_must_be_the_owners(retail: Retail) -> None:
    assert exchange(retail, [RED_M], [BLUE_M], method="credit_card_2").error == "Payment method not found"


@pytest.mark.parametrize("order_id", ["#W0000001", "#W0000004", "#W0000007"])
def test_exchange_needs_a_delivered_order(retail: Retail, order_id: str) -> None:
    assert exchange(retail, [RED_M], [BLUE_M], order=order_id).error == "Non-delivered order cannot be exchanged"


def test_exchange_after_a_return_fails(retail: Retail) -> None:
    retail.ok("return_delivered_order_items", order_id="#W0000003", item_ids=[RED_M], payment_method_id="paypal_1")
    assert exchange(retail, [WHITE_MUG], [BLACK_MUG]).error == "Non-delivered order cannot be exchanged"
