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
