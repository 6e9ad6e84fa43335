"""The semantic checks, one by one, against the small fake domain of conftest.py."""

from __future__ import annotations

from pathlib import Path

import pytest

from writ_dsl import api
from writ_dsl import diagnostics as diag
from writ_dsl.env.core import Domain
from writ_dsl.lang import checks
from writ_dsl.lang.check_context import CheckContext
from writ_dsl.lang.loader import load_all, load_spec

CLEAN = '''env shop
behavior calm {
    description = "calm"
    verbosity = "terse"
}
let statuses = ["pending", "done"]
task refund_one {
    title "Refund an order"
    behaviors [calm]
    param user = one of db.users where count(it.orders) >= 1
    param picks = 2 of statuses
    read profile = get_user(user_id = user.user_id)
    let order = first(profile.orders)
    require order.status in picks else "not refundable"
    write refund(order_id = order.order_id, amount = 10, items = ["a"])
    tell order.order_id
    user {
        reason "You want {{ order.order_id }} refunded."
        knows { user_id = user.user_id }
        wants "A refund of {{ amount }}."
    }
}
'''


def found(tmp_path: Path, domain: Domain | None, text: str, **files: str) -> list[tuple[int, int, str]]:
    for name, body in files.items():
        (tmp_path / name).write_text(body, encoding="utf-8")
    path = tmp_path / "spec.writ"
    path.write_text(text, encoding="utf-8")
    spec, problems = load_spec(path)
    assert spec is not None, problems
    return [(d.span.line, d.span.column, d.code) if d.span else (0, 0, d.code)
            for d in checks.check_spec(spec, domain)]


def task(body: str) -> str:
    return f"env shop\ntask t {{\n{body}\n    user {{ reason \"r\"  wants \"w\" }}\n}}\n"


def test_a_clean_spec_has_no_diagnostics(tmp_path: Path, domain: Domain) -> None:
    clean = CLEAN.replace("{{ amount }}", "{{ order.order_id }}")
    assert found(tmp_path, domain, clean) == []


def test_checks_are_named_functions_each_reporting_on_its_own(tmp_path: Path, domain: Domain) -> None:
    assert len({c.__name__ for c in checks.CHECKS}) == len(checks.CHECKS) >= 20
    path = tmp_path / "spec.writ"
    path.write_text(task("    read x = nope(a = 1)"), encoding="utf-8")
    spec, _ = load_spec(path)
    ctx = CheckContext(spec, domain)
    assert [d.code for d in checks.tool_known(ctx)] == ["unknown-tool"]
    assert list(checks.tool_kind(ctx)) == []
    assert [d.code for d in checks.run_checks(ctx, (checks.unused_reads,))] == ["unused-read"]


def test_template_names_must_be_in_scope(tmp_path: Path, domain: Domain) -> None:
    assert found(tmp_path, domain, CLEAN) == [(20, 9, "template-undefined")]


# ---------------------------------------------------------------- environment
def test_env_missing_duplicated_unknown(tmp_path: Path, domain: Domain) -> None:
    assert found(tmp_path, domain, "task t {\n  user { reason \"r\" wants \"w\" }\n}\n") == [(1, 6, "missing-env")]
    assert found(tmp_path, domain, "env shop\nenv shop\n") == [(2, 1, "duplicate-env")]
    result = api.check(load_all([_write(tmp_path, "env nowhere\n")])).diagnostics
    assert [(d.code, d.span.column) for d in result] == [("unknown-env", 5)]
    assert "unknown environment 'nowhere'" in result[0].message


def test_imported_env_must_match(tmp_path: Path, domain: Domain) -> None:
    text = 'env shop\nimport "lib.writ"\n'
    assert found(tmp_path, domain, text, **{"lib.writ": "env other\n"}) == [(2, 8, "env-mismatch")]
    assert found(tmp_path, domain, text, **{"lib.writ": "let x = 1\n"}) == []


