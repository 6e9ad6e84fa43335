"""The template sandbox: no mutation of task data, no huge values, no hang, no traceback."""

from __future__ import annotations

import time

import pytest

from writ_dsl.compiler import render
from writ_dsl.compiler.values import Rejection
from writ_dsl.lang import templates


@pytest.mark.parametrize(("text", "reason"), [
    ("{{ 9 ** 99999999 }}", "bits"),
    ("{{ 'a' * 3000000000 }}", "repetition"),
    ("{% for i in range(10000000) %}x{% endfor %}", "range"),
    ("{{ user.user_id * 300000000 }}", "repetition"),
    ("{% for i in range(10000) %}{% for j in range(10000) %}{% endfor %}{% endfor %}", "loop items"),
    ('{{ user.update({"user_id": "HACKED"}) }}', "unsafe"),
    ("{{ user.name.append(1) }}", "unsafe"),
    ("{{ user.user_id.ljust(999999999) }}", "not available"),
    ("{{ '%999999999d' % 1 }}", "format width"),
    ("{{ '{:>999999999}'.format(1) }}", "format width"),
    ("{{ '{:{}}'.format(1, 999999999) }}", "format width"),
    ("{{ 'a'|center(999999999) }}", "center"),
    ("{{ ('a' * 99999) ~ ('a' * 99999) }}", "`~`"),
    ("{% macro f(x) %}{{ f(x ~ x) }}{% endmacro %}{{ f('ab') }}", "`~`"),
    ("{{ ('x' * 9999).join(['a'] * 9999) }}", "join"),
    ("{{ (user.user_id * 9000)|replace('', user.user_id * 9000) }}", "replace"),
    ("{{ lipsum(99999999) }}", "undefined"),
    ("{{ 1 / 0 }}", "division by zero"),
    ("{{ " + "(" * 5000 + "1" + ")" * 5000 + " }}", "nested too deeply"),
    ("{{ " + "9" * 5000 + " }}", "cannot be read"),
])
def test_a_hostile_template_is_a_rejection_with_its_reason(text: str, reason: str) -> None:
    user = {"user_id": "u1", "name": ["A"]}
    started = time.perf_counter()
    with pytest.raises(Rejection) as caught:
        render.render(text, {"user": user})
    assert time.perf_counter() - started < 4
    assert caught.value.reason == "eval-error" and reason in caught.value.detail
    assert user == {"user_id": "u1", "name": ["A"]}


def test_ordinary_templates_still_render() -> None:
    text = ('{{ "{:>5}|{:,}".format("a", 1234567) }} {{ "%05d" % 42 }} {{ [1, 2]|join(", ") }} '
            '{% for u in [1, 2] %}{{ u ~ "!" }}{% endfor %} {{ 2 ** 10 }} {{ "ab" * 2 }}')
    assert render.render(text, {}) == "    a|1,234,567 00042 1, 2 1!2! 1024 abab".strip()


def test_the_rendered_view_is_a_copy() -> None:
    view = {"user": {"tags": ["a"]}}
    render.render("{{ user.tags }}", view)
    assert view == {"user": {"tags": ["a"]}}


def test_names_are_found_without_evaluating_constants() -> None:
    started = time.perf_counter()
    names = templates.template_names("{{ 9 ** 99999999 }} {{ user.id }} {% for x in xs %}{{ x }}{% endfor %}"
                                     "{% set y = 1 %}{{ y }}")
    assert names == {"user", "xs"} and time.perf_counter() - started < 1


def test_a_huge_number_in_a_template_is_a_syntax_diagnostic(tmp_path) -> None:
    from writ_dsl import api

    (tmp_path / "t.writ").write_text('env airline\ntask t {\n    user { persona "{{ ' + "9" * 5000 + ' }}" '
                                     'reason "r" wants "w" }\n}\n')
    codes = {d.code for d in api.check_paths([tmp_path / "t.writ"]).diagnostics}
    assert "template-syntax" in codes and "check-failed" not in codes
