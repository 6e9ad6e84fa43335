"""The environment core: content hashes, copy-on-write states, transactions, tool calls."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from writ_dsl.env.core import CallOutcome, Database, Domain, Environment, State, Tool, ToolArgs, ToolError, ToolKind
from writ_dsl.env.registry import load_domain

from .retail_helpers import Retail, small_tables

ROOT = Path(__file__).resolve().parents[2]


def toy_tables() -> dict:
    return {
        "items": {"a": {"n": 1, "tags": ["x"]}, "b": {"n": 2, "tags": []}},
        "owners": {"o1": {"name": "Ann", "items": ["a"]}},
    }


class EditArgs(ToolArgs):
    key: str
    n: int
    fail: bool = False


def edit_then_maybe_fail(state: State, args: EditArgs) -> dict:
    record = state.edit("items", args.key)
    record["n"] = args.n
    state.insert("items", f"new-{args.key}", {"n": 0, "tags": []})
    if args.fail:
        raise ToolError("refused after writing")
    return dict(record)


def crash(state: State, args: EditArgs) -> None:
    state.edit("items", args.key)["n"] = -1
    raise RuntimeError("bug in a tool")


TOY = Domain(
    name="toy",
    description="toy",
    policy="",
    tools={
        "edit": Tool("edit", ToolKind.WRITE, "Edit a record.", EditArgs, edit_then_maybe_fail),
        "crash": Tool("crash", ToolKind.WRITE, "Crash.", EditArgs, crash),
    },
    db_schema={"items": frozenset({"n", "tags"})},
    generate=lambda seed, size: toy_tables(),
)


def toy_env() -> Environment:
    return TOY.environment(Database(toy_tables()))


# -- hashing --------------------------------------------------------------
def test_hash_ignores_dict_order() -> None:
    tables = toy_tables()
    reordered = {
        "owners": {"o1": {"items": ["a"], "name": "Ann"}},
        "items": {"b": {"tags": [], "n": 2}, "a": {"tags": ["x"], "n": 1}},
    }
    assert Database(tables).state_hash() == Database(reordered).state_hash()


def test_hash_depends_on_content() -> None:
    changed = toy_tables()
    changed["items"]["a"]["tags"] = ["y"]
    moved = toy_tables()
    moved["items"]["c"] = moved["items"].pop("a")
    hashes = {Database(t).state_hash() for t in (toy_tables(), changed, moved)}
    assert len(hashes) == 3


_SUBPROCESS_CODE = """
import json, sys
from writ_dsl.env.core import Database
from writ_dsl.env.registry import load_domain
tables = json.loads(sys.argv[1])
retail = load_domain("retail")
env = retail.environment(seed=5)
state = env.new_state()
env.call(state, "cancel_pending_order", {"order_id": sys.argv[2], "reason": "no longer needed"})
print(json.dumps([Database(tables).state_hash(), env.db.state_hash(), state.state_hash()]))
"""


def _pending_order_id(tables: dict) -> str:
    return next(oid for oid, order in tables["orders"].items() if order["status"] == "pending")


@pytest.mark.parametrize("hash_seed", ["0", "4242"])
def test_hash_is_stable_across_processes(hash_seed: str) -> None:
    retail = load_domain("retail")
    env = retail.environment(seed=5)
    order_id = _pending_order_id(env.db.tables)
    state = env.new_state()
    env.call(state, "cancel_pending_order", {"order_id": order_id, "reason": "no longer needed"})
    expected = [Database(toy_tables()).state_hash(), env.db.state_hash(), state.state_hash()]
    process = subprocess.run(
        [sys.executable, "-c", _SUBPROCESS_CODE, json.dumps(toy_tables()), order_id],
        capture_output=True, text=True, check=True, cwd=ROOT,
        env={**os.environ, "PYTHONHASHSEED": hash_seed},
    )
    assert json.loads(process.stdout) == expected
    assert expected[1] != expected[2]


def test_hash_survives_a_json_round_trip(tmp_path: Path) -> None:
    database = load_domain("retail").database(seed=2)
    path = tmp_path / "db.json"
    path.write_text(database.to_json(), encoding="utf-8")
    reloaded = Database.from_json_file(path)
    assert reloaded.state_hash() == database.state_hash()
    assert reloaded.to_json() == database.to_json()


def test_incremental_hash_equals_the_hash_of_the_exported_state() -> None:
    retail = Retail()
    state = retail.state
    retail.ok("cancel_pending_order", order_id="#W0000002", reason="no longer needed")
    retail.ok("modify_user_address", user_id="bob_ray_2", address1="3 Elm", address2="", city="Reno",
              state="NV", country="USA", zip="89501")
    state.insert("orders", "#W0000099", {"order_id": "#W0000099", "items": []})
    state.delete("orders", "#W0000007")
    exported = state.to_database()
    assert state.state_hash() == exported.state_hash()
    assert "#W0000007" not in exported.tables["orders"]
    assert exported.tables["orders"]["#W0000002"]["status"] == "cancelled"
    assert state.state_hash() != retail.db.state_hash()


def test_reverting_a_change_restores_the_base_hash() -> None:
    state = State(Database(toy_tables()))
    base_hash = state.base.state_hash()
    state.edit("items", "a")["n"] = 10
    assert state.state_hash() != base_hash
    state.edit("items", "a")["n"] = 1
    assert state.state_hash() == base_hash


# -- copy-on-write --------------------------------------------------------
def test_states_do_not_see_each_others_writes() -> None:
    db = Database(toy_tables())
    before = db.to_json()
    first, second = State(db), State(db)
    first.edit("items", "a")["tags"].append("mine")
    first.insert("items", "c", {"n": 3, "tags": []})
    second.delete("items", "b")
    assert first.get("items", "a")["tags"] == ["x", "mine"]
    assert second.get("items", "a")["tags"] == ["x"]
    assert first.keys("items") == ["a", "b", "c"]
    assert second.keys("items") == ["a"]
    assert second.get("items", "b") is None
    assert db.to_json() == before


def test_base_database_is_never_mutated_by_tools() -> None:
    retail = Retail()
    before = retail.db.to_json()
    retail.ok("cancel_pending_order", order_id="#W0000002", reason="no longer needed")
    retail.ok("modify_pending_order_items", order_id="#W0000001", item_ids=["2000000001"],
              new_item_ids=["2000000002"], payment_method_id="gift_card_1")
    retail.ok("exchange_delivered_order_items", order_id="#W0000003", item_ids=["3000000001"],
              new_item_ids=["3000000002"], payment_method_id="paypal_1")
    assert retail.db.to_json() == before
    assert Retail(retail.db).state.state_hash() == Database(small_tables()).state_hash()


def test_items_and_values_follow_the_state() -> None:
    state = State(Database(toy_tables()))
    state.edit("items", "b")["n"] = 20
    state.insert("items", "c", {"n": 3, "tags": []})
    assert dict(state.items("items"))["b"]["n"] == 20
    assert [record["n"] for record in state.values("items")] == [1, 20, 3]
    assert state.table_names() == ["items", "owners"]


def test_edit_of_a_missing_record_is_a_key_error() -> None:
    with pytest.raises(KeyError):
        State(Database(toy_tables())).edit("items", "zzz")


def test_require_gives_the_current_record_or_the_given_tool_error() -> None:
    state = State(Database(toy_tables()))
    state.insert("items", "c", {"n": 3, "tags": []})
    assert state.require("items", "c", "no c") == {"n": 3, "tags": []}
    state.delete("items", "a")
    with pytest.raises(ToolError, match="^Item a not found$"):
        state.require("items", "a", "Item a not found")
    with pytest.raises(ToolError, match="^no table$"):
        state.require("nothing", "a", "no table")


# -- transactions and tool calls -------------------------------------------
def test_tool_error_rolls_back_every_write() -> None:
    env = toy_env()
    state = env.new_state()
    env.call(state, "edit", {"key": "a", "n": 5})
    kept = state.state_hash()
    outcome = env.call(state, "edit", {"key": "b", "n": 7, "fail": True})
    assert outcome == CallOutcome("edit", {"key": "b", "n": 7, "fail": True}, error="refused after writing")
    assert outcome.content() == "Error: refused after writing"
    assert state.state_hash() == kept
    assert state.get("items", "b") == {"n": 2, "tags": []}
    assert state.get("items", "new-b") is None
    assert state.get("items", "a")["n"] == 5


def test_unexpected_exception_rolls_back_and_propagates() -> None:
    env = toy_env()
    state = env.new_state()
    with pytest.raises(RuntimeError):
        env.call(state, "crash", {"key": "a", "n": 0})
    assert state.changed_keys == []
    assert state.get("items", "a")["n"] == 1


def test_edits_within_one_transaction_share_one_copy() -> None:
    state = State(Database(toy_tables()))

    def edit_twice() -> bool:
        first = state.edit("items", "a")
        first["n"] = 10
        return first is state.edit("items", "a")

    assert state.transaction(edit_twice) is True
    assert state.get("items", "a")["n"] == 10
    assert state.transaction(lambda: state.edit("items", "a") is state.get("items", "a"))


def test_call_reports_unknown_tools_and_bad_arguments() -> None:
    env = toy_env()
    state = env.new_state()
    assert env.call(state, "nope", {}).error == "Tool 'nope' not found."
    missing = env.call(state, "edit", {"key": "a"})
    assert missing.error == "Invalid arguments for edit: n: Field required"
    extra = env.call(state, "edit", {"key": "a", "n": 1, "colour": "red"})
    assert extra.error == "Invalid arguments for edit: colour: Extra inputs are not permitted"
    assert state.changed_keys == []


def test_call_outcome_content_is_json_for_records() -> None:
    env = toy_env()
    outcome = env.call(env.new_state(), "edit", {"key": "a", "n": 9})
    assert outcome.ok
    assert json.loads(outcome.content()) == {"n": 9, "tags": ["x"]}


class TitledArgs(ToolArgs):
    title: str
    count: int = 1


def test_schema_drops_titles_but_keeps_an_argument_named_title() -> None:
    tool = Tool("name_it", ToolKind.WRITE, "Name something.", TitledArgs, lambda state, args: args.title)
    schema = tool.parameters_schema
    assert schema["properties"] == {"title": {"type": "string"}, "count": {"default": 1, "type": "integer"}}
    assert schema["required"] == ["title"]
    assert tool.signature() == "name_it(title: string, count: integer)"