def _write(folder: Path, text: str) -> Path:
    path = folder / "spec.writ"
    path.write_text(text, encoding="utf-8")
    return path


# ---------------------------------------------------------------- tools and arguments
@pytest.mark.parametrize("stmt, expected", [
    ("read x = nope()\n    tell x", [(3, 14, "unknown-tool")]),
    ("read x = cancel_order(order_id = \"1\", reason = \"no longer needed\")\n    tell x",
     [(3, 14, "tool-kind")]),
    ("write get_user(user_id = \"u\")", [(3, 11, "tool-kind")]),
    ("write think()", [(3, 11, "tool-kind")]),
    ("read x = think()\n    tell x", []),
    ("write cancel_order(order_id = \"1\")", [(3, 11, "missing-argument")]),
    ("write cancel_order(order_id = \"1\", reason = \"no longer needed\", why = 1)", [(3, 69, "unknown-argument")]),
    ("read x = get_user(user_id = \"a\", user_id = \"b\")\n    tell x", [(3, 38, "duplicate-argument")]),
])
def test_tool_statements(tmp_path: Path, domain: Domain, stmt: str, expected: list) -> None:
    assert found(tmp_path, domain, task(f"    {stmt}")) == expected


@pytest.mark.parametrize("args, expected", [
    ('order_id = 5, amount = 1, items = []', [(3, 29, "argument-type")]),
    ('order_id = "o", amount = 1.5, items = []', [(3, 43, "argument-type")]),
    ('order_id = "o", amount = 2.0, items = ["a", -3]', [(3, 62, "argument-type")]),
    ('order_id = "o", amount = -1, items = null', [(3, 55, "argument-type")]),
    ('order_id = x.id, amount = count(y), items = z', [(3, 29, "undefined-name"), (3, 50, "undefined-name"),
                                                      (3, 62, "undefined-name")]),
])
def test_literal_arguments_against_the_json_schema(tmp_path: Path, domain: Domain, args: str, expected: list) -> None:
    assert found(tmp_path, domain, task(f"    write refund({args})")) == expected


def test_enum_arguments(tmp_path: Path, domain: Domain) -> None:
    text = task('    write cancel_order(order_id = "1", reason = "bored", note = null)')
    assert found(tmp_path, domain, text) == [(3, 49, "argument-enum")]


def test_unknown_tool_suggests_a_close_name(tmp_path: Path, domain: Domain) -> None:
    path = _write(tmp_path, task("    read x = get_usr(user_id = \"u\")\n    tell x"))
    problem = checks.check_spec(load_spec(path)[0], domain)[0]
    assert problem.notes == ("did you mean 'get_user'?",)


# ---------------------------------------------------------------- names
@pytest.mark.parametrize("body, expected", [
    ("    let a = b", [(3, 13, "undefined-name")]),
    ("    let a = 1\n    let a = 2\n    tell a", [(4, 9, "duplicate-name")]),
    ("    read r = get_user(user_id = u) for u in [\"a\"]\n    tell u + r", [(4, 10, "undefined-name")]),
    ("    read r = get_user(user_id = u) for u in [\"a\"], u in [\"b\"]\n    tell r", [(3, 52, "duplicate-name")]),
    ("    let u = \"a\"\n    read r = get_user(user_id = u) for u in [u]\n    tell r", [(4, 40, "duplicate-name")]),
    ("    let a = it.x", [(3, 13, "it-outside-items")]),
    ("    let a = map([1], it + 1) + sort([2], by = it) + ([3] where it > 1)", []),
    ("    let a = db", [(3, 13, "bare-db")]),
    ("    let a = db.people", [(3, 13, "unknown-table")]),
    ("    let a = db.users where it.nam == 1", [(3, 28, "unknown-field")]),
    ("    let a = map(db.orders, it.total)", [(3, 28, "unknown-field")]),
    ("    let a = db.users where count(it.orders where it.total > 1) > 0", []),
    ("    read r = get_user(user_id = \"u\")", [(3, 10, "unused-read")]),
    # a read said in a write's because is used: its words reach the dialogue
    ("    read r = get_user(user_id = \"u\")\n    write refund(order_id = \"o\", amount = 1, items = [\"a\"])"
     " because \"{{ r.name }} asked\"", []),
])
def test_names(tmp_path: Path, domain: Domain, body: str, expected: list) -> None:
    assert found(tmp_path, domain, task(body)) == expected


