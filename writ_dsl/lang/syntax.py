"""Syntax errors in words: the names of terminals and of what the parser expected.

The parser hands over the offending token, the terminals the parser state
accepted, the token before it and the parser's value stack; this module turns
them into a diagnostic code and the fields of its message (the wording itself
lives in :data:`writ_dsl.diagnostics.MESSAGES`).
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from typing import Any

from lark import Token

SHOWN = {
    "NAME": "a name", "STRING": "a string", "NUMBER": "a number", "INT": "a whole number",
    "DATE": "a date", "COMPARE": "a comparison", "ADD_OP": "`+` or `-`", "MUL_OP": "`*`, `/` or `%`",
    "$END": "the end of the file", "RPAR": "`)`", "LPAR": "`(`", "RSQB": "`]`", "LSQB": "`[`",
    "RBRACE": "`}`", "LBRACE": "`{`", "COMMA": "`,`", "EQUAL": "`=`", "COLON": "`:`", "DOT": "`.`",
    "MINUS": "`-`", "_DOTDOT": "`..`",
}
EXPRESSION = frozenset({"NUMBER", "STRING", "DATE", "TRUE", "FALSE", "NULL", "NAME", "LSQB", "LBRACE",
                        "LPAR", "MINUS", "NOT", "IF"})
_EXPRESSION_CORE = frozenset({"NUMBER", "STRING", "NAME"})
CONTINUATION = frozenset({"ADD_OP", "MUL_OP", "COMPARE", "DOT", "LSQB", "LPAR", "IN", "NOT", "AND", "OR",
                          "WHERE", "_DOTDOT"})
STATEMENTS = frozenset({"TITLE", "TAGS", "BEHAVIORS", "PARAM", "LET", "READ", "WRITE", "REQUIRE", "TELL",
                        "USER"})
DECLARATIONS = frozenset({"ENV", "IMPORT", "BEHAVIOR", "TASK", "PARAM", "LET"})
USER_FIELDS = frozenset({"PERSONA", "REASON", "WANTS", "UNKNOWN", "KNOWS"})
TOP_LEVEL = frozenset({"ENV", "IMPORT", "BEHAVIOR", "TASK"})
VALUE_END = frozenset({"NAME", "NUMBER", "INT", "STRING", "DATE", "TRUE", "FALSE", "NULL",
                       "RPAR", "RSQB", "RBRACE"})
CLOSER = {"LPAR": "RPAR", "LSQB": "RSQB", "LBRACE": "RBRACE"}
_FIRST = ("RPAR", "RSQB", "RBRACE", "COMMA")
_GROUPS = (
    (STATEMENTS, "a statement"),
    (DECLARATIONS, "a declaration (`task`, `behavior`, `env`, `import`, `param`, `let`)"),
    (USER_FIELDS, "a user field (`persona`, `reason`, `knows`, `wants`, `unknown`)"),
)


def terminal(name: str) -> str:
    return SHOWN.get(name) or f"`{name.lower()}`"


def found(token: Token) -> str:
    """The offending token in words: "`}`", "name `foo`", "the end of the file"."""
    if token.type == "$END":
        return "end of file"
    if token.type == "NAME":
        return f"name {quoted(token)}"
    if token.type in ("STRING", "NUMBER", "INT", "DATE"):
        return f"{terminal(token.type)[2:]} {quoted(token)}"
    return quoted(token)


def quoted(token: Token) -> str:
    text = str(token.value).replace("\n", " ")
    return f"`{text if len(text) <= 24 else text[:21] + '...'}`"


def join_or(items: Sequence[str]) -> str:
    if len(items) <= 1:
        return "".join(items)
    return f"{', '.join(items[:-1])} or {items[-1]}"


def expected_phrase(expected: Iterable[str]) -> str:
    rest = set(expected)
    parts: list[str] = []
    if _EXPRESSION_CORE <= rest:
        parts.append("an expression")
        rest -= EXPRESSION
    if rest - CONTINUATION:
        rest -= CONTINUATION
    elif rest:
        parts.append("an operator")
        rest.clear()
    for group, words in _GROUPS:
        if group <= rest:
            parts.append(words)
            rest -= group
    ranked = sorted(rest, key=lambda t: (_FIRST.index(t) if t in _FIRST else len(_FIRST), terminal(t)))
    return join_or(parts + [terminal(t) for t in ranked])


# ---------------------------------------------------------------- unclosed brackets
def openers(values: Sequence[Any]) -> list[int]:
    """Indexes of the value stack's unclosed brackets, outermost first."""
    found: list[int] = []
    for i, value in enumerate(values):
        if not isinstance(value, Token):
            continue
        if value.type in CLOSER:
            found.append(i)
        elif found and value.type == CLOSER[values[found[-1]].type]:
            found.pop()
    return found


def is_block(values: Sequence[Any], index: int) -> bool:
    """Whether the `{` at ``index`` opens a task, behavior, user or knows block (not a record)."""
    return _block_head(values, index) is not None


def _block_head(values: Sequence[Any], index: int) -> str | None:
    token = values[index]
    if not isinstance(token, Token) or token.type != "LBRACE" or index == 0:
        return None
    before = values[index - 1]
    if isinstance(before, Token) and before.type in ("USER", "KNOWS"):
        return before.value
    keyword = values[index - 2] if index >= 2 else None
    if isinstance(before, Token) and isinstance(keyword, Token) and keyword.type in ("TASK", "BEHAVIOR"):
        return f"{keyword.value} {before.value}"
    return None


def opener_text(values: Sequence[Any], index: int) -> str:
    token = values[index]
    head = _block_head(values, index)
    if head is not None:
        return f"`{head} {{`"
    before = values[index - 1] if index else None
    if token.type == "LPAR" and isinstance(before, Token) and before.type == "NAME":
        return f"`{before.value}(`"
    return f"`{token.value}`"


def item_word(values: Sequence[Any], index: int) -> str | None:
    """What a bracket holds, for "after argument": None for blocks."""
    token = values[index]
    before = values[index - 1] if index else None
    kind = before.type if isinstance(before, Token) else "tree"
    if token.type == "LPAR":
        return "argument" if kind == "NAME" else "expression"
    if token.type == "LSQB":
        return {"TAGS": "tag", "BEHAVIORS": "behavior name", "tree": "index"}.get(kind, "list item")
    return None if is_block(values, index) else "record field"


def after(prev: Token | None, values: Sequence[Any], expected: set[str]) -> str:
    if prev is None:
        return ""
    inner = openers(values)
    if prev.type in VALUE_END and inner:
        index = inner[-1]
        word = item_word(values, index)
        if word and CLOSER[values[index].type] in expected:
            return f" after {word}"
    return f" after {quoted(prev)}"
