"""The airline tools on the τ²-bench-layout airline database of ../shared (skipped when it is absent)."""

from __future__ import annotations

from pathlib import Path

import pytest

from writ_dsl.env.core import Database
from writ_dsl.env.registry import load_domain

from .airline_helpers import call_ok

SHARED = Path(__file__).resolve().parents[2].parent / "shared"
DB_PATH = SHARED / "data" / "tau2-airline-db.json"

pytestmark = pytest.mark.shared

TASK0_BOOKING = {
    "user_id": "mia_li_3668",
    "origin": "JFK",
    "destination": "SEA",
    "flight_type": "one_way",
    "cabin": "economy",
    "flights": [{"flight_number": "HAT136", "date": "2024-05-20"}, {"flight_number": "HAT039", "date": "2024-05-20"}],
    "passengers": [{"first_name": "Mia", "last_name": "Li", "dob": "1990-04-05"}],
    "payment_methods": [
        {"payment_id": "certificate_7504069", "amount": 250},
        {"payment_id": "credit_card_4421486", "amount": 5},
    ],
    "total_baggages": 3,
    "nonfree_baggages": 0,
    "insurance": "no",
}


@pytest.fixture(scope="module")
def env():
    if not DB_PATH.is_file():
        pytest.skip(f"shared data not found at {DB_PATH}")
    return load_domain("airline").environment(Database.from_json_file(DB_PATH))


@pytest.fixture()
def state(env):
    return env.new_state()


def test_reads_give_the_stored_records(env, state):
    user = call_ok(env, state, "get_user_details", user_id="mia_li_3668")
    assert user == env.db.tables["users"]["mia_li_3668"]
    assert user["reservations"] == ["NO6JO3", "AIXC49", "HKEG34"]
    outcome = env.call(state, "get_reservation_details", {"reservation_id": "4WQ150"})
    assert outcome.value["status"] is None and '"status": null' in outcome.content()
    assert outcome.value["payment_history"] == [{"payment_id": "gift_card_3576581", "amount": 4986}]


def test_flight_status_and_direct_search(env, state):
    status = [call_ok(env, state, "get_flight_status", flight_number="HAT001", date=d)
              for d in ("2024-05-03", "2024-05-15", "2024-05-16")]
    assert status == ["cancelled", "landed", "available"]
    found = call_ok(env, state, "search_direct_flight", origin="PHL", destination="LGA", date="2024-05-16")
    hat001 = next(f for f in found if f["flight_number"] == "HAT001")
    assert hat001["prices"] == {"basic_economy": 87, "economy": 122, "business": 471}
    assert hat001["available_seats"] == {"basic_economy": 16, "economy": 10, "business": 13}
    assert (hat001["scheduled_departure_time_est"], hat001["date"]) == ("06:00:00", None)


def test_onestop_search_finds_the_late_connection_through_atlanta(env, state):
    pairs = call_ok(env, state, "search_onestop_flight", origin="JFK", destination="SEA", date="2024-05-20")
    pair = next(p for p in pairs if [f["flight_number"] for f in p] == ["HAT136", "HAT039"])
    assert [f["date"] for f in pair] == ["2024-05-20", "2024-05-20"]
    assert pair[0]["prices"]["economy"] + pair[1]["prices"]["economy"] == 255
    assert all(a["destination"] == b["origin"] for a, b in pairs)


