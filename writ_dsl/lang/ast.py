"""The typed syntax tree of a .writ file.

Every node carries a 1-based :class:`Span`, set once by the transformer
(:mod:`writ_dsl.lang.transformer`); later stages copy spans, never invent
them. Nodes are immutable pydantic models; ``kind`` discriminates the unions.
"""

from __future__ import annotations

import datetime as dt
from functools import cache
from typing import Annotated, Any, Literal, TypeVar, Union

from pydantic import BaseModel, ConfigDict, Field

from ..diagnostics import Span

M = TypeVar("M", bound=BaseModel)
_FRESH_LIST = object()  # a list default: each node gets its own
_set = object.__setattr__


def trusted(cls: type[M], **values: Any) -> M:
    """``cls(**values)`` for values the parser built itself, which fit their fields by construction:
    pydantic's ``model_construct`` with only the work a syntax node needs (fields in declared order,
    defaults filled in, a fresh list for a list default). Equal to the validated node in every way."""
    template, required, lists = _layout(cls)
    if not values.keys() >= required:
        raise TypeError(f"{cls.__name__} needs {sorted(required - values.keys())}")
    fields = template.copy()
    fields.update(values)  # the keys keep the template's (declared) order
    for name in lists:
        if fields[name] is _FRESH_LIST:
            fields[name] = []
    node = cls.__new__(cls)
    _set(node, "__dict__", fields)
    _set(node, "__pydantic_fields_set__", _fields_set(tuple(values)))
    _set(node, "__pydantic_extra__", None)
    _set(node, "__pydantic_private__", None)
    return node


def _fields_set(names: tuple[str, ...]) -> set[str]:
    """One set of given field names shared by the nodes given the same fields: frozen models never change
    theirs (pydantic copies it before ``model_copy`` updates it), and fewer objects are left for the cycle
    collector to scan."""
    found = _FIELDS_SETS.get(names)
    if found is None:
        found = _FIELDS_SETS[names] = set(names)
    return found


_FIELDS_SETS: dict[tuple[str, ...], set[str]] = {}


@cache
def _layout(cls: type[BaseModel]) -> tuple[dict[str, Any], frozenset[str], tuple[str, ...]]:
    """Every field with its default (in declared order), the fields without one, the fields whose default is a list."""
    template = {name: _FRESH_LIST if type(info.default) is list else None if info.is_required() else info.default
                for name, info in cls.model_fields.items()}
    required = frozenset(name for name, info in cls.model_fields.items() if info.is_required())
    return template, required, tuple(name for name, value in template.items() if value is _FRESH_LIST)


def span_at(line: int, column: int, end_line: int, end_column: int) -> Span:
    """``Span(...)`` of four positions the lexer counted (see :func:`trusted`)."""
    span = Span.__new__(Span)
    _set(span, "__dict__", {"line": line, "column": column, "end_line": end_line, "end_column": end_column})
    _set(span, "__pydantic_fields_set__", _SPAN_FIELDS)
    _set(span, "__pydantic_extra__", None)
    _set(span, "__pydantic_private__", None)
    return span


_SPAN_FIELDS = set(Span.model_fields)  # shared, as in :func:`_fields_set`


class Node(BaseModel):
    model_config = ConfigDict(frozen=True)

    span: Span


class Ident(Node):
    """A name where it is written: a declaration, a tool, an argument."""

    kind: Literal["ident"] = "ident"
    name: str


# ---------------------------------------------------------------- expressions
class Number(Node):
    kind: Literal["number"] = "number"
    value: int | float


class String(Node):
    kind: Literal["string"] = "string"
    value: str


class DateLit(Node):
    kind: Literal["date"] = "date"
    value: dt.date


class Bool(Node):
    kind: Literal["bool"] = "bool"
    value: bool


class Null(Node):
    kind: Literal["null"] = "null"


class Name(Node):
    """A reference to a parameter, let, read, write, loop variable, ``it`` or ``db``."""

    kind: Literal["name"] = "name"
    id: str


class Attr(Node):
    kind: Literal["attr"] = "attr"
    obj: Expr
    name: str


class Index(Node):
    kind: Literal["index"] = "index"
    obj: Expr
    index: Expr


