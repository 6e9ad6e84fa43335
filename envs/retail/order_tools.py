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


def fill(options: tuple[str, ...], *key: object, **values: Any) -> str:
    """One wording of several, its alternations expanded by the key, then its fields filled: a value is never
    read as an alternation, whatever brackets or bars it holds."""
    return one_of(options, *key).format(**values)


def capital(text: str) -> str:
    return text[:1].upper() + text[1:]


NUMBER_WORDS = ("no", "one", "two", "three", "four", "five", "six", "seven", "eight", "nine", "ten")


def counted(n: int, noun: str, *key: object) -> str:
    """"3 items" or "three items" (by the key); one is "1 item", "one item" or "a single item"."""
    word = NUMBER_WORDS[n] if 0 < n < len(NUMBER_WORDS) else str(n)
    if n == 1:
        return one_of((f"1 {noun}", f"one {noun}", f"a single {noun}"), *key)
    return one_of((f"{n} {noun}s", f"{word} {noun}s"), *key)


def spelled(n: int, noun: str, *key: object) -> str:
    """A count that opens a sentence: "three items", "one item" or "a single item", never "3 items"."""
    if n == 1:
        return one_of((f"one {noun}", f"a single {noun}"), *key)
    return f"{NUMBER_WORDS[n] if 0 < n < len(NUMBER_WORDS) else n} {noun}s"


def _orders(calls: Any) -> str:
    ids = list(dict.fromkeys(str(c.get("order_id")) for c in calls))
    if len(ids) == 1:
        return fill(("order {oid}", "your order {oid}", "the details of order {oid}",
                     "[the record|the full record|the details] [for|of] [your |]order {oid}",
                     "order {oid} [on your account|in full]",
                     "[the status and items|the items and status|the contents] of [your |]order {oid}",
                     "what order {oid} [holds|contains]", "[your |]order {oid}'s details"),
                    "looked up order", *ids, oid=ids[0])
    listed = join_words(ids)
    if len(ids) == 2:
        return fill(("your 2 orders ({listed})", "both of your orders ({listed})", "your two orders ({listed})",
                     "both orders on your account ({listed})", "your orders {listed}",
                     "[the details of|the records for] [both of your orders ({listed})|your orders {listed}]",
                     "the two orders [on|in] your account ({listed})"),
                    "looked up orders", *ids, listed=listed)
    if len(ids) == 3:
        return fill(("your 3 orders ({listed})", "the 3 orders on your account ({listed})",
                     "all three of your orders ({listed})", "your orders {listed}", "each of your three orders ({listed})",
                     "[the details of|the records for] your orders {listed}", "your three orders ({listed})"),
                    "looked up orders", *ids, listed=listed)
    word = NUMBER_WORDS[len(ids)] if len(ids) < len(NUMBER_WORDS) else str(len(ids))
    return fill(("your {n} orders", "all {n} of your orders", "the {n} orders on your account",
                 "[every one|each one] of your {n} orders", "your [{word}|{n}] orders",
                 "[all|the whole list of] [{n}|{word}] orders [on|in] your account",
                 "the [details|records] of your {n} orders"),
                "looked up orders", *ids, n=len(ids), word=word)


_FOUND = (
    "Order {oid} [is|is currently|is marked|is listed as|shows as] {status} and [holds|contains|includes|has in it] "
    "{listed}.",
    "In order {oid}, which [is|is currently|is marked] {status}, I [see|can see|find] {listed}.",
    "Order {oid} ({status}) [has|holds|contains|is made up of] {count}: {listed}.",
    "[In order {oid}|Inside order {oid}] {be} {listed}, and [its status is|it is marked|it is currently] {status}.",
    "Order {oid} [shows|lists|has] {count}, {listed}, and [its status is|it is currently|it is marked|it is] "
    "{status}.",
    "[Looking at|Checking|Going through] order {oid}, [I see|I can see|it shows] {count}, {listed}, "
    "[with the status|and the status is|and it is marked] {status}.",
    "[The status of order {oid} is|Order {oid} has the status|Right now order {oid} is] {status}[, and|;] "
    "[it holds|it contains|in it I see|I see in it] {listed}.",
    "[Order {oid} is {status}|The order {oid} is {status}|Order {oid} is currently {status}]: [it has|it holds|"
    "there [is|are] {count} in it,] {listed}.",
    "[I can see that|I see that|The record shows that|It looks like] order {oid} is {status}[ and| and that it] "
    "[holds|contains|includes] {listed}.",
    "{Count} [are|appear] in order {oid} ({listed}), and [the order|it] [is|is currently|is marked] {status}.",
    "[Here's|This is] what order {oid} [shows|holds]: {listed}, with the status {status}.",
    "[According to|Going by] [its details|the record], order {oid} [is|is currently] {status} and "
    "[has|holds|contains] {count}: {listed}.",
)
_FOUND_ONE = tuple(t.replace("[is|are]", "is").replace("[are|appear]", "[is|appears]") for t in _FOUND)
_FOUND_MANY = tuple(t.replace("[is|are]", "are") for t in _FOUND)
_CONTENTS = (  # the status already told
    "Order {oid} [holds|contains|includes|has in it] {listed}.",
    "In order {oid} I [see|can see|find] {listed}.",
    "Order {oid} [has|holds|contains|is made up of] {count}: {listed}.",
    "[Here's|This is] what order {oid} [shows|holds]: {listed}.",
    "{Count} [are|appear] in order {oid}: {listed}.",
)
_CONTENTS_ONE = tuple(t.replace("[are|appear]", "[is|appears]") for t in _CONTENTS)


