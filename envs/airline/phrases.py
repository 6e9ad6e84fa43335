"""Pieces of the offline agent's wording shared by the airline tools: flights, passengers, bags, payments."""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from typing import Any

from writ_dsl.env.wording import Namer, distinct, humanize, join_words, money, one_of, plural, records

Args = Mapping[str, Any]


def route(kind: str) -> Callable[[Sequence[Args]], str]:
    def phrase(calls: Sequence[Args]) -> str:
        return f"{kind} from {distinct(calls, 'origin')} to {distinct(calls, 'destination')} on {distinct(calls, 'date')}"
    return phrase


def flights(items: Sequence[Args]) -> str:
    return join_words([f"flight {f.get('flight_number')} on {f.get('date')}" for f in items])


def people(passengers: Sequence[Args]) -> str:
    names = [f"{p.get('first_name')} {p.get('last_name')} (born {p.get('dob')})" for p in passengers]
    return f"{plural(len(passengers), 'passenger')}: {join_words(names)}"


def bags(total: Any, paid: Any) -> str:
    if not total:
        return "no checked bags"
    return plural(total, "checked bag") + (f" ({paid} of them paid)" if paid else " (all free)")


def payments(methods: Sequence[Args], name: Namer) -> str:
    amounts = [p.get("amount") for p in methods if isinstance(p.get("amount"), int | float)]
    if len(methods) == 1:
        return f"The total of {money(amounts[0] if amounts else 0)} will be charged to {name(methods[0].get('payment_id'))}"
    parts = join_words([f"{money(p.get('amount'))} to {name(p.get('payment_id'))}" for p in methods])
    return f"Payment: {parts}, for a total of {money(sum(amounts))}"


def booking(a: Args, name: Namer) -> str:
    trip = "round-trip" if a.get("flight_type") == "round_trip" else "one-way"
    insurance = "with travel insurance" if a.get("insurance") == "yes" else "without travel insurance"
    return (f"book a {trip} {humanize(str(a.get('cabin')))}-class reservation from {a.get('origin')} to "
            f"{a.get('destination')} on {flights(a.get('flights', []))}, for {people(a.get('passengers', []))}, "
            f"with {bags(a.get('total_baggages', 0), a.get('nonfree_baggages', 0))}, {insurance}. "
            f"{payments(a.get('payment_methods', []), name)}")


def reservations(calls: Sequence[Args]) -> str:
    ids = list(dict.fromkeys(str(c.get("reservation_id")) for c in calls))
    return records("reservation", ids)


def updated(reservation_id: Any) -> str:
    """That a change to a reservation is saved, in one of several equivalent wordings."""
    return one_of((f"Reservation {reservation_id} has been updated.", f"Reservation {reservation_id} is now updated.",
                   f"The change to reservation {reservation_id} is saved.",
                   f"Reservation {reservation_id} now reflects the change."), "updated", reservation_id)


def reservation_found(r: Any, name: Namer) -> str:
    """What a reservation shows, in one of several equivalent wordings: trip, cabin, route, people, bags."""
    if not isinstance(r, dict) or "reservation_id" not in r:
        return ""
    rid, cabin = r["reservation_id"], humanize(str(r.get("cabin")))
    trip = "round-trip" if r.get("flight_type") == "round_trip" else "one-way"
    who = plural(len(r.get("passengers") or []), "passenger")
    route_ = f"{r.get('origin')} to {r.get('destination')}"
    luggage = bags(r.get("total_baggages", 0), r.get("nonfree_baggages", 0))
    if r.get("status") == "cancelled":
        return f"Reservation {rid} ({route_}) is already cancelled."
    return one_of((f"Reservation {rid} is a {trip} {cabin} trip from {route_} for {who}, with {luggage}.",
                   f"On reservation {rid} I see {who} in {cabin}, {route_}, {trip}, with {luggage}.",
                   f"Reservation {rid} covers {who} flying {cabin} from {route_} ({trip}), with {luggage}.",
                   f"It is a {trip} booking, {route_} in {cabin}, for {who} and with {luggage}.",
                   f"The booking shows {who} on a {trip} {cabin} trip, {route_}, with {luggage}."),
                  "found", rid)
