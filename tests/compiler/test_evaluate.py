"""The expression evaluator: every operator, every builtin, every rejection."""

from __future__ import annotations

import datetime as dt

import pytest

from writ_dsl.compiler.functions import IMPLEMENTATIONS
from writ_dsl.compiler.values import Rejection, equals, to_json, to_text
from writ_dsl.lang.builtins import BUILTINS

from .helpers import evaluate

D = dt.date
DB = {
    "users": {"a": {"id": "a", "age": 30, "tags": ["x"]}, "b": {"id": "b", "age": 40, "tags": []}},
    "items": {"i1": {"price": 5}, "i2": {"price": 7}},
}


def rejected(text: str, reason: str, **names) -> Rejection:
    with pytest.raises(Rejection) as info:
        evaluate(text, DB, **names)
    assert info.value.reason == reason, info.value.detail
    return info.value


def test_every_declared_builtin_is_implemented():
    assert set(BUILTINS) == set(IMPLEMENTATIONS)


# ------------------------------------------------------------------ literals and access
@pytest.mark.parametrize("text, value", [
    ("42", 42), ("2.5", 2.5), ('"hi"', "hi"), ("2024-05-25", D(2024, 5, 25)), ("true", True),
    ("false", False), ("null", None), ("[1, 2]", [1, 2]), ('{a: 1, b: "x"}', {"a": 1, "b": "x"}),
    ('"""long\ntext"""', "long\ntext"),
])
def test_literals(text, value):
    assert evaluate(text) == value


def test_names_fields_and_indexes():
    rec = {"a": {"b": [10, 20, 30]}}
    assert evaluate("r.a.b[0]", r=rec) == 10
    assert evaluate("r.a.b[-1]", r=rec) == 30
    assert evaluate('r["a"]["b"][1]', r=rec) == 20


def test_db_tables_are_lists_in_key_order():
    assert evaluate("db.users", DB) == [DB["users"]["a"], DB["users"]["b"]]
    assert evaluate('db["items"][1].price', DB) == 7


@pytest.mark.parametrize("text", [
    "r.missing", "r.a.b[3]", "r.a.b[-4]", "r.a.b.c", 'r.a.b["x"]', "nowhere", "it", "db.nothing",
])
def test_access_errors_are_eval_errors(text):
    error = rejected(text, "eval-error", r={"a": {"b": [1, 2, 3]}})
    assert error.span is not None


def test_eval_error_points_at_the_failing_node():
    error = rejected("[1, r.missing]", "eval-error", r={"a": 1})
    assert (error.span.line, error.span.column) == (1, 13)


# ------------------------------------------------------------------ operators
@pytest.mark.parametrize("text, value", [
    ("1 + 2", 3), ("5 - 7", -2), ("3 * 4", 12), ("7 / 2", 3.5), ("7 % 4", 3), ("-3", -3), ("-(1 + 1)", -2),
    ('"ab" + "cd"', "abcd"), ("[1] + [2, 3]", [1, 2, 3]), ("1 + 2 * 3", 7), ("(1 + 2) * 3", 9),
    ("2024-05-25 + days(1)", D(2024, 5, 26)), ("2024-05-25 - days(25)", D(2024, 4, 30)),
    ("days(1) + 2024-05-25", D(2024, 5, 26)),
    ("2024-05-25 + hours(6)", dt.datetime(2024, 5, 25, 6)),
    ("2024-05-27 - 2024-05-25", dt.timedelta(days=2)),
    ('datetime(2024-05-25, "10:00:00") - datetime(2024-05-25, "08:30:00")', dt.timedelta(hours=1, minutes=30)),
    ("hours(2) - minutes(30)", dt.timedelta(minutes=90)), ("hours(1) * 3", dt.timedelta(hours=3)),
    ("2 * minutes(5)", dt.timedelta(minutes=10)), ("hours(3) / hours(1)", 3.0),
    ("hours(3) / 3", dt.timedelta(hours=1)), ("-hours(1)", dt.timedelta(hours=-1)),
])
def test_arithmetic(text, value):
    assert evaluate(text) == value


@pytest.mark.parametrize("text", [
    '1 + "a"', "true + 1", "[1] + 1", "2024-05-25 + 1", "2024-05-25 + 2024-05-25", '"a" * 2',
    '-"a"', "1 / 0", "1 % 0", "hours(1) / 0", "2024-05-25 - hours(1) - 2024-05-25", '"a" - "b"',
    "days(1) * days(1)", "1 / days(1)",
])
def test_operator_type_errors(text):
    rejected(text, "eval-error")


