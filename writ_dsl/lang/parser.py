"""Source text -> AST, reporting every syntax error of a file in one run.

The LALR tables come from ``grammars/writ.lark`` (built once per machine, :mod:`.grammar_cache`);
tokens come from :mod:`.lexer` and are fed to Lark's parser state one by one.
On an unexpected token the error is reported in words (:mod:`.syntax`) and
the parser resynchronises: it skips to the next statement keyword that starts
a line, a ``}`` or the end of the file, and pops parser states until that
token fits. It never pops out of a ``task``/``behavior``/``user``/``knows``
block, unless the token can only start a new top-level declaration.
"""

from __future__ import annotations

from bisect import bisect_left
from dataclasses import dataclass, field
from functools import cache
from typing import Any

from lark import Lark, Token, Tree
from lark.exceptions import UnexpectedToken
from lark.parsers.lalr_analysis import Shift
from lark.parsers.lalr_parser_state import ParserState

from .. import diagnostics as diag
from ..resources import grammar_path
from . import ast, syntax
from .grammar_cache import cached_lark
from .lexer import Lexed, Vocabulary, lex
from .transformer import ToAst, span_of

MAX_ERRORS = 25
SYNC = syntax.STATEMENTS | syntax.DECLARATIONS | syntax.USER_FIELDS
OPENERS = frozenset(syntax.CLOSER)
CLOSERS = frozenset(syntax.CLOSER.values())
# Tokens after which a statement keyword that starts a line is read as a name.
NAME_FOLLOWERS = frozenset({"EQUAL", "DOT", "COMMA", "RPAR", "RSQB", "RBRACE", "COLON", "COMPARE", "ADD_OP",
                            "MUL_OP", "_DOTDOT", "AND", "OR", "IN", "NOT", "WHERE", "THEN", "ELSE", "OF"})


@cache
def get_parser() -> Lark:
    grammar = grammar_path().read_text(encoding="utf-8")
    return cached_lark(grammar, parser="lalr", propagate_positions=True, maybe_placeholders=True)


@cache
def vocabulary() -> Vocabulary:
    return Vocabulary(get_parser())


@cache
def terminal_names() -> frozenset[str]:
    """Every terminal the parse table knows, ``$END`` included."""
    states = get_parser().parse_interactive().parser_state.parse_conf.states
    return frozenset(name for actions in states.values() for name in actions if name.isupper())


@dataclass
class ParseOutcome:
    """A parse tree (None after any error), the comments, and every problem found."""

    tree: Tree | None
    comments: list[Token] = field(default_factory=list)
    problems: list[tuple[str, Token, dict[str, str]]] = field(default_factory=list)


def parse_text(text: str, path: str) -> tuple[ast.Module | None, list[diag.Diagnostic]]:
    """Parse one file's text; on syntax errors return no module and every error's diagnostic."""
    outcome = parse_tree(text)
    if outcome.tree is None:
        problems = [diag.make(code, path, span_of(token), **fields) for code, token, fields in outcome.problems]
        return None, sorted(problems, key=diag.Diagnostic.sort_key)
    comments = [ast.Comment(text=str(c), span=span_of(c)) for c in outcome.comments]
    try:
        return ToAst(path, comments).transform(outcome.tree), []
    except RecursionError:
        return None, [too_deep(path)]


def too_deep(path: str) -> diag.Diagnostic:
    return diag.make("too-deep", path, ast.Span(line=1, column=1, end_line=1, end_column=1))


def parse_tree(text: str) -> ParseOutcome:
    lexed = lex(text, vocabulary())
    return _Run(lexed, get_parser().parse_interactive().parser_state).run()


