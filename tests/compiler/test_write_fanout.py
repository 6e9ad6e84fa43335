"""Fan-out and guarded writes: `write … for x in xs` and `write … if cond`, from syntax to metrics and dialogues."""

from __future__ import annotations

from writ_dsl.lang import ast
from writ_dsl.lang.fmt import format_source
from writ_dsl.lang.parser import parse_text

from .helpers import compile_shop, replay, shop_env
from .test_compile import task_with

FAN_OUT = task_with("""  param category = one of ["lamp", "desk", "chair"]
  param u = one of db.users where it.balance >= 1000
  read found = list_items(category = category)
  write orders = buy(user_id = u.user_id, item_id = i.item_id) for i in found if i.stock > 0
  write refund(order_id = o.order_id) for o in orders if o.total > 100
  write refund(order_id = first(orders).order_id) if count(orders) == 1
  tell count(orders)""")


def test_the_grammar_reads_loops_and_a_guard_and_fmt_keeps_them():
    module, problems = parse_text(FAN_OUT, "t.writ")
    assert not problems
    writes = module.tasks[0].of_kind(ast.WriteStmt)
    assert [len(w.loops) for w in writes] == [1, 1, 0] and all(w.guard is not None for w in writes)
    formatted, problems = format_source(FAN_OUT, "t.writ")
    assert not problems and "for i in found if i.stock > 0" in formatted
    assert format_source(formatted, "t.writ")[0] == formatted


def test_the_number_of_gold_writes_varies_per_instance(tmp_path):
    result = compile_shop(tmp_path / "lib", FAN_OUT, n=9)
    assert result.ok, result.diagnostics
    by_category: dict[str, list[int]] = {}
    for task in result.tasks:
        by_category.setdefault(task.params["category"], []).append(task.metrics.writes)
        assert replay(shop_env(), task) == task.gold_state_hash
        assert [a.action_id for a in task.gold_actions][:1] == ["write:1[0]"]
    # lamps: two in stock, none over 100, no single order; desks: two orders, both refunded; chairs: two orders
    assert by_category == {"lamp": [2] * len(by_category["lamp"]), "desk": [4] * len(by_category["desk"]),
                           "chair": [2] * len(by_category["chair"])}


def test_fanned_writes_count_in_metrics_and_depend_on_their_evidence(tmp_path):
    result = compile_shop(tmp_path / "lib", FAN_OUT, n=6)
    desk = next(t for t in result.tasks if t.params["category"] == "desk")
    nodes = [c.node for c in desk.plan]
    assert nodes == ["read:found", "write:1[0]", "write:1[1]", "write:2[0]", "write:2[1]"]
    assert desk.metrics.evidence_burden == [1, 1, 1, 1] and desk.metrics.trajectory_type == "write-intensive"
    assert desk.plan[3].depends_on == ["read:found", "write:1[0]", "write:1[1]"]


def test_a_guard_that_fails_leaves_the_write_out(tmp_path):
    spec = task_with('  read lamps = list_items(category = "lamp")\n'
                     '  write b = buy(user_id = "u2", item_id = "i0") if count(lamps) > 99\n  tell b == null')
    result = compile_shop(tmp_path / "lib", spec)
    [task] = result.tasks
    assert task.gold_actions == [] and task.metrics.writes == 0 and task.communicate_info == ["true"]


def test_loop_variables_of_a_write_are_only_in_its_arguments_and_guard(tmp_path):
    spec = task_with('  write buy(user_id = "u2", item_id = i) for i in ["i0"] if i != "x"\n  tell i')
    result = compile_shop(tmp_path / "lib", spec)
    [problem] = result.diagnostics
    assert problem.code == "undefined-name" and problem.span.line == 4


def test_graph_of_an_instance_shows_fan_out_as_numbers_and_the_write_order(tmp_path):
    from click.testing import CliRunner

    from writ_dsl.cli import main

    from .helpers import FAKE_ENVS, write_spec

    spec = write_spec(tmp_path / "lib", FAN_OUT)
    static = CliRunner().invoke(main, ["graph", f"{spec}:t", "--env-path", FAKE_ENVS])
    assert static.exit_code == 0 and "buy [count(found)] if i.stock > 0" in static.stdout
    assert "      after: write:1\n" in static.stdout and "      after: write:1, write:2\n" in static.stdout
    result = CliRunner().invoke(main, ["graph", f"{spec}:t", "--instance", "0", "--env-path", FAKE_ENVS])
    assert result.exit_code == 0, result.output
    compiled = compile_shop(tmp_path / "lib2", FAN_OUT, n=1).tasks[0]
    buys = sum(a.name == "buy" for a in compiled.gold_actions)
    assert f"buy ×{buys} [in this instance]" in result.stdout
    made = len(compiled.gold_actions) - buys - sum(a.action_id.startswith("write:2") for a in compiled.gold_actions)
    assert ("(true)" if made else "(false: not made)") in result.stdout