def test_task_zero_booking_gives_the_reference_result(env, state):
    record = call_ok(env, state, "book_reservation", **TASK0_BOOKING)
    assert record == {
        "reservation_id": "HATHAT",
        "user_id": "mia_li_3668",
        "origin": "JFK",
        "destination": "SEA",
        "flight_type": "one_way",
        "cabin": "economy",
        "flights": [
            {"flight_number": "HAT136", "origin": "JFK", "destination": "ATL", "date": "2024-05-20", "price": 152},
            {"flight_number": "HAT039", "origin": "ATL", "destination": "SEA", "date": "2024-05-20", "price": 103},
        ],
        "passengers": TASK0_BOOKING["passengers"],
        "payment_history": TASK0_BOOKING["payment_methods"],
        "created_at": "2024-05-15T15:00:00",
        "total_baggages": 3,
        "nonfree_baggages": 0,
        "insurance": "no",
        "status": None,
    }
    user = state.get("users", "mia_li_3668")
    assert "certificate_7504069" not in user["payment_methods"] and "certificate_4856383" in user["payment_methods"]
    assert user["reservations"][-1] == "HATHAT"
    seats = [state.get("flights", n)["dates"]["2024-05-20"]["available_seats"]["economy"] for n in ("HAT136", "HAT039")]
    assert seats == [13, 9]


def test_booking_that_does_not_add_up_is_rejected_whole(env, state):
    before = state.state_hash()
    payments = [{"payment_id": "certificate_7504069", "amount": 250}, {"payment_id": "credit_card_4421486", "amount": 4}]
    outcome = env.call(state, "book_reservation", {**TASK0_BOOKING, "payment_methods": payments})
    assert outcome.error == "Payment amount does not add up, total price is 255, but paid 254"
    assert state.state_hash() == before == env.db.state_hash()


def test_cancel_appends_the_refund(env, state):
    record = call_ok(env, state, "cancel_reservation", reservation_id="4WQ150")
    assert record["status"] == "cancelled"
    assert record["payment_history"] == [
        {"payment_id": "gift_card_3576581", "amount": 4986},
        {"payment_id": "gift_card_3576581", "amount": -4986},
    ]


def test_unchanged_itinerary_keeps_prices_even_without_seats_left(env, state):
    flights = [{"flight_number": "HAT170", "date": "2024-05-22"}, {"flight_number": "HAT022", "date": "2024-05-26"}]
    record = call_ok(env, state, "update_reservation_flights", reservation_id="4WQ150", cabin="business",
                     flights=flights, payment_id="gift_card_3576581")
    assert [s["price"] for s in record["flights"]] == [883, 779]
    assert len(record["payment_history"]) == 1


def test_downgrade_refunds_the_difference_to_the_gift_card(env, state):
    flights = [{"flight_number": "HAT170", "date": "2024-05-22"}, {"flight_number": "HAT022", "date": "2024-05-26"}]
    record = call_ok(env, state, "update_reservation_flights", reservation_id="4WQ150", cabin="economy",
                     flights=flights, payment_id="gift_card_3576581")
    assert [s["price"] for s in record["flights"]] == [147, 178]
    assert record["payment_history"][-1] == {"payment_id": "gift_card_3576581", "amount": -4011}
    assert state.get("users", "chen_jackson_3290")["payment_methods"]["gift_card_3576581"]["amount"] == 245 + 4011


def test_bags_passengers_and_certificate(env, state):
    record = call_ok(env, state, "update_reservation_baggages", reservation_id="4WQ150", total_baggages=7,
                     nonfree_baggages=2, payment_id="gift_card_3576581")
    assert record["payment_history"][-1] == {"payment_id": "gift_card_3576581", "amount": 100}
    assert state.get("users", "chen_jackson_3290")["payment_methods"]["gift_card_3576581"]["amount"] == 145
    one = [{"first_name": "Chen", "last_name": "Jackson", "dob": "1956-07-07"}]
    outcome = env.call(state, "update_reservation_passengers", {"reservation_id": "4WQ150", "passengers": one})
    assert outcome.error == "Number of passengers does not match"
    message = call_ok(env, state, "send_certificate", user_id="mia_li_3668", amount=150)
    assert message == "Certificate certificate_3221322 added to user mia_li_3668 with amount 150."


def test_not_found_errors_on_real_ids(env, state):
    assert env.call(state, "get_user_details", {"user_id": "mia_li_0000"}).error == "User mia_li_0000 not found"
    outcome = env.call(state, "get_flight_status", {"flight_number": "HAT001", "date": "2024-06-01"})
    assert outcome.content() == "Error: Flight HAT001 not found on date 2024-06-01"
