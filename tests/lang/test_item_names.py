"""Named items: `xs where u: ...` and per-item arguments `map(xs, x: ...)`, from text to checks and `writ fmt`."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from writ_dsl.env.core import Domain
from writ_dsl.lang import ast, walk
from writ_dsl.lang.fmt import format_source

from .test_checks import found, task
from .test_fmt import meaning
from .test_parser import errors, parse_ok

JOIN = ('db.users where u: count(db.orders where o: o.user_id == u.user_id and o.status == "pending") >= 2')


def expr(text: str) -> Any:
    return parse_ok(f"let x = {text}\n").items[0].value


# ---------------------------------------------------------------- parser and AST
def test_a_named_where_keeps_its_binder_and_spans() -> None:
    where = expr(JOIN)
    assert isinstance(where, ast.Where) and where.binder is not None
    assert where.binder.name == "u"
    assert (where.binder.span.line, where.binder.span.column, where.binder.span.end_column) == (1, 24, 25)
    assert (where.span.column, where.span.end_column) == (9, 9 + len(JOIN))
    inner = where.predicate.left.args[0]
    assert isinstance(inner, ast.Where) and inner.binder.name == "o"
    assert inner.predicate.left.right.obj == ast.Name(id="u", span=inner.predicate.left.right.obj.span)


def test_an_unnamed_where_has_no_binder() -> None:
    where = expr("xs where it > 1")
    assert isinstance(where, ast.Where) and where.binder is None


@pytest.mark.parametrize("text, binder, position", [
    ("map(xs, x: x.price)", "x", 1),
    ("all(xs, f: f.available)", "f", 1),
    ("any(xs, f: f.available or it.other)", "f", 1),
])
def test_per_item_arguments_take_a_name(text: str, binder: str, position: int) -> None:
    call = expr(text)
    arg = call.args[position]
    assert isinstance(arg, ast.Lambda) and arg.binder.name == binder
    assert (arg.span.column, arg.binder.span.column) == (arg.binder.span.column, 9 + text.index(f"{binder}:"))
    assert isinstance(arg.body, ast.Binary | ast.Attr)


@pytest.mark.parametrize("func", ["argmin", "argmax", "sort"])
def test_by_keys_take_a_name(func: str) -> None:
    call = expr(f"{func}(xs, by = r: r.total)")
    (kwarg,) = call.kwargs
    assert kwarg.name == "by" and isinstance(kwarg.value, ast.Lambda)
    assert kwarg.value.binder.name == "r" and isinstance(kwarg.value.body, ast.Attr)


def test_records_keyword_arguments_and_conditionals_still_parse() -> None:
    record = expr('{a: 1, b: {c: it}, where: xs where u: u > 1}')
    assert isinstance(record, ast.RecordExpr) and [f.name for f in record.fields] == ["a", "b", "where"]
    assert record.fields[2].value.binder.name == "u"
    call = expr("sort(xs, by = it.date, desc = true)")
    assert [k.name for k in call.kwargs] == ["by", "desc"] and isinstance(call.kwargs[0].value, ast.Attr)
    body = expr("map(xs, x: if x > 1 then x else 0)").args[1].body
    assert isinstance(body, ast.Cond)
    assert isinstance(expr("map(xs, x: ys where y: y == x)").args[1].body, ast.Where)


@pytest.mark.parametrize("text", ["let x = xs where u:", "let x = xs where : u", "let x = map(xs, x:)",
                                  "let x = xs where u: v: 1", "let x = (u: 1)"])
def test_malformed_binders_are_syntax_errors(text: str) -> None:
    assert errors(text + "\n")


def test_walk_binds_names_in_their_bodies_only() -> None:
    where = expr("db.users where u: any(xs, x: x == u.user_id) and it.a")
    seen = {(v.node.id, tuple(v.bound)) for v in walk.walk(where) if isinstance(v.node, ast.Name)}
    assert seen == {("db", ()), ("xs", ("u",)), ("x", ("u", "x")), ("u", ("u", "x")), ("it", ("u",))}
    assert [n.id for n in walk.free_names(where)] == ["db", "xs", "it"]


# ---------------------------------------------------------------- checks
@pytest.mark.parametrize("body, expected", [
    ('    let a = db.users where u: count(db.orders where o: o.status == u.name) > 0', []),
    ('    let a = map(db.users, u: map(u.orders, o: o + u.user_id)) + sort([1], by = x: -x)', []),
    ('    let a = argmin(db.orders, by = o: o.order_id) + argmax([1], by = n: n)', []),
    ('    let a = (db.users where u: true) + map(db.users, u: u)', []),
    ("    let a = db.users where u: u.nam == 1", [(3, 31, "unknown-field")]),
    ("    let a = db.users where u: any(db.orders, o: o.user_id == u.user_id)", [(3, 49, "unknown-field")]),
    ("    let a = map(db.orders, o: o.total)", [(3, 31, "unknown-field")]),
    ("    let a = (db.users where u: true) + [u]", [(3, 41, "undefined-name")]),
    ("    let a = map(db.users, u: u)\n    tell u", [(4, 10, "undefined-name")]),
    ("    let a = 1\n    let b = db.users where a: true", [(4, 28, "duplicate-name")]),
    ("    let a = db.users where u: any(db.orders, u: true)", [(3, 46, "duplicate-name")]),
    ("    let b = db.users where b: true", [(3, 28, "duplicate-name")]),
    ('    read r = get_user(user_id = first(map(db.users where k: true, v: v.user_id))) for k in ["a"]\n'
     "    tell r", [(3, 58, "duplicate-name")]),
    ("    let a = db.users where it: true", [(3, 28, "reserved-item-name")]),
    ("    let a = map(db.users, db: 1)", [(3, 27, "reserved-item-name")]),
    ("    let a = count(x: x)", [(3, 19, "misplaced-item-name")]),
    ("    let a = sort([1], desc = x: true)", [(3, 30, "misplaced-item-name")]),
    ("    let a = map(x: x, 1)", [(3, 17, "misplaced-item-name")]),
    ("    let a = count(x: it)", [(3, 19, "misplaced-item-name"), (3, 22, "it-outside-items")]),
])
def test_item_name_checks(tmp_path: Path, domain: Domain, body: str, expected: list) -> None:
    assert found(tmp_path, domain, task(body)) == expected


def test_an_item_name_that_hides_a_shared_definition_is_a_warning(tmp_path: Path, domain: Domain) -> None:
    text = task("    let a = db.users where limit: count(limit.orders) > 0\n    tell a").replace(
        "task t", "let limit = 2\ntask t")
    assert found(tmp_path, domain, text) == [(4, 28, "shadowed-name")]


def test_it_still_works_beside_a_name(tmp_path: Path, domain: Domain) -> None:
    body = "    let a = db.users where u: it.user_id == u.user_id and all(u.orders, o: it == o)"
    assert found(tmp_path, domain, task(body)) == []


# ---------------------------------------------------------------- writ fmt
SPACED = """let a = db.users   where u :count( db.orders where o:o.user_id==u.user_id )>=2
let b = map( xs ,x : x.price )
let c = sort(xs, by=r:r.date, desc=true)
let d = argmin(xs, by = r : (r.total))
let e = all(xs, f: any(f.items, i: i.price > f.limit)) or any(xs, f: f.ok)
let f = ((xs where u: u > 1) where v: v < 3)
let g = (xs where u: u > 1 or u < 0) + {a: 1}
"""

CANONICAL = """let a = db.users where u: count(db.orders where o: o.user_id == u.user_id) >= 2
let b = map(xs, x: x.price)
let c = sort(xs, by = r: r.date, desc = true)
let d = argmin(xs, by = r: r.total)
let e = all(xs, f: any(f.items, i: i.price > f.limit)) or any(xs, f: f.ok)
let f = xs where u: u > 1 where v: v < 3
let g = (xs where u: u > 1 or u < 0) + {a: 1}
"""


def test_fmt_prints_named_items_canonically_idempotently_and_keeps_meaning() -> None:
    text, problems = format_source(SPACED)
    assert problems == [] and text == CANONICAL
    assert format_source(text)[0] == text
    assert meaning(text) == meaning(SPACED)


def test_fmt_breaks_a_long_join_inside_its_call() -> None:
    long = f"task t {{\n    let pending_owners = {JOIN}\n}}\n"
    text, _ = format_source(long)
    assert text is not None and all(len(line) <= 100 for line in text.splitlines())
    assert format_source(text)[0] == text and meaning(text) == meaning(long)
