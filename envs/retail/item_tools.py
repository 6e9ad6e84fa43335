"""Item tools: swap items of a pending order; return or exchange items of a delivered order."""

from __future__ import annotations

from typing import Any

from pydantic import Field

from writ_dsl.env.wording import (Phrasing, address_text, distinct, join_words, money, named, one_of,
                                  payment_method_names)
from writ_dsl.env.core import State, Tool, ToolArgs, ToolError, ToolKind

from .order_tools import ORDER_ID, PAYMENT_METHOD_ID
from .records import (
    Record,
    change_gift_card_balance,
    check_items_present,
    first_item,
    get_order,
    get_payment_method,
    get_variant,
    is_gift_card,
    order_view,
)

ITEM_IDS = "Item ids from the order, for example ['1008292230']; an id may repeat."
NEW_ITEM_IDS = (
    "The new item ids, position by position: each a variant of the same product as the item "
    "at the same position in item_ids; an id may repeat."
)


class ModifyItemsArgs(ToolArgs):
    order_id: str = Field(description=ORDER_ID)
    item_ids: list[str] = Field(description=ITEM_IDS)
    new_item_ids: list[str] = Field(description=NEW_ITEM_IDS)
    payment_method_id: str = Field(description=PAYMENT_METHOD_ID)


class ReturnArgs(ToolArgs):
    order_id: str = Field(description=ORDER_ID)
    item_ids: list[str] = Field(description=ITEM_IDS)
    payment_method_id: str = Field(description=PAYMENT_METHOD_ID)


class ExchangeArgs(ToolArgs):
    order_id: str = Field(description=ORDER_ID)
    item_ids: list[str] = Field(description=ITEM_IDS)
    new_item_ids: list[str] = Field(description=NEW_ITEM_IDS)
    payment_method_id: str = Field(description=PAYMENT_METHOD_ID)


def _price_difference(
    state: State, order: Record, args: ModifyItemsArgs | ExchangeArgs, *, distinct: bool
) -> tuple[float, Record | None]:
    """New minus old prices over the pairs, and the last new variant (None if no pairs)."""
    difference, variant = 0.0, None
    for old_id, new_id in zip(args.item_ids, args.new_item_ids):
        if distinct and old_id == new_id:
            raise ToolError("The new item id should be different from the old item id")
        item = first_item(order, old_id)
        variant = get_variant(state, item["product_id"], new_id)
        if not variant["available"]:
            raise ToolError(f"New item {new_id} not found or available")
        difference += variant["price"] - item["price"]
    return difference, variant


def modify_pending_order_items(state: State, args: ModifyItemsArgs) -> dict:
    order = get_order(state, args.order_id)
    difference, last_variant, method = _check_item_change(state, order, args)
    order = state.edit("orders", args.order_id)
    kind = "payment" if difference > 0 else "refund"
    order["payment_history"].append(
        {"transaction_type": kind, "amount": abs(difference), "payment_method_id": args.payment_method_id}
    )
    if is_gift_card(method):
        change_gift_card_balance(state, order["user_id"], args.payment_method_id, -difference)
    _swap_items(order, args, last_variant)
    order["status"] = "pending (item modified)"
    return order_view(order)


def _check_item_change(state: State, order: Record, args: ModifyItemsArgs) -> tuple[float, Record | None, Record]:
    """Validate an item change: its price difference, last new variant and payment method."""
    if order["status"] != "pending":
        raise ToolError("Non-pending order cannot be modified")
    check_items_present(order, args.item_ids, lambda item_id: f"{item_id} not found")
    if len(args.item_ids) != len(args.new_item_ids):
        raise ToolError("The number of items to be exchanged should match")
    difference, last_variant = _price_difference(state, order, args, distinct=True)
    method = get_payment_method(state, order["user_id"], args.payment_method_id)
    if is_gift_card(method) and method["balance"] < difference:
        raise ToolError("Insufficient gift card balance to pay for the new item")
    return difference, last_variant, method


def _swap_items(order: Record, args: ModifyItemsArgs, last_variant: Record | None) -> None:
    """Give each listed item its new id, and (τ²-bench's quirk) the last new variant's price and options."""
    for old_id, new_id in zip(args.item_ids, args.new_item_ids):
        item = first_item(order, old_id)
        item["item_id"] = new_id
        item["price"] = last_variant["price"]
        item["options"] = dict(last_variant["options"])


def return_delivered_order_items(state: State, args: ReturnArgs) -> dict:
    order = get_order(state, args.order_id)
    if order["status"] != "delivered":
        raise ToolError("Non-delivered order cannot be returned")
    method = get_payment_method(state, order["user_id"], args.payment_method_id)
    original_id = next((p["payment_method_id"] for p in order["payment_history"]), None)
    if not is_gift_card(method) and args.payment_method_id != original_id:
        raise ToolError("Payment method should be the original payment method")
    check_items_present(order, args.item_ids, lambda item_id: "Some item not found")
    order = state.edit("orders", args.order_id)
    order["status"] = "return requested"
    order["return_items"] = sorted(args.item_ids)
    order["return_payment_method_id"] = args.payment_method_id
    return order_view(order)


