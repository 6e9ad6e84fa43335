"""Named items in the compiler: evaluation of joins, free names of the plan, and a compiled join."""

from __future__ import annotations

import pytest

from writ_dsl.lang.depgraph import free_names
from writ_dsl.compiler.values import Rejection

from .helpers import compile_shop, evaluate, parse_expr, replay, shop_env
from .test_compile import task_with
from .test_plan import plan_of, problems_of

DB = {
    "users": {"a": {"id": "a", "name": "Ann"}, "b": {"id": "b", "name": "Bob"}, "c": {"id": "c", "name": "Cy"}},
    "orders": {
        "o1": {"id": "o1", "user": "a", "status": "pending", "total": 5},
        "o2": {"id": "o2", "user": "a", "status": "pending", "total": 9},
        "o3": {"id": "o3", "user": "b", "status": "pending", "total": 4},
        "o4": {"id": "o4", "user": "b", "status": "done", "total": 1},
        "o5": {"id": "o5", "user": "c", "status": "done", "total": 7},
    },
}


# ---------------------------------------------------------------- evaluation
def test_a_nested_filter_refers_to_the_outer_item():
    text = 'db.users where u: count(db.orders where o: o.user == u.id and o.status == "pending") >= 2'
    assert [u["name"] for u in evaluate(text, DB)] == ["Ann"]
    text = 'map(db.users where u: any(db.orders, o: o.user == u.id and it.status == "done"), x: x.name)'
    assert evaluate(text, DB) == ["Bob", "Cy"]


def test_names_and_it_are_the_same_item_and_it_is_the_innermost():
    assert evaluate("[1, 2, 3] where n: n == it and n > 1") == [2, 3]
    assert evaluate("map([1, 2], x: map([10, 20], y: x + y + it))") == [[21, 41], [22, 42]]
    assert evaluate("all([1, 2], x: any([2, 3], y: y == x + 1))") is True
    assert evaluate("all([1, 2], x: any([3], y: y == x + 1))") is False


def test_by_keys_with_names():
    assert evaluate("argmin(db.orders, by = o: o.total)", DB)["id"] == "o4"
    assert evaluate("argmax(db.users, by = u: sum(map(db.orders where o: o.user == u.id, x: x.total)))",
                    DB)["name"] == "Ann"
    assert [o["id"] for o in evaluate("sort(db.orders, by = o: o.total, desc = true)", DB)] == [
        "o2", "o5", "o1", "o3", "o4"]


def test_a_name_is_bound_in_front_of_outer_names():
    assert evaluate("[1, 2] where x: x > 1", x=5) == [2]
    assert evaluate("map([1, 2], x: x * k)", k=10) == [10, 20]


def test_a_name_outside_a_per_item_argument_is_an_eval_error():
    with pytest.raises(Rejection) as info:
        evaluate("count(x: x)")
    assert info.value.reason == "eval-error" and "per-item argument" in info.value.detail
    with pytest.raises(Rejection) as info:
        evaluate("map([1], x: x) + [x]")
    assert info.value.reason == "eval-error" and "'x'" in info.value.detail


# ---------------------------------------------------------------- plan
def test_item_names_are_not_free_names():
    expr = parse_expr("db.users where u: count(db.orders where o: o.user == u.id and o.total > limit) > k")
    assert [n.id for n in free_names(expr)] == ["limit", "k"]
    expr = parse_expr("argmin(xs, by = r: r.total + extra)")
    assert [n.id for n in free_names(expr)] == ["xs", "extra"]


def test_an_item_name_is_no_dependency(tmp_path):
    body = """
  param user = one of db.users where u: count(db.items where i: i.price <= u.balance) > 2
  let pick = argmin(db.items where i: i.price <= user.balance, by = i: i.price)
  tell pick.item_id
  user { reason "r" wants "w" }
"""
    assert not problems_of(tmp_path, body)
    plan = plan_of(tmp_path, body)
    assert plan.deps("let:pick") == ["param:user"] and plan.deps("param:user") == []


# ---------------------------------------------------------------- compiling a join
JOIN = """
  param user = one of db.users where u: count(db.items where i: i.stock > 0 and i.price <= u.balance) == 4
  let cheapest = argmin(db.items where i: i.stock > 0 and i.price <= user.balance, by = i: i.price)
  let richer = db.users where v: v.user_id != user.user_id and all(db.items where i: i.price <= user.balance, i: i.price <= v.balance)
  write buy(user_id = user.user_id, item_id = cheapest.item_id)
  tell cheapest.item_id
  tell map(richer, r: r.name)"""


def test_a_spec_with_a_join_compiles_and_picks_the_right_rows(tmp_path):
    result = compile_shop(tmp_path, task_with(JOIN), n=3)
    assert result.ok and len(result.tasks) == 3
    env = shop_env()
    for task in result.tasks:
        assert task.params["user"]["name"] == "Di"
        assert task.gold_actions[0].arguments == {"user_id": "u3", "item_id": "i2"}
        assert task.communicate_info[0] == "i2" and "Ann" in task.communicate_info[1]
        assert "Cy" in task.communicate_info[1] and "Bob" not in task.communicate_info[1]
        assert replay(env, task) == task.gold_state_hash
