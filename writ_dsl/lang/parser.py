"""Source text -> AST. The Lark parser is built once per process and cached."""

from __future__ import annotations

from functools import cache

from lark import Lark
from lark.exceptions import UnexpectedInput, VisitError

from .. import diagnostics as diag
from ..resources import grammar_path
from . import ast
from .transformer import ToAst


@cache
def get_parser() -> Lark:
    grammar = grammar_path().read_text(encoding="utf-8")
    return Lark(grammar, parser="lalr", propagate_positions=True, maybe_placeholders=True)


def parse_text(text: str, path: str) -> tuple[ast.Module | None, list[diag.Diagnostic]]:
    """Parse one file's text; on a syntax error return no module and the diagnostics."""
    try:
        tree = get_parser().parse(text)
    except UnexpectedInput as exc:
        span = ast.Span(line=exc.line, column=exc.column, end_line=exc.line, end_column=exc.column + 1)
        return None, [diag.make("syntax", path, span, detail=str(exc).splitlines()[0])]
    try:
        return ToAst(path).transform(tree), []
    except VisitError as exc:
        raise exc.orig_exc from None
