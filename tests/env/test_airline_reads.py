"""Airline read and generic tools on a generated database."""

from __future__ import annotations

import json

import pytest

from writ_dsl.env.core import ToolKind
from writ_dsl.env.registry import load_domain

from .airline_helpers import call_error, call_ok

SEED = 11
FUTURE = "2024-05-20"
REFERENCE_TOOLS = {
    "get_user_details": (ToolKind.READ, ["user_id"]),
    "get_reservation_details": (ToolKind.READ, ["reservation_id"]),
    "list_all_airports": (ToolKind.READ, []),
    "search_direct_flight": (ToolKind.READ, ["origin", "destination", "date"]),
    "search_onestop_flight": (ToolKind.READ, ["origin", "destination", "date"]),
    "get_flight_status": (ToolKind.READ, ["flight_number", "date"]),
    "book_reservation": (
        ToolKind.WRITE,
        [
            "user_id", "origin", "destination", "flight_type", "cabin", "flights", "passengers",
            "payment_methods", "total_baggages", "nonfree_baggages", "insurance",
        ],
    ),
    "cancel_reservation": (ToolKind.WRITE, ["reservation_id"]),
    "update_reservation_flights": (ToolKind.WRITE, ["reservation_id", "cabin", "flights", "payment_id"]),
    "update_reservation_baggages": (
        ToolKind.WRITE, ["reservation_id", "total_baggages", "nonfree_baggages", "payment_id"]
    ),
    "update_reservation_passengers": (ToolKind.WRITE, ["reservation_id", "passengers"]),
    "send_certificate": (ToolKind.WRITE, ["user_id", "amount"]),
    "calculate": (ToolKind.GENERIC, ["expression"]),
    "transfer_to_human_agents": (ToolKind.GENERIC, ["summary"]),
}
AIRPORT_CODES = {
    "SFO", "JFK", "LAX", "ORD", "DFW", "DEN", "SEA", "ATL", "MIA", "BOS",
    "PHX", "IAH", "LAS", "MCO", "EWR", "CLT", "MSP", "DTW", "PHL", "LGA",
}


@pytest.fixture(scope="module")
def env():
    return load_domain("airline").environment(seed=SEED, size=1)


@pytest.fixture()
def state(env):
    return env.new_state()


def test_tools_match_reference_names_kinds_and_arguments(env):
    assert set(env.tools) == set(REFERENCE_TOOLS)
    for name, (kind, args) in REFERENCE_TOOLS.items():
        tool = env.tools[name]
        assert tool.kind is kind, name
        assert tool.arg_names == args, name
        assert tool.required_args == args, name


def test_enum_arguments_are_typed_in_the_schema(env):
    props = env.tools["book_reservation"].parameters_schema["properties"]
    assert set(props["cabin"]["enum"]) == {"basic_economy", "economy", "business"}
    assert set(props["flight_type"]["enum"]) == {"one_way", "round_trip"}
    assert set(props["insurance"]["enum"]) == {"yes", "no"}
    assert set(props["passengers"]["items"]["properties"]) == {"first_name", "last_name", "dob"}
    assert props["payment_methods"]["items"]["properties"]["amount"]["type"] == "integer"


def test_domain_metadata(env):
    domain = env.domain
    assert domain.name == "airline"
    assert "basic economy" in domain.policy.lower()
    assert domain.db_schema["reservations"] >= {"reservation_id", "status", "payment_history"}
    assert set(env.db.tables) == set(domain.db_schema)


def test_get_user_details_returns_the_full_record(env, state):
    user_id, record = next(iter(env.db.tables["users"].items()))
    value = call_ok(env, state, "get_user_details", user_id=user_id)
    assert value == record
    assert value is not record


def test_get_user_details_unknown_user(env, state):
    assert call_error(env, state, "get_user_details", user_id="nobody_1") == "User nobody_1 not found"


def test_get_reservation_details_includes_null_status(env, state):
    rid, record = next((k, r) for k, r in env.db.tables["reservations"].items() if r["status"] is None)
    outcome = env.call(state, "get_reservation_details", {"reservation_id": rid})
    assert outcome.value == record
    assert '"status": null' in outcome.content()


def test_get_reservation_details_unknown(env, state):
    error = call_error(env, state, "get_reservation_details", reservation_id="ZZZZZZ")
    assert error == "Reservation ZZZZZZ not found"


def test_list_all_airports(env, state):
    airports = call_ok(env, state, "list_all_airports")
    assert {a["iata"] for a in airports} == AIRPORT_CODES
    assert {"iata": "LGA", "city": "LaGuardia"} in airports
    assert all(set(a) == {"iata", "city"} for a in airports)


def _available(env, day):
    return [f for f in env.db.tables["flights"].values() if f["dates"][day]["status"] == "available"]


def test_search_direct_flight_lists_available_flights_of_the_route(env, state):
    sample = _available(env, FUTURE)[0]
    origin, destination = sample["origin"], sample["destination"]
    found = call_ok(env, state, "search_direct_flight", origin=origin, destination=destination, date=FUTURE)
    expected = [f for f in _available(env, FUTURE) if (f["origin"], f["destination"]) == (origin, destination)]
    assert [r["flight_number"] for r in found] == [f["flight_number"] for f in expected]
    first, flight = found[0], expected[0]
    assert first["status"] == "available" and first["date"] is None
    assert first["prices"] == flight["dates"][FUTURE]["prices"]
    assert first["available_seats"] == flight["dates"][FUTURE]["available_seats"]
    assert first["scheduled_arrival_time_est"] == flight["scheduled_arrival_time_est"]


