"""Item tools: swap items of a pending order; return or exchange items of a delivered order."""

from __future__ import annotations

from typing import Any

from pydantic import Field

from writ_dsl.env.wording import (Phrasing, address_text, distinct, join_words, money, named, one_of,
                                  payment_method_names)
from writ_dsl.env.core import State, Tool, ToolArgs, ToolError, ToolKind

from .order_tools import ORDER_ID, PAYMENT_METHOD_ID, capital, fill
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


_MAILED = ("you will get an email on how to send the items back.",
           "an email with instructions for sending the items back is on its way.",
           "we'll email you how to send the items back.",
           "instructions for shipping the items back will reach you by email.",
           "[you'll|you will] [receive|get] an email [explaining|telling you] how to [send|ship|post] the items back.",
           "[watch your inbox, as|keep an eye on your email, as] [we'll|we will] send [you |]instructions for [returning|"
           "sending back|shipping back] the items.",
           "[an email|a message] [with the return instructions|on how to send the items back|explaining how to ship "
           "the items back] [is on its way to you|will reach you shortly|will follow shortly].",
           "the [next step|only thing left] is [sending|shipping|posting] the items back, and [we'll|we will] email "
           "you [how to do that|the instructions|the details].",
           "[we'll|we will] [send you|email you] [the instructions|the steps|everything you need] for [sending|"
           "shipping] the items back.")


def _mailed(args: Any, kind: str) -> str:
    said = one_of(_MAILED, kind, args.get("order_id"))
    return said.replace("the items", "the item") if len(args.get("item_ids") or []) == 1 else said


def _items(a: Any, name: Any, key: str) -> str:
    return named(a.get(key, []), name)


_REPLACE = (
    "replace {old} with {new} in [your |]order {oid}, {settle}; {warning}",
    "replace {old} in [your |]order {oid} with {new}, {settle}; {warning}",
    "[change|update|modify] [your |]order {oid} to replace {old} with {new}[ while|,] {settle2}; {warning}",
    "replace {old} with {new} in [your |]order {oid}[ while|,] {settle2}; {warning}",
)
_SETTLE = ("settling the price difference with {method}", "with the price difference settled through {method}",
           "[using|with] {method} for the price difference",
           "[charging or refunding|settling] the [price |]difference [on|with|through] {method}",
           "with {method} [covering|taking care of] the price difference, [whichever way it goes|up or down|"
           "charge or refund]")
_SETTLE2 = ("[settling|sorting out] the price difference [with|through|on] {method}",
            "[charging or refunding|settling] the difference [on|through|with] {method}",
            "using {method} for [the|any] price difference")
_WARNING = ("after this change the order cannot be changed again or cancelled",
            "[after this change|after this|once this is done|once that's done], the order cannot be [changed|modified] "
            "again or cancelled",
            "[after that|afterwards|from then on] the order can't be [changed|modified|edited] again[, or cancelled| "
            "or cancelled|, nor cancelled]",
            "[this can only be done once, and|items can only be changed once, so] [after that|afterwards] the order "
            "cannot be [changed|modified] [again |]or cancelled",
            "[please note that|note that|keep in mind that|bear in mind that] the order cannot be [changed|modified] "
            "again or cancelled after this")


_SETTLE_PAY = ("charging the {amount} price difference to {method}",
               "with the {amount} price difference charged to {method}",
               "[putting|with] the {amount} [price |]difference [on|charged to] {method}")
_SETTLE_REFUND = ("refunding the {amount} price difference to {method}",
                  "with the {amount} price difference refunded to {method}",
                  "with the {amount} [price |]difference [going back to|refunded to] {method}")
_SETTLE_NONE = ("with no price difference to settle", "at no difference in price")
_SETTLE_PAY2 = ("charging the {amount} price difference to {method}", "putting the {amount} [price |]difference on {method}")
_SETTLE_REFUND2 = ("refunding the {amount} price difference to {method}",
                   "crediting the {amount} [price |]difference back to {method}")
_SETTLE_NONE2 = ("leaving no price difference to settle",)


def price_difference(a: Any, results: Any) -> float | None:
    """New minus old prices over the item pairs, as the order and its products' variants show them (the latest
    look at each); None when a price is not shown."""
    old: dict[str, Any] = {}
    new: dict[str, Any] = {}
    for result in results:
        if isinstance(result, dict) and result.get("order_id") == a.get("order_id"):
            old.update({i.get("item_id"): i.get("price") for i in result.get("items") or [] if isinstance(i, dict)})
        if isinstance(result, dict) and isinstance(result.get("variants"), dict):
            new.update({k: v.get("price") for k, v in result["variants"].items() if isinstance(v, dict)})
    pairs = list(zip(a.get("item_ids") or [], a.get("new_item_ids") or []))
    prices = [(old.get(o), new.get(n)) for o, n in pairs]
    if not pairs or not all(isinstance(p, int | float) and isinstance(q, int | float) for p, q in prices):
        return None
    return round(sum(q - p for p, q in prices), 2)


