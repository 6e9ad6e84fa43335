"""How told facts are written: counts as phrases, signed differences with their direction."""

from __future__ import annotations

from writ_dsl.compiler.facts import count_text
from writ_dsl.runner.fact_sentences import count_sentence, direction_sentence
from writ_dsl.runner.verify import communicated
from writ_dsl.runner.messages import Message

from .helpers import compile_shop
from .test_compile import task_with


def _accepted(fact: str, said: str) -> bool:
    return communicated(fact, [Message("assistant", said)])


def test_a_labelled_count_is_a_phrase_with_words_on_both_sides():
    assert count_text(1, "number of cancelled reservations") == "cancelled 1 reservation"
    assert count_text(3, "number of cancelled orders") == "cancelled 3 orders"
    assert count_text(2, "number of open orders") == "a total of 2 open orders"


def test_no_other_count_is_accepted_for_a_count_fact():
    """τ²-bench accepts a fact when its text is a substring of an agent message: a wrong count never is."""
    for label in ("number of cancelled reservations", "number of open orders"):
        for right in range(13):
            fact = count_text(right, label)
            for wrong in range(25):
                for done in (False, True):
                    said = count_sentence(count_text(wrong, label), done, wrong)
                    assert _accepted(fact, said) == (wrong == right), (fact, said)


def test_count_and_difference_facts_from_a_spec(tmp_path):
    spec = task_with('  param u = one of db.users\n  let mine = [1, 2, 3]\n'
                     '  tell count(mine) as "number of cancelled orders"\n'
                     '  tell count(mine)\n'
                     '  tell 3 - 15.5 as "price difference"\n'
                     '  tell 15.5 - 3 as "price difference"\n'
                     '  tell 3 - 3 as "price difference"')
    result = compile_shop(tmp_path / "lib", spec)
    assert result.ok, result.diagnostics
    [task] = result.tasks
    assert task.communicate_info == ["cancelled 3 orders", "3.00", "12.50", "12.50", "0.00"]
    assert [(f.kind, f.direction) for f in task.facts] == [
        ("count", None), ("amount", None), ("amount", "refund"), ("amount", "pay"), ("amount", None)]


def test_a_signed_amount_says_whether_the_user_pays_or_gets_it_back():
    for variant in range(5):
        paid = direction_sentence("12.50", "price difference", "pay", "your Visa card ending in 1234", variant)
        back = direction_sentence("12.50", "price difference", "refund", "your Visa card ending in 1234", variant)
        assert "$12.50" in paid and ("pay" in paid or "charged" in paid) and "refund" not in paid
        assert "$12.50" in back and ("refund" in back or "back" in back) and "charged" not in back
        assert "Visa card ending in 1234" in paid and "Visa card ending in 1234" in back


def test_each_instance_uses_one_of_the_equivalent_wants_wordings(tmp_path):
    spec = ('env shop\ntask t {\n  param u = one of db.users\n'
            '  user { reason "r"  wants "Help {{ u.user_id }}, first."  wants "Second: help {{ u.user_id }}." }\n}\n')
    first = compile_shop(tmp_path / "a", spec, n=12)
    again = compile_shop(tmp_path / "b", spec, n=12)
    assert first.ok, first.diagnostics
    said = [t.user_scenario.task_instructions for t in first.tasks]
    assert said == [t.user_scenario.task_instructions for t in again.tasks]
    assert {s.split()[0] for s in said} == {"Help", "Second:"}
    assert all(t.params["u"]["user_id"] in s for t, s in zip(first.tasks, said))
