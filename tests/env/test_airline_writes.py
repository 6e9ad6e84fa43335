"""Airline write tools on a generated database: effects, exact results, errors and atomicity."""

from __future__ import annotations

import pytest

from writ_dsl.env.registry import load_domain

from .airline_helpers import call_error, call_ok

SEED = 5
DAY = "2024-05-22"
PAST = "2024-05-04"


@pytest.fixture(scope="module")
def env():
    return load_domain("airline").environment(seed=SEED, size=1)


@pytest.fixture()
def state(env):
    return env.new_state()


def tables(env):
    return env.db.tables


def open_flight(env, cabin="economy", seats=2, day=DAY, skip=0):
    """A flight bookable on ``day`` with at least ``seats`` seats in ``cabin``."""
    found = [f for f in tables(env)["flights"].values()
             if f["dates"][day]["status"] == "available" and f["dates"][day]["available_seats"][cabin] >= seats]
    return found[skip]


def full_flight(env, cabin="business", day=DAY):
    return next(f for f in tables(env)["flights"].values() if f["dates"][day]["available_seats"][cabin] == 0)


def user_with(env, source, minimum=0):
    """A user owning a ``source`` method holding at least ``minimum``, and that method's id."""
    for user in tables(env)["users"].values():
        for method in user["payment_methods"].values():
            if method["source"] == source and method.get("amount", minimum) >= minimum:
                return user, method["id"]
    raise AssertionError(f"no user with a {source}")


def method_id(user, source):
    return next(m["id"] for m in user["payment_methods"].values() if m["source"] == source)


def passenger(first="Ada", last="Lovelace", dob="1990-12-10"):
    return {"first_name": first, "last_name": last, "dob": dob}


def booking(user_id, flight, payments, *, cabin="economy", passengers=1, day=DAY, bags=(0, 0), insurance="no"):
    return {
        "user_id": user_id,
        "origin": flight["origin"],
        "destination": flight["destination"],
        "flight_type": "one_way",
        "cabin": cabin,
        "flights": [{"flight_number": flight["flight_number"], "date": day}],
        "passengers": [passenger(last=f"P{i}") for i in range(passengers)],
        "payment_methods": payments,
        "total_baggages": bags[0],
        "nonfree_baggages": bags[1],
        "insurance": insurance,
    }


def fare(flight, cabin="economy", day=DAY):
    return flight["dates"][day]["prices"][cabin]


def future_reservations(env, cabin=None, status=None):
    """Reservations (open by default) whose flights are all still bookable, optionally in one cabin."""
    flights = tables(env)["flights"]
    for record in tables(env)["reservations"].values():
        statuses = [flights[s["flight_number"]]["dates"][s["date"]]["status"] for s in record["flights"]]
        if record["status"] == status and set(statuses) == {"available"} and cabin in (None, record["cabin"]):
            yield record


def owner_method(env, record, source):
    """The id of a ``source`` payment method of the reservation's owner, or None."""
    methods = tables(env)["users"][record["user_id"]]["payment_methods"].values()
    return next((m["id"] for m in methods if m["source"] == source), None)


def itinerary(record):
    return [{"flight_number": s["flight_number"], "date": s["date"]} for s in record["flights"]]


# -- book_reservation -------------------------------------------------------


def test_book_with_credit_card_insurance_and_bags(env, state):
    user, card = user_with(env, "credit_card")
    flight = open_flight(env, seats=2)
    total = 2 * fare(flight) + 2 * 30 + 3 * 50
    args = booking(user["user_id"], flight, [{"payment_id": card, "amount": total}],
                   passengers=2, bags=(4, 3), insurance="yes")
    record = call_ok(env, state, "book_reservation", **args)
    assert record["reservation_id"] == "HATHAT" and record["created_at"] == "2024-05-15T15:00:00"
    assert record["status"] is None and record["payment_history"] == [{"payment_id": card, "amount": total}]
    assert record["flights"] == [{"flight_number": flight["flight_number"], "origin": flight["origin"],
                                  "destination": flight["destination"], "date": DAY, "price": fare(flight)}]
    assert (record["total_baggages"], record["nonfree_baggages"], record["insurance"]) == (4, 3, "yes")
    assert state.get("reservations", "HATHAT") == record
    assert state.get("users", user["user_id"])["reservations"] == user["reservations"] + ["HATHAT"]
    seats = state.get("flights", flight["flight_number"])["dates"][DAY]["available_seats"]
    assert seats["economy"] == flight["dates"][DAY]["available_seats"]["economy"] - 2
    assert seats["business"] == flight["dates"][DAY]["available_seats"]["business"]
    assert flight["dates"][DAY]["available_seats"] != seats, "the base database must stay untouched"