@pytest.mark.parametrize("text, value", [
    ("1 == 1.0", True), ("1 != 2", True), ('"a" == "a"', True), ("[1, {a: 2}] == [1, {a: 2}]", True),
    ("{a: 1} == {a: 1, b: 2}", False), ("true == 1", False), ("null == null", True), ("null == 0", False),
    ('2024-05-25 == "2024-05-25"', True), ('"2024-05-26" != 2024-05-25', True),
    ("1 < 2", True), ("2 <= 2", True), ("3 > 4", False), ("3 >= 3", True), ('"abc" < "abd"', True),
    ("2024-05-25 < 2024-05-26", True), ('"2024-05-24" < 2024-05-25', True),
    ("hours(1) > minutes(59)", True), ('datetime(2024-05-25, "10:00") < datetime(2024-05-25, "09:00+1")', True),
])
def test_comparisons(text, value):
    assert evaluate(text) is value


@pytest.mark.parametrize("text", ['1 < "a"', "null < 1", "[1] < [2]", "true < false", "2024-05-25 < 3"])
def test_ordering_needs_one_kind(text):
    rejected(text, "eval-error")


@pytest.mark.parametrize("text, value", [
    ("2 in [1, 2]", True), ("3 not in [1, 2]", True), ('"ell" in "hello"', True), ('"a" in {a: 1}', True),
    ('"b" not in {a: 1}', True), ("{x: 1} in [{x: 1}]", True), ('2024-05-25 in ["2024-05-25"]', True),
])
def test_membership(text, value):
    assert evaluate(text) is value


def test_membership_type_error():
    rejected("1 in 2", "eval-error")
    rejected('1 in "abc"', "eval-error")


def test_logic_short_circuits():
    assert evaluate("false and r.missing", r={}) is False
    assert evaluate("true or r.missing", r={}) is True
    assert evaluate("true and not false") is True
    assert evaluate("false or false") is False
    rejected("1 and true", "eval-error")
    rejected("true and 1", "eval-error")
    rejected("not 0", "eval-error")


def test_conditional():
    assert evaluate('if 1 < 2 then "yes" else r.missing', r={}) == "yes"
    assert evaluate('if false then 1 else 2') == 2
    rejected("if 1 then 2 else 3", "eval-error")


def test_where_binds_it_and_innermost_wins():
    assert evaluate("db.users where it.age > 35", DB) == [DB["users"]["b"]]
    assert evaluate("db.users where count(it.tags where it == \"x\") == 1", DB) == [DB["users"]["a"]]
    rejected("5 where true", "eval-error")
    rejected("[1, 2] where it", "eval-error")


def test_ranges():
    assert evaluate("1 .. 4") == [1, 2, 3, 4]
    assert evaluate("3 .. 2") == []
    assert evaluate("2024-05-30 .. 2024-06-01") == [D(2024, 5, 30), D(2024, 5, 31), D(2024, 6, 1)]
    rejected("1 .. 2024-05-25", "eval-error")
    rejected("1.5 .. 3", "eval-error")


