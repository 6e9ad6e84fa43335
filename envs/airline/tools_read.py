"""Read-only airline tools: users, reservations, airports, flight search and status."""

from __future__ import annotations

from collections import defaultdict
from datetime import date as Date
from datetime import timedelta
from typing import Any

from pydantic import Field

from writ_dsl.env.wording import Phrasing, distinct, join_words, one_of, payment_method_names, say, spoken_date

from .phrases import reservation_found, reservations, route
from writ_dsl.env.core import State, Tool, ToolArgs, ToolKind

from .airports import airport_list
from .flight_index import available_flights
from .models import NoArgs, ReservationIdArgs, UserIdArgs
from .records import find_flight_date, find_reservation, find_user, reservation_view, user_view


class RouteArgs(ToolArgs):
    origin: str = Field(description="Origin airport, three-letter IATA code such as 'JFK'.")
    destination: str = Field(description="Destination airport, three-letter IATA code such as 'LAX'.")
    date: str = Field(description="Departure date, YYYY-MM-DD, such as '2024-05-20'.")


class FlightStatusArgs(ToolArgs):
    flight_number: str = Field(description="The flight number, such as 'HAT001'.")
    date: str = Field(description="The date of the flight, YYYY-MM-DD.")


def get_user_details(state: State, params: UserIdArgs) -> dict[str, Any]:
    return user_view(find_user(state, params.user_id))


def get_reservation_details(state: State, params: ReservationIdArgs) -> dict[str, Any]:
    return reservation_view(find_reservation(state, params.reservation_id))


def list_all_airports(state: State, params: NoArgs) -> list[dict[str, str]]:
    return airport_list()


def offer(flight: dict[str, Any], day: str, date: str | None = None) -> dict[str, Any]:
    """A flight as search results show it: schedule plus that date's seats and prices."""
    status = flight["dates"][day]
    return {
        "flight_number": flight["flight_number"],
        "origin": flight["origin"],
        "destination": flight["destination"],
        "status": "available",
        "scheduled_departure_time_est": flight["scheduled_departure_time_est"],
        "scheduled_arrival_time_est": flight["scheduled_arrival_time_est"],
        "date": date,
        "available_seats": dict(status["available_seats"]),
        "prices": dict(status["prices"]),
    }


def search_direct_flight(state: State, params: RouteArgs) -> list[dict[str, Any]]:
    found = available_flights(state, params.date, origin=params.origin, destination=params.destination)
    return [offer(flight, params.date) for flight in found]


def following_day(day: str) -> str:
    try:
        return (Date.fromisoformat(day) + timedelta(days=1)).isoformat()
    except ValueError:
        return ""


def _second_leg_day(day: str, first: dict[str, Any]) -> str:
    return following_day(day) if "+1" in first["scheduled_arrival_time_est"] else day


def _second_legs(state: State, day: str, destination: str) -> dict[str, list[dict[str, Any]]]:
    """Available flights into ``destination`` on ``day``, grouped by origin."""
    grouped: dict[str, list[dict[str, Any]]] = defaultdict(list)
    for flight in available_flights(state, day, destination=destination):
        grouped[flight["origin"]].append(flight)
    return grouped


def search_onestop_flight(state: State, params: RouteArgs) -> list[list[dict[str, Any]]]:
    cache: dict[str, dict[str, list[dict[str, Any]]]] = {}
    pairs = []
    for first in available_flights(state, params.date, origin=params.origin):
        day2 = _second_leg_day(params.date, first)
        if day2 not in cache:
            cache[day2] = _second_legs(state, day2, params.destination)
        arrival = first["scheduled_arrival_time_est"]
        for second in cache[day2].get(first["destination"], []):
            if second["scheduled_departure_time_est"] >= arrival:
                pairs.append([offer(first, params.date, params.date), offer(second, day2, day2)])
    return pairs


def get_flight_status(state: State, params: FlightStatusArgs) -> str:
    return find_flight_date(state, params.flight_number, params.date)["status"]


def _profile(calls: Any) -> str:
    return one_of(("your profile", "your profile", "your account", "your account details", "your profile details",
                   "the details on your profile", "your user profile", "your customer profile",
                   "the [account|profile] [on file|we hold for you]", "your [saved|stored] [details|profile]"),
                  "profile", distinct(calls, "user_id"))


def _airports(calls: Any) -> str:
    return one_of(("the list of airports", "the airport list", "the list of airports we serve",
                   "our list of airports", "the airports we fly to"), "airports", len(calls))


def _status(calls: Any) -> str:
    legs = list(dict.fromkeys((str(c.get("flight_number")), spoken_date(c.get("date"))) for c in calls))
    key = ("status", *(f"{number}@{day}" for number, day in legs))
    if len(legs) == 1:
        (number, day), = legs
        return say(one_of(("the status of flight {number} on {day}",
                           "the [current|latest] status of flight {number}[ on {day}|]",
                           "flight {number}'s status[ on {day}|]"),
                          *key), *key, "words", number=number, day=day)
    numbers = join_words([number for number, _ in legs])
    dated = join_words([f"{number} on {day}" for number, day in legs])
    return say(one_of(("the status of flights {numbers}",
                       "the [current|latest] status of flights {numbers}",
                       "the status of [each of the|all] {count} flights ({numbers})",
                       "the [flight status|status] of {dated}",
                       "the status of flights {dated}"),
                      *key), *key, "words", numbers=numbers, dated=dated, count=len(legs))


PROFILE_PHRASING = Phrasing(
    looked_up=_profile,
    names=lambda user: payment_method_names(user.get("payment_methods") if isinstance(user, dict) else None),
)
RESERVATION_PHRASING = Phrasing(looked_up=reservations, candidates="reservation", found=reservation_found)
AIRPORTS_PHRASING = Phrasing(looked_up=_airports)
DIRECT_PHRASING = Phrasing(looked_up=route("direct flights"), candidates="direct flight")
ONESTOP_PHRASING = Phrasing(looked_up=route("one-stop connections"), candidates="connection")
STATUS_PHRASING = Phrasing(looked_up=_status)

TOOLS = (
    Tool(
        "get_user_details",
        ToolKind.READ,
        "Get a user's profile: name, address, membership, payment methods, saved passengers and reservation ids.",
        UserIdArgs,
        get_user_details,
        phrasing=PROFILE_PHRASING,
    ),
    Tool(
        "get_reservation_details",
        ToolKind.READ,
        "Get the full details of one reservation.",
        ReservationIdArgs,
        get_reservation_details,
        phrasing=RESERVATION_PHRASING,
    ),
    Tool(
        "list_all_airports",
        ToolKind.READ,
        "List every airport the airline serves, as IATA code and city.",
        NoArgs,
        list_all_airports,
        phrasing=AIRPORTS_PHRASING,
    ),
    Tool(
        "search_direct_flight",
        ToolKind.READ,
        "Search the non-stop flights between two airports that can be booked on a date, with seats and prices.",
        RouteArgs,
        search_direct_flight,
        phrasing=DIRECT_PHRASING,
    ),
    Tool(
        "search_onestop_flight",
        ToolKind.READ,
        "Search itineraries with one connection between two airports leaving on a date; each result is a pair of "
        "flights, the second leaving after the first arrives.",
        RouteArgs,
        search_onestop_flight,
        phrasing=ONESTOP_PHRASING,
    ),
    Tool(
        "get_flight_status",
        ToolKind.READ,
        "Get the status of a flight on a date (available, on time, delayed, flying, landed or cancelled).",
        FlightStatusArgs,
        get_flight_status,
        phrasing=STATUS_PHRASING,
    ),
)
