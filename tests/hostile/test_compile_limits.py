"""Compiling hostile specs: limits give rejections with their reason, never a hang or MemoryError."""

from __future__ import annotations

import time

import pytest

from writ_dsl.compiler.values import Rejection
from tests.compiler.helpers import compile_shop, evaluate


def task_with(body: str, user: str = 'user { reason "r" wants "w" }') -> str:
    return f"env shop\ntask t {{\n{body}\n  {user}\n}}\n"


def compile_fast(tmp_path, text: str, toml: str = ""):
    started = time.perf_counter()
    result = compile_shop(tmp_path, text, toml=toml, max_attempts=2)
    assert time.perf_counter() - started < 6
    return result


def rejections(result) -> str:
    return " ".join(d.message for d in result.diagnostics)


def test_a_huge_fan_out_is_rejected_by_the_range_limit(tmp_path) -> None:
    result = compile_fast(tmp_path, task_with('  read u = get_user(user_id = "u0") for i in 1 .. 10000000'))
    assert not result.tasks and "range_items" in rejections(result)


def test_a_fan_out_over_its_limit_is_rejected(tmp_path) -> None:
    text = task_with('  read u = get_user(user_id = "u0") for i in 1 .. 100, j in 1 .. 100')
    result = compile_fast(tmp_path, text)
    assert not result.tasks and "10,000 calls" in rejections(result) and "fan_out" in rejections(result)
    assert compile_fast(tmp_path, text, toml="[limits]\nfan_out = 20000\n").tasks


def test_counting_a_huge_range_is_rejected() -> None:
    with pytest.raises(Rejection, match="range_items"):
        evaluate("count(1 .. 1000000000000000000)")
    with pytest.raises(Rejection, match="range_items"):
        evaluate("2024-01-01 .. 9999-12-31")


def test_doubling_lists_and_numbers_is_bounded() -> None:
    with pytest.raises(Rejection, match="bits"):
        evaluate("x * x", x=10 ** 1000)
    with pytest.raises(Rejection, match="items or characters"):
        evaluate("x + x", x=list(range(600_000)))


def test_a_template_that_mutates_task_data_rejects_the_instance(tmp_path) -> None:
    text = task_with('  param user = one of db.users\n  write buy(user_id = user.user_id, item_id = "i0")',
                     user='user { persona "{{ user.update({\\"user_id\\": \\"HACKED\\"}) }}" reason "r" wants "w" }')
    result = compile_fast(tmp_path, text)
    assert not result.tasks and "unsafe" in rejections(result)
    assert "HACKED" not in result.to_jsonl()


@pytest.mark.parametrize("template", ["{{ 9 ** 99999999 }}", "{% for i in range(10000000) %}x{% endfor %}",
                                      "{{ 'a' * 3000000000 }}"])
def test_a_hostile_template_rejects_the_instance(tmp_path, template: str) -> None:
    result = compile_fast(tmp_path, task_with("  let x = 1", user=f'user {{ persona "{template}" wants "w" reason "r" }}'))
    assert not result.tasks and "template" in rejections(result)


@pytest.mark.parametrize("text", ["days(99999999999)", "hours(" + "9" * 99 + ")", "2024-01-01 + days(3000000)",
                                  "minutes(99999999999999999999) + days(1)"])
def test_out_of_range_dates_and_durations_are_rejections(text: str) -> None:
    with pytest.raises(Rejection):
        evaluate(text)
