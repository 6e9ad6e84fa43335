"""Source text -> AST, reporting every syntax error of a file in one run.

The LALR tables come from ``grammars/writ.lark`` (built once per machine, :mod:`.grammar_cache`);
tokens come from :mod:`.lexer` and are fed one by one to a small LALR driver over those tables.
Each reduction builds its typed AST node at once (:mod:`.reductions`): no parse tree is made, and
each value on the stack carries the first and last token it covers and how deeply it nests.
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
from lark.grammar import Rule
from lark.parsers.lalr_analysis import Shift

from .. import diagnostics as diag
from ..resources import grammar_path
from . import ast, syntax
from .grammar_cache import cached_lark
from .lexer import Lexed, Vocabulary, lex
from .limits import CEILINGS, DEFAULT, Limits
from .reductions import Reduction, ast_reductions, table_rules, tree_reductions
from .transformer import ModuleBody, span_of

MAX_ERRORS = 25
SYNC = syntax.STATEMENTS | syntax.DECLARATIONS | syntax.USER_FIELDS
OPENERS = frozenset(syntax.CLOSER)
CLOSERS = frozenset(syntax.CLOSER.values())
# Tokens after which a statement keyword that starts a line is read as a name.
NAME_FOLLOWERS = frozenset({"EQUAL", "DOT", "COMMA", "RPAR", "RSQB", "RBRACE", "COLON", "COMPARE", "ADD_OP",
                            "MUL_OP", "_DOTDOT", "AND", "OR", "IN", "NOT", "WHERE", "THEN", "ELSE", "OF"})
# Nesting that later stages (which walk the tree recursively) can always take, whatever the limits say.
HARD_DEPTH = CEILINGS["depth"]


@cache
def get_parser() -> Lark:
    grammar = grammar_path().read_text(encoding="utf-8")
    return cached_lark(grammar, parser="lalr", propagate_positions=True, maybe_placeholders=True)


# What the driver does in a state on a symbol: (True, next state) to shift a token or go to the state after a
# reduction, (False, reduction) to reduce.
Actions = dict[Any, dict[str, tuple[bool, Any]]]


@dataclass(frozen=True)
class Tables:
    """The LALR table of the grammar (Lark's, for the error recovery's questions) and the driver's two
    versions of it: one reduces to typed AST nodes, the other to Lark's parse tree."""

    states: dict[Any, dict[str, tuple[Any, Any]]]
    start_state: Any
    end_state: Any
    ast: Actions
    tree: Actions
    # (state below, state on top, token type) -> the state on top after every `?rule: other` reduction the
    # token calls for there (only parser states change in those, so they are followed once per triple)
    units: dict[tuple[Any, Any, str], Any] = field(default_factory=dict)


@cache
def tables() -> Tables:
    conf = get_parser().parse_interactive().parser_state.parse_conf
    rules = table_rules(conf.states)
    return Tables(conf.states, conf.start_state, conf.end_state, _actions(conf.states, ast_reductions(rules)),
                  _actions(conf.states, tree_reductions(rules, conf.callbacks)))


def _actions(states: dict[Any, dict[str, tuple[Any, Any]]], reductions: dict[Rule, Reduction]) -> Actions:
    return {state: {symbol: (True, arg) if action is Shift else (False, reductions[arg])
                    for symbol, (action, arg) in actions.items()}
            for state, actions in states.items()}


@cache
def vocabulary() -> Vocabulary:
    return Vocabulary(get_parser())


@cache
def terminal_names() -> frozenset[str]:
    """Every terminal the parse table knows, ``$END`` included."""
    return frozenset(name for actions in tables().states.values() for name in actions if name.isupper())


@dataclass
class ParseOutcome:
    """What the file reduced to (a :class:`ModuleBody`, or a Lark tree; None after any error), how deeply it
    nests, the first failure of a node's construction, the comments, and every problem found."""

    tree: Any
    comments: list[Token] = field(default_factory=list)
    problems: list[tuple[str, Token, dict[str, str]]] = field(default_factory=list)
    depth: int = 0
    failure: tuple[Exception, Token | None, Token | None] | None = None


def parse_text(text: str, path: str, limits: Limits = DEFAULT) -> tuple[ast.Module | None, list[diag.Diagnostic]]:
    """Parse one file's text; on syntax errors return no module and every error's diagnostic."""
    if len(text) > limits.file_bytes or len(text.encode("utf-8", "replace")) > limits.file_bytes:
        return None, [too_large(text, path, limits.file_bytes, len(text.encode("utf-8", "replace")))]
    outcome = _parse(text, limits, tables().ast)
    if outcome.tree is None:
        problems = [diag.make(code, path, span_of(token), **fields) for code, token, fields in outcome.problems]
        return None, sorted(problems, key=diag.Diagnostic.sort_key)
    if outcome.depth > min(limits.depth, HARD_DEPTH):
        return None, [_nesting(text, path, limits)]
    if outcome.failure is not None:
        return None, [_build_failure(path, *outcome.failure)]
    comments = [ast.trusted(ast.Comment, text=str(c), span=span_of(c)) for c in outcome.comments]
    body: ModuleBody = outcome.tree
    return body.module(path, comments), []


