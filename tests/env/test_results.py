"""Declared result shapes tell the truth: real tool results and database records validate against them."""

from __future__ import annotations

import itertools

import pytest
from pydantic import TypeAdapter

from writ_dsl.env.registry import load_domain


def validate(shape, value) -> None:
    TypeAdapter(shape).validate_python(value, strict=False)


@pytest.mark.parametrize("name", ["airline", "retail"])
def test_every_tool_declares_its_result_and_every_table_its_records(name):
    domain = load_domain(name)
    assert [t for t in domain.tools.values() if t.result is None] == []
    assert set(domain.records) == set(domain.db_schema)
    for table, model in domain.records.items():
        assert set(model.model_fields) == set(domain.db_schema[table])
        for record in itertools.islice(domain.database().tables[table].values(), 200):
            validate(model, record)


def call_ok(env, state, tool, **arguments):
    outcome = env.call(state, tool, arguments)
    assert outcome.ok, outcome.error
    validate(env.tools[tool].result, outcome.value)
    return outcome.value


def test_airline_read_results_match_their_shapes():
    env = load_domain("airline").environment()
    state = env.new_state()
    for user_id in itertools.islice(env.db.tables["users"], 20):
        call_ok(env, state, "get_user_details", user_id=user_id)
    for reservation_id in itertools.islice(env.db.tables["reservations"], 20):
        call_ok(env, state, "get_reservation_details", reservation_id=reservation_id)
    call_ok(env, state, "list_all_airports")
    direct = onestop = 0
    for origin, destination in [("JFK", "LAX"), ("EWR", "SFO"), ("LGA", "ORD"), ("JFK", "SEA")]:
        direct += len(call_ok(env, state, "search_direct_flight", origin=origin, destination=destination,
                              date="2024-05-20"))
        pairs = call_ok(env, state, "search_onestop_flight", origin=origin, destination=destination, date="2024-05-20")
        onestop += len(pairs)
        assert all(len(pair) == 2 and pair[0]["date"] == "2024-05-20" for pair in pairs)
    assert direct and onestop


def test_retail_read_results_match_their_shapes():
    env = load_domain("retail").environment()
    state = env.new_state()
    for user_id in itertools.islice(env.db.tables["users"], 20):
        call_ok(env, state, "get_user_details", user_id=user_id)
    for order_id in itertools.islice(env.db.tables["orders"], 40):
        call_ok(env, state, "get_order_details", order_id=order_id)
    for product in itertools.islice(env.db.tables["products"].values(), 10):
        call_ok(env, state, "get_product_details", product_id=product["product_id"])
        call_ok(env, state, "get_item_details", item_id=next(iter(product["variants"])))


def test_env_show_results_documents_the_shapes():
    from click.testing import CliRunner

    from writ_dsl.cli import main

    result = CliRunner().invoke(main, ["env", "show", "airline", "--results"])
    assert result.exit_code == 0
    out = result.stdout
    assert "search_onestop_flight -> list of list of FlightOffer" in out
    assert "    date: string or null  # null in direct searches" in out
    assert "get_user_details -> User" in out and "\nUser:\n    user_id: string\n" in out