# ------------------------------------------------------------------ builtins
@pytest.mark.parametrize("text, value", [
    ("count([1, 2, 3])", 3), ('count("abcd")', 4), ("count({a: 1})", 1),
    ("sum([1, 2, 3.5])", 6.5), ("sum([])", 0), ("sum([hours(1), minutes(30)])", dt.timedelta(minutes=90)),
    ("min([3, 1, 2])", 1), ("max([3, 1, 2])", 3), ('min(["b", "a"])', "a"), ("max([2024-05-01, 2024-05-03])",
                                                                              D(2024, 5, 3)),
    ("first([4, 5])", 4), ("last([4, 5])", 5), ("one([7])", 7),
    ("distinct([1, 2, 1, 1.0, {a: 1}, {a: 1}])", [1, 2, {"a": 1}]),
    ("flatten([[1], [], [2, 3]])", [1, 2, 3]),
    ("map([1, 2], it * 10)", [10, 20]), ("all([1, 2], it > 0)", True), ("all([], false)", True),
    ("any([1, 2], it > 1)", True), ("any([], true)", False),
    ("argmin([{k: 2}, {k: 1}], by = it.k)", {"k": 1}), ("argmax([{k: 2}, {k: 1}], by = it.k)", {"k": 2}),
    ("argmin([3, 1, 2])", 1),
    ("sort([{k: 2, n: 1}, {k: 1, n: 2}, {k: 2, n: 3}], by = it.k)", [{"k": 1, "n": 2}, {"k": 2, "n": 1},
                                                                      {"k": 2, "n": 3}]),
    ("sort([1, 3, 2], desc = true)", [3, 2, 1]), ("sort([])", []),
    ('keys({b: 1, a: 2})', ["b", "a"]), ('values({b: 1, a: 2})', [1, 2]),
    ("days(2)", dt.timedelta(days=2)), ("hours(1.5)", dt.timedelta(minutes=90)),
    ("minutes(5)", dt.timedelta(minutes=5)),
    ('datetime(2024-05-25, "23:30:00")', dt.datetime(2024, 5, 25, 23, 30)),
    ('datetime(2024-05-25, "01:15:00+1")', dt.datetime(2024, 5, 26, 1, 15)),
    ('datetime("2024-05-25", "07:05")', dt.datetime(2024, 5, 25, 7, 5)),
    ('date("2024-05-25")', D(2024, 5, 25)), ('date(datetime(2024-05-25, "10:00:00"))', D(2024, 5, 25)),
    ('date("2024-05-25T10:00:00")', D(2024, 5, 25)),
    ("round(2.345)", 2.35), ("round(2.5, 0)", 2), ("round(1234.5678, 1)", 1234.6), ("abs(-3)", 3),
    ("abs(-hours(2))", dt.timedelta(hours=2)),
    ("str(5.0)", "5"), ("str(2.5)", "2.5"), ("str(2024-05-25)", "2024-05-25"), ("str(true)", "true"),
    ('str([1, "a"])', "1, a"), ("str(null)", "null"), ('str(hours(2) + minutes(5))', "2h 05m"),
    ('lower("AbC")', "abc"), ('upper("AbC")', "ABC"),
])
def test_builtins(text, value):
    assert equals(evaluate(text), value) and type(evaluate(text)) is type(value)


@pytest.mark.parametrize("text, reason", [
    ("first([])", "empty"), ("last([])", "empty"), ("min([])", "empty"), ("max([])", "empty"),
    ("one([])", "empty"), ("one([1, 2])", "not-unique"), ("argmin([], by = it)", "empty"),
    ("argmax([])", "empty"),
    ("argmin([{k: 1}, {k: 1}, {k: 2}], by = it.k)", "tie"), ("argmax([{k: 3}, {k: 3.0}], by = it.k)", "tie"),
    ("argmin([hours(1), minutes(60)])", "tie"),
])
def test_builtin_rejections(text, reason):
    error = rejected(text, reason)
    assert error.span is not None


def test_tie_names_the_shared_key():
    error = rejected("argmin([{k: 1}, {k: 1}], by = it.k)", "tie")
    assert "2 items share the key 1" in error.detail


@pytest.mark.parametrize("text", [
    "count(1)", "sum([1, \"a\"])", "sum(5)", "min([1, \"a\"])", "flatten([1])", "map(1, it)",
    "all([1], it)", "any([1], 1)", "sort([1, \"a\"])", "sort([1], desc = 1)", "keys([1])", "values(1)",
    'days("x")', 'datetime(2024-05-25, 10)', 'datetime(2024-05-25, "25:00:00")', 'datetime(2024-05-25, "ab")',
    'date("May 5")', "date(1)", 'round("x")', "round(1.5, 1.5)", 'abs("x")', "lower(1)", "upper(null)",
    "nosuch(1)", "count(1, 2)", "argmin([1], key = it)", "first()",
])
def test_builtin_misuse_is_an_eval_error(text):
    rejected(text, "eval-error")


# ------------------------------------------------------------------ conversions
def test_to_json_converts_dates_and_refuses_times_in_strict_mode():
    value = {"d": D(2024, 5, 25), "xs": [D(2024, 5, 26)], "n": 1}
    assert to_json(value, strict=True) == {"d": "2024-05-25", "xs": ["2024-05-26"], "n": 1}
    for bad in (dt.timedelta(hours=1), dt.datetime(2024, 5, 25, 10)):
        with pytest.raises(Rejection) as info:
            to_json({"a": [bad]}, strict=True)
        assert info.value.reason == "eval-error"
    assert to_json(dt.timedelta(hours=1, minutes=5)) == "1h 05m"


def test_to_text_of_records_is_canonical_json():
    assert to_text({"b": 1, "a": D(2024, 5, 1)}) == '{"a": "2024-05-01", "b": 1}'