def _nesting(text: str, path: str, limits: Limits) -> diag.Diagnostic:
    """Where a file nests too deeply: the node its parse tree first goes past the limit at."""
    tree = parse_tree(text, limits).tree
    if limits.depth <= HARD_DEPTH:
        deepest = _too_deep_node(tree, limits.depth)
        return diag.make("nesting-too-deep", path, deepest, limit=str(limits.depth)) if deepest else too_deep(path)
    return too_deep(path, _too_deep_node(tree, HARD_DEPTH))


def _build_failure(path: str, exc: Exception, first: Token | None, last: Token | None) -> diag.Diagnostic:
    """A node that could not be built, located at the text it covers."""
    span = None if first is None or last is None else ast.Span(
        line=first.line, column=first.column, end_line=last.end_line, end_column=last.end_column)
    if isinstance(exc, RecursionError):
        return too_deep(path, span)
    return diag.make("check-failed", path, span, check="syntax tree", detail=f"{type(exc).__name__}: {exc}")


def too_large(text: str, path: str, limit: int, size: int) -> diag.Diagnostic:
    """The file-size diagnostic, located where the text goes over the limit."""
    over = min(len(text), len(text.encode("utf-8", "replace")[:limit].decode("utf-8", "ignore")))
    line = text.count("\n", 0, over) + 1
    column = over - (text.rfind("\n", 0, over) + 1) + 1
    span = ast.Span(line=line, column=column, end_line=line, end_column=column + 1)
    return diag.make("file-too-large", path, span, size=str(size), limit=str(limit))


def too_deep(path: str, span: ast.Span | None = None) -> diag.Diagnostic:
    return diag.make("too-deep", path, span or ast.Span(line=1, column=1, end_line=1, end_column=1))


def _too_deep_node(tree: Tree, limit: int) -> ast.Span | None:
    """Where the parse tree first nests deeper than ``limit`` (walked without recursion)."""
    stack: list[tuple[Tree, int]] = [(tree, 1)]
    while stack:
        node, depth = stack.pop()
        if depth > limit:
            return span_of(node.meta) if not node.meta.empty else None
        stack.extend((child, depth + 1) for child in node.children if isinstance(child, Tree))
    return None


def parse_tree(text: str, limits: Limits = DEFAULT) -> ParseOutcome:
    """The text's Lark parse tree (with positions) instead of its AST: for the rare file that nests too
    deeply, where the tree shows the node at fault, and for tools and tests that want Lark's own tree."""
    return _parse(text, limits, tables().tree)


def _parse(text: str, limits: Limits, actions: Actions) -> ParseOutcome:
    return _Run(lex(text, vocabulary(), limits), tables(), actions, limits).run()


class _NoAction(Exception):
    """The parse table has no action for the token in the current state; ``stack`` is the parser states
    before the token (the reductions it called for may have changed them since)."""

    def __init__(self, stack: list[Any]) -> None:
        super().__init__()
        self.stack = stack


