"""The decisive criterion of a write comes from the rankings of its evidence graph, not from the wording."""

from __future__ import annotations

import re

from pathlib import Path

from writ_dsl import api
from writ_dsl.compiler.criteria import write_criteria
from writ_dsl.lang import ast
from writ_dsl.runner.summaries import criterion

SPECS = Path(__file__).resolve().parents[2] / "specs"


def _criteria(name: str) -> dict[str, list[str]]:
    spec = api.load([SPECS / "airline" / f"{name}.writ"]).loaded[0]
    [task] = spec.module.of_kind(ast.TaskDecl)
    return write_criteria(api.plan(spec, task))


def test_rankings_are_read_in_execution_order_and_bounded_lists_are_ignored():
    assert _criteria("move_trip_fewest_stops") == {"write:1": ["min:stops", "min:price", "min:departure"]}
    assert _criteria("book_fastest_business") == {"write:1": ["min:duration", "min:departure"]}
    assert _criteria("earliest_arrival_into_new_york") == {"write:1": ["min:arrival", "min:price"]}
    # min([gift.amount, best.price]) bounds a payment; it ranks nothing
    assert _criteria("book_cheapest_from_new_york") == {"write:1": ["min:price", "min:departure"]}
    assert _criteria("add_checked_bags") == {}


def test_the_fewest_stops_winner_is_not_called_the_cheapest():
    from writ_dsl import variants

    said = list(variants.every(criterion(["min:stops", "min:price", "min:departure"])))
    assert said and all(s.startswith(("the one with the fewest stops", "the one with the fewest connections"))
                        and re.search(r", and the (cheapest|least expensive|lowest-priced) of (those|them)$", s)
                        for s in said)
    assert set(variants.every(criterion(["min:price", "min:departure"]))) >= {"the cheapest", "the least expensive"}
    assert "the one that matches what you described" in set(variants.every(criterion([])))


def _retail(name: str):
    spec = api.load([SPECS / "retail" / f"{name}.writ"]).loaded[0]
    [task] = spec.module.of_kind(ast.TaskDecl)
    return api.plan(spec, task)


def test_a_let_named_only_to_be_excluded_passes_on_no_ranking():
    # keep = one(pending where it.order_id != drop.order_id): the kept order is not the priciest one
    found = write_criteria(_retail("move_and_tidy_orders"))
    assert found == {"write:3": ["max:price"]}


def test_the_decisive_ranking_names_the_candidates_it_compared():
    from writ_dsl.compiler.criteria import write_pools

    assert write_pools(_retail("move_and_tidy_orders")) == {"write:3": "pending"}
    result = api.compile_paths([SPECS / "retail" / "move_and_tidy_orders.writ"], api.compile_options(n=3, seed=0))
    assert result.ok and result.tasks
    for task in result.tasks:
        cancel = next(call for call in task.plan if call.tool == "cancel_pending_order")
        moved = next(call for call in task.plan if call.tool == "modify_pending_order_address")
        orders = [call for call in task.plan if call.tool == "get_order_details"]
        # two pending orders were ranked, among more orders read
        assert cancel.compared == 2 and cancel.criteria == ["max:price"] and len(orders) >= 2
        assert moved.criteria == [] and moved.compared == 0


KEEP = "let keep = one(pending where it.order_id != drop.order_id)"


def test_every_form_of_exclusion_passes_on_no_ranking():
    ranked = {"write:3": ["max:price"]}
    # a ranking written inline under the negation ranks the order left out
    inline = "let keep = one(pending where it.order_id != argmax(pending, by = sum(map(it.items, it.price))).order_id)"
    assert write_criteria(_variant(KEEP, inline)) == ranked
    assert write_criteria(_variant(KEEP, "let keep = one(pending where not (it.order_id == drop.order_id))")) == ranked
    # two negations cancel: this keep *is* the priciest order
    twice = "let keep = one(pending where not (it.order_id != drop.order_id))"
    assert write_criteria(_variant(KEEP, twice)) == {"write:2": ["max:price"], **ranked}


def test_a_write_guard_that_excludes_passes_on_no_ranking():
    old = "    write modify_pending_order_address(\n        order_id = keep.order_id,"
    new = "    write modify_pending_order_address(\n        order_id = o.order_id,"
    guard = ("        zip = new.zip,\n    )\n    write cancel_pending_order(",
             "        zip = new.zip,\n    ) for o in pending if o.order_id != drop.order_id\n    write cancel_pending_order(")
    assert write_criteria(_rewritten((KEEP, ""), (old, new), guard)) == {"write:3": ["max:price"]}


def _variant(old: str, new: str):
    return _rewritten((old, new))


def _rewritten(*changes: tuple[str, str]):
    from writ_dsl.lang.loader import load_source

    path = SPECS / "retail" / "move_and_tidy_orders.writ"
    source = path.read_text(encoding="utf-8")
    for old, new in changes:
        assert old in source
        source = source.replace(old, new)
    spec, problems = load_source(path, source)
    assert spec is not None and not problems, problems
    [task] = spec.module.of_kind(ast.TaskDecl)
    return api.plan(spec, task)
