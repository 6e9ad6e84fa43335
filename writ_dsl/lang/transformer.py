"""Lark parse tree -> typed AST. Mechanical: no checks, only construction and spans."""

from __future__ import annotations

from dataclasses import dataclass

import datetime as dt
import re
from collections.abc import Callable, Sequence
from functools import cache
from typing import Any

from lark import Token, Transformer, Tree, v_args
from lark.tree import Meta

from . import ast

_ESCAPES = {"n": "\n", "t": "\t", '"': '"', "\\": "\\"}
_ESCAPE_RE = re.compile(r"\\(.)", re.S)


def span_of(meta: Meta | Token) -> ast.Span:
    return ast.Span(
        line=meta.line, column=meta.column, end_line=meta.end_line, end_column=meta.end_column
    )


def unquote(token: str) -> str:
    body = token[3:-3] if token.startswith('"""') else token[1:-1]
    return _ESCAPE_RE.sub(lambda m: _ESCAPES.get(m.group(1), "\\" + m.group(1)), body)


def ident(token: Token) -> ast.Ident:
    return ast.Ident(name=str(token), span=span_of(token))


def _string(token: Token) -> ast.String:
    return ast.String(value=unquote(token), span=span_of(token))


@dataclass(frozen=True)
class _Guard:
    """A write's `if` condition, kept apart from its arguments until the statement is built."""

    value: Any


def _present(children: list[Any]) -> list[Any]:
    return [child for child in children if child is not None]


@cache
def _rule_methods(cls: type[Transformer]) -> dict[str, Callable[..., Any]]:
    """Rule name -> plain function, for the methods ``cls`` (not Lark's Transformer) defines."""
    found: dict[str, Callable[..., Any]] = {}
    for klass in reversed(cls.__mro__[:cls.__mro__.index(Transformer)]):
        for name, value in vars(klass).items():
            if not name.startswith("_") and name != "transform" and callable(value):
                found[name] = getattr(value, "base_func", value)
    return found


