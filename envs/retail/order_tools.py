"""Order tools: read an order; cancel it, or change its address or payment while pending."""

from __future__ import annotations

from typing import Any

from typing import Literal

from pydantic import Field

from writ_dsl.env.wording import (Phrasing, address_text, distinct, join_words, money, named, one_of,
                                  payment_method_names, records)

from .catalog_tools import variant_name
from writ_dsl.env.core import State, Tool, ToolArgs, ToolError, ToolKind

from .records import (
    address_record,
    change_gift_card_balance,
    get_order,
    get_payment_method,
    is_gift_card,
    order_view,
)
from .user_tools import AddressArgs

ORDER_ID = "The order id, for example '#W0000000'; it starts with a '#'."
PAYMENT_METHOD_ID = (
    "The payment method id, for example 'gift_card_0000000' or 'credit_card_0000000', "
    "as listed in the customer's or the order's details."
)


class OrderIdArgs(ToolArgs):
    order_id: str = Field(description=ORDER_ID)


class CancelArgs(ToolArgs):
    order_id: str = Field(description=ORDER_ID)
    reason: Literal["no longer needed", "ordered by mistake"] = Field(
        description="Why the customer cancels: 'no longer needed' or 'ordered by mistake'."
    )


class ModifyOrderAddressArgs(AddressArgs, OrderIdArgs):
    pass


class ModifyPaymentArgs(ToolArgs):
    order_id: str = Field(description=ORDER_ID)
    payment_method_id: str = Field(description=PAYMENT_METHOD_ID)


def get_order_details(state: State, args: OrderIdArgs) -> dict:
    return order_view(get_order(state, args.order_id))


def cancel_pending_order(state: State, args: CancelArgs) -> dict:
    order = get_order(state, args.order_id)
    if order["status"] != "pending":
        raise ToolError("Non-pending order cannot be cancelled")
    refunds = [_refund_payment(state, order["user_id"], payment) for payment in order["payment_history"]]
    order = state.edit("orders", args.order_id)
    order["status"] = "cancelled"
    order["cancel_reason"] = args.reason
    order["payment_history"].extend(refunds)
    return order_view(order)


def _refund_payment(state: State, user_id: str, payment: dict) -> dict:
    """A refund entry for one history entry; a gift card gets its money back at once."""
    method_id = payment["payment_method_id"]
    if is_gift_card(get_payment_method(state, user_id, method_id)):
        change_gift_card_balance(state, user_id, method_id, payment["amount"])
    return {"transaction_type": "refund", "amount": payment["amount"], "payment_method_id": method_id}


def modify_pending_order_address(state: State, args: ModifyOrderAddressArgs) -> dict:
    _pending_order(state, args.order_id)
    order = state.edit("orders", args.order_id)
    order["address"] = address_record(args)
    return order_view(order)


def modify_pending_order_payment(state: State, args: ModifyPaymentArgs) -> dict:
    order = _pending_order(state, args.order_id)
    user_id, new_id = order["user_id"], args.payment_method_id
    old_id, amount = _check_payment_change(state, order, new_id)
    order = state.edit("orders", args.order_id)
    order["payment_history"].append(_entry("payment", amount, new_id))
    order["payment_history"].append(_entry("refund", amount, old_id))
    if is_gift_card(get_payment_method(state, user_id, new_id)):
        change_gift_card_balance(state, user_id, new_id, -amount)
    if is_gift_card(get_payment_method(state, user_id, old_id)):
        change_gift_card_balance(state, user_id, old_id, amount)
    return order_view(order)


def _check_payment_change(state: State, order: dict, new_id: str) -> tuple[str, float]:
    """Validate a payment change: the method paid so far and the amount to move."""
    new_method = get_payment_method(state, order["user_id"], new_id)
    history = order["payment_history"]
    if len(history) != 1 or history[0]["transaction_type"] != "payment":
        raise ToolError("There should be exactly one payment for a pending order")
    old_id, amount = history[0]["payment_method_id"], history[0]["amount"]
    if old_id == new_id:
        raise ToolError("The new payment method should be different from the current one")
    if is_gift_card(new_method) and new_method["balance"] < amount:
        raise ToolError("Insufficient gift card balance to pay for the order")
    get_payment_method(state, order["user_id"], old_id)  # the refund needs an existing method too
    return old_id, amount


def _pending_order(state: State, order_id: str) -> dict:
    """An order in any pending status (plain or item-modified)."""
    order = get_order(state, order_id)
    if "pending" not in order["status"]:
        raise ToolError("Non-pending order cannot be modified")
    return order


def _entry(kind: str, amount: float, method_id: str) -> dict:
    return {"transaction_type": kind, "amount": amount, "payment_method_id": method_id}




def _item_names(order: Any) -> dict[str, str]:
    if not isinstance(order, dict):
        return {}
    return {str(item.get("item_id")): variant_name(str(item.get("name", "item")), item.get("options"))
            for item in order.get("items", []) if isinstance(item, dict)}