def _order_found(order: Any, name: Any) -> str:
    """What an order shows, in one of many equivalent wordings: its status and its items by name (its items
    alone when the order comes without a status: the status was told already)."""
    if not isinstance(order, dict) or "order_id" not in order:
        return ""
    oid, status = order["order_id"], str(order.get("status") or "").replace("_", " ")
    things = [variant_name(str(i.get("name", "item")), i.get("options")) for i in order.get("items", [])
              if isinstance(i, dict)]
    if not things:
        return ""
    listed = join_words(things)
    count = counted(len(things), "item", "found count", oid)
    one = len(things) == 1
    bank = (_CONTENTS_ONE if one else _CONTENTS) if not status else _FOUND_ONE if one else _FOUND_MANY
    return fill(bank, "found", oid, oid=oid, status=status, listed=listed,
                Listed=capital(listed), count=count, Count=capital(spelled(len(things), "item", "found count", oid)),
                be="is" if one else "are")


_CANCEL = ("[cancel|cancel your] order {oid}[, with| with|, giving|, citing] the reason \"{reason}\"; {refund}",
           "cancel order {oid} [for the reason|with the reason|giving the reason] \"{reason}\"; {refund}",
           "cancel [your |]order {oid}, [recording|noting|listing] \"{reason}\" as the reason; {refund}",
           "cancel order {oid}[ and record| and note|, with] \"{reason}\" as the reason; {refund}",
           "[have|get] [your |]order {oid} cancelled[ with| under] the reason \"{reason}\"; {refund}")
_CANCEL_REFUND = ("[every payment|each payment|each payment on it|every payment on the order] [is|will be|gets] "
                  "refunded to the [method|payment method|card or account] that paid it",
                  "[each payment|every payment] [is|will be] refunded to the [same method|payment method] it was "
                  "made with",
                  "[every payment|each payment|each payment on it] [goes|will go] back to the [original payment "
                  "method|method it came from]",
                  "[each|every] payment [returns|goes back] to the method [it was made with|that paid it|you used]",
                  "the refund [goes|will go] to [the original payment method|the method you paid with|the method "
                  "that paid for it]")


def _cancel_proposal(a: Any, name: Any) -> str:
    oid = a.get("order_id")
    refund = fill(_CANCEL_REFUND, "cancel refund", oid)
    return fill(_CANCEL, "propose cancel", oid, a.get("reason"), oid=oid, reason=a.get("reason"), refund=refund)


_CANCELLED = (
    "Order {oid} is now cancelled.",
    "[I've cancelled|I have cancelled|I cancelled] [your |]order {oid}; the refund [goes|is going|will go] back "
    "to [how it was paid|the original payment method|the method you paid with].",
    "Order {oid} has been cancelled, and [its payment|the payment|what you paid] will be [returned|refunded] to "
    "the [original method|original payment method|method it came from].",
    "The cancellation of order {oid} [went through|is complete|is done|has gone through].",
    "[Your|The] order {oid} [is|has been] cancelled[ now|][, with the [refund|money|payment] [going|heading]|; the "
    "[refund|money|payment] is [going|heading]] back to [the original payment method|how you paid|the method you paid with].",
    "[Order {oid} is cancelled|I've called off order {oid}|Order {oid} has been called off]; [every payment|each "
    "payment|the full payment] [is being|will be] refunded to [the method that paid it|its "
    "original method|where it came from].",
    "[Order {oid}|Your order {oid}] [is now cancelled|has been cancelled|is cancelled], [and the refund is on its way "
    "back to the original payment method|and its payment is going back to the original method].",
    "[I've|I have] [now |just |]cancelled order {oid}[, and the refund will go to the original payment method|; "
    "your payment will be returned the way you paid|].",
    "[The|Your] [cancellation|cancellation request] for order {oid} [has gone through|went through|is "
    "complete]; [the refund goes back to the original payment method|what you paid will be refunded to the "
    "original method|the payment is being returned to how you paid].",
)


