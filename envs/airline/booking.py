"""Writing tools that choose flights: booking a reservation and changing its itinerary or cabin."""

from __future__ import annotations

from typing import Any

from pydantic import Field

from writ_dsl.env.wording import Phrasing, humanize, money, one_of, say

from .phrases import booking, flights as flight_list
from writ_dsl.env.core import State, Tool, ToolArgs, ToolError, ToolKind

from .models import CabinClass, FlightInfo, FlightType, Insurance, Passenger, Payment
from .pricing import booking_total, charge_booking, charge_update, check_booking_payments, check_update_payment
from .records import (
    NOW,
    available_flight_date,
    find_flight,
    find_open_reservation,
    find_user,
    next_reservation_id,
    reservation_view,
    segment,
)


class BookReservationArgs(ToolArgs):
    user_id: str = Field(description="The id of the user who books, such as 'sara_doe_496'.")
    origin: str = Field(description="IATA code of the trip's origin, such as 'SFO'.")
    destination: str = Field(description="IATA code of the trip's destination, such as 'JFK'.")
    flight_type: FlightType = Field(description="'one_way' or 'round_trip'.")
    cabin: CabinClass = Field(description="'basic_economy', 'economy' or 'business', the same for every flight.")
    flights: list[FlightInfo] = Field(description="Every flight of the trip, in travel order.")
    passengers: list[Passenger] = Field(description="Every passenger travelling.")
    payment_methods: list[Payment] = Field(description="How the total is paid; the amounts must add up to it.")
    total_baggages: int = Field(ge=0, description="Total number of checked bags.")
    nonfree_baggages: int = Field(ge=0, description="Number of checked bags beyond the free allowance.")
    insurance: Insurance = Field(description="'yes' to buy travel insurance for every passenger, else 'no'.")


class UpdateFlightsArgs(ToolArgs):
    reservation_id: str = Field(description="The reservation id, such as 'ZFA04Y'.")
    cabin: CabinClass = Field(description="The cabin of the whole reservation after the change.")
    flights: list[FlightInfo] = Field(
        description="Every flight of the new itinerary, unchanged flights included, in travel order."
    )
    payment_id: str = Field(
        description="Credit card or gift card from the user's profile that pays or receives the fare difference."
    )


def _priced_segment(state: State, info: FlightInfo, cabin: str, travellers: int) -> dict[str, Any]:
    """A bookable flight for ``travellers`` at today's fare; ToolError otherwise."""
    flight = find_flight(state, info.flight_number)
    status = available_flight_date(state, info.flight_number, info.date)
    if status["available_seats"][cabin] < travellers:
        raise ToolError(f"Not enough seats on flight {info.flight_number}")
    return segment(flight, info.date, status["prices"][cabin])


def _take_seats(state: State, segments: list[dict[str, Any]], cabin: str, travellers: int) -> None:
    for booked in segments:
        flight = state.edit("flights", booked["flight_number"])
        flight["dates"][booked["date"]]["available_seats"][cabin] -= travellers


def _new_reservation(reservation_id: str, params: BookReservationArgs, segments: list[dict[str, Any]]) -> dict:
    return {
        "reservation_id": reservation_id,
        "user_id": params.user_id,
        "origin": params.origin,
        "destination": params.destination,
        "flight_type": params.flight_type,
        "cabin": params.cabin,
        "flights": segments,
        "passengers": [passenger.model_dump() for passenger in params.passengers],
        "payment_history": [payment.model_dump() for payment in params.payment_methods],
        "created_at": NOW,
        "total_baggages": params.total_baggages,
        "nonfree_baggages": params.nonfree_baggages,
        "insurance": params.insurance,
        "status": None,
    }


def book_reservation(state: State, params: BookReservationArgs) -> dict[str, Any]:
    user = find_user(state, params.user_id)
    reservation_id = next_reservation_id(state)
    travellers = len(params.passengers)
    segments = [_priced_segment(state, info, params.cabin, travellers) for info in params.flights]
    prices = [booked["price"] for booked in segments]
    total = booking_total(prices, travellers, params.insurance, params.nonfree_baggages)
    check_booking_payments(user, params.payment_methods, total)
    charge_booking(state, params.user_id, params.payment_methods)
    _take_seats(state, segments, params.cabin, travellers)
    record = _new_reservation(reservation_id, params, segments)
    state.insert("reservations", reservation_id, record)
    state.edit("users", params.user_id)["reservations"].append(reservation_id)
    return reservation_view(record)


def _kept_segment(reservation: dict[str, Any], info: FlightInfo, cabin: str) -> dict[str, Any] | None:
    """The reservation's own segment for this flight and date, if the cabin stays the same."""
    if cabin != reservation["cabin"]:
        return None
    for booked in reservation["flights"]:
        if booked["flight_number"] == info.flight_number and booked["date"] == info.date:
            return dict(booked)
    return None


def _new_itinerary(state: State, reservation: dict[str, Any], params: UpdateFlightsArgs) -> list[dict[str, Any]]:
    travellers = len(reservation["passengers"])
    segments = []
    for info in params.flights:
        find_flight(state, info.flight_number)
        kept = _kept_segment(reservation, info, params.cabin)
        segments.append(kept or _priced_segment(state, info, params.cabin, travellers))
    return segments


