"""Template names read once per text in the shared environment equal those read in a private one."""

from __future__ import annotations

import jinja2
from jinja2.sandbox import SandboxedEnvironment

from writ_dsl.lang import templates
from writ_dsl.lang.check_context import CheckContext
from writ_dsl.lang.loader import load_spec

TEXTS = ["Change {{ target.id }} to {{ day | either }}.", "{% for x in xs %}{{ x }}{% endfor %} {{ count(ys) }}",
         "{{ a | no_such_filter }}", "{{ unclosed", "plain text", "{% set y = 1 %}{{ y }} {{ z }}"]


def private_environment() -> jinja2.Environment:
    env = SandboxedEnvironment(undefined=jinja2.StrictUndefined)
    shared = templates.environment()
    env.globals.update(shared.globals)
    env.filters.update(shared.filters)
    return env


def test_shared_and_private_environments_read_the_same_names(tmp_path):
    path = tmp_path / "t.writ"
    path.write_text("env airline\n", encoding="utf-8")
    spec, _ = load_spec(path)
    shared = CheckContext(spec, template_env=templates.environment())
    private = CheckContext(spec, template_env=private_environment())
    found = [shared.template_names(text) for text in TEXTS]
    assert found == [private.template_names(text) for text in TEXTS]
    assert found[0] == {"target", "day"} and found[1] == {"xs", "ys"} and found[5] == {"z"}
    assert found[2] is None and found[3] is None
