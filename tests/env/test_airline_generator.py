"""The airline database generator: determinism, layout, internal consistency and structure."""

from __future__ import annotations

import hashlib
import os
import re
import subprocess
import sys
import time
from datetime import datetime

import pytest

from writ_dsl.env.core import Database
from writ_dsl.env.registry import load_domain

SEED = 3
FREE_BAGS = {
    "regular": {"basic_economy": 0, "economy": 1, "business": 2},
    "silver": {"basic_economy": 1, "economy": 2, "business": 3},
    "gold": {"basic_economy": 2, "economy": 3, "business": 4},
}
STATUS_FIELDS = {
    "available": {"status", "available_seats", "prices"},
    "landed": {"status", "actual_departure_time_est", "actual_arrival_time_est"},
    "flying": {"status", "actual_departure_time_est", "estimated_arrival_time_est"},
    "delayed": {"status", "estimated_departure_time_est", "estimated_arrival_time_est"},
    "on time": {"status", "estimated_departure_time_est", "estimated_arrival_time_est"},
    "cancelled": {"status"},
}
BOOKABLE_DAYS = [f"2024-05-{day}" for day in range(16, 31)]
CABINS = {"basic_economy", "economy", "business"}


@pytest.fixture(scope="module")
def domain():
    return load_domain("airline")


@pytest.fixture(scope="module")
def db(domain):
    return domain.database(SEED, 1).tables


def test_same_seed_is_byte_identical_and_another_seed_differs(domain):
    first = Database(domain.generate(SEED, 1)).to_json()
    assert Database(domain.generate(SEED, 1)).to_json() == first
    assert Database(domain.generate(SEED + 1, 1)).to_json() != first


_DIGEST_SCRIPT = """
import hashlib
from writ_dsl.env.core import Database
from writ_dsl.env.registry import load_domain
print(hashlib.sha256(Database(load_domain("airline").generate(%d, 1)).to_json().encode()).hexdigest())
"""


def test_output_does_not_depend_on_the_process_hash_seed(domain):
    expected = hashlib.sha256(Database(domain.generate(SEED, 1)).to_json().encode()).hexdigest()
    for hash_seed in ("1", "2"):
        env = {**os.environ, "PYTHONHASHSEED": hash_seed}
        result = subprocess.run([sys.executable, "-c", _DIGEST_SCRIPT % SEED], env=env, capture_output=True,
                                text=True, check=True, cwd=domain.path.parents[1])
        assert result.stdout.strip() == expected


def test_size_one_is_fast(domain):
    start = time.perf_counter()
    domain.generate(99, 1)
    assert time.perf_counter() - start < 1.0


def test_size_scales_users_and_reservations(domain):
    small, large = domain.database(SEED, 1).tables, domain.generate(SEED, 10)
    assert len(large["users"]) == 10 * len(small["users"])
    assert len(large["reservations"]) > 5 * len(small["reservations"])
    assert len(large["flights"]) > len(small["flights"])


def test_invalid_size(domain):
    with pytest.raises(ValueError):
        domain.generate(SEED, 0)


def test_records_follow_the_schema(domain, db):
    for table, fields in domain.db_schema.items():
        assert db[table], table
        for key, record in db[table].items():
            assert set(record) == fields, (table, key)
    assert all(db["flights"][k]["flight_number"] == k for k in db["flights"])
    assert all(re.fullmatch(r"HAT\d{3,}", k) for k in db["flights"])


def test_flights_use_the_reference_airports_and_dates(db):
    codes = {f["origin"] for f in db["flights"].values()} | {f["destination"] for f in db["flights"].values()}
    assert len(codes) == 20 and {"EWR", "LGA", "JFK", "SFO"} <= codes
    for flight in db["flights"].values():
        assert list(flight["dates"]) == [f"2024-05-{day:02d}" for day in range(1, 31)]
        assert re.fullmatch(r"\d\d:\d\d:00", flight["scheduled_departure_time_est"])
        assert re.fullmatch(r"\d\d:\d\d:00(\+1)?", flight["scheduled_arrival_time_est"])


def test_flight_statuses_follow_the_clock(db):
    seen = set()
    for flight in db["flights"].values():
        for day, status in flight["dates"].items():
            assert set(status) == STATUS_FIELDS[status["status"]]
            seen.add(status["status"])
            if day < "2024-05-15":
                assert status["status"] in {"landed", "cancelled"}
            elif day > "2024-05-15":
                assert status["status"] == "available"
                assert set(status["prices"]) == set(status["available_seats"]) == CABINS
                assert status["prices"]["basic_economy"] < status["prices"]["economy"] < status["prices"]["business"]
    assert seen == set(STATUS_FIELDS)


def _check_reservation(db, rid, record):
    user = db["users"][record["user_id"]]
    assert rid in user["reservations"] and record["reservation_id"] == rid
    for segment in record["flights"]:
        flight = db["flights"][segment["flight_number"]]
        assert segment["date"] in flight["dates"]
        assert (segment["origin"], segment["destination"]) == (flight["origin"], flight["destination"])
    assert record["flights"][0]["origin"] == record["origin"]
    for payment in record["payment_history"]:
        assert payment["payment_id"] in user["payment_methods"]


