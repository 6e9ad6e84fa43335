"""What a careful agent says about its lookups and actions: evidence, proposals, completions, facts.

Every phrase is built from tool names and argument values; the common airline
and retail tools get hand-written wording, any other tool a generic one.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Mapping, Sequence
from typing import Any

from .phrasing import humanize, join_words, value_text

Args = Mapping[str, Any]


def _distinct(calls: Sequence[Args], key: str) -> str:
    seen = dict.fromkeys(value_text(c.get(key, "")) for c in calls)
    return join_words([v for v in seen if v])


def _plural(n: int, word: str) -> str:
    return f"{n} {word}" + ("" if n == 1 else "s")


def _route(kind: str) -> Callable[[Sequence[Args]], str]:
    def phrase(calls: Sequence[Args]) -> str:
        return (f"{kind} from {_distinct(calls, 'origin')} to {_distinct(calls, 'destination')} "
                f"on {_distinct(calls, 'date')}")
    return phrase


def _ids(singular: str, key: str) -> Callable[[Sequence[Args]], str]:
    def phrase(calls: Sequence[Args]) -> str:
        word = singular if len({value_text(c.get(key)) for c in calls}) == 1 else singular + "s"
        return f"{word} {_distinct(calls, key)}"
    return phrase


_EVIDENCE: dict[str, Callable[[Sequence[Args]], str]] = {
    "get_user_details": lambda calls: "your profile",
    "find_user_id_by_email": lambda calls: f"the account registered to {_distinct(calls, 'email')}",
    "find_user_id_by_name_zip": lambda calls: "the account under your name and zip code",
    "get_reservation_details": _ids("reservation", "reservation_id"),
    "search_direct_flight": _route("direct flights"),
    "search_onestop_flight": _route("one-stop connections"),
    "get_flight_status": lambda calls: f"the status of flight {_distinct(calls, 'flight_number')}",
    "list_all_airports": lambda calls: "the list of airports",
    "get_order_details": _ids("order", "order_id"),
    "get_product_details": _ids("product", "product_id"),
    "get_item_details": _ids("item", "item_id"),
    "list_all_product_types": lambda calls: "the product catalog",
    "calculate": lambda calls: "the totals",
}


def evidence_sentence(calls: Sequence[tuple[str, Args]]) -> str:
    """One sentence naming what the agent looked up: "I've checked your account details and ..."."""
    grouped: dict[str, list[Args]] = {}
    for tool, args in calls:
        grouped.setdefault(tool, []).append(args)
    phrases = [_evidence_phrase(tool, args) for tool, args in grouped.items()]
    return f"I've checked {join_words(phrases)}." if phrases else ""


_VERBS = ("get_", "search_", "list_", "find_", "lookup_", "fetch_", "check_", "read_", "show_")


def _evidence_phrase(tool: str, calls: Sequence[Args]) -> str:
    if tool in _EVIDENCE:
        return _EVIDENCE[tool](calls)
    name = next((humanize(tool[len(v):]) for v in _VERBS if tool.startswith(v)), humanize(tool))
    values = list(dict.fromkeys(value_text(v) for c in calls for v in c.values() if value_text(v)))
    return f"the {name} details for {join_words(values[:6])}" if values else f"the {name} details"


# ------------------------------------------------------------------------ proposals
def _flights(flights: Sequence[Args]) -> str:
    return join_words([f"flight {f.get('flight_number')} on {f.get('date')}" for f in flights])


def _people(passengers: Sequence[Args]) -> str:
    names = [f"{p.get('first_name')} {p.get('last_name')} (born {p.get('dob')})" for p in passengers]
    return f"{_plural(len(passengers), 'passenger')}: {join_words(names)}"


def _address(a: Args) -> str:
    parts = [a.get("address1"), a.get("address2"), a.get("city"), a.get("state"), a.get("zip"), a.get("country")]
    return ", ".join(value_text(p) for p in parts if p)


def _money(value: Any) -> str:
    """``$172.70`` for 172.7: cents written out, the plain figure still verbatim inside."""
    text = value_text(value)
    whole, dot, cents = text.partition(".")
    return f"${text}0" if dot and len(cents) == 1 and whole.isdigit() else f"${text}"


def _items(ids: Sequence[Any]) -> str:
    return join_words([value_text(i) for i in ids])


def _bags(total: Any, paid: Any) -> str:
    if not total:
        return "no checked bags"
    return _plural(total, "checked bag") + (f" ({paid} of them paid)" if paid else " (all free)")


def _payments(methods: Sequence[Args]) -> str:
    amounts = [p.get("amount") for p in methods if isinstance(p.get("amount"), int | float)]
    if len(methods) == 1:
        return f"The total of {_money(amounts[0] if amounts else 0)} will be charged to {methods[0].get('payment_id')}"
    parts = join_words([f"{_money(p.get('amount'))} to {p.get('payment_id')}" for p in methods])
    return f"Payment: {parts}, for a total of {_money(sum(amounts))}"


def _book(a: Args) -> str:
    trip = "round-trip" if a.get("flight_type") == "round_trip" else "one-way"
    cabin = humanize(str(a.get("cabin")))
    insurance = "with travel insurance" if a.get("insurance") == "yes" else "without travel insurance"
    return (f"a {trip} {cabin}-class reservation from {a.get('origin')} to {a.get('destination')} on "
            f"{_flights(a.get('flights', []))}, for {_people(a.get('passengers', []))}, with "
            f"{_bags(a.get('total_baggages', 0), a.get('nonfree_baggages', 0))}, {insurance}. "
            f"{_payments(a.get('payment_methods', []))}")


_PROPOSALS: dict[str, Callable[[Args], str]] = {
    "book_reservation": lambda a: "book " + _book(a),
    "cancel_reservation": lambda a: f"cancel reservation {a.get('reservation_id')}",
    "update_reservation_flights": lambda a: (
        f"change reservation {a.get('reservation_id')} to {humanize(str(a.get('cabin')))} class on "
        f"{_flights(a.get('flights', []))}, with any fare difference settled on {a.get('payment_id')}"),
    "update_reservation_baggages": lambda a: (
        f"set reservation {a.get('reservation_id')} to "
        f"{_bags(a.get('total_baggages', 0), a.get('nonfree_baggages', 0))}, with any bag fees charged to "
        f"{a.get('payment_id')}"),
    "update_reservation_passengers": lambda a: (
        f"update reservation {a.get('reservation_id')} to {_people(a.get('passengers', []))}"),
    "send_certificate": lambda a: (
        f"send a travel certificate of {_money(a.get('amount'))} to the account {a.get('user_id')}"),
    "cancel_pending_order": lambda a: f"cancel order {a.get('order_id')}, with the reason \"{a.get('reason')}\"",
    "modify_pending_order_address": lambda a: (
        f"change the shipping address of order {a.get('order_id')} to {_address(a)}"),
    "modify_pending_order_items": lambda a: (
        f"replace item {_items(a.get('item_ids', []))} with item {_items(a.get('new_item_ids', []))} in order "
        f"{a.get('order_id')}, settling the price difference with {a.get('payment_method_id')}"),
    "modify_pending_order_payment": lambda a: (
        f"switch the payment of order {a.get('order_id')} to {a.get('payment_method_id')}"),
    "modify_user_address": lambda a: f"update the default address of account {a.get('user_id')} to {_address(a)}",
    "return_delivered_order_items": lambda a: (
        f"return item {_items(a.get('item_ids', []))} from order {a.get('order_id')}, with the refund going to "
        f"{a.get('payment_method_id')}"),
    "exchange_delivered_order_items": lambda a: (
        f"exchange item {_items(a.get('item_ids', []))} in order {a.get('order_id')} for item "
        f"{_items(a.get('new_item_ids', []))}, settling any price difference with {a.get('payment_method_id')}"),
}


def proposal(tool: str, args: Args) -> str:
    """What the agent is about to do, specific enough to confirm: "book a one-way economy reservation ..."."""
    if tool in _PROPOSALS:
        try:
            return _PROPOSALS[tool](args)
        except (AttributeError, TypeError):
            pass
    details = join_words([f"{humanize(k)} {value_text(v)}" for k, v in args.items()])
    return f"{humanize(tool)} with {details}" if details else humanize(tool)


# ---------------------------------------------------------------------- completions
_DONE: dict[str, Callable[[Args, Any], str]] = {
    "book_reservation": lambda a, r: f"Your reservation {_field(r, 'reservation_id') or ''} is booked.",
    "cancel_reservation": lambda a, r: f"Reservation {a.get('reservation_id')} is now cancelled.",
    "send_certificate": lambda a, r: f"The certificate of {_money(a.get('amount'))} has been added to the account.",
    "cancel_pending_order": lambda a, r: f"Order {a.get('order_id')} is now cancelled.",
    "modify_user_address": lambda a, r: "Your default address has been updated.",
    "return_delivered_order_items": lambda a, r: f"The return for order {a.get('order_id')} has been requested.",
    "exchange_delivered_order_items": lambda a, r: (
        f"The exchange for order {a.get('order_id')} has been requested."),
}


def _field(result: Any, key: str) -> Any:
    return result.get(key) if isinstance(result, dict) else None


def completion(tool: str, args: Args, result: Any) -> str:
    """One sentence saying a change went through."""
    if tool in _DONE:
        return " ".join(_DONE[tool](args, result).split())
    for key in ("reservation_id", "order_id"):
        if key in args:
            return f"{key.removesuffix('_id').capitalize()} {args[key]} has been updated."
    return f"That's done: the {humanize(tool)} request went through."


# ---------------------------------------------------------------------------- facts
_MONEY_WORDS = ("amount", "price", "total", "cost", "fee", "balance", "refund", "fare")


def fact_sentence(fact: str, sources: Sequence[Any], label: str | None = None) -> str:
    """A sentence that states the fact verbatim, named by the spec's label, or after where it
    shows up in the call data."""
    key = label or next((k for source in sources if (k := _key_of(fact, source)) is not None), None)
    if key is None:
        return f"The figure you asked about is {fact}." if fact[:1].isdigit() else f"For your reference: {fact}."
    name = key if label else humanize(key)
    money = any(w in key.lower() for w in _MONEY_WORDS) and fact[:1].isdigit()
    return f"The {name} is {_money(fact) if money else fact}."



def _key_of(fact: str, value: Any, key: str | None = None) -> str | None:
    if isinstance(value, dict):
        return next((k for name, v in value.items() if (k := _key_of(fact, v, name)) is not None), None)
    if isinstance(value, list):
        return next((k for v in value if (k := _key_of(fact, v, key)) is not None), None)
    return key if key is not None and value_text(value) == fact else None


def parse_result(content: str | None) -> Any:
    try:
        return json.loads(content or "")
    except ValueError:
        return content