def _settled(amount: float, method: str, *key: object, gerund: bool = False) -> str:
    """How a known price difference is settled: charged, refunded, or none to settle; a ``gerund`` wording
    follows "while"."""
    banks = (_SETTLE_PAY2, _SETTLE_REFUND2, _SETTLE_NONE2) if gerund else (_SETTLE_PAY, _SETTLE_REFUND, _SETTLE_NONE)
    options = banks[0] if amount > 0 else banks[1] if amount < 0 else banks[2]
    return fill(options, "settle known", *key, amount=money(abs(amount)), method=method)


def _replace_proposal(a: Any, name: Any, amount: float | None = None) -> str:
    oid, method = a.get("order_id"), name(a.get("payment_method_id"))
    key = (oid, *a.get("item_ids", []))
    known = _settled(amount, method, *key) if amount is not None else ""
    known2 = _settled(amount, method, *key, gerund=True) if amount is not None else ""
    return fill(_REPLACE, "propose replace", *key, oid=oid, old=_items(a, name, "item_ids"),
                new=_items(a, name, "new_item_ids"),
                settle=known or fill(_SETTLE, "settle", *key, method=method),
                settle2=known2 or fill(_SETTLE2, "settle", *key, method=method),
                warning=fill(_WARNING, "warning", *key))


_REPLACED = (
    "The items of order {oid} have been changed.",
    "Order {oid} now includes {new}.",
    "The item change on order {oid} is saved.",
    "[I've|I have] replaced {old} with {new} in order {oid}.",
    "[In|On] order {oid}, {new} [now {take} the place of|{have} replaced] {old}.",
    "[The swap|The item change|Your item change] [on|for|in] order {oid} [is done|has gone through|went through|is "
    "saved][; it now [holds|includes|has] {new}|].",
    "[I've|I have] [updated|changed|modified] the items [in|of|on] order {oid}[: it now [holds|has] {new}| as "
    "[agreed|planned|described]|].",
    "[Order {oid} has been updated|Order {oid} is updated], [with|and now has] {new} "
    "[in place of|instead of|replacing] {old}.",
    "I've updated order {oid}, [putting|with] {new} [in place of|instead of] {old}.",
    "[In order {oid}|On order {oid}], {old} [has|have] been [replaced with|swapped for] {new}.",
    "[The items in order {oid} are now changed|Order {oid}'s items have been changed]; [{new} [is|are] in the "
    "order now|{new} replaced {old}].",
)


def _replaced(a: Any, r: Any, name: Any) -> str:
    new, old = _items(a, name, "new_item_ids"), _items(a, name, "item_ids")
    one_new, one_old = len(a.get("new_item_ids", [])) == 1, len(a.get("item_ids", [])) == 1
    wordings = tuple(t.replace("{new} [has|have]", "{new} has" if one_new else "{new} have")
                     .replace("[takes|take]", "takes" if one_new else "take")
                     .replace("{old} [has|have]", "{old} has" if one_old else "{old} have")
                     .replace("{new} [is|are]", "{new} is" if one_new else "{new} are") for t in _REPLACED)
    return fill(wordings, a.get("order_id"), oid=a.get("order_id"), new=new, old=old,
                take="takes" if one_new else "take", have="has" if one_new else "have")


_RETURN = (
    "return {old} from [your |]order {oid}, with the refund going to {method}",
    "return {old} from [your |]order {oid}[, [refunding|sending the refund to|crediting the refund to]| and "
    "[refund|send the refund to|credit the refund to]] {method}",
    "[request|start|set up|open] a return [of|for] {old} from [your |]order {oid}, with the refund [going to|"
    "paid to|sent to] {method}",
    "return {old} [from|in] [your |]order {oid}; the refund [will go|goes] to {method}",
    "[process|arrange] the return of {old} from [your |]order {oid}[, [refunding|with the refund going to]| and "
    "[refund|have the refund sent to]] {method}",
    "return {old} [from|in] order {oid} [for a refund to|with the money going back to|with the refund paid to] {method}",
)


def _return_proposal(a: Any, name: Any) -> str:
    oid = a.get("order_id")
    return fill(_RETURN, "propose return", oid, *a.get("item_ids", []), oid=oid, old=_items(a, name, "item_ids"),
                method=name(a.get("payment_method_id")))


