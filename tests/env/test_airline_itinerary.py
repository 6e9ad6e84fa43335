"""update_reservation_flights on a generated database: kept prices, fare differences, refunds, errors."""

from __future__ import annotations

from .airline_helpers import call_error, call_ok
from .test_airline_writes import (  # noqa: F401 - env and state are fixtures
    DAY,
    PAST,
    env,
    fare,
    full_flight,
    future_reservations,
    itinerary,
    owner_method,
    state,
    tables,
    user_with,
)


def has_price_change(env, record):
    flights = tables(env)["flights"]
    current = [flights[s["flight_number"]]["dates"][s["date"]]["prices"][record["cabin"]] for s in record["flights"]]
    return current != [s["price"] for s in record["flights"]]


def current_prices(env, record, cabin):
    flights = tables(env)["flights"]
    return [flights[s["flight_number"]]["dates"][s["date"]]["prices"][cabin] for s in record["flights"]]


def alternative(env, segment, seats):
    """Another flight of the segment's route bookable on its date."""
    return next((f for f in tables(env)["flights"].values()
                 if (f["origin"], f["destination"]) == (segment["origin"], segment["destination"])
                 and f["flight_number"] != segment["flight_number"]
                 and f["dates"][segment["date"]]["status"] == "available"
                 and f["dates"][segment["date"]]["available_seats"]["economy"] >= seats), None)


def test_update_flights_keeps_old_prices_of_unchanged_segments(env, state):
    record = next(r for r in future_reservations(env)
                  if has_price_change(env, r) and owner_method(env, r, "credit_card"))
    card = owner_method(env, record, "credit_card")
    result = call_ok(env, state, "update_reservation_flights", reservation_id=record["reservation_id"],
                     cabin=record["cabin"], flights=itinerary(record), payment_id=card)
    assert result["flights"] == record["flights"]
    assert result["payment_history"] == record["payment_history"]


def test_update_flights_cabin_change_charges_the_difference(env, state):
    record = next(r for r in future_reservations(env, "economy") if owner_method(env, r, "credit_card"))
    card = owner_method(env, record, "credit_card")
    new_prices = current_prices(env, record, "business")
    difference = (sum(new_prices) - sum(s["price"] for s in record["flights"])) * len(record["passengers"])
    result = call_ok(env, state, "update_reservation_flights", reservation_id=record["reservation_id"],
                     cabin="business", flights=itinerary(record), payment_id=card)
    assert result["cabin"] == "business"
    assert [s["price"] for s in result["flights"]] == new_prices
    assert result["payment_history"] == record["payment_history"] + [{"payment_id": card, "amount": difference}]


def test_update_flights_refund_goes_back_to_a_gift_card(env, state):
    record = next(r for r in future_reservations(env, "business") if owner_method(env, r, "gift_card"))
    gift = owner_method(env, record, "gift_card")
    balance = tables(env)["users"][record["user_id"]]["payment_methods"][gift]["amount"]
    new_prices = current_prices(env, record, "economy")
    refund = (sum(new_prices) - sum(s["price"] for s in record["flights"])) * len(record["passengers"])
    assert refund < 0
    result = call_ok(env, state, "update_reservation_flights", reservation_id=record["reservation_id"],
                     cabin="economy", flights=itinerary(record), payment_id=gift)
    assert result["payment_history"][-1] == {"payment_id": gift, "amount": refund}
    assert state.get("users", record["user_id"])["payment_methods"][gift]["amount"] == balance - refund


def test_update_flights_new_segment_is_priced_today_and_takes_no_seats(env, state):
    record, replacement = next(
        (r, alt) for r in future_reservations(env, "economy") if owner_method(env, r, "credit_card")
        for alt in [alternative(env, r["flights"][0], len(r["passengers"]))] if alt
    )
    first, card = record["flights"][0], owner_method(env, record, "credit_card")
    new = [{"flight_number": replacement["flight_number"], "date": first["date"]}] + itinerary(record)[1:]
    result = call_ok(env, state, "update_reservation_flights", reservation_id=record["reservation_id"],
                     cabin="economy", flights=new, payment_id=card)
    new_price = fare(replacement, "economy", first["date"])
    assert result["flights"][0]["price"] == new_price
    assert result["flights"][0]["flight_number"] == replacement["flight_number"]
    assert result["flights"][1:] == record["flights"][1:]
    difference = (new_price - first["price"]) * len(record["passengers"])
    expected = record["payment_history"] + ([{"payment_id": card, "amount": difference}] if difference else [])
    assert result["payment_history"] == expected
    assert state.get("flights", replacement["flight_number"]) is replacement


def test_update_flights_errors(env, state):
    record = next(r for r in future_reservations(env, "economy") if owner_method(env, r, "credit_card"))
    rid, card = record["reservation_id"], owner_method(env, record, "credit_card")
    same = {"reservation_id": rid, "cabin": "economy", "flights": itinerary(record), "payment_id": card}
    assert call_error(env, state, "update_reservation_flights", **{**same, "reservation_id": "NOPE00"}) == (
        "Reservation NOPE00 not found"
    )
    assert call_error(env, state, "update_reservation_flights", **{**same, "payment_id": "gift_card_0"}) == (
        "Payment method not found"
    )
    past = [{"flight_number": record["flights"][0]["flight_number"], "date": PAST}]
    assert call_error(env, state, "update_reservation_flights", **{**same, "flights": past}) == (
        f"Flight {past[0]['flight_number']} not available on date {PAST}"
    )
    unknown = [{"flight_number": "HAT000", "date": DAY}]
    assert call_error(env, state, "update_reservation_flights", **{**same, "flights": unknown}) == (
        "Flight HAT000 not found"
    )
    full = full_flight(env)
    crowded = [{"flight_number": full["flight_number"], "date": DAY}]
    assert call_error(env, state, "update_reservation_flights", **{**same, "cabin": "business", "flights": crowded}) \
        == f"Not enough seats on flight {full['flight_number']}"


def test_update_flights_rejects_certificates_and_short_gift_cards(env, state):
    user, certificate = user_with(env, "certificate")
    record = next(r for r in tables(env)["reservations"].values()
                  if r["user_id"] == user["user_id"] and r["status"] is None)
    args = {"reservation_id": record["reservation_id"], "cabin": record["cabin"], "flights": itinerary(record),
            "payment_id": certificate}
    assert call_error(env, state, "update_reservation_flights", **args) == (
        "Certificate cannot be used to update reservation"
    )
    record = next(future_reservations(env, "basic_economy"))
    flights = tables(env)["flights"]
    business = sum(flights[s["flight_number"]]["dates"][s["date"]]["prices"]["business"] for s in record["flights"])
    state.edit("users", record["user_id"])["payment_methods"]["gift_card_1"] = {
        "source": "gift_card", "id": "gift_card_1", "amount": business // 4}
    args = {"reservation_id": record["reservation_id"], "cabin": "business", "flights": itinerary(record),
            "payment_id": "gift_card_1"}
    assert call_error(env, state, "update_reservation_flights", **args) == "Gift card balance is not enough"