class _Run:
    def __init__(self, lexed: Lexed, grammar: Tables, actions: Actions, limits: Limits = DEFAULT) -> None:
        self.lexed = lexed
        # Each level of nesting takes a few parser states; past this the input is refused, so
        # that the per-token work on the stack stays bounded.
        self.limits = limits
        self.max_stack = 4 * limits.depth + 40
        self.tokens = lexed.tokens
        self.states = grammar.states
        self.end_state = grammar.end_state
        self.actions = actions
        self.units = grammar.units
        self.stack: list[Any] = [grammar.start_state]  # parser states
        self.values: list[Any] = []  # one per state after the first: a token or what a rule reduced to
        self.bounds: list[tuple[Token | None, Token | None, int]] = []  # per value: first, last token, nesting
        self.failure: tuple[Exception, Token | None, Token | None] | None = None
        self.problems = [(p.code, p.token, p.fields) for p in lexed.problems]
        self.lexical = sorted(p.token.start_pos for p in lexed.problems)
        self.errors = 0
        self.reported_line = 0
        self.prev: Token | None = None
        self.closed: list[tuple[Token, str, int]] = []
        self.indents: dict[int, int] = {}

    def run(self) -> ParseOutcome:
        tokens, choices, bounds, count, limit = self.tokens, self.lexed.choices, self.bounds, len(self.tokens), \
            self.limits.depth
        index = 0
        while index < count:
            if len(self.stack) > self.max_stack:
                self.problems.append(("nesting-too-deep", tokens[index], {"limit": str(limit)}))
                index = count + 1
                break
            token = tokens[index] if len(choices[index]) == 1 else self._typed(index, self.stack)
            if token.type == "RBRACE":
                self._note_closing(token)
            try:
                self._feed(token)
            except _NoAction as error:
                index = self._recover(index, token, error.stack)
                continue
            self.prev = token
            if len(bounds) >= 2 and bounds[-2][2] > limit:
                self.problems.append(("nesting-too-deep", token, {"limit": str(limit)}))
                index = count + 1
                break
            index += 1
        tree = self._finish() if index == count else None
        if self.problems or tree is None:
            return ParseOutcome(None, self.lexed.comments, self.problems)
        return ParseOutcome(tree, self.lexed.comments, self.problems, bounds[-1][2], self.failure)

    # ------------------------------------------------------------ the LALR driver
    def _feed(self, token: Token, is_end: bool = False) -> Any:
        """Shift ``token`` after every reduction it calls for (or, for $END, return what the file reduced to);
        raises :class:`_NoAction` where the table has no action for it.

        Each reduction pops the rule's values and builds what it reduces to; beside each value the stack keeps
        the first and last token it covers (a node's span; brackets around an expression widen what it covers,
        not its span) and how deeply it nests.
        """
        stack, values, bounds, actions, units = self.stack, self.values, self.bounds, self.actions, self.units
        kind = token.type
        before = None
        while True:
            action = actions[stack[-1]].get(kind)
            if action is None:
                raise _NoAction(stack[:] if before is None else before)
            if action[0]:
                stack.append(action[1])
                values.append(token)
                bounds.append((token, token, 0))
                return None
            size, origin, build, counted, passes = action[1]
            if before is None:
                before = stack[:]
            if build is None:  # `?rule: other`: the child stands for the rule
                key = (stack[-2], stack[-1], kind)
                top = units.get(key)
                stack[-1] = top if top is not None else self._unit_chain(key)
            else:
                if size:
                    children, covered = values[-size:], bounds[-size:]
                    del stack[-size:], values[-size:], bounds[-size:]
                else:
                    children, covered = [], []
                first = last = None
                depth = 0
                for bound in covered:
                    if first is None:
                        first = bound[0]
                    if bound[1] is not None:
                        last = bound[1]
                    if bound[2] > depth:
                        depth = bound[2]
                try:
                    value = build(first, last, children)
                except Exception as exc:  # noqa: BLE001 - reported after the parse, where the node stands
                    self.failure = self.failure or (exc, first, last)
                    value = None
                depth += counted
                if passes:
                    depth = next((bound[2] for child, bound in zip(children, covered) if child is value), depth)
                stack.append(actions[stack[-1]][origin][1])
                values.append(value)
                bounds.append((first, last, depth))
            if is_end and stack[-1] == self.end_state:
                return values[-1]

    def _unit_chain(self, key: tuple[Any, Any, str]) -> Any:
        below, top, kind = key
        while True:
            action = self.actions[top].get(kind)
            if action is None or action[0] or action[1][2] is not None or top == self.end_state:
                self.units[key] = top
                return top
            top = self.actions[below][action[1][1]][1]

    def _note_closing(self, token: Token) -> None:
        values = self.values
        inner = syntax.openers(values)
        if inner and syntax.is_block(values, inner[-1]):
            self.closed.append((token, syntax.opener_text(values, inner[-1]), values[inner[-1]].line))

    def _finish(self) -> Any:
        end = self._eof()
        try:
            return self._feed(end, True)
        except _NoAction as error:
            self._recover(len(self.tokens), end, error.stack)
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
        del self.stack[depth:]
        del self.values[depth - 1:], self.bounds[depth - 1:]
        self._feed(token, token.type == "$END")
        self.prev = token
        return True

    def _fitting_depth(self, token: Token) -> int | None:
        stack, values = self.stack, self.values
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
        values = self.values
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
        values = self.values
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
        values = self.values
        inner = syntax.openers(values)
        if not inner:
            return None
        closes = token.type in CLOSERS and syntax.CLOSER[values[inner[-1]].type] != token.type
        starts = token.type in SYNC and (self.prev is None or self.prev.end_line < token.line)
        if token.type == "$END" or closes:
            return inner[-1]
        if starts and any(self._accepts(self.stack[:depth], token.type)
                          for depth in self._outer_depths(token, inner[-1])):
            return inner[-1]
        return None

    def _outer_depths(self, token: Token, opener: int) -> range:
        """Parser depths outside the bracket at ``opener`` but inside the block around it."""
        values = self.values
        if token.type in syntax.TOP_LEVEL:
            return range(1, opener + 1)
        blocks = [i for i in syntax.openers(values[:opener]) if syntax.is_block(values, i)]
        return range(blocks[-1] + 2, opener + 1) if blocks else range(0)
