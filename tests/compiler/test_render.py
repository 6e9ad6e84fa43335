"""Natural-phrase filters and template rendering of the user scenario."""

from __future__ import annotations

import datetime as dt

import pytest

from writ_dsl.compiler import render
from writ_dsl.compiler.values import Rejection

D = dt.date


@pytest.mark.parametrize("n, text", [(1, "1st"), (2, "2nd"), (3, "3rd"), (4, "4th"), (11, "11th"), (12, "12th"),
                                     (13, "13th"), (21, "21st"), (22, "22nd"), (23, "23rd"), (31, "31st")])
def test_ordinals(n, text):
    assert render.ordinal(n) == text


def test_date_phrases():
    assert render.day(D(2024, 5, 25)) == "the 25th"
    assert render.day("2024-05-01") == "the 1st"
    assert render.either([D(2024, 5, 25), D(2024, 5, 26)]) == "the 25th or the 26th"
    assert render.either([D(2024, 5, 1), D(2024, 5, 2), D(2024, 5, 3)]) == "the 1st, the 2nd or the 3rd"
    assert render.month_day(D(2024, 5, 25)) == "May 25"
    assert render.long_date("2024-05-25") == "May 25, 2024"


@pytest.mark.parametrize("value, text", [(1234.5, "$1,234.50"), (1234, "$1,234.00"), (0.456, "$0.46"),
                                         (-12.5, "-$12.50"), (1000000, "$1,000,000.00"), (0.004, "$0.00")])
def test_money(value, text):
    assert render.money(value) == text


def test_lists_and_cities():
    assert render.join_or(["a", "b", "c"]) == "a, b or c"
    assert render.join_and([1, 2.0]) == "1 and 2"
    assert render.join_or(["x"]) == "x" and render.join_and([]) == ""
    assert render.city("EWR") == "Newark" and render.city("XYZ") == "XYZ"


def test_a_variants_options_are_said_by_value_and_a_bare_value_by_name():
    view = {"v": {"options": {"size": "42 inch", "light": "no", "pieces": "12", "color": "red"}}}
    assert render.render("({{ v.options | options }})", view) == "(42 inch, light: no, pieces: 12, red)"
    with pytest.raises(Rejection):
        render.render("{{ 'red' | options }}", {})


def test_render_uses_writ_text_rules_and_reflows_lines():
    view = {"n": 5.0, "ok": True, "d": D(2024, 5, 25), "xs": [1, 2]}
    text = "n={{ n }} ok={{ ok }}\n  d={{ d }}\n\nxs={{ xs }} in {{ (d + days(1)) | day }}"
    assert render.render(text, view) == "n=5 ok=true d=2024-05-25\n\nxs=1, 2 in the 26th"


def test_undefined_names_and_bad_filters_are_eval_errors():
    for text, view in (("{{ missing }}", {}), ("{{ r.nope }}", {"r": {}}), ("{{ 'x' | money }}", {}),
                       ("{{ 'May' | day }}", {})):
        with pytest.raises(Rejection) as info:
            render.render(text, view)
        assert info.value.reason == "eval-error" and info.value.detail.startswith("template:")


def test_sandbox_blocks_python_internals():
    with pytest.raises(Rejection):
        render.render("{{ ''.__class__.__mro__ }}", {})


def test_known_info_sentences():
    assert render.known_info({"user_id": "ann_1", "cities": ["Boston", "Miami"]}) == (
        "Your user id: ann_1. Your cities: Boston and Miami.")
    assert render.known_info({}) == "You have no particular details to give."


def test_alternations_vary_by_seed_and_keep_every_value():
    text = "[Cancel|Call off] {{ rid }}[ today|], [please|thanks]."
    said = {render.render(text, {"rid": "ZFA04Y"}, seed=seed) for seed in range(64)}
    assert len(said) == 8 and all("ZFA04Y" in s for s in said)
    assert render.render(text, {"rid": "R1"}, seed=5) == render.render(text, {"rid": "R1"}, seed=5)


def test_a_compiled_instance_says_its_request_in_the_words_its_seed_picks(tmp_path):
    from .helpers import compile_shop

    spec = '''env shop
task lamp {
  param user = one of db.users where it.balance >= 100
  read lamps = list_items(category = "lamp")
  let best = argmin(lamps where it.stock > 0, by = it.price)
  write order = buy(user_id = user.user_id, item_id = best.item_id)
  user {
    reason "[You want|You'd like] a lamp."
    knows { user_id = user.user_id }
    wants "[Buy|Order|Get] [one|a] lamp [for {{ user.user_id }}|on account {{ user.user_id }}]."
  }
}
'''
    result = compile_shop(tmp_path, spec, n=12, seed=3)
    assert result.ok, result.diagnostics
    wants = [t.user_scenario.task_instructions for t in result.tasks]
    assert len(set(wants)) > 3
    assert all(t.user_scenario.known["user_id"] in w for t, w in zip(result.tasks, wants))
    again = compile_shop(tmp_path / "again", spec, n=12, seed=3)
    assert [t.user_scenario.task_instructions for t in again.tasks] == wants
