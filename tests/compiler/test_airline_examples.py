"""The read-heavy airline booking and its simple twin, against the generated airline database."""

from __future__ import annotations

import datetime as dt
from functools import cache
from typing import Any

import pytest

from writ_dsl.api import compile_paths
from writ_dsl.compiler.compile import CompileOptions, CompileResult
from writ_dsl.env.core import Environment
from writ_dsl.env.registry import load_domain

from .helpers import REPO, SPECS, replay

TAU2_AIRLINE = REPO.parent / "shared" / "data" / "tau2-airline-db.json"
FASTEST = SPECS / "airline" / "book_fastest_business.writ"
GIVEN = SPECS / "airline" / "book_given_flight.writ"


@cache
def compiled(path: str, n: int) -> CompileResult:
    result = compile_paths([path], CompileOptions(n=n, seed=7))
    assert result.ok, result.diagnostics
    return result


@cache
def airline() -> Environment:
    return load_domain("airline").environment()


# ---------------------------------------------------------------------- brute force over the raw database
def _moment(day: str, clock: str) -> dt.datetime:
    hours, minutes, seconds = (int(p) for p in clock.split("+")[0].split(":"))
    extra = int(clock.split("+")[1]) if "+" in clock else 0
    return dt.datetime.fromisoformat(day) + dt.timedelta(days=extra, hours=hours, minutes=minutes, seconds=seconds)


def _bookable(flight: dict[str, Any], day: str) -> dict[str, Any] | None:
    status = flight["dates"].get(day, {})
    ok = status.get("status") == "available" and status["available_seats"]["business"] >= 1
    return status if ok else None


def _trips(flights: list[dict[str, Any]], origin: str, destination: str, day: str) -> list[dict[str, Any]]:
    trips = []
    for first in flights:
        first_status = _bookable(first, day) if first["origin"] == origin else None
        if first_status is None:
            continue
        depart = _moment(day, first["scheduled_departure_time_est"])
        arrive = _moment(day, first["scheduled_arrival_time_est"])
        if first["destination"] == destination:
            trips.append({"legs": [(first["flight_number"], day)], "depart": depart, "arrive": arrive,
                          "price": first_status["prices"]["business"]})
            continue
        trips.extend(_connections(flights, first, first_status, destination, depart, arrive))
    return trips


def _connections(flights, first, first_status, destination, depart, arrive):
    day2 = arrive.date().isoformat()
    for second in flights:
        if second["origin"] != first["destination"] or second["destination"] != destination:
            continue
        status = _bookable(second, day2)
        leaves = _moment(day2, second["scheduled_departure_time_est"])
        if status is not None and leaves >= arrive:
            yield {"legs": [(first["flight_number"], depart.date().isoformat()), (second["flight_number"], day2)],
                   "depart": depart, "arrive": _moment(day2, second["scheduled_arrival_time_est"]),
                   "price": first_status["prices"]["business"] + status["prices"]["business"]}


def brute_force_fastest(destination: str, first_day: str, env: Environment | None = None) -> dict[str, Any]:
    flights = list((env or airline()).db.tables["flights"].values())
    second_day = (dt.date.fromisoformat(first_day) + dt.timedelta(days=1)).isoformat()
    trips = [t for o in ("EWR", "LGA") for d in (first_day, second_day) for t in _trips(flights, o, destination, d)]
    fastest = min(t["arrive"] - t["depart"] for t in trips)
    best = [t for t in trips if t["arrive"] - t["depart"] == fastest]
    earliest = min(t["depart"] for t in best)
    (winner,) = [t for t in best if t["depart"] == earliest]
    return winner


# ---------------------------------------------------------------------- tests
def test_fastest_business_has_nine_reads_of_evidence_and_is_read_heavy():
    result = compiled(str(FASTEST), 12)
    assert len(result.tasks) == 12
    for task in result.tasks:
        assert task.metrics.evidence_burden == [9]
        assert task.metrics.total_reads == 9 and task.metrics.writes == 1
        assert task.metrics.trajectory_type == "read-heavy"
        assert task.metrics.non_evidence_reads == []
        assert [c.tool for c in task.plan].count("search_onestop_flight") == 4
        assert len(task.plan[-1].evidence) == 9