def test_references_are_consistent(db):
    for rid, record in db["reservations"].items():
        _check_reservation(db, rid, record)
    for user_id, user in db["users"].items():
        assert user["user_id"] == user_id
        assert len(set(user["reservations"])) == len(user["reservations"])
        assert all(db["reservations"][rid]["user_id"] == user_id for rid in user["reservations"])
        assert all(method_id == m["id"] for method_id, m in user["payment_methods"].items())
    assert sum(len(u["reservations"]) for u in db["users"].values()) == len(db["reservations"])
    assert not {"HATHAT", "HATHAU", "HATHAV"} & set(db["reservations"])
    ids = [m for u in db["users"].values() for m in u["payment_methods"]]
    assert len(ids) == len(set(ids)) and not any(i.endswith(("3221322", "3221323", "3221324")) for i in ids)


def test_reservations_are_priced_and_timed_as_booked(db):
    for record in db["reservations"].values():
        n = len(record["passengers"])
        fares = sum(s["price"] for s in record["flights"]) * n
        total = fares + (30 * n if record["insurance"] == "yes" else 0) + 50 * record["nonfree_baggages"]
        charges = [p["amount"] for p in record["payment_history"] if p["amount"] > 0]
        assert sum(charges) == total
        if record["status"] == "cancelled":
            assert sum(p["amount"] for p in record["payment_history"]) == 0
        free = FREE_BAGS[db["users"][record["user_id"]]["membership"]][record["cabin"]] * n
        assert record["nonfree_baggages"] == max(0, record["total_baggages"] - free)
        assert record["created_at"] <= "2024-05-15T15:00:00"
        first_day = record["flights"][0]["date"]
        assert datetime.fromisoformat(record["created_at"]) < datetime.fromisoformat(first_day + "T23:59:59")
        if record["flight_type"] == "round_trip":
            assert record["flights"][-1]["destination"] == record["origin"]


def test_users_have_varied_payment_methods_and_reservations(db):
    users = list(db["users"].values())
    assert all(len(u["payment_methods"]) >= 2 for u in users)
    sources = {m["source"] for u in users for m in u["payment_methods"].values()}
    assert sources == {"credit_card", "gift_card", "certificate"}
    assert sum(len(u["reservations"]) >= 3 for u in users) > len(users) // 2
    mixed = [u for u in users if len({db["reservations"][r]["cabin"] for r in u["reservations"]}) >= 2]
    assert len(mixed) > len(users) // 2
    assert {u["membership"] for u in users} == {"regular", "silver", "gold"}
    statuses = {r["status"] for r in db["reservations"].values()}
    assert statuses == {None, "cancelled"}


@pytest.mark.parametrize("origin", ["EWR", "LGA"])
def test_many_routes_have_direct_and_onestop_options_every_day(domain, origin):
    env = domain.environment(seed=SEED, size=1)
    state = env.new_state()
    destinations = {f["destination"] for f in env.db.tables["flights"].values() if f["origin"] == origin}
    both = []
    for destination in sorted(destinations):
        args = [{"origin": origin, "destination": destination, "date": day} for day in BOOKABLE_DAYS]
        direct = all(env.call(state, "search_direct_flight", a).value for a in args)
        onestop = all(env.call(state, "search_onestop_flight", a).value for a in args)
        if direct and onestop:
            both.append(destination)
    assert len(both) >= 8


def _duration(first, second=None):
    def minutes(clock):
        return int(clock[:2]) * 60 + int(clock[3:5]) + (1440 if "+1" in clock else 0)

    last = second or first
    extra = 1440 if second and second["date"] != first["date"] else 0
    return minutes(last["scheduled_arrival_time_est"]) + extra - minutes(first["scheduled_departure_time_est"])


def test_cheapest_and_fastest_business_choices_are_usually_unique(domain):
    env = domain.environment(seed=SEED, size=1)
    state = env.new_state()
    unique_price = unique_time = total = 0
    for origin in ("EWR", "LGA"):
        for destination in ("LAX", "SFO", "ORD", "MIA", "SEA", "ATL", "DEN", "BOS"):
            for day in BOOKABLE_DAYS[::3]:
                args = {"origin": origin, "destination": destination, "date": day}
                direct = env.call(state, "search_direct_flight", args).value
                pairs = env.call(state, "search_onestop_flight", args).value
                options = [(f["prices"]["business"], _duration(f)) for f in direct]
                options += [(a["prices"]["business"] + b["prices"]["business"], _duration(a, b)) for a, b in pairs]
                if len(options) < 2:
                    continue
                prices, times = sorted(p for p, _ in options), sorted(t for _, t in options)
                total += 1
                unique_price += prices[0] != prices[1]
                unique_time += times[0] != times[1]
    assert total >= 50
    assert unique_price >= 0.9 * total and unique_time >= 0.8 * total


@pytest.mark.slow
def test_size_hundred_generates(domain):
    tables = domain.generate(1, 100)
    assert len(tables["users"]) == 10_000
    assert len(tables["reservations"]) > 20_000
