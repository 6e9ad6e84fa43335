"""The airline policy as code: rules over a task's gold writes (see writ_dsl.env.policy).

Rules that depend on a reservation read it from the starting database and
follow the task's own earlier changes to it (a cabin change, added bags).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator, Sequence
from typing import Any

from writ_dsl.env.core import Database
from writ_dsl.env.policy import Action

from .records import NOW

RESERVATION_WRITES = frozenset({
    "cancel_reservation", "update_reservation_flights", "update_reservation_baggages",
    "update_reservation_passengers",
})
FLOWN = frozenset({"flying", "landed"})
MAX_PASSENGERS = 5
PAYMENT_LIMITS = {"certificate": 1, "credit_card": 1, "gift_card": 3}


def _reservation(db: Database, action: Action) -> dict[str, Any] | None:
    return db.tables.get("reservations", {}).get(action.get("reservation_id"))


def _flight_status(db: Database, number: str, date: str) -> str | None:
    flight = db.tables.get("flights", {}).get(number) or {}
    return (flight.get("dates") or {}).get(date, {}).get("status")


def _flown(db: Database, reservation: dict[str, Any]) -> bool:
    return any(_flight_status(db, f.get("flight_number"), f.get("date")) in FLOWN
               for f in reservation.get("flights", []))


def one_user(actions: Sequence[Action], db: Database) -> Iterator[str]:
    """Every change concerns the one identified user."""
    owners = {a.get("user_id") for a in actions if "user_id" in a.arguments}
    owners |= {r["user_id"] for a in actions if (r := _reservation(db, a)) is not None}
    if len(owners) > 1:
        yield f"changes for {len(owners)} users in one conversation"


def nothing_once_flown(actions: Sequence[Action], db: Database) -> Iterator[str]:
    """A reservation any of whose flights has flown cannot be changed or cancelled."""
    for action in actions:
        reservation = _reservation(db, action)
        if action.name in RESERVATION_WRITES and reservation is not None and _flown(db, reservation):
            yield f"{action.name} on reservation {reservation['reservation_id']}, which has already flown"


def basic_economy_keeps_flights(actions: Sequence[Action], db: Database) -> Iterator[str]:
    """A basic-economy reservation cannot change its flights (its cabin may change)."""
    cabins: dict[str, str] = {}
    for action in actions:
        reservation = _reservation(db, action)
        if action.name != "update_reservation_flights" or reservation is None:
            continue
        key = reservation["reservation_id"]
        cabin = cabins.get(key, reservation.get("cabin"))
        old = [(f.get("flight_number"), f.get("date")) for f in reservation.get("flights", [])]
        new = [(f.get("flight_number"), f.get("date")) for f in action.get("flights") or []]
        if cabin == "basic_economy" and new != old:
            yield f"flights changed on basic-economy reservation {key}"
        cabins[key] = action.get("cabin", cabin)


def bags_only_added(actions: Sequence[Action], db: Database) -> Iterator[str]:
    """Checked bags may be added, never removed."""
    bags: dict[str, int] = {}
    for action in actions:
        reservation = _reservation(db, action)
        if action.name != "update_reservation_baggages" or reservation is None:
            continue
        key = reservation["reservation_id"]
        before = bags.get(key, reservation.get("total_baggages", 0))
        if (action.get("total_baggages") or 0) < before:
            yield f"checked bags removed from reservation {key}"
        bags[key] = action.get("total_baggages") or 0


def no_certificate_for_changes(actions: Sequence[Action], db: Database) -> Iterator[str]:
    """A travel certificate pays for bookings only, never for a change."""
    for action in actions:
        if action.name.startswith("update_reservation") and str(action.get("payment_id", "")).startswith("certificate"):
            yield f"{action.name} paid with a travel certificate"


def booking_limits(actions: Sequence[Action], db: Database) -> Iterator[str]:
    """A booking has one to five passengers, is paid, and with at most one certificate, one credit card and
    three gift cards."""
    for action in actions:
        if action.name != "book_reservation":
            continue
        if not action.get("passengers"):
            yield "a booking without a passenger"
        if len(action.get("passengers") or []) > MAX_PASSENGERS:
            yield "a booking with more than five passengers"
        if not action.get("payment_methods"):
            yield "a booking without a payment method"
        for kind, limit in PAYMENT_LIMITS.items():
            used = [p for p in action.get("payment_methods") or [] if str(p.get("payment_id", "")).startswith(kind)]
            if len(used) > limit:
                yield f"a booking paid with {len(used)} {kind.replace('_', ' ')}s"


def cancellation_allowed(actions: Sequence[Action], db: Database) -> Iterator[str]:
    """A cancellation needs a booking under 24 hours old, an airline-cancelled flight, business class or
    insurance (the reason is the user's; the rule checks that one of the conditions can hold)."""
    now = dt.datetime.fromisoformat(NOW)
    for action in actions:
        reservation = _reservation(db, action)
        if action.name != "cancel_reservation" or reservation is None:
            continue
        created = dt.datetime.fromisoformat(reservation.get("created_at") or NOW)
        cancelled = any(_flight_status(db, f.get("flight_number"), f.get("date")) == "cancelled"
                        for f in reservation.get("flights", []))
        if not (now - created < dt.timedelta(hours=24) or cancelled or reservation.get("cabin") == "business"
                or reservation.get("insurance") == "yes"):
            yield f"reservation {reservation['reservation_id']} cancelled without a condition that allows it"


def transfer_ends(actions: Sequence[Action], db: Database) -> Iterator[str]:
    """A hand-off to a human agent ends the agent's part of the conversation."""
    if "transfer_to_human_agents" in [a.name for a in actions][:-1]:
        yield "changes after transferring to a human agent"


RULES = (one_user, nothing_once_flown, basic_economy_keeps_flights, bags_only_added, no_certificate_for_changes,
         booking_limits, cancellation_allowed, transfer_ends)
