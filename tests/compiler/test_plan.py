"""The static plan: dependencies, execution order, instance expansion; and that the front end (the one
place that builds the dependency graph) reports undefined names, template errors and cycles."""

from __future__ import annotations

from pathlib import Path

import pytest

from writ_dsl import api
from writ_dsl.compiler.plan import PlanError, build_plan
from writ_dsl.lang.depgraph import free_names
from writ_dsl.lang.loader import load_spec

from .helpers import FAKE_ENVS, parse_expr, write_spec


def _spec(tmp_path: Path, body: str, extra: str = "") -> Path:
    return write_spec(tmp_path, f"env shop\n{extra}\ntask t {{\n{body}\n}}\n")


def plan_of(tmp_path: Path, body: str, extra: str = ""):
    spec, problems = load_spec(_spec(tmp_path, body, extra))
    assert spec is not None and not problems
    return build_plan(spec, spec.module.tasks[0])


def problems_of(tmp_path: Path, body: str) -> list:
    """The front end's errors (warnings left out) for a task with this body."""
    checked = api.check_paths([_spec(tmp_path, body)], env_path=[FAKE_ENVS])
    return [d for d in checked.diagnostics if d.is_error]


def test_free_names_skip_it_and_db():
    expr = parse_expr("map(db.users where it.age > limit, it.name) + extra")
    assert [n.id for n in free_names(expr)] == ["limit", "extra"]


def test_order_is_topological_then_by_source_position(tmp_path):
    plan = plan_of(tmp_path, """
  write buy(user_id = u.user_id, item_id = best.item_id)
  let best = first(items)
  read items = list_items(category = "lamp")
  param u = one of db.users
  user { reason "r {{ best.price }}" wants "w" }
""")
    assert plan.order == ["read:items", "let:best", "param:u", "user", "write:1"]
    assert plan.deps("write:1") == ["param:u", "let:best"]


def test_unreferenced_lets_and_params_are_not_evaluated_but_reads_are(tmp_path):
    plan = plan_of(tmp_path, """
  param unused = one of db.users
  let also_unused = 1
  read lonely = get_item(item_id = "i0")
  user { reason "r" wants "w" }
""")
    assert plan.order == ["read:lonely", "user"]
    assert set(plan.nodes) >= {"param:unused", "let:also_unused"}


def test_nodes_downstream_of_a_write_run_after_it(tmp_path):
    plan = plan_of(tmp_path, """
  write first = buy(user_id = "u0", item_id = "i0")
  read later = get_user(user_id = first.user_id)
  read before = get_user(user_id = "u1")
  write buy(user_id = later.user_id, item_id = "i2")
  user { reason "r" wants "w" }
""")
    assert plan.order == ["read:before", "user", "write:1", "read:later", "write:2"]


def test_shared_definitions_are_included_only_when_used(tmp_path):
    plan = plan_of(tmp_path, """
  let x = base + 1
  tell x
  user { reason "r" wants "w" }
""", extra="let base = 41\nlet unused = 0\nparam p = one of db.users\n")
    assert plan.order == ["let:base", "let:x", "tell:1", "user"]
    assert plan.nodes["let:base"].shared
    assert "let:unused" not in plan.nodes


def test_undefined_names_are_located(tmp_path):
    problems = problems_of(tmp_path, """
  let a = b + 1
  user { reason "r {{ c }}" wants "w" }
""")
    assert [(d.code, d.span.line) for d in problems] == [("undefined-name", 5), ("template-undefined", 6)]
    assert "'b'" in problems[0].message and "'c'" in problems[1].message


def test_template_syntax_error_is_a_diagnostic(tmp_path):
    problems = problems_of(tmp_path, 'user { reason "r {{ oops" wants "w" }')
    assert [d.code for d in problems] == ["template-syntax"]


def test_knows_keys_are_visible_to_templates(tmp_path):
    assert not problems_of(tmp_path, 'user { reason "{{ uid }}" knows { uid = "u0" } wants "w" }')
    assert plan_of(tmp_path, 'user { reason "{{ uid }}" knows { uid = "u0" } wants "w" }').order == ["user"]


def test_cycles_are_reported_with_every_span(tmp_path):
    body = """
  let a = b
  let b = c
  let c = a
  tell a
  user { reason "r" wants "w" }
"""
    (cycle,) = problems_of(tmp_path, body)
    assert cycle.code == "dependency-cycle"
    assert cycle.message.endswith("cycle (each needs the next): a -> b -> c -> a")
    assert cycle.span.line == 5 and len(cycle.notes) == 2
    with pytest.raises(PlanError):  # the planner refuses what the checks reject
        plan_of(tmp_path, body)


def test_self_reference_is_a_cycle(tmp_path):
    problems = problems_of(tmp_path, "let a = a + 1\n  user { reason \"r\" wants \"w\" }")
    assert [d.code for d in problems] == ["dependency-cycle"]


def test_write_using_a_later_write_is_a_cycle(tmp_path):
    problems = problems_of(tmp_path, """
  write buy(user_id = second.user_id, item_id = "i0")
  write second = buy(user_id = "u0", item_id = "i0")
  user { reason "r" wants "w" }
""")
    assert [d.code for d in problems] == ["dependency-cycle"]


def test_expand_makes_one_node_per_fanned_out_call(tmp_path):
    plan = plan_of(tmp_path, """
  read users = get_user(user_id = u) for u in ["u0", "u1"], k in [1, 2, 3]
  write buy(user_id = first(users).user_id, item_id = "i0")
  user { reason "r" wants "w" }
""")
    graph = plan.expand({"read:users": 6})
    calls = sorted(n for n, d in graph.nodes(data=True) if d["call"])
    assert calls == [f"read:users[{i}]" for i in range(6)] + ["write:1"]
    assert all(graph.has_edge(f"read:users[{i}]", "read:users") for i in range(6))


def test_database_only_lets_are_constants_evaluated_once_per_compile(tmp_path, monkeypatch):
    from writ_dsl.compiler.instantiate import TaskContext, run_instance

    from .helpers import shop_env

    plan = plan_of(tmp_path, """
  let names = map(db.users, it.name)
  let pool = db.users where it.name in names
  param u = one of pool
  let mine = pool where it.user_id == u.user_id
  tell count(mine)
  user { reason "r" wants "w" }
""")
    ctx = TaskContext.create(plan, shop_env())
    assert ctx.constant_lets == {"let:names", "let:pool"}
    assert ctx.is_constant("param:u") and not ctx.is_constant("let:mine")
    evaluated = []
    original = ctx.evaluator.eval
    monkeypatch.setattr(ctx.evaluator, "eval", lambda expr, *rest: evaluated.append(expr) or original(expr, *rest))
    runs = [run_instance(ctx, seed) for seed in range(5)]
    pool_expr = plan.nodes["let:pool"].stmt.value
    assert sum(expr is pool_expr for expr in evaluated) == 1
    assert all(run.tells == ["1"] for run in runs)
