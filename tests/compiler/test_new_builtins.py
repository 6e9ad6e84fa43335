"""group_by, zip, enumerate, and calls() of a fanned-out read."""

from __future__ import annotations

import pytest

from writ_dsl.compiler.values import Rejection

from .helpers import compile_shop, evaluate
from .test_compile import task_with


def test_group_by_keeps_first_seen_order_and_every_item():
    groups = evaluate('group_by([{c: "a", n: 1}, {c: "b", n: 2}, {c: "a", n: 3}], by = it.c)')
    assert groups == [{"key": "a", "items": [{"c": "a", "n": 1}, {"c": "a", "n": 3}]},
                      {"key": "b", "items": [{"c": "b", "n": 2}]}]
    assert evaluate("map(group_by([3, 1, 3], by = x: x), count(it.items))") == [2, 1]


def test_zip_pairs_lists_of_one_length():
    assert evaluate('zip([1, 2], ["a", "b"])') == [[1, "a"], [2, "b"]]
    with pytest.raises(Rejection) as caught:
        evaluate("zip([1, 2], [1])")
    assert caught.value.reason == "eval-error" and "different lengths (2 and 1)" in caught.value.detail


def test_enumerate_numbers_from_zero():
    assert evaluate('enumerate(["x", "y"])') == [{"index": 0, "item": "x"}, {"index": 1, "item": "y"}]


def test_calls_of_a_plain_list_is_an_eval_error():
    with pytest.raises(Rejection, match="fanned-out read"):
        evaluate("calls([1, 2])")


def test_a_fanned_out_read_keeps_the_loop_values_of_each_call(tmp_path):
    spec = task_with("""  read found = list_items(category = c, day = d) for c in ["lamp", "desk"], d in ["mon", "tue"]
  let labels = map(calls(found), c: c.c + "/" + c.d + ":" + str(count(c.result)))
  let desks_tue = one(calls(found) where it.c == "desk" and it.d == "tue").result
  tell labels
  tell count(desks_tue)""")
    result = compile_shop(tmp_path / "lib", spec)
    assert result.ok, result.diagnostics
    [task] = result.tasks
    assert task.communicate_info == ["lamp/mon:3, lamp/tue:3, desk/mon:2, desk/tue:2", "2"]


def test_calls_needs_a_fanned_out_read_of_the_task(tmp_path):
    spec = task_with('  read one_call = list_items(category = "lamp")\n  tell count(calls(one_call))')
    result = compile_shop(tmp_path / "lib", spec)
    assert [(d.code, d.span.line, d.span.column) for d in result.diagnostics] == [("calls-argument", 4, 20)]