_RETURNED = (
    "The return for order {oid} has been requested; {mailed}",
    "I've requested the return of {old} from order {oid}; {mailed}",
    "The return of {old} is registered, and the refund will go to {method}; {mailed}",
    "[I've|I have] [put in|filed|submitted|opened] [a|the] return [request |]for {old} from order {oid}; {mailed}",
    "[The|Your] return [request |]for order {oid} [is in|has been filed|is registered|went through], [with the "
    "refund going|and the refund will go] to {method}; {mailed}",
    "[Order {oid} now has a return request|A return is now open on order {oid}] for {old}; {mailed}",
    "[I've|I have] [set up|started|registered] the return of {old}, [refunded|with the refund going] to "
    "{method}; {mailed}",
)


def _returned(a: Any, r: Any, name: Any) -> str:
    oid = a.get("order_id")
    return fill(_RETURNED, "returned", oid, oid=oid, old=_items(a, name, "item_ids"),
                method=name(a.get("payment_method_id")), mailed=_mailed(a, "return"))


_EXCHANGE = ("{lead}exchange {old} in order {oid} for {new}, {settle}; {reminder}",
             "{lead}exchange {old} in order {oid} for {new}[ while|,] {settle2}; {reminder}")
_EXCHANGE_REMINDERS = (  # an order's items are exchanged once: the user's yes says the list is complete
    "an order can only be exchanged once, so please make sure [that's|this is] every item you want to exchange",
    "[since|as] items in an order can be exchanged only once, please check that [this lists|I have] every item "
    "you want to exchange",
    "[please note that|note that|keep in mind that] exchanges can be made only once per order, so [make sure|check "
    "that] [this covers every item you want to exchange|nothing else in it needs exchanging]",
    "[this|the exchange] can only be done once for this order, so please confirm [that's|this is] [everything|every "
    "item] you want to exchange")
_EXCHANGE_LEADS = "[|||request to |put in a request to |arrange to |submit a request to |set up a request to ]"
_EXCHANGE_SETTLE = ("settling any price difference with {method}", "with any price difference settled through {method}",
                    "[using|with] {method} for any price difference",
                    "[charging or refunding|settling] any difference [on|with|through] {method}",
                    "with {method} [covering|taking care of] any price difference")
_EXCHANGE_SETTLE2 = ("[settling|sorting out] any price difference [with|through|on] {method}",
                     "[charging or refunding|settling] any difference [on|through|with] {method}",
                     "using {method} for any price difference")


def _exchange_proposal(a: Any, name: Any, amount: float | None = None) -> str:
    oid, method = a.get("order_id"), name(a.get("payment_method_id"))
    key = (oid, *a.get("item_ids", []))
    known = _settled(amount, method, *key) if amount is not None else ""
    known2 = _settled(amount, method, *key, gerund=True) if amount is not None else ""
    return fill(_EXCHANGE, "propose exchange", *key, lead=one_of((_EXCHANGE_LEADS,), "exchange lead", *key), oid=oid,
                old=_items(a, name, "item_ids"), new=_items(a, name, "new_item_ids"),
                settle=known or fill(_EXCHANGE_SETTLE, "settle", *key, method=method),
                settle2=known2 or fill(_EXCHANGE_SETTLE2, "settle", *key, method=method),
                reminder=fill(_EXCHANGE_REMINDERS, "reminder", *key))


_EXCHANGED = (
    "The exchange for order {oid} has been requested; {mailed}",
    "I've requested the exchange of {old} for {new}; {mailed}",
    "The exchange in order {oid} is registered: {new} will replace {old}; {mailed}",
    "[I've|I have] [put in|filed|submitted|opened] [an|the] exchange [request |]for order {oid}, {old} for {new}; "
    "{mailed}",
    "[The|Your] exchange [request |]for order {oid} [is in|has been filed|is registered|went through]; {mailed}",
    "[Order {oid} is now marked exchange requested|Order {oid} now shows an exchange request|An exchange is now "
    "open on order {oid}]: {old} for {new}; {mailed}",
    "[I've|I have] [set up|started|registered] the exchange of {old} for {new} [in|on] order {oid}; {mailed}",
    "[You'll get {new} in place of {old}|You will receive {new} instead of {old}]: the exchange [on|for] "
    "order {oid} [is registered|has been requested|is in]; {mailed}",
)


def _exchanged(a: Any, r: Any, name: Any) -> str:
    oid, new = a.get("order_id"), _items(a, name, "new_item_ids")
    return fill(_EXCHANGED, "exchanged", oid, oid=oid, old=_items(a, name, "item_ids"), new=new, New=capital(new),
                mailed=_mailed(a, "exchange"))


ITEMS_PHRASING = Phrasing(proposal=_replace_proposal, done=_replaced, amount=price_difference)
RETURN_PHRASING = Phrasing(proposal=_return_proposal, done=_returned)
EXCHANGE_PHRASING = Phrasing(proposal=_exchange_proposal, done=_exchanged, amount=price_difference)

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