def _cancelled(a: Any, r: Any, name: Any) -> str:
    return fill(_CANCELLED, "cancelled", a.get("order_id"), oid=a.get("order_id"))


_ADDRESS_PROPOSAL = (
    "[change|update|switch] the [shipping|delivery] address [of|on|for] [your |]order {oid} to {address}",
    "[change|update|set] [your |]order {oid}'s [shipping|delivery] address to {address}",
    "[ship|send] order {oid} to [the new address|the address] {address}[ instead| rather than the old one|]",
    "[move|redirect] [your |]order {oid} to [a new shipping address|the new delivery address|a new address], "
    "{address}",
)


def _address_proposal(a: Any, name: Any) -> str:
    return fill(_ADDRESS_PROPOSAL, "propose order address", a.get("order_id"), a.get("zip"), oid=a.get("order_id"),
                address=address_text(a))


_SHIPPING = (
    "Order {oid} will now [ship|be shipped|go] to {line}.",
    "Order {oid} is now set to be [delivered|shipped|sent] to {line} in {city}.",
    "The [shipping|delivery] address of order {oid} is now {line}, {city}.",
    "I've [pointed|redirected|sent] order {oid} to {line} in {city}.",
    "[I've|I have] [changed|updated] the [shipping|delivery] address [of|on|for] order {oid} to {full}.",
    "[Order {oid}|Your order {oid}] [now ships|will now be delivered|is now headed] to {full}.",
    "[The new address|The address] [is saved|has been saved|is in place] [on|for] order {oid}: {line}, {city}.",
    "[From now on|Now], order {oid} [goes|ships|will be delivered] to {line} in {city}[ instead|].",
    "[Order {oid}|Your order {oid}] [has a new|now has a new] [shipping|delivery] address: {full}.",
    "[I've|I have] [moved|switched] [the delivery of |]order {oid} to {line}, {city}.",
)


def _shipping(a: Any, r: Any, name: Any) -> str:
    return fill(_SHIPPING, "shipping", a.get("order_id"), oid=a.get("order_id"), line=a.get("address1"),
                city=a.get("city"), full=address_text(a))


_PAY_PROPOSAL = (
    "pay [for |]order {oid} with {method} instead, [refunding|with a refund of] the original payment",
    "pay [for |]order {oid} with {method}[ instead|], [and refund|refunding] the [original|first] payment[ to the method it "
    "came from| in full|]",
    "[switch|move|change] the payment [of|for|on] [your |]order {oid} to {method}, [refunding|and refund] "
    "the original payment",
    "[switch|move] [your |]order {oid}'s payment to {method}; the original payment [is|will be|gets] refunded",
    "[swap|change] the payment method [on|for|of] order {oid} to {method}, [refunding|with a refund of] "
    "what was paid [so far|originally|before]",
    "have {method} [pay for|cover] order {oid}[ instead|], [with|and] the original payment refunded",
)


def _pay_proposal(a: Any, name: Any) -> str:
    method = name(a.get("payment_method_id"))
    return fill(_PAY_PROPOSAL, "propose payment", a.get("order_id"), a.get("payment_method_id"), oid=a.get("order_id"),
                method=method)


_PAID = (
    "Order {oid} is now paid with {method}.",
    "Order {oid} is now paid for by {method}, and the original payment is refunded.",
    "I've moved the payment of order {oid} to {method}.",
    "[I've|I have] [switched|changed|moved] the payment [for|on|of] order {oid} to {method}[, and the original "
    "payment is being refunded|; the first payment has been refunded|].",
    "[Order {oid}|Your order {oid}] is now [charged to|paid for with|covered by|billed to] {method}[, and the "
    "original payment [is|has been] refunded|].",
    "[I've|I have] [set|put] order {oid} on {method}[; the original payment [is|has been] refunded|].",
    "[The payment method|The payment] [for|on] order {oid} [is now|has been changed to|has been switched to] "
    "{method}.",
    "[From now on|Now], order {oid} [is paid with|goes on|is charged to] {method}, [and the original payment "
    "[is|has been] refunded|with the original payment refunded].",
)


def _paid(a: Any, r: Any, name: Any) -> str:
    method = name(a.get("payment_method_id"))
    return fill(_PAID, "paid", a.get("order_id"), oid=a.get("order_id"), method=method, Method=capital(method))


ORDER_PHRASING = Phrasing(looked_up=_orders, names=_item_names, candidates="order", found=_order_found)
CANCEL_PHRASING = Phrasing(proposal=_cancel_proposal, done=_cancelled)
ORDER_ADDRESS_PHRASING = Phrasing(proposal=_address_proposal, done=_shipping)
ORDER_PAYMENT_PHRASING = Phrasing(proposal=_pay_proposal, done=_paid)

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