def test_fastest_business_books_what_brute_force_finds():
    for task in compiled(str(FASTEST), 12).tasks:
        expected = brute_force_fastest(task.params["destination"], task.params["first_day"])
        booking = task.gold_actions[0].arguments
        assert [(f["flight_number"], f["date"]) for f in booking["flights"]] == expected["legs"]
        assert booking["payment_methods"][0]["amount"] == expected["price"]
        assert booking["cabin"] == "business" and booking["destination"] == task.params["destination"]
        assert task.communicate_info == [str(expected["price"])]


def test_every_gold_action_list_replays_to_the_recorded_hash():
    for path in (FASTEST, GIVEN):
        for task in compiled(str(path), 12).tasks:
            assert replay(airline(), task) == task.gold_state_hash
            assert replay(airline(), task, with_reads=True) == task.gold_state_hash


@pytest.mark.shared
@pytest.mark.skipif(not TAU2_AIRLINE.is_file(), reason="τ²-bench airline database not available")
def test_fastest_business_on_the_tau2_airline_database():
    from writ_dsl.env.database import load_database

    result = compile_paths([FASTEST], CompileOptions(n=6, db_path=TAU2_AIRLINE))
    env = load_domain("airline").environment(load_database(str(TAU2_AIRLINE)))
    assert result.ok and len(result.tasks) == 6
    for task in result.tasks:
        expected = brute_force_fastest(task.params["destination"], task.params["first_day"], env)
        flights = task.gold_actions[0].arguments["flights"]
        assert [(f["flight_number"], f["date"]) for f in flights] == expected["legs"]
        assert replay(env, task) == task.gold_state_hash


def test_given_flight_twin_has_two_reads():
    for task in compiled(str(GIVEN), 12).tasks:
        assert task.metrics.evidence_burden == [2]
        assert [c.tool for c in task.plan] == ["get_user_details", "search_direct_flight", "book_reservation"]
        assert task.metrics.trajectory_type == "normal"
        flight = task.gold_actions[0].arguments["flights"][0]
        assert flight == {"flight_number": task.params["flight"]["flight_number"], "date": task.params["day"]}


def test_behaviors_cycle_through_the_library_profiles():
    names = [t.behavior.name for t in compiled(str(FASTEST), 12).tasks]
    assert len(set(names[:8])) == 8 and names[8:] == names[:4]


def test_user_scenario_is_rendered_from_the_instance():
    task = compiled(str(FASTEST), 12).tasks[0]
    scenario = task.user_scenario
    card = task.gold_actions[0].arguments["payment_methods"][0]["payment_id"]
    assert scenario.known["user_id"] == task.params["user"]["user_id"]
    assert scenario.known["card_last_four"] == task.params["user"]["payment_methods"][card]["last_four"]
    assert task.params["destination"] in scenario.task_instructions
    assert "{{" not in scenario.task_instructions and "\n" not in scenario.task_instructions


@pytest.mark.parametrize("fmt", ["text", "dot", "mermaid"])
def test_static_graph_shows_fan_out_and_evidence(fmt):
    from writ_dsl.compiler.graph import render_graph
    from writ_dsl.compiler.plan import build_plan
    from writ_dsl.lang.loader import load_spec

    spec, _ = load_spec(FASTEST)
    plan = build_plan(spec, spec.module.tasks[0])
    text = render_graph(spec, plan, fmt)
    assert "search_onestop_flight ×4 [count(origins) × count(days_wanted)]" in text
    if fmt == "text":
        assert text.rstrip().endswith("= 9 read calls")
        assert text.index("write:1") > text.index("user")
    if fmt == "dot":
        assert '{ rank=sink; "write:1" }' in text