def test_book_round_trip_with_gift_card_and_certificate(env, state):
    user, gift = user_with(env, "gift_card", 1)
    balance = user["payment_methods"][gift]["amount"]
    outbound = open_flight(env, "basic_economy", seats=1)
    back = open_flight(env, "basic_economy", seats=1, day="2024-05-25")
    total = fare(outbound, "basic_economy") + fare(back, "basic_economy", "2024-05-25")
    from_gift = min(balance, total)
    payments = [{"payment_id": gift, "amount": from_gift}]
    if total > from_gift:
        payments.append({"payment_id": method_id(user, "credit_card"), "amount": total - from_gift})
    args = booking(user["user_id"], outbound, payments, cabin="basic_economy")
    args["flight_type"] = "round_trip"
    args["flights"].append({"flight_number": back["flight_number"], "date": "2024-05-25"})
    record = call_ok(env, state, "book_reservation", **args)
    assert [s["date"] for s in record["flights"]] == [DAY, "2024-05-25"]
    assert state.get("users", user["user_id"])["payment_methods"][gift]["amount"] == balance - from_gift


def test_book_with_certificate_removes_it(env, state):
    user, certificate = user_with(env, "certificate", 100)
    flight = next(f for f in tables(env)["flights"].values()
                  if f["dates"][DAY]["status"] == "available" and fare(f, "basic_economy") <= 100
                  and f["dates"][DAY]["available_seats"]["basic_economy"] > 0)
    price = fare(flight, "basic_economy")
    args = booking(user["user_id"], flight, [{"payment_id": certificate, "amount": price}], cabin="basic_economy")
    call_ok(env, state, "book_reservation", **args)
    methods = state.get("users", user["user_id"])["payment_methods"]
    assert certificate not in methods and len(methods) == len(user["payment_methods"]) - 1


def test_new_reservation_ids_come_in_order_then_run_out(env, state):
    user, card = user_with(env, "credit_card")
    flight = open_flight(env, seats=4)
    args = booking(user["user_id"], flight, [{"payment_id": card, "amount": fare(flight)}])
    ids = [call_ok(env, state, "book_reservation", **args)["reservation_id"] for _ in range(3)]
    assert ids == ["HATHAT", "HATHAU", "HATHAV"]
    assert call_error(env, state, "book_reservation", **args) == "Too many reservations"


def test_book_errors(env, state):
    user, card = user_with(env, "credit_card")
    flight = open_flight(env)
    uid, pay = user["user_id"], [{"payment_id": card, "amount": fare(flight)}]
    good = booking(uid, flight, pay)
    assert call_error(env, state, "book_reservation", **{**good, "user_id": "ghost_1"}) == "User ghost_1 not found"
    unknown = {**good, "flights": [{"flight_number": "HAT000", "date": DAY}]}
    assert call_error(env, state, "book_reservation", **unknown) == "Flight HAT000 not found"
    number = flight["flight_number"]
    no_date = {**good, "flights": [{"flight_number": number, "date": "2024-07-01"}]}
    assert call_error(env, state, "book_reservation", **no_date) == f"Flight {number} not found on date 2024-07-01"
    past = {**good, "flights": [{"flight_number": number, "date": PAST}]}
    assert call_error(env, state, "book_reservation", **past) == f"Flight {number} not available on date {PAST}"
    full = full_flight(env)
    seats = booking(uid, full, pay, cabin="business")
    assert call_error(env, state, "book_reservation", **seats) == f"Not enough seats on flight {full['flight_number']}"


def test_book_payment_errors(env, state):
    user, gift = user_with(env, "gift_card")
    flight = next(f for f in tables(env)["flights"].values() if f["dates"][DAY]["status"] == "available"
                  and fare(f, "business") > user["payment_methods"][gift]["amount"]
                  and f["dates"][DAY]["available_seats"]["business"] > 0)
    price = fare(flight, "business")
    uid = user["user_id"]
    missing = booking(uid, flight, [{"payment_id": "credit_card_1", "amount": price}], cabin="business")
    assert call_error(env, state, "book_reservation", **missing) == "Payment method credit_card_1 not found"
    short = booking(uid, flight, [{"payment_id": gift, "amount": price}], cabin="business")
    assert call_error(env, state, "book_reservation", **short) == f"Not enough balance in payment method {gift}"
    wrong = booking(uid, flight, [{"payment_id": gift, "amount": 0}], cabin="business", insurance="yes")
    assert call_error(env, state, "book_reservation", **wrong) == (
        f"Payment amount does not add up, total price is {price + 30}, but paid 0"
    )