class _Run:
    def __init__(self, lexed: Lexed, state: ParserState) -> None:
        self.lexed = lexed
        self.tokens = lexed.tokens
        self.state = state
        self.states = state.parse_conf.states
        self.end_state = state.parse_conf.end_state
        self.problems = [(p.code, p.token, p.fields) for p in lexed.problems]
        self.lexical = sorted(p.token.start_pos for p in lexed.problems)
        self.errors = 0
        self.reported_line = 0
        self.prev: Token | None = None
        self.closed: list[tuple[Token, str, int]] = []
        self.indents: dict[int, int] = {}

    def run(self) -> ParseOutcome:
        index = 0
        while index < len(self.tokens):
            index = self._step(index)
        tree = self._finish() if index == len(self.tokens) else None
        ok = not self.problems
        return ParseOutcome(tree if ok else None, self.lexed.comments, self.problems)

    def _step(self, index: int) -> int:
        token = self._typed(index, self.state.state_stack)
        before = self.state.state_stack[:]
        if token.type == "RBRACE":
            self._note_closing(token)
        try:
            self.state.feed_token(token)
        except UnexpectedToken:
            return self._recover(index, token, before)
        self.prev = token
        return index + 1

    def _note_closing(self, token: Token) -> None:
        values = self.state.value_stack
        inner = syntax.openers(values)
        if inner and syntax.is_block(values, inner[-1]):
            self.closed.append((token, syntax.opener_text(values, inner[-1]), values[inner[-1]].line))

    def _finish(self) -> Tree | None:
        end = self._eof()
        before = self.state.state_stack[:]
        try:
            return self.state.feed_token(end, True)
        except UnexpectedToken:
            self._recover(len(self.tokens), end, before)
            return None

    def _eof(self) -> Token:
        last = self.tokens[-1] if self.tokens else None
        if last is None:
            return Token("$END", "", 0, 1, 1, 1, 1, 0)
        return Token("$END", "", last.end_pos, last.end_line, last.end_column, last.end_line,
                     last.end_column + 1, last.end_pos)

    # ------------------------------------------------------------ the LALR tables
    def _accepts(self, stack: list[Any], kind: str) -> bool:
        """Whether the parser, in the state ``stack``, can shift a ``kind`` token (or finish, for $END)."""
        stack = list(stack)
        while True:
            action = self.states[stack[-1]].get(kind)
            if action is None:
                return False
            if action[0] is Shift:
                return True
            rule = action[1]
            if rule.expansion:
                del stack[-len(rule.expansion):]
            stack.append(self.states[stack[-1]][rule.origin.name][1])
            if kind == "$END" and stack[-1] == self.end_state:
                return True

    def _typed(self, index: int, stack: list[Any]) -> Token:
        token, choices = self.tokens[index], self.lexed.choices[index]
        if len(choices) == 1 or self._starts_statement(index):
            return token
        for kind in choices:
            if self._accepts(stack, kind):
                return token if kind == token.type else Token.new_borrow_pos(kind, token.value, token)
        return token

    def _starts_statement(self, index: int) -> bool:
        """A statement keyword that starts a line and is not followed by what follows a name."""
        token = self.tokens[index]
        if token.type not in SYNC or (index and self.tokens[index - 1].end_line == token.line):
            return False
        following = self.tokens[index + 1].type if index + 1 < len(self.tokens) else "$END"
        return following not in NAME_FOLLOWERS

    def _expected(self, stack: list[Any]) -> set[str]:
        return {name for name in terminal_names() if self._accepts(stack, name)}

    # ------------------------------------------------------------ recovery
    def _recover(self, index: int, token: Token, stack: list[Any]) -> int:
        self._report(token, stack)
        depth = 0
        for at in range(index, len(self.tokens) + 1):
            candidate = self.tokens[at] if at < len(self.tokens) else self._eof()
            if depth == 0 and self._is_sync(at, candidate) and self._resume(candidate):
                return at + 1
            depth = max(0, depth + (candidate.type in OPENERS) - (candidate.type in CLOSERS))
        return len(self.tokens) + 1

    def _is_sync(self, index: int, token: Token) -> bool:
        if token.type in ("RBRACE", "$END"):
            return True
        if token.type not in SYNC:
            return False
        return index == 0 or self.tokens[index - 1].end_line < token.line

    def _resume(self, token: Token) -> bool:
        """Pop parser states until ``token`` fits, then feed it; False if it never fits."""
        depth = self._fitting_depth(token)
        if depth is None:
            return False
        del self.state.state_stack[depth:]
        del self.state.value_stack[depth - 1:]
        self.state.feed_token(token, token.type == "$END")
        self.prev = token
        return True

    def _fitting_depth(self, token: Token) -> int | None:
        stack, values = self.state.state_stack, self.state.value_stack
        anywhere = token.type in syntax.TOP_LEVEL or token.type == "$END"
        for depth in range(len(stack), 0, -1):
            if self._accepts(stack[:depth], token.type):
                return depth
            if depth >= 2 and not anywhere and syntax.is_block(values, depth - 2):
                return None
        return None

    # ------------------------------------------------------------ reporting
    def _report(self, token: Token, stack: list[Any]) -> None:
        if self.errors >= MAX_ERRORS or token.line == self.reported_line or self._explained(token):
            return
        self.errors += 1
        self.reported_line = token.line
        if self.errors == MAX_ERRORS:
            self.problems.append(("too-many-errors", token, {"count": str(MAX_ERRORS)}))
            return
        self.problems.append(self._describe(token, stack))

    def _explained(self, token: Token) -> bool:
        """Whether a lexical problem lies between the previous token and this one."""
        if token.type == "$END" and self.lexed.open_at_end:
            return True
        start = self.prev.end_pos if self.prev is not None else 0
        at = bisect_left(self.lexical, start)
        return at < len(self.lexical) and (token.type == "$END" or self.lexical[at] <= token.start_pos)

    def _describe(self, token: Token, stack: list[Any]) -> tuple[str, Token, dict[str, str]]:
        expected = self._expected(stack)
        values = self.state.value_stack
        wants_expression = "an expression" in syntax.expected_phrase(expected)
        if not (wants_expression and self.prev is not None and self.prev.type not in syntax.VALUE_END):
            unclosed = self._unclosed(token)
            if unclosed is not None:
                return self._misplaced_brace(unclosed) or ("unclosed", token, {
                    "found": syntax.found(token), "opener": syntax.opener_text(values, unclosed),
                    "line": str(values[unclosed].line)})
        return "syntax", token, {"expected": syntax.expected_phrase(expected),
                                 "after": syntax.after(self.prev, values, expected)}

    def _misplaced_brace(self, unclosed: int) -> tuple[str, Token, dict[str, str]] | None:
        """A `}` that closed an inner block at the indentation of the unclosed block around it."""
        values = self.state.value_stack
        if not syntax.is_block(values, unclosed):
            return None
        opener = values[unclosed]
        indent = self._indentation(opener.line)
        for brace, inner, line in reversed(self.closed):
            if brace.line > opener.line and line > opener.line and brace.column == indent:
                outer = syntax.opener_text(values, unclosed)
                return "unclosed-block", brace, {"outer": outer, "inner": inner, "line": str(line)}
        return None

    def _indentation(self, line: int) -> int:
        if not self.indents:
            for token in reversed(self.tokens):
                self.indents[token.line] = token.column
        return self.indents.get(line, 1)

    def _unclosed(self, token: Token) -> int | None:
        """The innermost unclosed bracket that ``token`` shows was left open, if any."""
        values = self.state.value_stack
        inner = syntax.openers(values)
        if not inner:
            return None
        closes = token.type in CLOSERS and syntax.CLOSER[values[inner[-1]].type] != token.type
        starts = token.type in SYNC and (self.prev is None or self.prev.end_line < token.line)
        if token.type == "$END" or closes:
            return inner[-1]
        if starts and any(self._accepts(self.state.state_stack[:depth], token.type)
                          for depth in self._outer_depths(token, inner[-1])):
            return inner[-1]
        return None

    def _outer_depths(self, token: Token, opener: int) -> range:
        """Parser depths outside the bracket at ``opener`` but inside the block around it."""
        values = self.state.value_stack
        if token.type in syntax.TOP_LEVEL:
            return range(1, opener + 1)
        blocks = [i for i in syntax.openers(values[:opener]) if syntax.is_block(values, i)]
        return range(blocks[-1] + 2, opener + 1) if blocks else range(0)