def test_loop_variable_out_of_scope_has_a_note(tmp_path: Path, domain: Domain) -> None:
    path = _write(tmp_path, task("    read r = get_user(user_id = u) for u in [\"a\"]\n    tell u + r"))
    problem = next(d for d in checks.check_spec(load_spec(path)[0], domain) if d.code == "undefined-name")
    assert "only in scope in that read's arguments" in problem.notes[0]


@pytest.mark.parametrize("body, expected", [
    ("    let a = fancy(1)", [(3, 13, "unknown-builtin")]),
    ("    let a = count(1, 2)", [(3, 13, "builtin-arity")]),
    ("    let a = round(1, 2, 3)", [(3, 13, "builtin-arity")]),
    ("    let a = sort([1], key = it)", [(3, 23, "builtin-keyword"), (3, 29, "it-outside-items")]),
    ("    let a = sort([1], by = it, by = it)", [(3, 32, "duplicate-argument")]),
])
def test_builtin_calls(tmp_path: Path, domain: Domain, body: str, expected: list) -> None:
    assert found(tmp_path, domain, task(body)) == expected


def test_builtin_messages(tmp_path: Path, domain: Domain) -> None:
    path = _write(tmp_path, task("    let a = round(1, 2, 3) + get_user(1)"))
    problems = checks.check_spec(load_spec(path)[0], domain)
    assert [d.message for d in problems] == ["round() takes 1 or 2 arguments, not 3", "unknown function 'get_user'"]
    assert problems[1].notes == ("tools are called by `read` and `write` statements, not in expressions",)


def test_shared_definitions(tmp_path: Path, domain: Domain) -> None:
    lib = {"lib.writ": "let base = 1\n"}
    text = 'env shop\nimport "lib.writ"\nlet base = 2\n' + task("    let base = 3\n    tell base")[9:]
    assert found(tmp_path, domain, text, **lib) == [(3, 5, "duplicate-shared"), (5, 9, "shadowed-name")]
    shown = checks.check_spec(load_spec(tmp_path / "spec.writ")[0], domain)
    assert shown[0].severity is diag.Severity.ERROR and shown[1].severity is diag.Severity.WARNING


# ---------------------------------------------------------------- cycles
def test_cycles_name_every_member(tmp_path: Path, domain: Domain) -> None:
    path = _write(tmp_path, task("    let a = c + 1\n    let b = a\n    let c = b\n    tell c"))
    problem = checks.check_spec(load_spec(path)[0], domain)[0]
    assert (problem.code, problem.span.line) == ("dependency-cycle", 3)
    assert problem.message == "dependency cycle (each needs the next): a -> c -> b -> a"
    assert [n.split(" (")[0] for n in problem.notes] == ["'c'", "'b'"]


def test_a_self_reference_and_a_cycle_through_the_write_order(tmp_path: Path, domain: Domain) -> None:
    assert found(tmp_path, domain, task("    let a = a + 1\n    tell a")) == [(3, 5, "dependency-cycle")]
    writes = ('    write refund(order_id = later.order_id, amount = 1, items = [])\n'
              '    write later = cancel_order(order_id = "o", reason = "no longer needed")')
    assert found(tmp_path, domain, task(writes)) == [(3, 5, "dependency-cycle")]


def test_shared_cycles(tmp_path: Path, domain: Domain) -> None:
    assert found(tmp_path, domain, "let a = b\nlet b = a\n") == [(1, 1, "dependency-cycle")]