def test_book_counts_a_repeated_gift_card_once_against_its_balance(env, state):
    user, gift = user_with(env, "gift_card", 60)
    balance = user["payment_methods"][gift]["amount"]
    flight = next(f for f in tables(env)["flights"].values() if f["dates"][DAY]["status"] == "available"
                  and balance < fare(f, "business") <= 2 * balance
                  and f["dates"][DAY]["available_seats"]["business"] > 0)
    price = fare(flight, "business")
    split = [{"payment_id": gift, "amount": price // 2}, {"payment_id": gift, "amount": price - price // 2}]
    error = call_error(env, state, "book_reservation", **booking(user["user_id"], flight, split, cabin="business"))
    assert error == f"Not enough balance in payment method {gift}"


# -- cancel_reservation -----------------------------------------------------


def test_cancel_refunds_every_payment_and_keeps_seats(env, state):
    record = next(r for r in tables(env)["reservations"].values() if r["status"] is None)
    flights_before = {s["flight_number"]: state.get("flights", s["flight_number"]) for s in record["flights"]}
    result = call_ok(env, state, "cancel_reservation", reservation_id=record["reservation_id"])
    refunds = [{"payment_id": p["payment_id"], "amount": -p["amount"]} for p in record["payment_history"]]
    assert result["payment_history"] == record["payment_history"] + refunds
    assert result["status"] == "cancelled"
    assert all(state.get("flights", n) is f for n, f in flights_before.items())
    assert record["status"] is None


def test_cancel_errors(env, state):
    assert call_error(env, state, "cancel_reservation", reservation_id="NOPE00") == "Reservation NOPE00 not found"
    cancelled = next(r for r in tables(env)["reservations"].values() if r["status"] == "cancelled")
    rid = cancelled["reservation_id"]
    assert call_error(env, state, "cancel_reservation", reservation_id=rid) == f"Reservation {rid} is already cancelled"


# -- update_reservation_baggages --------------------------------------------


def test_update_baggages_charges_only_added_nonfree_bags(env, state):
    record = next(r for r in tables(env)["reservations"].values() if r["status"] is None)
    user = tables(env)["users"][record["user_id"]]
    card = next(m["id"] for m in user["payment_methods"].values() if m["source"] == "credit_card")
    rid, nonfree = record["reservation_id"], record["nonfree_baggages"]
    result = call_ok(env, state, "update_reservation_baggages", reservation_id=rid,
                     total_baggages=record["total_baggages"] + 5, nonfree_baggages=nonfree + 2, payment_id=card)
    assert result["payment_history"][-1] == {"payment_id": card, "amount": 100}
    assert (result["total_baggages"], result["nonfree_baggages"]) == (record["total_baggages"] + 5, nonfree + 2)
    again = call_ok(env, state, "update_reservation_baggages", reservation_id=rid,
                    total_baggages=0, nonfree_baggages=0, payment_id=card)
    assert again["payment_history"] == result["payment_history"]
    assert (again["total_baggages"], again["nonfree_baggages"]) == (0, 0)


def test_update_baggages_with_gift_card_reduces_its_balance(env, state):
    user, gift = user_with(env, "gift_card", 50)
    record = next(r for r in tables(env)["reservations"].values()
                  if r["user_id"] == user["user_id"] and r["status"] is None)
    call_ok(env, state, "update_reservation_baggages", reservation_id=record["reservation_id"],
            total_baggages=record["total_baggages"] + 1, nonfree_baggages=record["nonfree_baggages"] + 1,
            payment_id=gift)
    balance = state.get("users", user["user_id"])["payment_methods"][gift]["amount"]
    assert balance == user["payment_methods"][gift]["amount"] - 50


def test_update_baggages_errors(env, state):
    user, certificate = user_with(env, "certificate")
    record = next(r for r in tables(env)["reservations"].values()
                  if r["user_id"] == user["user_id"] and r["status"] is None)
    rid = record["reservation_id"]
    base = {"reservation_id": rid, "total_baggages": 9, "nonfree_baggages": record["nonfree_baggages"] + 4}
    assert call_error(env, state, "update_reservation_baggages", **{**base, "reservation_id": "NOPE00"},
                      payment_id="x") == "Reservation NOPE00 not found"
    assert call_error(env, state, "update_reservation_baggages", **base, payment_id="x") == "Payment method not found"
    assert call_error(env, state, "update_reservation_baggages", **base, payment_id=certificate) == (
        "Certificate cannot be used to update reservation"
    )
    state.edit("users", user["user_id"])["payment_methods"]["gift_card_1"] = {
        "source": "gift_card", "id": "gift_card_1", "amount": 199}
    assert call_error(env, state, "update_reservation_baggages", **base, payment_id="gift_card_1") == (
        "Gift card balance is not enough"
    )


# -- update_reservation_passengers ------------------------------------------


def test_update_passengers(env, state):
    record = next(r for r in tables(env)["reservations"].values() if r["status"] is None and len(r["passengers"]) == 2)
    new = [passenger("Grace", "Hopper", "1906-12-09"), passenger()]
    result = call_ok(env, state, "update_reservation_passengers", reservation_id=record["reservation_id"],
                     passengers=new)
    assert result["passengers"] == new
    assert {k: v for k, v in result.items() if k != "passengers"} == {
        k: v for k, v in record.items() if k != "passengers"}


def test_update_passengers_errors(env, state):
    record = next(r for r in tables(env)["reservations"].values() if r["status"] is None and len(r["passengers"]) == 2)
    rid = record["reservation_id"]
    assert call_error(env, state, "update_reservation_passengers", reservation_id=rid,
                      passengers=[passenger()]) == "Number of passengers does not match"
    assert call_error(env, state, "update_reservation_passengers", reservation_id="NOPE00",
                      passengers=[passenger()]) == "Reservation NOPE00 not found"
    error = call_error(env, state, "update_reservation_passengers", reservation_id=rid,
                       passengers=[{"first_name": "A"}, passenger()])
    assert error.startswith("Invalid arguments for update_reservation_passengers") and "last_name" in error


# -- send_certificate -------------------------------------------------------


def test_send_certificate_ids_in_order(env, state):
    user_id = next(iter(tables(env)["users"]))
    messages = [call_ok(env, state, "send_certificate", user_id=user_id, amount=amount) for amount in (50, 100, 150)]
    assert messages[0] == f"Certificate certificate_3221322 added to user {user_id} with amount 50."
    assert messages[2] == f"Certificate certificate_3221324 added to user {user_id} with amount 150."
    methods = state.get("users", user_id)["payment_methods"]
    assert methods["certificate_3221323"] == {"source": "certificate", "id": "certificate_3221323", "amount": 100}
    assert call_error(env, state, "send_certificate", user_id=user_id, amount=10) == "Too many certificates"


def test_send_certificate_errors(env, state):
    assert call_error(env, state, "send_certificate", user_id="ghost_1", amount=100) == "User ghost_1 not found"
    user_id = next(iter(tables(env)["users"]))
    assert call_error(env, state, "send_certificate", user_id=user_id, amount=0) == (
        "Certificate amount must be positive"
    )


# -- atomicity and isolation ------------------------------------------------


def test_failed_write_after_earlier_writes_leaves_the_state_as_it_was(env, state):
    user, card = user_with(env, "credit_card")
    flight = open_flight(env)
    call_ok(env, state, "send_certificate", user_id=user["user_id"], amount=100)
    before, changed = state.state_hash(), state.changed_keys
    second = open_flight(env, skip=1)
    args = booking(user["user_id"], flight, [{"payment_id": card, "amount": fare(flight) + fare(second)}])
    args["flights"].append({"flight_number": "HAT000", "date": DAY})
    assert env.call(state, "book_reservation", args).error == "Flight HAT000 not found"
    assert (state.state_hash(), state.changed_keys) == (before, changed)


def test_states_are_isolated_and_the_database_is_never_mutated(env):
    base_hash = env.db.state_hash()
    first, second = env.new_state(), env.new_state()
    user_id = next(iter(tables(env)["users"]))
    call_ok(env, first, "send_certificate", user_id=user_id, amount=75)
    assert first.state_hash() != base_hash
    assert second.state_hash() == base_hash == env.db.state_hash()
    assert "certificate_3221322" not in tables(env)["users"][user_id]["payment_methods"]


@pytest.mark.parametrize(
    ("tool", "extra"),
    [
        ("update_reservation_baggages", {"total_baggages": 1, "nonfree_baggages": 0, "payment_id": "x"}),
        ("update_reservation_flights", {"cabin": "economy", "flights": [], "payment_id": "x"}),
        ("update_reservation_passengers", {"passengers": []}),
    ],
)
def test_cancelled_reservations_cannot_be_changed(env, state, tool, extra):
    rid = next(r["reservation_id"] for r in tables(env)["reservations"].values() if r["status"] == "cancelled")
    assert call_error(env, state, tool, reservation_id=rid, **extra) == f"Reservation {rid} is already cancelled"


def test_negative_counts_and_amounts_are_rejected(env, state):
    user, card = user_with(env, "credit_card")
    flight = open_flight(env)
    args = booking(user["user_id"], flight, [{"payment_id": card, "amount": fare(flight) - 100}], bags=(0, -2))
    assert "nonfree_baggages" in call_error(env, state, "book_reservation", **args)
    args = booking(user["user_id"], flight, [{"payment_id": card, "amount": -5}])
    assert "payment_methods.0.amount" in call_error(env, state, "book_reservation", **args)
    rid = user["reservations"][0]
    error = call_error(env, state, "update_reservation_baggages", reservation_id=rid, total_baggages=-1,
                       nonfree_baggages=0, payment_id=card)
    assert "total_baggages" in error