def update_reservation_flights(state: State, params: UpdateFlightsArgs) -> dict[str, Any]:
    reservation = find_open_reservation(state, params.reservation_id)
    user_id = reservation["user_id"]
    user = find_user(state, user_id)
    segments = _new_itinerary(state, reservation, params)
    old_fare = sum(booked["price"] for booked in reservation["flights"])
    difference = (sum(booked["price"] for booked in segments) - old_fare) * len(reservation["passengers"])
    check_update_payment(user, params.payment_id, difference)
    payment = charge_update(state, user_id, params.payment_id, difference)
    record = state.edit("reservations", params.reservation_id)
    if payment is not None:
        record["payment_history"].append(payment)
    record["flights"] = segments
    record["cabin"] = params.cabin
    return reservation_view(record)


def _flights_done(a: Any, r: Any) -> str:
    rid, cabin = a.get("reservation_id"), humanize(str(a.get("cabin")))
    key = ("flights-done", rid)
    return say(one_of((
        "Reservation {rid} is now in {cabin} class on {legs}.",
        "[I've|I have] [updated|changed] reservation {rid}: it is now {cabin} class on {legs}.",
        "[Reservation {rid} now shows|Reservation {rid} is now booked in] {cabin} class on {legs}.",
    ), *key), *key, "words", rid=rid, cabin=cabin,
        legs=flight_list(a.get("flights", []), "done", r.get("flight_type") if isinstance(r, dict) else None))


BOOK_PHRASING = Phrasing(
    proposal=booking,
    done=lambda a, r, name: f"Your reservation {r.get('reservation_id', '') if isinstance(r, dict) else ''} is booked.",
)
def _offers(results: Any, cabin: str) -> dict[tuple[Any, Any], set[Any]]:
    """The fares in ``cabin`` the flight searches showed, by flight number and date (None where a result names
    no date)."""
    found: dict[tuple[Any, Any], set[Any]] = {}
    for result in results:
        for item in result if isinstance(result, list) else []:
            for leg in item if isinstance(item, list) else [item]:
                if isinstance(leg, dict) and "flight_number" in leg and isinstance(leg.get("prices"), dict):
                    found.setdefault((leg["flight_number"], leg.get("date")), set()).add(leg["prices"].get(cabin))
    return found


def fare_difference(a: Any, results: Any) -> float | None:
    """What a change of flights or cabin charges (above 0) or refunds (below 0) for all passengers, as the
    latest look at the reservation and the searches show it: a flight kept in the same cabin keeps its price,
    any other costs the one fare the searches showed for it; None when they do not show one."""
    rid, cabin = a.get("reservation_id"), str(a.get("cabin"))
    shown = [r for r in results if isinstance(r, dict) and r.get("reservation_id") == rid
             and isinstance(r.get("flights"), list) and isinstance(r.get("passengers"), list)]
    if not shown:
        return None
    record, offers, total = shown[-1], _offers(results, cabin), 0
    for wanted in a.get("flights") or []:
        kept = [b.get("price") for b in record["flights"] if cabin == record.get("cabin")
                and (b.get("flight_number"), b.get("date")) == (wanted.get("flight_number"), wanted.get("date"))]
        fares = kept or list(offers.get((wanted.get("flight_number"), wanted.get("date")))
                             or offers.get((wanted.get("flight_number"), None)) or [])
        if len(fares) != 1 or not isinstance(fares[0], int | float):
            return None
        total += fares[0]
    return round((total - sum(b.get("price", 0) for b in record["flights"])) * len(record["passengers"]), 2)


def _flights_proposal(a: Any, name: Any, amount: float | None = None) -> str:
    rid, method = a.get("reservation_id"), name(a.get("payment_id"))
    change = f"change reservation {rid} to {humanize(str(a.get('cabin')))} class on {flight_list(a.get('flights', []))}"
    key = ("flights-settle", rid, amount)
    if amount is None:
        return f"{change}, with any fare difference settled on {method}"
    if amount == 0:
        return f"{change}, with no fare difference to pay"
    fare = money(abs(amount))
    settle = (("charging the {fare} fare difference to {method}", "with the {fare} fare difference charged to {method}")
              if amount > 0 else ("refunding the {fare} fare difference to {method}",
                                  "with the {fare} fare difference refunded to {method}"))
    return f"{change}, {one_of(settle, *key).format(fare=fare, method=method)}"


FLIGHTS_PHRASING = Phrasing(
    proposal=_flights_proposal,
    done=lambda a, r, name: _flights_done(a, r),
    amount=fare_difference,
)

TOOLS = (
    Tool(
        "book_reservation",
        ToolKind.WRITE,
        "Book a new reservation for a user. Every flight must be bookable on its date with enough seats in the "
        "cabin; the payment amounts must add up exactly to the total price.",
        BookReservationArgs,
        book_reservation,
        phrasing=BOOK_PHRASING,
    ),
    Tool(
        "update_reservation_flights",
        ToolKind.WRITE,
        "Replace the flights and/or cabin of a reservation. Give the entire new itinerary; flights kept in the same "
        "cabin keep the price paid. The fare difference for all passengers is charged to, or refunded to, payment_id.",
        UpdateFlightsArgs,
        update_reservation_flights,
        phrasing=FLIGHTS_PHRASING,
    ),
)
