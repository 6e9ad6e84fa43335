"""Grammar rule -> typed AST node: one small builder per rule. Mechanical: no checks, only construction.

A builder gets the rule's span and its children as Lark shapes them (anonymous
tokens left out, ``_rules`` inlined, ``None`` for an absent ``[optional]``).
The parser calls the builders while it reduces (:mod:`.reductions`), so no
parse tree is built; :func:`tree_to_ast` calls the same builders over a Lark
parse tree (for tools that hold one, and to test the parser against Lark).
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from functools import partial
from typing import Any

from lark import Token, Tree
from lark.tree import Meta

from . import ast
from .ast import span_at, trusted

Builder = Callable[[ast.Span | None, list[Any]], Any]

_ESCAPES = {"n": "\n", "t": "\t", '"': '"', "\\": "\\"}
_ESCAPE_RE = re.compile(r"\\(.)", re.S)
FILE_START = ast.Span(line=1, column=1, end_line=1, end_column=1)


def span_of(meta: Meta | Token) -> ast.Span:
    return span_at(meta.line, meta.column, meta.end_line, meta.end_column)


def unquote(token: str) -> str:
    body = token[3:-3] if token.startswith('"""') else token[1:-1]
    return _ESCAPE_RE.sub(lambda m: _ESCAPES.get(m.group(1), "\\" + m.group(1)), body)


def ident(token: Token) -> ast.Ident:
    return trusted(ast.Ident, name=str(token), span=span_of(token))


def _string(token: Token) -> ast.String:
    return trusted(ast.String, value=unquote(token), span=span_of(token))


@dataclass(frozen=True)
class ModuleBody:
    """The items of a file and its span (None: the file is empty); the caller adds the path and comments."""

    items: list[Any]
    span: ast.Span | None

    def module(self, path: str, comments: Sequence[ast.Comment] = ()) -> ast.Module:
        return trusted(ast.Module, path=path, items=self.items, comments=list(comments), span=self.span or FILE_START)


@dataclass(frozen=True)
class _Guard:
    """A write's `if` condition, kept apart from its arguments until the statement is built."""

    value: Any


def _present(children: list[Any]) -> list[Any]:
    return [child for child in children if child is not None]


BUILDERS: dict[str, Builder] = {}


def rule(*names: str) -> Callable[[Builder], Builder]:
    """Register a builder for the grammar rules (or rule aliases) ``names``."""

    def add(builder: Builder) -> Builder:
        for name in names:
            BUILDERS[name] = builder
        return builder

    return add


# ---------------------------------------------------------- module level
@rule("start")
def start(span: ast.Span | None, items: list[Any]) -> ModuleBody:
    return ModuleBody(items, span)


@rule("env_decl")
def env_decl(span: ast.Span, c: list[Any]) -> ast.EnvDecl:
    return trusted(ast.EnvDecl, name=ident(c[0]), span=span)


@rule("import_decl")
def import_decl(span: ast.Span, c: list[Any]) -> ast.ImportDecl:
    return trusted(ast.ImportDecl, path=_string(c[0]), span=span)


@rule("behavior_decl")
def behavior_decl(span: ast.Span, c: list[Any]) -> ast.BehaviorDecl:
    return trusted(ast.BehaviorDecl, name=ident(c[0]), settings=c[1:], span=span)


@rule("setting")
def setting(span: ast.Span, c: list[Any]) -> ast.Setting:
    return trusted(ast.Setting, name=ident(c[0]), value=c[1], span=span)


@rule("task_decl")
def task_decl(span: ast.Span, c: list[Any]) -> ast.TaskDecl:
    return trusted(ast.TaskDecl, name=ident(c[0]), body=c[1:], span=span)


# ---------------------------------------------------------- task statements
@rule("title_stmt")
def title_stmt(span: ast.Span, c: list[Any]) -> ast.TitleStmt:
    return trusted(ast.TitleStmt, text=unquote(c[0]), span=span)


@rule("tags_stmt")
def tags_stmt(span: ast.Span, c: list[Any]) -> ast.TagsStmt:
    return trusted(ast.TagsStmt, tags=[_string(t) for t in _present(c)], span=span)


@rule("behaviors_stmt")
def behaviors_stmt(span: ast.Span, c: list[Any]) -> ast.BehaviorsStmt:
    return trusted(ast.BehaviorsStmt, names=[ident(t) for t in _present(c)], span=span)


