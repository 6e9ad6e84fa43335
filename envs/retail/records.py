"""Record lookups, τ²-bench-shaped views and the few edits that retail tools share.

Lookups raise :class:`ToolError` with the messages τ²-bench's retail backend
uses, so that an agent sees the same error text in both systems. Views are deep
copies in τ²-bench's field order, so a tool result never aliases the state.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable
from typing import Any

from writ_dsl.env.core import State, ToolError, json_copy

ORDER_FIELDS = (
    "order_id",
    "user_id",
    "address",
    "items",
    "status",
    "fulfillments",
    "payment_history",
    "cancel_reason",
    "exchange_items",
    "exchange_new_items",
    "exchange_payment_method_id",
    "exchange_price_difference",
    "return_items",
    "return_payment_method_id",
)
USER_FIELDS = ("user_id", "name", "address", "email", "payment_methods", "orders")
PRODUCT_FIELDS = ("name", "product_id", "variants")

Record = dict[str, Any]


def get_order(state: State, order_id: str) -> Record:
    return state.require("orders", order_id, "Order not found")


def get_user(state: State, user_id: str) -> Record:
    return state.require("users", user_id, "User not found")


def get_product(state: State, product_id: str) -> Record:
    return state.require("products", product_id, "Product not found")


def find_item(state: State, item_id: str) -> Record:
    """The variant with this item id, whatever its product."""
    for product in state.values("products"):
        variant = product["variants"].get(item_id)
        if variant is not None:
            return variant
    raise ToolError("Item not found")


def get_variant(state: State, product_id: str, item_id: str) -> Record:
    """A variant of one given product: another product's item is "not found"."""
    variant = get_product(state, product_id)["variants"].get(item_id)
    if variant is None:
        raise ToolError("Variant not found")
    return variant


def get_payment_method(state: State, user_id: str, method_id: str) -> Record:
    method = get_user(state, user_id)["payment_methods"].get(method_id)
    if method is None:
        raise ToolError("Payment method not found")
    return method


def is_gift_card(method: Record) -> bool:
    return method.get("source") == "gift_card"


def change_gift_card_balance(state: State, user_id: str, method_id: str, delta: float) -> None:
    """Move a gift card's balance by ``delta``, rounded to cents as τ²-bench does."""
    card = state.edit("users", user_id)["payment_methods"][method_id]
    card["balance"] = round(card["balance"] + delta, 2)


def check_items_present(order: Record, item_ids: list[str], message: Callable[[str], str]) -> None:
    """Each listed item must occur in the order at least as often as in the list."""
    in_order = Counter(item["item_id"] for item in order["items"])
    wanted = Counter(item_ids)
    for item_id in item_ids:
        if wanted[item_id] > in_order[item_id]:
            raise ToolError(message(item_id))


def first_item(order: Record, item_id: str) -> Record:
    return next(item for item in order["items"] if item["item_id"] == item_id)


def address_record(args: Any) -> Record:
    """An address in τ²-bench's field order (country before state)."""
    return {
        "address1": args.address1,
        "address2": args.address2,
        "city": args.city,
        "country": args.country,
        "state": args.state,
        "zip": args.zip,
    }


def order_view(order: Record) -> Record:
    """The order with every field, absent optional ones as null."""
    return {name: json_copy(order.get(name)) for name in ORDER_FIELDS}


def record_view(record: Record) -> Record:
    return json_copy(record)
