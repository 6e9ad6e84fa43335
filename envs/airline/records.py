"""Record lookups, fixed clock and id sequences, and the full record views tools return."""

from __future__ import annotations

from typing import Any

from writ_dsl.env.core import State, ToolError, json_copy

NOW = "2024-05-15T15:00:00"
NEW_RESERVATION_IDS = ("HATHAT", "HATHAU", "HATHAV")
NEW_CERTIFICATE_NUMBERS = (3221322, 3221323, 3221324)
CABINS = ("basic_economy", "economy", "business")

FLIGHT_FIELDS = (
    "flight_number",
    "origin",
    "destination",
    "scheduled_departure_time_est",
    "scheduled_arrival_time_est",
    "dates",
)
USER_FIELDS = (
    "user_id",
    "name",
    "address",
    "email",
    "dob",
    "payment_methods",
    "saved_passengers",
    "membership",
    "reservations",
)
RESERVATION_FIELDS = (
    "reservation_id",
    "user_id",
    "origin",
    "destination",
    "flight_type",
    "cabin",
    "flights",
    "passengers",
    "payment_history",
    "created_at",
    "total_baggages",
    "nonfree_baggages",
    "insurance",
    "status",
)
_USER_DEFAULTS: dict[str, Any] = {"saved_passengers": [], "reservations": []}


def find_user(state: State, user_id: str) -> dict[str, Any]:
    return state.require("users", user_id, f"User {user_id} not found")


def find_reservation(state: State, reservation_id: str) -> dict[str, Any]:
    return state.require("reservations", reservation_id, f"Reservation {reservation_id} not found")


def find_open_reservation(state: State, reservation_id: str) -> dict[str, Any]:
    """A reservation that may still be changed: found and not cancelled."""
    record = find_reservation(state, reservation_id)
    if record.get("status") == "cancelled":
        raise ToolError(f"Reservation {reservation_id} is already cancelled")
    return record


def find_flight(state: State, flight_number: str) -> dict[str, Any]:
    return state.require("flights", flight_number, f"Flight {flight_number} not found")


def find_flight_date(state: State, flight_number: str, date: str) -> dict[str, Any]:
    dates = find_flight(state, flight_number)["dates"]
    if date not in dates:
        raise ToolError(f"Flight {flight_number} not found on date {date}")
    return dates[date]


def available_flight_date(state: State, flight_number: str, date: str) -> dict[str, Any]:
    status = find_flight_date(state, flight_number, date)
    if status.get("status") != "available":
        raise ToolError(f"Flight {flight_number} not available on date {date}")
    return status


def next_reservation_id(state: State) -> str:
    for reservation_id in NEW_RESERVATION_IDS:
        if state.get("reservations", reservation_id) is None:
            return reservation_id
    raise ToolError("Too many reservations")


def segment(flight: dict[str, Any], day: str, price: int) -> dict[str, Any]:
    """One flight of a reservation: the flight on ``day`` at the fare paid per passenger."""
    return {
        "flight_number": flight["flight_number"],
        "origin": flight["origin"],
        "destination": flight["destination"],
        "date": day,
        "price": price,
    }


def reservation_view(record: dict[str, Any]) -> dict[str, Any]:
    """The reservation with every field present (``status`` null when absent), as a copy."""
    return {field: json_copy(record.get(field)) for field in RESERVATION_FIELDS}


def user_view(record: dict[str, Any]) -> dict[str, Any]:
    """The user with every field present, as a copy."""
    return {field: json_copy(record.get(field, _USER_DEFAULTS.get(field))) for field in USER_FIELDS}
