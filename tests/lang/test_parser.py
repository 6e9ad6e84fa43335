"""The parser: the AST of valid text, and every syntax error of a file, in words and located."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest

from writ_dsl import diagnostics as diag
from writ_dsl.lang import ast
from writ_dsl.lang.parser import MAX_ERRORS, parse_text


def parse_ok(text: str) -> ast.Module:
    module, problems = parse_text(text, "t.writ")
    assert problems == [] and module is not None, [d.message for d in problems]
    return module


def errors(text: str) -> list[tuple[int, int, str, str]]:
    module, problems = parse_text(text, "t.writ")
    assert module is None and problems
    return [(d.span.line, d.span.column, d.code, d.message) for d in problems]


def only_stmt(text: str) -> Any:
    return parse_ok(f"task t {{\n{text}\n}}\n").tasks[0].body[0]


# ---------------------------------------------------------------- valid text
def test_a_read_with_fan_out_keeps_its_parts_and_spans() -> None:
    stmt = only_stmt("  read rs = get_order(order_id = o, note = 1) for o in xs, n in 1 .. 3")
    assert isinstance(stmt, ast.ReadStmt)
    assert (stmt.name.name, stmt.tool.name) == ("rs", "get_order")
    assert [a.name.name for a in stmt.args] == ["order_id", "note"]
    assert [loop.var.name for loop in stmt.loops] == ["o", "n"]
    assert isinstance(stmt.loops[1].source, ast.Range)
    assert (stmt.tool.span.line, stmt.tool.span.column, stmt.tool.span.end_column) == (2, 13, 22)


def test_param_counts_and_dates() -> None:
    many = only_stmt("param xs = 3 of 2024-05-01 .. 2024-05-09")
    one = only_stmt("param x = one of [1, 2.5]")
    assert many.count == 3 and one.count is None
    assert many.source.start.value == dt.date(2024, 5, 1)
    assert [i.value for i in one.source.items] == [1, 2.5]


@pytest.mark.parametrize("text, op", [
    ("a or b and c", "or"), ("not a == b", None), ("a + b * c", "+"), ("a - b - c", "-"),
    ("a in [1] and b not in [2]", "and"), ("xs where it.n > 1 where it.m", None),
])
def test_operator_precedence(text: str, op: str | None) -> None:
    value = only_stmt(f"let x = {text}").value
    if op is not None:
        assert isinstance(value, ast.Binary) and value.op == op
    if text.startswith("a - b"):
        assert isinstance(value.left, ast.Binary) and value.left.op == "-"
    if text.startswith("not"):
        assert isinstance(value, ast.Unary) and value.operand.op == "=="
    if text.startswith("xs"):
        assert isinstance(value, ast.Where) and isinstance(value.source, ast.Where)


def test_keywords_are_names_where_only_a_name_fits() -> None:
    module = parse_ok(
        "task t {\n"
        "  write cancel_order(order_id = o.id, reason = \"x\")\n"
        "  let user_title = user.title + {reason: 1}.reason\n"
        "  read one = get(\n    reason = 1,\n    user = 2,\n  )\n"
        "  user { reason \"r\"  knows { reason = 1 }  wants \"w\" }\n"
        "}\n"
    )
    write, let, read, user = module.tasks[0].body
    assert [a.name.name for a in write.args] == ["order_id", "reason"]
    assert let.value.left.name == "title"
    assert read.name.name == "one" and [a.name.name for a in read.args] == ["reason", "user"]
    assert user.knows[0].name.name == "reason"


def test_every_node_has_a_span_inside_the_file() -> None:
    text = "env shop\nlet base = {a: [1, -2], b: if x then y else z}\ntask t {\n  tell count(base.a where it > 0)\n}\n"
    lines = len(text.splitlines())

    def spans(node: Any) -> list[ast.Span]:
        found = [node.span] if isinstance(node, ast.Node) else []
        values = node.__dict__.values() if isinstance(node, ast.Node) else node if isinstance(node, list) else []
        return found + [s for v in values for s in spans(v)]

    found = spans(parse_ok(text))
    assert len(found) > 20
    assert all(1 <= s.line <= s.end_line <= lines and s.column >= 1 for s in found)


def test_comments_are_collected_with_their_lines() -> None:
    module = parse_ok("# one\nenv shop  # two\n\n# three\n")
    assert [(c.text, c.span.line) for c in module.comments] == [("# one", 1), ("# two", 2), ("# three", 4)]


@pytest.mark.parametrize("text", ["", "\n\n", "# only a comment\n", "\ufeff"[1:]])
def test_empty_files_parse_to_an_empty_module(text: str) -> None:
    assert parse_ok(text).items == []


# ---------------------------------------------------------------- syntax errors in words
@pytest.mark.parametrize("text, expected", [
    ("task t {\n  read x = f(a = 1 b = 2)\n}\n", (2, 20, "syntax", "expected `)` or `,` after argument")),
    ("task t {\n  let x =\n  let y = 2\n}\n", (3, 3, "syntax", "expected an expression after `=`")),
    ("task t {\n  title \"open\n}\n", (2, 9, "unterminated-string", "unterminated string")),
    ("task t {\n  user {\n    reason \"r\"\n    wants \"w\"\n}\ntask u {}\n",
     (5, 1, "unclosed-block", "unexpected `}`: `task t {` ends here, but `user {` on line 2 is not closed")),
    ("task t {\n  let x = (1 + 2\n}\n", (3, 1, "unclosed", "unexpected `}`: `(` on line 2 is not closed")),
    ("task t {\n  let x = 1\n", (2, 12, "unclosed", "unexpected end of file: `task t {` on line 1 is not closed")),
    ("task t {\n  tags [\"a\" \"b\"]\n}\n", (2, 13, "syntax", "expected `]` or `,` after tag")),
    ("task t {\n  param p = 1.5 of xs\n}\n", (2, 13, "syntax", "expected `one` or a whole number after `=`")),
    ("task t {\n  param p = one xs\n}\n", (2, 17, "syntax", "expected `of` after `one`")),
    ("task t {\n  let v = if a then b\n  let w = 1\n}\n", (3, 3, "syntax", "expected `else` after `b`")),
    ("env shop\nhello\n", (2, 1, "syntax", "expected a declaration (`task`, `behavior`, `env`, `import`, "
                                            "`param`, `let`) or the end of the file after `shop`")),
    ("let x = 'single'\n", (1, 9, "single-quoted-string", "strings are written in double quotes")),
    ("let x = 2024-02-30\n", (1, 9, "invalid-date", "`2024-02-30` is not a valid date")),
    ("let x = 1 @@ 2\n", (1, 11, "bad-character", "unexpected character `@@`")),
    ("let x = \x00\n", (1, 9, "bad-character", "unexpected character `\\x00`")),
])
def test_syntax_errors_are_worded_and_located(text: str, expected: tuple) -> None:
    assert errors(text)[0] == expected


def test_independent_errors_of_one_file_are_all_reported() -> None:
    text = (
        "task t {\n"
        "  let a = f(1 2)\n"          # 2: missing comma
        "  let b =\n"                 # 3: missing expression, seen at line 4
        "  read c = get(x = 1\n"      # 4: unclosed call, seen at line 5
        "  require d else\n"          # 5: missing reason string, seen at line 6
        "}\n"
        "behavior b { description = }\n"
        "task u {\n  title 5\n}\n"
    )
    found = errors(text)
    assert [(line, code) for line, _, code, _ in found] == [
        (2, "syntax"), (4, "syntax"), (5, "unclosed"), (6, "syntax"), (7, "syntax"), (9, "syntax")]
    assert found[2][3] == "unexpected `require`: `get(` on line 4 is not closed"
    assert found[5][3] == "expected a string after `title`"


def test_recovery_stays_inside_the_block_of_the_error() -> None:
    text = "task t {\n  user {\n    reason 5\n    wants \"w\"\n  }\n  let x = 1\n}\ntask u {\n  let y =\n}\n"
    assert [(line, code) for line, _, code, _ in errors(text)] == [(3, "syntax"), (10, "syntax")]


def test_a_lexical_error_is_not_reported_twice() -> None:
    assert [code for _, _, code, _ in errors("task t {\n  let x = @\n}\n")] == ["bad-character"]


def test_errors_stop_after_a_limit() -> None:
    found = errors("".join(f"task t{i} {{ title }}\n" for i in range(MAX_ERRORS + 10)))
    assert len(found) == MAX_ERRORS and found[-1][2] == "too-many-errors"


def test_the_caret_marks_the_offending_token() -> None:
    text = "task t {\n  read x = f(a = 1 bb = 2)\n}\n"
    _, problems = parse_text(text, "t.writ")
    shown = diag.format_text(problems[0], text).splitlines()
    assert shown[0] == "t.writ:2:20: error: expected `)` or `,` after argument [syntax]"
    assert shown[2] == "    " + " " * 19 + "^~"


def test_a_lone_carriage_return_ends_a_line_and_other_breaks_do_not() -> None:
    old_mac = "# a comment\renv retail\rtask t {\r  read x = f(a = 1 bb = 2)\r}\r"
    module, problems = parse_text(old_mac, "t.writ")
    shown = diag.format_text(problems[0], old_mac).splitlines()
    assert shown[0].startswith("t.writ:4:20: error:") and shown[1] == "      read x = f(a = 1 bb = 2)"
    separated = "task t {  # a note\u2028on two lines\n  read x = f(a = 1 bb = 2)\n}\n"
    _, problems = parse_text(separated, "t.writ")
    shown = diag.format_text(problems[0], separated).splitlines()
    assert shown[0].startswith("t.writ:2:20:") and shown[1:] == ["      read x = f(a = 1 bb = 2)", "    " + " " * 19 + "^~"]


def test_a_long_line_is_shown_cut_around_its_caret() -> None:
    text = "let x = [" + "1, " * 2000 + "1 1]\n"
    _, problems = parse_text(text, "t.writ")
    line, caret = diag.format_text(problems[0], text).splitlines()[1:3]
    assert len(line) < 200 and line.startswith("    ...") and line.endswith("1 1]")
    assert line[caret.index("^")] == "1" and line[caret.index("^") - 2:caret.index("^") + 1] == "1 1"


def test_a_too_deep_expression_is_a_diagnostic() -> None:
    module, problems = parse_text("let x = " + "1 + " * 5000 + "1\n", "t.writ")
    assert module is None and [d.code for d in problems] == ["nesting-too-deep"]
    assert problems[0].span is not None and problems[0].span.line == 1