# ---------------------------------------------------------------- declarations
@pytest.mark.parametrize("text, expected", [
    ("env shop\ntask t {\n}\n", [(2, 6, "missing-user-field"), (2, 6, "missing-user-field")]),
    ("env shop\ntask t {\n    user { reason \"r\"  wants \"w\" }\n    user {}\n}\n", [(4, 5, "duplicate-statement")]),
    (task('    title "a"\n    title "b"'), [(4, 5, "duplicate-statement")]),
    ("env shop\ntask t {\n    user { reason \"r\"  reason \"s\"  knows { a = 1  a = 2 }  wants \"w\" }\n}\n",
     [(3, 24, "duplicate-user-field"), (3, 51, "duplicate-knows")]),
    ("env shop\ntask t {\n    user { reason \"r\"  wants \"{{ 1 }}\"  wants \"w\" }\n}\n", []),
    ("env shop\ntask t {\n    param p = one of [1, 2]\n    user { reason \"r\"  wants \"{{ p }} a\"  wants \"b\" }\n}\n",
     [(4, 43, "wordings-differ")]),
    (task("    param p = 1 of [1, 2]"), [(3, 5, "param-count")]),
    (task("    behaviors [calm, calm]"), [(3, 16, "unknown-behavior"), (3, 22, "duplicate-behavior-use"),
                                       (3, 22, "unknown-behavior")]),
    ("env shop\ntask t {\n    user { reason \"{{ x }\"  wants \"{{ y | nofilter }}\" }\n}\n",
     [(3, 12, "template-syntax"), (3, 29, "template-filter")]),
    ("task t {\n  user { reason \"r\"  wants \"w\" }\n}\ntask t {\n  user { reason \"r\"  wants \"w\" }\n}\nenv shop\n",
     [(4, 6, "duplicate-task")]),
])
def test_tasks_and_user_blocks(tmp_path: Path, domain: Domain, text: str, expected: list) -> None:
    assert found(tmp_path, domain, text) == expected


@pytest.mark.parametrize("settings, expected", [
    ('description = "d"\n    verbosity = "loud"', [(3, 17, "setting-value")]),
    ('description = "d"\n    impatient = "yes"', [(3, 17, "setting-type")]),
    ('description = 1 + 1', [(2, 19, "setting-type")]),
    ('description = "d"\n    mood = "x"', [(3, 5, "unknown-setting")]),
    ('description = "d"\n    description = "e"', [(3, 5, "duplicate-setting")]),
    ('opening = "direct"', [(1, 10, "missing-description")]),
])
def test_behavior_settings(tmp_path: Path, domain: Domain, settings: str, expected: list) -> None:
    assert found(tmp_path, domain, f"behavior b {{\n    {settings}\n}}\n") == expected


def test_behaviors_come_from_imports_and_are_not_redefined(tmp_path: Path, domain: Domain) -> None:
    lib = {"lib.writ": 'behavior calm {\n    description = "c"\n}\n'}
    text = 'env shop\nimport "lib.writ"\nbehavior calm {\n    description = "again"\n}\n' + task(
        "    behaviors [calm]")[9:]
    assert found(tmp_path, domain, text, **lib) == [(3, 10, "duplicate-behavior")]


def test_without_a_domain_tools_and_tables_are_not_checked(tmp_path: Path) -> None:
    text = task("    read x = anything(a = 1)\n    let y = db.whatever where it.z\n    tell x + y")
    assert found(tmp_path, None, text) == []


def test_a_failing_check_is_reported_and_the_others_still_run(tmp_path: Path, domain: Domain) -> None:
    def broken(ctx: CheckContext) -> list[diag.Diagnostic]:
        raise KeyError("boom")

    path = _write(tmp_path, task("    let a = b"))
    ctx = CheckContext(load_spec(path)[0], domain)
    found = checks.run_checks(ctx, (broken, checks.undefined_names))
    assert [d.code for d in found] == ["check-failed", "undefined-name"]
    assert found[0].message == "the check broken failed on this file (KeyError: 'boom'); please report it"