def test_search_direct_flight_returns_nothing_on_past_dates_and_unknown_airports(env, state):
    assert call_ok(env, state, "search_direct_flight", origin="EWR", destination="LAX", date="2024-05-02") == []
    assert call_ok(env, state, "search_direct_flight", origin="XXX", destination="LAX", date=FUTURE) == []


def _brute_force_pairs(env, origin, destination, day):
    pairs = []
    for first in _available(env, day):
        if first["origin"] != origin:
            continue
        arrival = first["scheduled_arrival_time_est"]
        day2 = f"2024-05-{int(day[-2:]) + 1:02d}" if "+1" in arrival else day
        if day2 not in first["dates"]:
            continue
        for second in _available(env, day2):
            if (second["origin"], second["destination"]) == (first["destination"], destination) and (
                second["scheduled_departure_time_est"] >= arrival
            ):
                pairs.append((first["flight_number"], second["flight_number"], day2))
    return pairs


def test_search_onestop_flight_pairs_connecting_flights(env, state):
    pairs = call_ok(env, state, "search_onestop_flight", origin="EWR", destination="SEA", date=FUTURE)
    assert pairs
    assert [(a["flight_number"], b["flight_number"], b["date"]) for a, b in pairs] == _brute_force_pairs(
        env, "EWR", "SEA", FUTURE
    )
    for first, second in pairs:
        assert first["origin"] == "EWR" and second["destination"] == "SEA"
        assert first["destination"] == second["origin"] and first["date"] == FUTURE
        assert second["scheduled_departure_time_est"] >= first["scheduled_arrival_time_est"]


def test_search_onestop_flight_takes_the_second_leg_next_day_after_overnight_arrival(env, state):
    overnight = [f for f in _available(env, FUTURE) if "+1" in f["scheduled_arrival_time_est"]]
    assert overnight
    checked = 0
    for flight in overnight:
        for destination in AIRPORT_CODES - {flight["origin"], flight["destination"]}:
            expected = _brute_force_pairs(env, flight["origin"], destination, FUTURE)
            pairs = call_ok(env, state, "search_onestop_flight",
                            origin=flight["origin"], destination=destination, date=FUTURE)
            assert [(a["flight_number"], b["flight_number"], b["date"]) for a, b in pairs] == expected
            checked += sum(1 for a, b in pairs if a["flight_number"] == flight["flight_number"])
            assert all(b["date"] == "2024-05-21" for a, b in pairs if a["flight_number"] == flight["flight_number"])
    assert checked > 0


def test_get_flight_status(env, state):
    number, flight = next(iter(env.db.tables["flights"].items()))
    assert call_ok(env, state, "get_flight_status", flight_number=number, date=FUTURE) == "available"
    assert call_ok(env, state, "get_flight_status", flight_number=number, date="2024-05-03") in {"landed", "cancelled"}


def test_get_flight_status_errors(env, state):
    number = next(iter(env.db.tables["flights"]))
    assert call_error(env, state, "get_flight_status", flight_number="HAT999X", date=FUTURE) == (
        "Flight HAT999X not found"
    )
    assert call_error(env, state, "get_flight_status", flight_number=number, date="2024-06-30") == (
        f"Flight {number} not found on date 2024-06-30"
    )


@pytest.mark.parametrize(
    ("expression", "result"),
    [("2 + 2", "4.0"), ("10 / 3", "3.33"), ("(1.5 + 2.25) * 4", "15.0"), ("-3 * (2 - 5)", "9.0"),
     ("2 ** 10", "1024.0"), ("7 // 2", "3.0"), (" 100 - 0.005", "100.0")],
)
def test_calculate(env, state, expression, result):
    assert call_ok(env, state, "calculate", expression=expression) == result


@pytest.mark.parametrize(
    ("expression", "error"),
    [("2 + x", "Invalid characters in expression"), ("__import__('os')", "Invalid characters in expression"),
     ("1 / 0", "Division by zero"), ("2 +", "Invalid expression"), ("...", "Invalid expression"),
     ("", "Invalid expression"), ("2 (3)", "Invalid expression"), ("9 ** 9 ** 9", "Result too large"),
     ("(0 - 8) ** 0.5", "Result is not a real number")],
)
def test_calculate_rejects(env, state, expression, error):
    assert call_error(env, state, "calculate", expression=expression) == error


def test_transfer_to_human_agents(env, state):
    outcome = env.call(state, "transfer_to_human_agents", {"summary": "wants a refund"})
    assert outcome.value == "Transfer successful" and outcome.content() == "Transfer successful"


def test_argument_validation(env, state):
    assert "Invalid arguments for get_user_details" in call_error(env, state, "get_user_details", user="x")
    error = call_error(env, state, "search_direct_flight", origin="EWR", destination="LAX")
    assert "date" in error
    assert env.call(state, "no_such_tool", {}).error == "Tool 'no_such_tool' not found."


def test_reads_do_not_change_state(env, state):
    before = state.state_hash()
    for name, args in [("get_user_details", {"user_id": next(iter(env.db.tables["users"]))}),
                       ("search_onestop_flight", {"origin": "LGA", "destination": "LAX", "date": FUTURE})]:
        assert env.call(state, name, args).ok
    assert state.state_hash() == before and state.changed_keys == []
    json.dumps(call_ok(env, state, "search_onestop_flight", origin="LGA", destination="LAX", date=FUTURE))
