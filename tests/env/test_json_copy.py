"""State.edit's copy: deep for JSON-like records, deepcopy for anything else."""

from __future__ import annotations

import datetime as dt

from writ_dsl.env.core import Database, State, json_copy


def test_json_copy_is_deep_and_equal():
    record = {"a": [1, 2.5, {"b": None, "c": [True, "x"]}], "d": {"e": {"f": []}}, "when": dt.date(2024, 5, 1)}
    copied = json_copy(record)
    assert copied == record
    copied["a"][2]["c"].append("y")
    copied["d"]["e"]["f"].append(1)
    assert record["a"][2]["c"] == [True, "x"] and record["d"]["e"]["f"] == []
    assert copied["when"] == record["when"]


def test_edit_never_changes_the_database():
    db = Database({"users": {"u1": {"tags": ["a"], "address": {"city": "Paris"}}}})
    state = State(db)
    mine = state.edit("users", "u1")
    mine["tags"].append("b")
    mine["address"]["city"] = "Lyon"
    assert db.tables["users"]["u1"] == {"tags": ["a"], "address": {"city": "Paris"}}
    assert state.get("users", "u1")["address"]["city"] == "Lyon"
