"""Generated reservations: real itineraries on the flight table, priced and paid as the tools would."""

from __future__ import annotations

import random
import string
from collections import defaultdict
from datetime import date as Date
from datetime import datetime, timedelta
from typing import Any

from .gen_network import DATES, base_fare, cabin_fares
from .gen_people import make_person
from .pricing import booking_total
from .records import CABINS, NEW_RESERVATION_IDS, NOW, segment

FREE_BAGS = {
    "regular": {"basic_economy": 0, "economy": 1, "business": 2},
    "silver": {"basic_economy": 1, "economy": 2, "business": 3},
    "gold": {"basic_economy": 2, "economy": 3, "business": 4},
}
RESERVATION_COUNTS = (0, 1, 2, 3, 4, 5, 6, 7, 8)
RESERVATION_COUNT_WEIGHTS = (6, 10, 16, 18, 17, 13, 9, 6, 5)
PASSENGER_WEIGHTS = (45, 30, 17, 8)
EARLIEST_BOOKING = datetime(2024, 4, 20)

Leg = tuple[dict[str, Any], str]


class Network:
    """The flight table indexed for itinerary building."""

    def __init__(self, flights: dict[str, dict[str, Any]]) -> None:
        self.flights = list(flights.values())
        self.by_origin: dict[str, list[dict[str, Any]]] = defaultdict(list)
        for flight in self.flights:
            self.by_origin[flight["origin"]].append(flight)

    def direct(self, origin: str, destination: str) -> list[dict[str, Any]]:
        return [f for f in self.by_origin[origin] if f["destination"] == destination]

    def onward(self, first: Leg, final: str | None, avoid: str) -> list[Leg]:
        """Flights connecting after ``first`` (to ``final`` if given), never back to ``avoid``."""
        flight, day = first
        arrival = flight["scheduled_arrival_time_est"]
        next_day = _shift(day, 1) if "+1" in arrival else day
        if next_day not in DATES:
            return []
        return [
            (second, next_day)
            for second in self.by_origin[flight["destination"]]
            if second["scheduled_departure_time_est"] >= arrival
            and second["destination"] != avoid
            and (final is None or second["destination"] == final)
        ]


def _shift(day: str, days: int) -> str:
    return (Date.fromisoformat(day) + timedelta(days=days)).isoformat()


def _outbound(rng: random.Random, network: Network, day: str) -> list[Leg]:
    first = (rng.choice(network.flights), day)
    if rng.random() < 0.35:
        onward = network.onward(first, None, first[0]["origin"])
        if onward:
            return [first, rng.choice(onward)]
    return [first]


def _return(rng: random.Random, network: Network, origin: str, destination: str, day: str) -> list[Leg]:
    """A way back from ``destination`` to ``origin`` on ``day``: direct if possible, else one stop."""
    direct = network.direct(destination, origin)
    if direct:
        return [(rng.choice(direct), day)]
    options = [
        [first, second]
        for flight in network.by_origin[destination]
        for first in [(flight, day)]
        for second in network.onward(first, origin, destination)
    ]
    return rng.choice(options) if options else []


def _itinerary(rng: random.Random, network: Network) -> tuple[str, str, list[Leg]]:
    """Trip type, destination and legs: an outbound journey, and for round trips the way back."""
    day = rng.choices(DATES, [2] * 14 + [1] + [3] * 15)[0]
    legs = _outbound(rng, network, day)
    origin, destination = legs[0][0]["origin"], legs[-1][0]["destination"]
    back_day = _shift(legs[-1][1], rng.randint(1, 7))
    if rng.random() < 0.45 and back_day in DATES:
        back = _return(rng, network, origin, destination, back_day)
        if back:
            return "round_trip", destination, legs + back
    return "one_way", destination, legs


def _price(rng: random.Random, leg: Leg, cabin: str) -> int:
    flight, day = leg
    status = flight["dates"][day]
    if status["status"] == "available" and rng.random() < 0.7:
        return status["prices"][cabin]
    return cabin_fares(rng, base_fare(flight["origin"], flight["destination"]))[cabin]