class KwArg(Node):
    kind: Literal["kwarg"] = "kwarg"
    name: str
    value: Expr


class Call(Node):
    """A call of a built-in function (specs never define or run code)."""

    kind: Literal["call"] = "call"
    func: Ident
    args: list[Expr] = []
    kwargs: list[KwArg] = []


class Unary(Node):
    kind: Literal["unary"] = "unary"
    op: Literal["-", "not"]
    operand: Expr


BinaryOp = Literal["+", "-", "*", "/", "%", "and", "or", "==", "!=", "<", "<=", ">", ">=", "in", "not in"]


class Binary(Node):
    kind: Literal["binary"] = "binary"
    op: BinaryOp
    left: Expr
    right: Expr


class Where(Node):
    """``source where [u:] predicate``: the items for which the predicate holds (``it``, and ``u`` if named, = item)."""

    kind: Literal["where"] = "where"
    source: Expr
    predicate: Expr
    binder: Ident | None = None


class Lambda(Node):
    """``x: body``: a per-item builtin argument that names the item (``map(xs, x: x.price)``).

    Only meaningful as a per-item argument (see :data:`writ_dsl.lang.builtins.BUILTINS`);
    in ``body`` both ``x`` and ``it`` are the current item.
    """

    kind: Literal["lambda"] = "lambda"
    binder: Ident
    body: Expr


class Cond(Node):
    kind: Literal["cond"] = "cond"
    test: Expr
    then: Expr
    otherwise: Expr


class ListExpr(Node):
    kind: Literal["list"] = "list"
    items: list[Expr] = []


class RecordField(Node):
    kind: Literal["field"] = "field"
    name: str
    value: Expr


class RecordExpr(Node):
    kind: Literal["record"] = "record"
    fields: list[RecordField] = []


class Range(Node):
    """``start .. end``: the integers or dates from start to end, both included."""

    kind: Literal["range"] = "range"
    start: Expr
    end: Expr


Expr = Annotated[
    Union[
        Number, String, DateLit, Bool, Null, Name, Attr, Index, Call,
        Unary, Binary, Where, Lambda, Cond, ListExpr, RecordExpr, Range,
    ],
    Field(discriminator="kind"),
]


# ---------------------------------------------------------------- statements
class Setting(Node):
    """``name = expr`` inside a behavior or a user's ``knows`` block."""

    kind: Literal["setting"] = "setting"
    name: Ident
    value: Expr


class Arg(Node):
    kind: Literal["arg"] = "arg"
    name: Ident
    value: Expr


class Loop(Node):
    """``var in source``: one axis of a read's fan-out."""

    kind: Literal["loop"] = "loop"
    var: Ident
    source: Expr


class ParamStmt(Node):
    """``param name = one of source`` (one item) or ``param name = N of source`` (N distinct items)."""

    kind: Literal["param"] = "param"
    name: Ident
    count: int | None = None
    source: Expr


class LetStmt(Node):
    kind: Literal["let"] = "let"
    name: Ident
    value: Expr


class ReadStmt(Node):
    kind: Literal["read"] = "read"
    name: Ident
    tool: Ident
    args: list[Arg] = []
    loops: list[Loop] = []


class WriteStmt(Node):
    """``write [name =] tool(args) [for v in xs, ...] [if guard] [because "template"] [else because
    "template"]``: one gold write per loop combination for which the guard holds (loop variables are in scope
    in the arguments, the guard and both templates: ``because`` says in words why a call is the right one,
    ``else because`` why a combination the guard leaves out gets no call)."""

    kind: Literal["write"] = "write"
    name: Ident | None = None
    tool: Ident
    args: list[Arg] = []
    loops: list[Loop] = []
    guard: Expr | None = None
    because: TextField | None = None
    passed_over: TextField | None = None

    @property
    def reasons(self) -> list[TextField]:
        """Its ``because`` and ``else because`` templates, those it has."""
        return [text for text in (self.because, self.passed_over) if text is not None]


class RequireStmt(Node):
    kind: Literal["require"] = "require"
    condition: Expr
    reason: str | None = None


class TellStmt(Node):
    """``tell value [as "label"]``: a fact the agent must say; the label names it in the agent's words."""

    kind: Literal["tell"] = "tell"
    value: Expr
    label: str | None = None


