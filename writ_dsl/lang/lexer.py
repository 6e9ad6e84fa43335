"""Source text -> tokens for the LALR parser; comments and lexical problems are kept aside.

The token classes come from the grammar's terminals, so the lexer never
disagrees with ``grammars/writ.lark``. A word or an operator may fit several
terminals (``reason`` is a keyword in a user block and a name in a tool call;
``2`` is a NUMBER in an expression and an INT in ``param xs = 2 of ...``):
every token carries its candidate terminal types, and the parser picks the
first one the current parser state accepts.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass, field

from lark import Lark, Token
from lark.lexer import PatternStr

from .limits import DEFAULT, Limits

# Terminals with a lexeme class of their own; every other terminal is punctuation or a keyword.
_NAMED = ("WS", "COMMENT", "STRING", "DATE", "NUMBER", "INT", "NAME")
_UNTERMINATED_TRIPLE = r'"""(?:[^"\\]|\\.|"(?!""))*\Z'
_UNTERMINATED = r'"(?:[^"\\\n]|\\.)*'
_SINGLE_QUOTED = r"'[^'\n]*'?"


@dataclass(frozen=True)
class Problem:
    """A lexical problem: a diagnostic code, where, and the fields of its message."""

    code: str
    token: Token
    fields: dict[str, str] = field(default_factory=dict)


@dataclass
class Lexed:
    tokens: list[Token] = field(default_factory=list)
    choices: list[tuple[str, ...]] = field(default_factory=list)
    comments: list[Token] = field(default_factory=list)
    problems: list[Problem] = field(default_factory=list)
    open_at_end: bool = False  # an unterminated long string ran to the end of the file


class Vocabulary:
    """What the lexer needs from the grammar: the master pattern and terminal candidates."""

    def __init__(self, lark: Lark) -> None:
        terms = {t.name: t for t in lark.terminals}
        name_re = re.compile(terms["NAME"].pattern.to_regexp())
        literal = {t.name: t for t in lark.terminals if isinstance(t.pattern, PatternStr)}
        self.keywords = {t.pattern.value: n for n, t in literal.items() if name_re.fullmatch(t.pattern.value)}
        punct = [t for n, t in terms.items() if n not in _NAMED and n not in self.keywords.values()]
        punct.sort(key=lambda t: (-t.pattern.max_width, t.name))
        self._punct = [(t.name, re.compile(t.pattern.to_regexp())) for t in punct]
        self._literal_names = set(literal)
        self._op_cache: dict[str, tuple[str, ...]] = {}
        groups = [
            ("ws", terms["WS"]), ("comment", terms["COMMENT"]), ("open_triple", _UNTERMINATED_TRIPLE),
            ("string", terms["STRING"]), ("open_string", _UNTERMINATED),
            ("single_quoted", _SINGLE_QUOTED), ("date", terms["DATE"]), ("number", terms["NUMBER"]),
            ("int", terms["INT"]), ("word", terms["NAME"]),
            ("op", "|".join(t.pattern.to_regexp() for t in punct)),
        ]
        regexps = [(g, p if isinstance(p, str) else p.pattern.to_regexp()) for g, p in groups]
        # A run of characters at which nothing else starts is one match (and one problem).
        anything_else = "|".join(f"(?:{p})" for _, p in regexps)
        regexps.append(("bad", f"(?:(?!{anything_else}).)+"))
        self.master = re.compile("|".join(f"(?P<{g}>{p})" for g, p in regexps), re.S)

    def op_choices(self, text: str) -> tuple[str, ...]:
        """The terminals an operator fits, literal ones (``-``) before patterns (``ADD_OP``)."""
        if text not in self._op_cache:
            found = [name for name, regex in self._punct if regex.fullmatch(text)]
            found.sort(key=lambda name: name not in self._literal_names)
            self._op_cache[text] = tuple(found)
        return self._op_cache[text]


def visible(text: str, limit: int = 20) -> str:
    """Text as it can be shown in a message: control characters escaped, long runs cut."""
    shown = "".join(c if c.isprintable() else c.encode("unicode_escape").decode("ascii") for c in text[:limit])
    return shown + ("..." if len(text) > limit else "")


def lex(text: str, vocab: Vocabulary, limits: Limits = DEFAULT) -> Lexed:
    """Tokens of ``text``; a carriage return not followed by a line feed (an old Mac file) ends a line, as it
    does for ``writ fmt`` and editors (one character for another: every offset stays)."""
    return _Lexer(_LONE_CR.sub("\n", text), vocab, limits).run()


_LONE_CR = re.compile(r"\r(?!\n)")


class _Lexer:
    def __init__(self, text: str, vocab: Vocabulary, limits: Limits) -> None:
        self.text = text
        self.vocab = vocab
        self.limits = limits
        self.out = Lexed()
        self.line = 1
        self.line_start = 0
        self.bad: Token | None = None

    def run(self) -> Lexed:
        """One pass of the master pattern; names, keywords, operators and white space (nearly every
        lexeme) are handled in the loop, the rarer classes by their ``_on_`` methods."""
        pos, text, match, size = 0, self.text, self.vocab.master.match, len(self.text)
        keywords, op_choices = self.vocab.keywords, self.vocab.op_choices
        tokens, choices = self.out.tokens, self.out.choices
        handlers = {name[4:]: getattr(self, name) for name in dir(self) if name.startswith("_on_")}
        line, line_start = 1, 0
        while pos < size:
            found = match(text, pos)
            assert found is not None  # the last group matches any character
            group, end = found.lastgroup or "bad", found.end()
            if self.bad is not None and group != "bad":
                self._flush_bad()
            if group == "ws":
                newlines = text.count("\n", pos, end)
                if newlines:
                    line += newlines
                    line_start = text.rindex("\n", pos, end) + 1
            elif group == "word" or group == "op":
                value = found.group()
                column = pos - line_start + 1
                kinds = ((keywords[value], "NAME") if value in keywords else ("NAME",)) if group == "word" \
                    else op_choices(value)
                tokens.append(Token(kinds[0], value, pos, line, column, line, column + end - pos, end))
                choices.append(kinds)
            else:
                self.line, self.line_start = line, line_start
                handlers[group](self._token(group, found.group(), pos))
                line, line_start = self.line, self.line_start
            pos = end
        self._flush_bad()
        return self.out

    def _token(self, group: str, value: str, pos: int) -> Token:
        line, column = self.line, pos - self.line_start + 1
        self._advance(value, pos)
        end_column = pos + len(value) - self.line_start + 1
        return Token(group, value, pos, line, column, self.line, end_column, pos + len(value))

    def _advance(self, value: str, pos: int) -> None:
        newlines = value.count("\n")
        if newlines:
            self.line += newlines
            self.line_start = pos + value.rindex("\n") + 1

    def _emit(self, token: Token, choices: tuple[str, ...]) -> None:
        token.type = choices[0]  # the token is new and not shared: retype it in place
        self.out.tokens.append(token)
        self.out.choices.append(choices)

    def _problem(self, code: str, token: Token, **fields: str) -> None:
        self.out.problems.append(Problem(code, token, fields))

    # ------------------------------------------------------------ lexeme classes
    def _on_comment(self, token: Token) -> None:
        self.out.comments.append(Token.new_borrow_pos("COMMENT", token.value, token))

    def _on_string(self, token: Token) -> None:
        self._check_size(token, "string", "characters", self.limits.string_chars, "string_chars")
        self._emit(token, ("STRING",))

    def _check_size(self, token: Token, what: str, unit: str, limit: int, name: str) -> None:
        if len(token.value) > limit:
            self._problem("literal-too-large", token, what=what, size=str(len(token.value)), unit=unit,
                          limit=str(limit), name=name)

    def _on_open_triple(self, token: Token) -> None:
        self.out.open_at_end = True
        self._on_open_string(token)

    def _on_open_string(self, token: Token) -> None:
        self._problem("unterminated-string", token)
        self._check_size(token, "string", "characters", self.limits.string_chars, "string_chars")
        self._emit(token, ("STRING",))

    def _on_single_quoted(self, token: Token) -> None:
        self._problem("single-quoted-string", token)
        self._emit(token, ("STRING",))

    def _on_date(self, token: Token) -> None:
        try:
            dt.date.fromisoformat(token.value)
        except ValueError:
            self._problem("invalid-date", token, text=token.value)
        self._emit(token, ("DATE",))

    def _on_number(self, token: Token) -> None:
        self._check_size(token, "number", "characters", self.limits.literal_digits, "literal_digits")
        self._emit(token, ("NUMBER",) if "." in token.value else ("NUMBER", "INT"))

    def _on_int(self, token: Token) -> None:
        self._check_size(token, "number", "characters", self.limits.literal_digits, "literal_digits")
        self._emit(token, ("INT", "NUMBER"))

    def _on_bad(self, token: Token) -> None:
        if self.bad is not None and self.bad.end_pos == token.start_pos and self.bad.end_line == token.line:
            # A run of bad characters is one problem; its text is cut from the source once, when flushed.
            self.bad = Token("bad", "", self.bad.start_pos, self.bad.line, self.bad.column,
                             token.end_line, token.end_column, token.end_pos)
        else:
            self._flush_bad()
            self.bad = token

    def _flush_bad(self) -> None:
        if self.bad is not None:
            text = self.text[self.bad.start_pos:min(self.bad.end_pos, self.bad.start_pos + 21)]
            self._problem("bad-character", self.bad, text=visible(text))
            self.bad = None