@v_args(meta=True)
class ToAst(Transformer):
    """Builds :mod:`writ_dsl.lang.ast` nodes; the module path is set by the caller."""

    def __init__(self, path: str, comments: Sequence[ast.Comment] = ()) -> None:
        super().__init__()
        self.path = path
        self.comments = list(comments)

    def transform(self, tree: Tree) -> Any:
        """What Lark's ``Transformer.transform`` gives, bottom-up, without its per-node wrapper objects:
        each rule's method is looked up once per class and called as ``method(self, meta, children)``."""
        methods = _rule_methods(type(self))

        def build(node: Tree) -> Any:
            children = [build(child) if type(child) is Tree else child for child in node.children]
            method = methods.get(node.data)
            return self.__default__(node.data, children, node.meta) if method is None else method(self, node.meta, children)

        return build(tree)

    # ---------------------------------------------------------- module level
    def start(self, meta: Meta, items: list[Any]) -> ast.Module:
        span = span_of(meta) if not meta.empty else ast.Span(line=1, column=1, end_line=1, end_column=1)
        return ast.Module(path=self.path, items=items, comments=self.comments, span=span)

    def env_decl(self, meta: Meta, children: list[Any]) -> ast.EnvDecl:
        return ast.EnvDecl(name=ident(children[0]), span=span_of(meta))

    def import_decl(self, meta: Meta, children: list[Any]) -> ast.ImportDecl:
        return ast.ImportDecl(path=_string(children[0]), span=span_of(meta))

    def behavior_decl(self, meta: Meta, children: list[Any]) -> ast.BehaviorDecl:
        return ast.BehaviorDecl(name=ident(children[0]), settings=children[1:], span=span_of(meta))

    def setting(self, meta: Meta, children: list[Any]) -> ast.Setting:
        return ast.Setting(name=ident(children[0]), value=children[1], span=span_of(meta))

    def task_decl(self, meta: Meta, children: list[Any]) -> ast.TaskDecl:
        return ast.TaskDecl(name=ident(children[0]), body=children[1:], span=span_of(meta))

    # ---------------------------------------------------------- task statements
    def title_stmt(self, meta: Meta, children: list[Any]) -> ast.TitleStmt:
        return ast.TitleStmt(text=unquote(children[0]), span=span_of(meta))

    def tags_stmt(self, meta: Meta, children: list[Any]) -> ast.TagsStmt:
        return ast.TagsStmt(tags=[_string(t) for t in _present(children)], span=span_of(meta))

    def behaviors_stmt(self, meta: Meta, children: list[Any]) -> ast.BehaviorsStmt:
        return ast.BehaviorsStmt(names=[ident(t) for t in _present(children)], span=span_of(meta))

    def param_stmt(self, meta: Meta, children: list[Any]) -> ast.ParamStmt:
        name, count, source = children
        return ast.ParamStmt(name=ident(name), count=count, source=source, span=span_of(meta))

    def sample_one(self, meta: Meta, children: list[Any]) -> None:
        return None

    def sample_many(self, meta: Meta, children: list[Any]) -> int:
        return int(children[0])

    def let_stmt(self, meta: Meta, children: list[Any]) -> ast.LetStmt:
        return ast.LetStmt(name=ident(children[0]), value=children[1], span=span_of(meta))

    def read_stmt(self, meta: Meta, children: list[Any]) -> ast.ReadStmt:
        name, tool, *rest = children
        loops = rest.pop() if rest and isinstance(rest[-1], list) else []
        return ast.ReadStmt(
            name=ident(name), tool=ident(tool), args=_present(rest), loops=loops or [], span=span_of(meta)
        )

    def fanout(self, meta: Meta, children: list[Any]) -> list[ast.Loop]:
        return children

    def loop(self, meta: Meta, children: list[Any]) -> ast.Loop:
        return ast.Loop(var=ident(children[0]), source=children[1], span=span_of(meta))

    def write_stmt(self, meta: Meta, children: list[Any]) -> ast.WriteStmt:
        name, tool, *args, loops, guard = children
        return ast.WriteStmt(
            name=ident(name) if name is not None else None,
            tool=ident(tool),
            args=_present(args),
            loops=loops or [],
            guard=guard.value if guard is not None else None,
            span=span_of(meta),
        )

    def guard(self, meta: Meta, children: list[Any]) -> _Guard:
        return _Guard(children[0])

    def arg(self, meta: Meta, children: list[Any]) -> ast.Arg:
        return ast.Arg(name=ident(children[0]), value=children[1], span=span_of(meta))

    def require_stmt(self, meta: Meta, children: list[Any]) -> ast.RequireStmt:
        reason = unquote(children[1]) if children[1] is not None else None
        return ast.RequireStmt(condition=children[0], reason=reason, span=span_of(meta))

    def tell_stmt(self, meta: Meta, children: list[Any]) -> ast.TellStmt:
        label = unquote(children[1]) if children[1] is not None else None
        return ast.TellStmt(value=children[0], label=label, span=span_of(meta))

    # ---------------------------------------------------------- user block
    def user_block(self, meta: Meta, children: list[Any]) -> ast.UserBlock:
        return ast.UserBlock(fields=children, span=span_of(meta))

    def _text(self, field: str, meta: Meta, children: list[Any]) -> ast.TextField:
        return ast.TextField(field=field, text=unquote(children[0]), span=span_of(meta))

    def persona_field(self, meta: Meta, children: list[Any]) -> ast.TextField:
        return self._text("persona", meta, children)

    def reason_field(self, meta: Meta, children: list[Any]) -> ast.TextField:
        return self._text("reason", meta, children)

    def wants_field(self, meta: Meta, children: list[Any]) -> ast.TextField:
        return self._text("wants", meta, children)

    def unknown_field(self, meta: Meta, children: list[Any]) -> ast.TextField:
        return self._text("unknown", meta, children)

    def knows_field(self, meta: Meta, children: list[Any]) -> ast.KnowsField:
        return ast.KnowsField(settings=children, span=span_of(meta))

    # ---------------------------------------------------------- expressions
    def cond(self, meta: Meta, children: list[Any]) -> ast.Cond:
        test, then, otherwise = children
        return ast.Cond(test=test, then=then, otherwise=otherwise, span=span_of(meta))

    def where(self, meta: Meta, children: list[Any]) -> ast.Where:
        return ast.Where(source=children[0], predicate=children[1], span=span_of(meta))

    def where_named(self, meta: Meta, children: list[Any]) -> ast.Where:
        source, binder, predicate = children
        return ast.Where(source=source, predicate=predicate, binder=ident(binder), span=span_of(meta))

    def binder(self, meta: Meta, children: list[Any]) -> ast.Lambda:
        return ast.Lambda(binder=ident(children[0]), body=children[1], span=span_of(meta))

    def _binary(self, op: str, meta: Meta, children: list[Any]) -> ast.Binary:
        return ast.Binary(op=op, left=children[0], right=children[-1], span=span_of(meta))

    def or_op(self, meta: Meta, children: list[Any]) -> ast.Binary:
        return self._binary("or", meta, children)

    def and_op(self, meta: Meta, children: list[Any]) -> ast.Binary:
        return self._binary("and", meta, children)

    def in_op(self, meta: Meta, children: list[Any]) -> ast.Binary:
        return self._binary("in", meta, children)

    def not_in_op(self, meta: Meta, children: list[Any]) -> ast.Binary:
        return self._binary("not in", meta, children)

    def compare(self, meta: Meta, children: list[Any]) -> ast.Binary:
        return self._binary(str(children[1]), meta, children)

    def binary(self, meta: Meta, children: list[Any]) -> ast.Binary:
        return self._binary(str(children[1]), meta, children)

    def not_op(self, meta: Meta, children: list[Any]) -> ast.Unary:
        return ast.Unary(op="not", operand=children[0], span=span_of(meta))

    def neg(self, meta: Meta, children: list[Any]) -> ast.Unary:
        return ast.Unary(op="-", operand=children[0], span=span_of(meta))

    def range(self, meta: Meta, children: list[Any]) -> ast.Range:
        return ast.Range(start=children[0], end=children[1], span=span_of(meta))

    def attr(self, meta: Meta, children: list[Any]) -> ast.Attr:
        return ast.Attr(obj=children[0], name=str(children[1]), span=span_of(meta))

    def index(self, meta: Meta, children: list[Any]) -> ast.Index:
        return ast.Index(obj=children[0], index=children[1], span=span_of(meta))

    def call(self, meta: Meta, children: list[Any]) -> ast.Call:
        func, *rest = children
        rest = _present(rest)
        args = [c for c in rest if not isinstance(c, ast.KwArg)]
        kwargs = [c for c in rest if isinstance(c, ast.KwArg)]
        return ast.Call(func=ident(func), args=args, kwargs=kwargs, span=span_of(meta))

    def kwarg(self, meta: Meta, children: list[Any]) -> ast.KwArg:
        return ast.KwArg(name=str(children[0]), value=children[1], span=span_of(meta))

    def number(self, meta: Meta, children: list[Any]) -> ast.Number:
        text = str(children[0])
        value: int | float = float(text) if "." in text else int(text)
        return ast.Number(value=value, span=span_of(meta))

    def string(self, meta: Meta, children: list[Any]) -> ast.String:
        return ast.String(value=unquote(children[0]), span=span_of(meta))

    def date(self, meta: Meta, children: list[Any]) -> ast.DateLit:
        return ast.DateLit(value=dt.date.fromisoformat(str(children[0])), span=span_of(meta))

    def true(self, meta: Meta, children: list[Any]) -> ast.Bool:
        return ast.Bool(value=True, span=span_of(meta))

    def false(self, meta: Meta, children: list[Any]) -> ast.Bool:
        return ast.Bool(value=False, span=span_of(meta))

    def null(self, meta: Meta, children: list[Any]) -> ast.Null:
        return ast.Null(span=span_of(meta))

    def name(self, meta: Meta, children: list[Any]) -> ast.Name:
        return ast.Name(id=str(children[0]), span=span_of(meta))

    def list(self, meta: Meta, children: list[Any]) -> ast.ListExpr:
        return ast.ListExpr(items=_present(children), span=span_of(meta))

    def record(self, meta: Meta, children: list[Any]) -> ast.RecordExpr:
        return ast.RecordExpr(fields=_present(children), span=span_of(meta))

    def field(self, meta: Meta, children: list[Any]) -> ast.RecordField:
        return ast.RecordField(name=str(children[0]), value=children[1], span=span_of(meta))
