"""Instantiation against the in-memory shop: gold writes, rejections, metrics, behaviors, diagnostics."""

from __future__ import annotations

from collections import Counter

import pytest

from writ_dsl.diagnostics import Severity
from writ_dsl.errors import SpecError

from .helpers import codes, compile_shop, replay, shop_env

CHEAPEST_LAMP = """env shop
behavior calm { description = "calm" verbosity = "terse" }
behavior rushed { description = "in a hurry" impatient = true }

task cheapest_lamp {
  title "Buy the cheapest lamp in stock"
  behaviors [calm, rushed]
  param user = one of db.users where it.balance >= 100
  read profile = get_user(user_id = user.user_id)
  read lamps = list_items(category = "lamp")
  let best = argmin(lamps where it.stock > 0, by = it.price)
  write order = buy(user_id = profile.user_id, item_id = best.item_id)
  tell order.total
  user {
    persona "You are {{ user.name }}."
    reason "You want the cheapest lamp, for {{ best.price | money }}."
    knows { user_id = user.user_id }
    wants "Buy one lamp."
  }
}
"""


def task_with(body: str, header: str = "env shop\n") -> str:
    return f'{header}task t {{\n{body}\n  user {{ reason "r" wants "w" }}\n}}\n'


def test_gold_write_books_the_cheapest_lamp_and_replays(tmp_path):
    result = compile_shop(tmp_path, CHEAPEST_LAMP, n=4)
    assert result.ok and len(result.tasks) == 4
    env = shop_env()
    for task in result.tasks:
        assert task.gold_actions[0].name == "buy"
        assert task.gold_actions[0].arguments == {"user_id": task.params["user"]["user_id"], "item_id": "i2"}
        assert task.communicate_info == ["25.00"]
        assert task.user_scenario.reason_for_call == "You want the cheapest lamp, for $25.00."
        assert task.user_scenario.known == {"user_id": task.params["user"]["user_id"]}
        assert replay(env, task) == task.gold_state_hash
        assert replay(env, task, with_reads=True) == task.gold_state_hash
        assert task.gold_state_hash != task.db.state_hash


def test_plan_and_metrics_of_a_simple_task(tmp_path):
    (task, *_) = compile_shop(tmp_path, CHEAPEST_LAMP).tasks
    assert sorted((c.node, c.kind) for c in task.plan[:2]) == [("read:lamps", "read"), ("read:profile", "read")]
    assert [c.step for c in task.plan] == [0, 1, 2] and (task.plan[2].node, task.plan[2].kind) == ("write:1", "write")
    assert task.plan[2].depends_on == ["read:profile", "read:lamps"]
    assert task.plan[2].evidence == ["read:profile", "read:lamps"]
    assert task.metrics.model_dump() == {
        "writes": 1, "evidence_burden": [2], "total_reads": 2, "depth": 2, "trajectory_type": "normal",
        "non_evidence_reads": []}


def test_fan_out_calls_count_one_by_one_through_lets_and_earlier_writes(tmp_path):
    spec = task_with("""
  read users = get_user(user_id = u) for u in ["u0", "u2"], k in [1, 2, 3]
  let richest = argmax(distinct(users), by = it.balance)
  write first = buy(user_id = richest.user_id, item_id = "i0")
  read desk = get_item(item_id = "i3")
  write buy(user_id = first.user_id, item_id = desk.item_id)
  read unused = get_item(item_id = "i4")""")
    (task,) = compile_shop(tmp_path, spec).tasks
    assert task.metrics.evidence_burden == [6, 7]
    assert task.metrics.total_reads == 8
    assert task.metrics.depth == 3
    assert task.metrics.non_evidence_reads == ["read:unused"]
    write2 = task.plan[-1]
    assert write2.node == "write:2" and write2.depends_on == ["read:desk", "write:1"]
    assert write2.evidence == [f"read:users[{i}]" for i in range(6)] + ["read:desk"]


def test_read_only_used_by_the_user_block_is_not_evidence(tmp_path):
    spec = ('env shop\ntask t {\n  read who = get_user(user_id = "u0")\n'
            '  user { reason "{{ who.name }}" wants "w" }\n}\n')
    (task,) = compile_shop(tmp_path, spec).tasks
    assert task.metrics.non_evidence_reads == ["read:who"]
    assert task.metrics.writes == 0 and task.metrics.depth == 1


def test_ties_are_rejected_never_picked(tmp_path):
    spec = task_with("""
  param category = one of ["lamp", "chair"]
  read items = list_items(category = category)
  let best = argmin(items, by = it.price)
  write buy(user_id = "u2", item_id = best.item_id)""")
    result = compile_shop(tmp_path, spec, n=10)
    assert len(result.tasks) == 10
    assert {t.params["category"] for t in result.tasks} == {"lamp"}
    assert result.reports[0].rejected["tie"] > 0
    assert set(result.reports[0].rejected) == {"tie"}