def _orders(calls: Any) -> str:
    ids = list(dict.fromkeys(str(c.get("order_id")) for c in calls))
    return records("order", ids)


def _order_found(order: Any, name: Any) -> str:
    """What an order shows, in one of several equivalent wordings: its status and its items by name."""
    if not isinstance(order, dict) or "order_id" not in order:
        return ""
    oid, status = order["order_id"], str(order.get("status", "")).replace("_", " ")
    things = [variant_name(str(i.get("name", "item")), i.get("options")) for i in order.get("items", [])
              if isinstance(i, dict)]
    if not things:
        return ""
    listed = join_words(things)
    count = f"{len(things)} item" + ("" if len(things) == 1 else "s")
    return one_of((f"Order {oid} is {status} and holds {listed}.",
                   f"In order {oid}, which is {status}, I see {listed}.",
                   f"Order {oid} ({status}) has {count}: {listed}.",
                   f"{listed[:1].upper()}{listed[1:]} {'is' if len(things) == 1 else 'are'} in order {oid}, whose "
                   f"status is {status}.",
                   f"Order {oid} shows {count}, {listed}, and its status is {status}."), "found", oid)


ORDER_PHRASING = Phrasing(looked_up=_orders, names=_item_names, candidates="order", found=_order_found)
CANCEL_PHRASING = Phrasing(
    proposal=lambda a, name: f"cancel order {a.get('order_id')}, with the reason \"{a.get('reason')}\"; every "
                             "payment is refunded to the method that paid it",
    done=lambda a, r, name: one_of((
        f"Order {a.get('order_id')} is now cancelled.",
        f"I've cancelled order {a.get('order_id')}; the refund goes back to how it was paid.",
        f"Order {a.get('order_id')} has been cancelled, and its payment will be returned to the original method.",
        f"The cancellation of order {a.get('order_id')} went through."), "cancelled", a.get("order_id")),
)
ORDER_ADDRESS_PHRASING = Phrasing(
    proposal=lambda a, name: f"change the shipping address of order {a.get('order_id')} to {address_text(a)}",
    done=lambda a, r, name: one_of((
        f"Order {a.get('order_id')} will now ship to {a.get('address1')}.",
        f"Order {a.get('order_id')} is now set to be delivered to {a.get('address1')} in {a.get('city')}.",
        f"The shipping address of order {a.get('order_id')} is now {a.get('address1')}, {a.get('city')}.",
        f"I've pointed order {a.get('order_id')} to {a.get('address1')} in {a.get('city')}."),
        "shipping", a.get("order_id")),
)
ORDER_PAYMENT_PHRASING = Phrasing(
    proposal=lambda a, name: (f"pay order {a.get('order_id')} with {name(a.get('payment_method_id'))} instead, "
                              "refunding the original payment"),
    done=lambda a, r, name: one_of((
        f"Order {a.get('order_id')} is now paid with {name(a.get('payment_method_id'))}.",
        f"{name(a.get('payment_method_id'))[:1].upper()}{name(a.get('payment_method_id'))[1:]} now pays for order "
        f"{a.get('order_id')}, and the original payment is refunded.",
        f"I've moved the payment of order {a.get('order_id')} to {name(a.get('payment_method_id'))}."),
        "paid", a.get("order_id")),
)

TOOLS = [
    Tool(
        "get_order_details",
        ToolKind.READ,
        "Return an order: status, items, shipping address, fulfillments and payment history.",
        OrderIdArgs,
        get_order_details,
        phrasing=ORDER_PHRASING,
    ),
    Tool(
        "cancel_pending_order",
        ToolKind.WRITE,
        "Cancel an order whose status is 'pending'; processed or delivered orders cannot be cancelled. "
        "Explain the cancellation and get an explicit 'yes' from the customer first. Every payment is "
        "refunded: at once for a gift card, within 5-7 business days otherwise. Returns the updated order.",
        CancelArgs,
        cancel_pending_order,
        phrasing=CANCEL_PHRASING,
    ),
    Tool(
        "modify_pending_order_address",
        ToolKind.WRITE,
        "Change the shipping address of a pending order. Explain the change and get an explicit 'yes' "
        "from the customer first. Returns the updated order.",
        ModifyOrderAddressArgs,
        modify_pending_order_address,
        phrasing=ORDER_ADDRESS_PHRASING,
    ),
    Tool(
        "modify_pending_order_payment",
        ToolKind.WRITE,
        "Pay a pending order with another of the customer's payment methods; the old method is refunded. "
        "A gift card must cover the whole amount. Explain the change and get an explicit 'yes' from the "
        "customer first. Returns the updated order.",
        ModifyPaymentArgs,
        modify_pending_order_payment,
        phrasing=ORDER_PAYMENT_PHRASING,
    ),
]