def exchange_delivered_order_items(state: State, args: ExchangeArgs) -> dict:
    order = get_order(state, args.order_id)
    if order["status"] != "delivered":
        raise ToolError("Non-delivered order cannot be exchanged")
    check_items_present(order, args.item_ids, lambda item_id: f"Number of {item_id} not found.")
    if len(args.item_ids) != len(args.new_item_ids):
        raise ToolError("The number of items to be exchanged should match.")
    difference = round(_price_difference(state, order, args, distinct=False)[0], 2)
    method = get_payment_method(state, order["user_id"], args.payment_method_id)
    if is_gift_card(method) and method["balance"] < difference:
        raise ToolError("Insufficient gift card balance to pay for the price difference")
    order = state.edit("orders", args.order_id)
    order["status"] = "exchange requested"
    order["exchange_items"] = sorted(args.item_ids)
    order["exchange_new_items"] = sorted(args.new_item_ids)
    order["exchange_payment_method_id"] = args.payment_method_id
    order["exchange_price_difference"] = difference
    return order_view(order)


def _mailed(args: Any, kind: str) -> str:
    return one_of(("you will get an email on how to send the items back.",
                   "an email with instructions for sending the items back is on its way.",
                   "we'll email you how to send the items back.",
                   "instructions for shipping the items back will reach you by email."), kind, args.get("order_id"))


ITEMS_PHRASING = Phrasing(
    proposal=lambda a, name: (
        f"replace {named(a.get('item_ids', []), name)} with {named(a.get('new_item_ids', []), name)} in order "
        f"{a.get('order_id')}, settling the price difference with {name(a.get('payment_method_id'))}; after this "
        "change the order cannot be changed again or cancelled"),
    done=lambda a, r, name: one_of((f"The items of order {a.get('order_id')} have been changed.",
                                     f"Order {a.get('order_id')} now includes {named(a.get('new_item_ids', []), name)}.",
                                     f"The item change on order {a.get('order_id')} is saved."), a.get("order_id")),
)
RETURN_PHRASING = Phrasing(
    proposal=lambda a, name: (
        f"return {named(a.get('item_ids', []), name)} from order {a.get('order_id')}, with the refund going to "
        f"{name(a.get('payment_method_id'))}"),
    done=lambda a, r, name: one_of((
        f"The return for order {a.get('order_id')} has been requested; {_mailed(a, 'return')}",
        f"I've requested the return of {named(a.get('item_ids', []), name)} from order {a.get('order_id')}; "
        f"{_mailed(a, 'return')}",
        f"The return of {named(a.get('item_ids', []), name)} is registered, and the refund will go to "
        f"{name(a.get('payment_method_id'))}; {_mailed(a, 'return')}"), "returned", a.get("order_id")),
)
EXCHANGE_PHRASING = Phrasing(
    proposal=lambda a, name: (
        f"exchange {named(a.get('item_ids', []), name)} in order {a.get('order_id')} for "
        f"{named(a.get('new_item_ids', []), name)}, settling any price difference with "
        f"{name(a.get('payment_method_id'))}"),
    done=lambda a, r, name: one_of((
        f"The exchange for order {a.get('order_id')} has been requested; {_mailed(a, 'exchange')}",
        f"I've requested the exchange of {named(a.get('item_ids', []), name)} for "
        f"{named(a.get('new_item_ids', []), name)}; {_mailed(a, 'exchange')}",
        f"The exchange in order {a.get('order_id')} is registered: {named(a.get('new_item_ids', []), name)} will "
        f"replace {named(a.get('item_ids', []), name)}; {_mailed(a, 'exchange')}"), "exchanged", a.get("order_id")),
)

TOOLS = [
    Tool(
        "modify_pending_order_items",
        ToolKind.WRITE,
        "Swap items of a pending order for other variants of the same products. This can be done only "
        "once per order, so collect every item to change first. The price difference is charged to, or "
        "refunded on, the given payment method; a gift card must cover a charge. Explain the change and "
        "get an explicit 'yes' from the customer first. Returns the updated order.",
        ModifyItemsArgs,
        modify_pending_order_items,
        phrasing=ITEMS_PHRASING,
    ),
    Tool(
        "return_delivered_order_items",
        ToolKind.WRITE,
        "Request the return of items of a delivered order; the order becomes 'return requested' and the "
        "customer gets an email about how to send the items back. The refund goes to the original payment "
        "method or to a gift card. Explain the return and get an explicit 'yes' from the customer first. "
        "Returns the updated order.",
        ReturnArgs,
        return_delivered_order_items,
        phrasing=RETURN_PHRASING,
    ),
    Tool(
        "exchange_delivered_order_items",
        ToolKind.WRITE,
        "Request the exchange of items of a delivered order for other, available variants of the same "
        "products. Only one return or exchange is possible per delivered order, so collect every item "
        "first. The price difference is charged to, or refunded on, the given payment method; a gift card "
        "must cover a charge. Explain the exchange and get an explicit 'yes' from the customer first. "
        "Returns the updated order.",
        ExchangeArgs,
        exchange_delivered_order_items,
        phrasing=EXCHANGE_PHRASING,
    ),
]