def test_a_task_that_always_ties_is_a_diagnostic_naming_the_reason(tmp_path):
    spec = task_with("""
  let best = argmin(db.items where it.category == "chair", by = it.price)
  write buy(user_id = "u2", item_id = best.item_id)""")
    result = compile_shop(tmp_path, spec, n=3)
    assert not result.ok and not result.tasks
    (diagnostic,) = result.diagnostics
    assert diagnostic.code == "task-unsatisfiable" and "'tie'" in diagnostic.message
    assert (diagnostic.span.line, diagnostic.span.column) == (4, 14)
    assert result.reports[0].attempts == 50


def test_raise_for_errors_gives_a_spec_error(tmp_path):
    result = compile_shop(tmp_path, task_with("  tell nothing_here"))
    with pytest.raises(SpecError) as info:
        result.raise_for_errors()
    assert [d.code for d in info.value.diagnostics] == ["undefined-name"]
    assert compile_shop(tmp_path, CHEAPEST_LAMP).raise_for_errors().tasks


def test_an_empty_parameter_is_located_and_stops_at_once(tmp_path):
    spec = task_with("  param rich = one of db.users where it.balance > 10000\n  tell rich.name")
    result = compile_shop(tmp_path, spec, n=5)
    assert codes(result) == ["empty-parameter"]
    assert result.diagnostics[0].span.line == 3 and "'rich'" in result.diagnostics[0].message
    assert result.reports[0].attempts == 1


def test_too_few_distinct_items_for_n_of_is_an_empty_parameter(tmp_path):
    spec = task_with('  param two = 2 of ["a", "a", "a"]\n  tell two')
    assert codes(compile_shop(tmp_path, spec)) == ["empty-parameter"]


def test_n_of_samples_distinct_items_in_source_order(tmp_path):
    spec = task_with('  param three = 3 of 1 .. 9\n  tell three')
    for task in compile_shop(tmp_path, spec, n=20).tasks:
        picked = task.params["three"]
        assert len(set(picked)) == 3 and picked == sorted(picked)


def test_a_dependent_empty_parameter_is_resampled(tmp_path):
    spec = task_with("""
  param category = one of ["lamp", "sofa"]
  param item = one of db.items where it.category == category
  tell item.item_id""")
    result = compile_shop(tmp_path, spec, n=6)
    assert len(result.tasks) == 6 and result.reports[0].rejected["empty"] > 0


def test_require_read_and_write_rejections_are_counted(tmp_path):
    spec = task_with("""
  param who = one of ["u0", "u1", "u9"]
  param item = one of ["i3", "i0"]
  read profile = get_user(user_id = who)
  require profile.balance != 1000 else "Cy is too rich"
  write buy(user_id = who, item_id = item)""")
    result = compile_shop(tmp_path, spec, n=20)
    rejected = result.reports[0].rejected
    assert len(result.tasks) == 20
    assert set(rejected) == {"read-rejected", "write-rejected"}
    for task in result.tasks:
        assert (task.params["who"], task.params["item"]) != ("u1", "i3")


def test_require_rejection_carries_its_reason(tmp_path):
    spec = task_with('  param x = one of [1, 2]\n  require x > 5 else "x too small"\n  tell x')
    result = compile_shop(tmp_path, spec)
    (diagnostic,) = result.diagnostics
    assert "'require'" in diagnostic.message and "x too small" in diagnostic.message


def test_eval_error_in_every_attempt_is_a_located_diagnostic(tmp_path):
    spec = task_with('  read p = get_user(user_id = "u0")\n  tell p.nickname')
    result = compile_shop(tmp_path, spec)
    (diagnostic,) = result.diagnostics
    assert diagnostic.code == "task-unsatisfiable" and "'eval-error'" in diagnostic.message
    assert (diagnostic.span.line, diagnostic.span.column) == (4, 8)
    assert "nickname" in diagnostic.message


def test_constant_eval_error_in_a_param_source_stops_at_once(tmp_path):
    spec = task_with("  param u = one of db.users where it.balance / 0 > 1\n  tell u")
    result = compile_shop(tmp_path, spec, n=4)
    assert codes(result) == ["constant-error"] and result.reports[0].attempts == 1


def test_durations_never_leak_into_tool_arguments(tmp_path):
    spec = task_with('  write buy(user_id = "u2", item_id = hours(1))')
    result = compile_shop(tmp_path, spec)
    assert "duration cannot be passed to a tool" in result.diagnostics[0].notes[-1]