@rule("param_stmt")
def param_stmt(span: ast.Span, c: list[Any]) -> ast.ParamStmt:
    name, count, source = c
    return trusted(ast.ParamStmt, name=ident(name), count=count, source=source, span=span)


@rule("sample_one")
def sample_one(span: ast.Span, c: list[Any]) -> None:
    return None


@rule("sample_many")
def sample_many(span: ast.Span, c: list[Any]) -> int:
    return int(c[0])


@rule("let_stmt")
def let_stmt(span: ast.Span, c: list[Any]) -> ast.LetStmt:
    return trusted(ast.LetStmt, name=ident(c[0]), value=c[1], span=span)


@rule("read_stmt")
def read_stmt(span: ast.Span, c: list[Any]) -> ast.ReadStmt:
    name, tool, *rest = c
    loops = rest.pop() if rest and isinstance(rest[-1], list) else []
    return trusted(ast.ReadStmt, name=ident(name), tool=ident(tool), args=_present(rest), loops=loops or [], span=span)


@rule("fanout")
def fanout(span: ast.Span, c: list[Any]) -> list[ast.Loop]:
    return c


@rule("loop")
def loop(span: ast.Span, c: list[Any]) -> ast.Loop:
    return trusted(ast.Loop, var=ident(c[0]), source=c[1], span=span)


@rule("write_stmt")
def write_stmt(span: ast.Span, c: list[Any]) -> ast.WriteStmt:
    name, tool, *args, loops, guard, because, passed_over = c
    return trusted(ast.WriteStmt,
        name=ident(name) if name is not None else None,
        tool=ident(tool),
        args=_present(args),
        loops=loops or [],
        guard=guard.value if guard is not None else None,
        because=because,
        passed_over=passed_over,
        span=span,
    )


@rule("guard")
def guard(span: ast.Span, c: list[Any]) -> _Guard:
    return _Guard(c[0])


@rule("because")
def because(span: ast.Span, c: list[Any]) -> ast.TextField:
    return trusted(ast.TextField, field="because", text=unquote(c[0]), span=span)


@rule("passed_over")
def passed_over(span: ast.Span, c: list[Any]) -> ast.TextField:
    return trusted(ast.TextField, field="else because", text=unquote(c[0]), span=span)


@rule("arg")
def arg(span: ast.Span, c: list[Any]) -> ast.Arg:
    return trusted(ast.Arg, name=ident(c[0]), value=c[1], span=span)


@rule("require_stmt")
def require_stmt(span: ast.Span, c: list[Any]) -> ast.RequireStmt:
    reason = unquote(c[1]) if c[1] is not None else None
    return trusted(ast.RequireStmt, condition=c[0], reason=reason, span=span)


@rule("tell_stmt")
def tell_stmt(span: ast.Span, c: list[Any]) -> ast.TellStmt:
    label = unquote(c[1]) if c[1] is not None else None
    return trusted(ast.TellStmt, value=c[0], label=label, span=span)


# ---------------------------------------------------------- user block
@rule("user_block")
def user_block(span: ast.Span, c: list[Any]) -> ast.UserBlock:
    return trusted(ast.UserBlock, fields=c, span=span)


def _text(field: str, span: ast.Span, c: list[Any]) -> ast.TextField:
    return trusted(ast.TextField, field=field, text=unquote(c[0]), span=span)


for _field in ("persona", "reason", "wants", "unknown"):
    BUILDERS[f"{_field}_field"] = partial(_text, _field)


@rule("knows_field")
def knows_field(span: ast.Span, c: list[Any]) -> ast.KnowsField:
    return trusted(ast.KnowsField, settings=c, span=span)


# ---------------------------------------------------------- expressions
@rule("cond")
def cond(span: ast.Span, c: list[Any]) -> ast.Cond:
    test, then, otherwise = c
    return trusted(ast.Cond, test=test, then=then, otherwise=otherwise, span=span)


@rule("where")
def where(span: ast.Span, c: list[Any]) -> ast.Where:
    return trusted(ast.Where, source=c[0], predicate=c[1], span=span)


@rule("where_named")
def where_named(span: ast.Span, c: list[Any]) -> ast.Where:
    source, binder_name, predicate = c
    return trusted(ast.Where, source=source, predicate=predicate, binder=ident(binder_name), span=span)