class TitleStmt(Node):
    kind: Literal["title"] = "title"
    text: str


class TagsStmt(Node):
    kind: Literal["tags"] = "tags"
    tags: list[String] = []


class BehaviorsStmt(Node):
    kind: Literal["behaviors"] = "behaviors"
    names: list[Ident] = []


class TextField(Node):
    """One text field of a user block; the text is a jinja2 template."""

    kind: Literal["text"] = "text"
    field: Literal["persona", "reason", "wants", "unknown", "because", "else because"]
    text: str


class KnowsField(Node):
    kind: Literal["knows"] = "knows"
    settings: list[Setting] = []


class UserBlock(Node):
    kind: Literal["user"] = "user"
    fields: list[TextField | KnowsField] = []

    def text(self, field: str) -> TextField | None:
        return next((f for f in self.fields if isinstance(f, TextField) and f.field == field), None)

    @property
    def knows(self) -> list[Setting]:
        return [s for f in self.fields if isinstance(f, KnowsField) for s in f.settings]


TaskStmt = Annotated[
    Union[
        TitleStmt, TagsStmt, BehaviorsStmt, ParamStmt, LetStmt, ReadStmt,
        WriteStmt, RequireStmt, TellStmt, UserBlock,
    ],
    Field(discriminator="kind"),
]

# Statements that bind a name in a task's scope.
Binding = ParamStmt | LetStmt | ReadStmt | WriteStmt


class TaskDecl(Node):
    kind: Literal["task"] = "task"
    name: Ident
    body: list[TaskStmt] = []

    def of_kind(self, kind: type) -> list:
        return [stmt for stmt in self.body if isinstance(stmt, kind)]

    @property
    def title(self) -> str | None:
        found = self.of_kind(TitleStmt)
        return found[0].text if found else None

    @property
    def tags(self) -> list[str]:
        return [tag.value for stmt in self.of_kind(TagsStmt) for tag in stmt.tags]

    @property
    def behavior_names(self) -> list[Ident]:
        return [name for stmt in self.of_kind(BehaviorsStmt) for name in stmt.names]

    @property
    def user(self) -> UserBlock | None:
        found = self.of_kind(UserBlock)
        return found[0] if found else None

    @property
    def bindings(self) -> list[Binding]:
        return [s for s in self.body if isinstance(s, (ParamStmt, LetStmt, ReadStmt, WriteStmt))]


class EnvDecl(Node):
    kind: Literal["env"] = "env"
    name: Ident


class ImportDecl(Node):
    kind: Literal["import"] = "import"
    path: String


class BehaviorDecl(Node):
    kind: Literal["behavior"] = "behavior"
    name: Ident
    settings: list[Setting] = []


class Comment(Node):
    kind: Literal["comment"] = "comment"
    text: str


ModuleItem = Annotated[
    Union[EnvDecl, ImportDecl, BehaviorDecl, TaskDecl, ParamStmt, LetStmt],
    Field(discriminator="kind"),
]


class Module(Node):
    """One parsed .writ file."""

    kind: Literal["module"] = "module"
    path: str
    items: list[ModuleItem] = []
    comments: list[Comment] = []

    def of_kind(self, kind: type) -> list:
        return [item for item in self.items if isinstance(item, kind)]

    @property
    def env(self) -> EnvDecl | None:
        found = self.of_kind(EnvDecl)
        return found[0] if found else None

    @property
    def imports(self) -> list[ImportDecl]:
        return self.of_kind(ImportDecl)

    @property
    def behaviors(self) -> list[BehaviorDecl]:
        return self.of_kind(BehaviorDecl)

    @property
    def tasks(self) -> list[TaskDecl]:
        return self.of_kind(TaskDecl)

    @property
    def shared(self) -> list[ParamStmt | LetStmt]:
        """Module-level params and lets, visible to every task that uses them."""
        return [item for item in self.items if isinstance(item, (ParamStmt, LetStmt))]


for _model in list(globals().values()):
    if isinstance(_model, type) and issubclass(_model, BaseModel) and _model is not BaseModel:
        _model.model_rebuild()