def test_dates_are_iso_strings_in_arguments_params_and_known(tmp_path):
    spec = """env shop
task t {
  param day = one of 2024-05-25 .. 2024-05-26
  read items = list_items(category = "lamp", day = day + days(1))
  user { reason "on {{ day | day }} ({{ [day, day + days(1)] | either }})" knows { when = day } wants "w" }
}
"""
    (task,) = compile_shop(tmp_path, spec).tasks
    day = task.params["day"]
    assert day in ("2024-05-25", "2024-05-26")
    assert task.plan[0].arguments["day"] in ("2024-05-26", "2024-05-27")
    assert task.user_scenario.known == {"when": day}
    assert task.user_scenario.known_info == f"Your when: {day}."
    assert task.user_scenario.reason_for_call in (
        "on the 25th (the 25th or the 26th)", "on the 26th (the 26th or the 27th)")


def test_underproduction_is_a_warning_when_some_instances_exist(tmp_path):
    spec = task_with("""
  param x = one of 1 .. 20
  require x == 7 else "rare"
  tell x""")
    result = compile_shop(tmp_path, spec, n=3, max_attempts=10, seed=2)
    warnings = [d for d in result.diagnostics if d.code == "task-underproduced"]
    assert result.ok and warnings and warnings[0].severity is Severity.WARNING
    assert len(result.tasks) == 1 and result.reports[0].attempts == 30


def test_thresholds_come_from_writ_toml_and_options_win(tmp_path):
    toml = "[compile]\nread_heavy_burden = 2\nwrite_intensive_writes = 1\n"
    (task,) = compile_shop(tmp_path, CHEAPEST_LAMP, toml=toml).tasks
    assert task.metrics.trajectory_type == "read-heavy-write-intensive"
    (task,) = compile_shop(tmp_path, CHEAPEST_LAMP, toml=toml, read_heavy_burden=3).tasks
    assert task.metrics.trajectory_type == "write-intensive"


def test_behaviors_are_dealt_in_a_balanced_seeded_cycle(tmp_path):
    tasks = compile_shop(tmp_path, CHEAPEST_LAMP, n=6).tasks
    names = [t.behavior.name for t in tasks]
    assert Counter(names) == {"calm": 3, "rushed": 3}
    assert names[0] != names[1] and names[:2] == names[2:4]
    calm = next(t.behavior for t in tasks if t.behavior.name == "calm")
    assert calm.settings == {"description": "calm", "verbosity": "terse"}


def test_unknown_behavior_is_a_diagnostic(tmp_path):
    spec = 'env shop\ntask t {\n  behaviors [ghost]\n  user { reason "r" wants "w" }\n}\n'
    result = compile_shop(tmp_path, spec)
    assert codes(result) == ["unknown-behavior"] and result.diagnostics[0].span.line == 3


def test_environment_and_tool_problems_are_diagnostics(tmp_path):
    assert codes(compile_shop(tmp_path, task_with("  tell 1", header=""))) == ["missing-env"]
    assert codes(compile_shop(tmp_path, task_with("  tell 1", header="env nowhere\n"))) == ["unknown-env"]
    assert codes(compile_shop(tmp_path, task_with('  read x = teleport(to = "moon")'))) == ["unknown-tool"]
    bad_kind = task_with('  read x = buy(user_id = "u0", item_id = "i0")')
    assert codes(compile_shop(tmp_path, bad_kind)) == ["tool-kind"]


def test_same_inputs_give_identical_bytes_and_seeds_matter(tmp_path):
    first = compile_shop(tmp_path, CHEAPEST_LAMP, n=5).to_jsonl()
    again = compile_shop(tmp_path, CHEAPEST_LAMP, n=5).to_jsonl()
    other = compile_shop(tmp_path, CHEAPEST_LAMP, n=5, seed=1).to_jsonl()
    assert first == again and first != other
    assert len(set(first.splitlines())) == 5


def test_tell_labels_name_their_facts(tmp_path):
    body = '  param u = one of db.users\n  tell u.name as "account holder"\n  tell count([1, 2])'
    result = compile_shop(tmp_path, task_with(body), n=2)
    assert result.ok
    for task in result.tasks:
        assert task.communicate_info == [task.params["u"]["name"], "2.00"]
        assert task.communicate_labels == {task.params["u"]["name"]: "account holder"}
        assert [(f.text, f.label) for f in task.facts] == [(task.params["u"]["name"], "account holder"), ("2.00", None)]


def test_facts_keep_source_order_and_their_own_labels(tmp_path):
    body = '  param u = one of db.users\n  tell 5 as "first"\n  tell 5 as "second"\n  tell u.name as "holder"'
    result = compile_shop(tmp_path, task_with(body), n=1)
    assert result.ok
    facts = result.tasks[0].facts
    assert [(f.text, f.label) for f in facts] == [("5.00", "first"), ("5.00", "second"),
                                                  (result.tasks[0].params["u"]["name"], "holder")]