@rule("binder")
def binder(span: ast.Span, c: list[Any]) -> ast.Lambda:
    return trusted(ast.Lambda, binder=ident(c[0]), body=c[1], span=span)


def _binary(op: str | None, span: ast.Span, c: list[Any]) -> ast.Binary:
    """``left op right``; ``op`` None: the operator is the token between them."""
    return trusted(ast.Binary, op=op or str(c[1]), left=c[0], right=c[-1], span=span)


for _name, _op in (("or_op", "or"), ("and_op", "and"), ("in_op", "in"), ("not_in_op", "not in"),
                   ("compare", None), ("binary", None)):
    BUILDERS[_name] = partial(_binary, _op)


@rule("not_op")
def not_op(span: ast.Span, c: list[Any]) -> ast.Unary:
    return trusted(ast.Unary, op="not", operand=c[0], span=span)


@rule("neg")
def neg(span: ast.Span, c: list[Any]) -> ast.Unary:
    return trusted(ast.Unary, op="-", operand=c[0], span=span)


@rule("range")
def range_expr(span: ast.Span, c: list[Any]) -> ast.Range:
    return trusted(ast.Range, start=c[0], end=c[1], span=span)


@rule("attr")
def attr(span: ast.Span, c: list[Any]) -> ast.Attr:
    return trusted(ast.Attr, obj=c[0], name=str(c[1]), span=span)


@rule("index")
def index(span: ast.Span, c: list[Any]) -> ast.Index:
    return trusted(ast.Index, obj=c[0], index=c[1], span=span)


@rule("call")
def call(span: ast.Span, c: list[Any]) -> ast.Call:
    func, *rest = c
    rest = _present(rest)
    args = [x for x in rest if not isinstance(x, ast.KwArg)]
    kwargs = [x for x in rest if isinstance(x, ast.KwArg)]
    return trusted(ast.Call, func=ident(func), args=args, kwargs=kwargs, span=span)


@rule("kwarg")
def kwarg(span: ast.Span, c: list[Any]) -> ast.KwArg:
    return trusted(ast.KwArg, name=str(c[0]), value=c[1], span=span)


@rule("number")
def number(span: ast.Span, c: list[Any]) -> ast.Number:
    text = str(c[0])
    value: int | float = float(text) if "." in text else int(text)
    return trusted(ast.Number, value=value, span=span)


@rule("string")
def string(span: ast.Span, c: list[Any]) -> ast.String:
    return trusted(ast.String, value=unquote(c[0]), span=span)


@rule("date")
def date(span: ast.Span, c: list[Any]) -> ast.DateLit:
    return trusted(ast.DateLit, value=dt.date.fromisoformat(str(c[0])), span=span)


@rule("true")
def true(span: ast.Span, c: list[Any]) -> ast.Bool:
    return trusted(ast.Bool, value=True, span=span)


@rule("false")
def false(span: ast.Span, c: list[Any]) -> ast.Bool:
    return trusted(ast.Bool, value=False, span=span)


@rule("null")
def null(span: ast.Span, c: list[Any]) -> ast.Null:
    return trusted(ast.Null, span=span)


@rule("name")
def name(span: ast.Span, c: list[Any]) -> ast.Name:
    return trusted(ast.Name, id=str(c[0]), span=span)


@rule("list")
def list_expr(span: ast.Span, c: list[Any]) -> ast.ListExpr:
    return trusted(ast.ListExpr, items=_present(c), span=span)


@rule("record")
def record(span: ast.Span, c: list[Any]) -> ast.RecordExpr:
    return trusted(ast.RecordExpr, fields=_present(c), span=span)


@rule("field")
def field(span: ast.Span, c: list[Any]) -> ast.RecordField:
    return trusted(ast.RecordField, name=str(c[0]), value=c[1], span=span)


# ---------------------------------------------------------- from a Lark parse tree
def tree_to_ast(tree: Tree, path: str, comments: Sequence[ast.Comment] = ()) -> ast.Module:
    """The module a Lark parse tree of a whole file stands for (recursive: for trees of bounded depth)."""

    def build(node: Tree) -> Any:
        children = [build(child) if type(child) is Tree else child for child in node.children]
        span = span_of(node.meta) if not node.meta.empty else None
        return BUILDERS[node.data](span, children)

    return build(tree).module(path, comments)
