"""The flight index answers every search exactly as a scan over all flights does, states' changes included."""

from __future__ import annotations

import random

import pytest

from envs.airline.flight_index import available_flights, index_of, is_available
from writ_dsl.env.core import State
from writ_dsl.env.registry import load_domain


@pytest.fixture(scope="module")
def env():
    return load_domain("airline").environment(seed=5, size=1)


def scan(state, day, origin=None, destination=None):
    return [f for f in state.values("flights") if is_available(f, day)
            and origin in (None, f["origin"]) and destination in (None, f["destination"])]


def queries(env, count, seed=0):
    rng = random.Random(seed)
    flights = list(env.db.tables["flights"].values())
    airports = sorted({f["origin"] for f in flights})
    days = sorted({day for f in flights for day in f["dates"]})
    for _ in range(count):
        yield rng.choice(days), rng.choice(airports + [None]), rng.choice(airports + ["XXX"])


def test_searches_equal_a_full_scan(env):
    state = State(env.db)
    found = 0
    for day, origin, destination in queries(env, 300):
        for kwargs in ({"origin": origin}, {"destination": destination}, {"origin": origin, "destination": destination}):
            result = available_flights(state, day, **kwargs)
            assert result == scan(state, day, **kwargs)
            found += len(result)
    assert found > 100  # the queries do hit flights


def test_changed_added_and_deleted_flights_are_seen(env):
    state = State(env.db)
    keys = list(env.db.tables["flights"])
    day, origin, _ = next(q for q in queries(env, 50, seed=3) if q[1] and available_flights(state, q[0], origin=q[1]))
    first = available_flights(state, day, origin=origin)[0]
    moved = state.edit("flights", keys[-1])  # a flight re-routed from elsewhere, now available that day
    moved["origin"] = origin
    moved["dates"][day] = dict(first["dates"][day])
    closed = state.edit("flights", first["flight_number"])
    closed["dates"][day] = {"status": "cancelled"}
    result = available_flights(state, day, origin=origin)
    assert result == scan(state, day, origin=origin)
    assert moved in result and all(f["flight_number"] != first["flight_number"] for f in result)
    state.insert("flights", "NEW001", {**moved, "flight_number": "NEW001"})
    state.delete("flights", keys[0])
    assert available_flights(state, day, origin=origin) == scan(state, day, origin=origin)


def test_the_index_is_built_once_per_database(env):
    assert index_of(env.db) is index_of(env.db)