def _created_at(rng: random.Random, first: Leg) -> str:
    flight, day = first
    departure = datetime.fromisoformat(f"{day}T{flight['scheduled_departure_time_est'][:8]}")
    latest = min(datetime.fromisoformat(NOW), departure - timedelta(hours=2))
    earliest = max(EARLIEST_BOOKING, latest - timedelta(days=21))
    span = max(0, int((latest - earliest).total_seconds()))
    return (earliest + timedelta(seconds=rng.randint(0, span))).isoformat()


def _passengers(rng: random.Random, user: dict[str, Any]) -> list[dict[str, str]]:
    count = rng.choices((1, 2, 3, 4), PASSENGER_WEIGHTS)[0]
    self_passenger = {**user["name"], "dob": user["dob"]}
    known = ([self_passenger] if rng.random() < 0.75 else []) + list(user["saved_passengers"])
    chosen = [dict(person) for person in known[:count]]
    return chosen + [make_person(rng) for _ in range(count - len(chosen))]


def _payments(rng: random.Random, user: dict[str, Any], total: int) -> list[dict[str, Any]]:
    """One credit card or gift card, sometimes a gift card and a card together."""
    usable = [m for m in user["payment_methods"].values() if m["source"] != "certificate"]
    cards = [m for m in usable if m["source"] == "credit_card"]
    gifts = [m for m in usable if m["source"] == "gift_card"]
    if cards and gifts and total > 1 and rng.random() < 0.15:
        part = rng.randint(1, total - 1)
        return [{"payment_id": rng.choice(gifts)["id"], "amount": part},
                {"payment_id": rng.choice(cards)["id"], "amount": total - part}]
    return [{"payment_id": rng.choice(usable)["id"], "amount": total}]


def _cancel(record: dict[str, Any]) -> None:
    refunds = [{"payment_id": p["payment_id"], "amount": -p["amount"]} for p in record["payment_history"]]
    record["payment_history"].extend(refunds)
    record["status"] = "cancelled"


def make_reservation(rng: random.Random, network: Network, user: dict[str, Any], cabin: str, rid: str) -> dict:
    flight_type, destination, legs = _itinerary(rng, network)
    passengers = _passengers(rng, user)
    segments = [segment(*leg, _price(rng, leg, cabin)) for leg in legs]
    bags = rng.randint(0, 2 * len(passengers))
    nonfree = max(0, bags - FREE_BAGS[user["membership"]][cabin] * len(passengers))
    insurance = "yes" if rng.random() < 0.35 else "no"
    total = booking_total([s["price"] for s in segments], len(passengers), insurance, nonfree)
    record = {
        "reservation_id": rid,
        "user_id": user["user_id"],
        "origin": legs[0][0]["origin"],
        "destination": destination,
        "flight_type": flight_type,
        "cabin": cabin,
        "flights": segments,
        "passengers": passengers,
        "payment_history": _payments(rng, user, total),
        "created_at": _created_at(rng, legs[0]),
        "total_baggages": bags,
        "nonfree_baggages": nonfree,
        "insurance": insurance,
        "status": None,
    }
    if rng.random() < 0.07:
        _cancel(record)
    return record


def _reservation_id(rng: random.Random, taken: set[str]) -> str:
    alphabet = string.ascii_uppercase + string.digits
    while True:
        rid = "".join(rng.choice(alphabet) for _ in range(6))
        if rid not in taken:
            taken.add(rid)
            return rid


def make_reservations(rng: random.Random, users: dict[str, dict[str, Any]], flights: dict) -> dict[str, dict]:
    """Reservations for every user (appended to their ``reservations``), cabins varied per user."""
    network, taken = Network(flights), set(NEW_RESERVATION_IDS)
    reservations: dict[str, dict[str, Any]] = {}
    for user in users.values():
        count = rng.choices(RESERVATION_COUNTS, RESERVATION_COUNT_WEIGHTS)[0]
        cabins = rng.sample(CABINS, 3) * 3
        for cabin in cabins[:count]:
            record = make_reservation(rng, network, user, cabin, _reservation_id(rng, taken))
            reservations[record["reservation_id"]] = record
            user["reservations"].append(record["reservation_id"])
    return reservations
