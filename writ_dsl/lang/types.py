"""The static types ``writ check`` knows values by: small, and unknown wherever in doubt.

A type is built from the Python annotation an environment declares for a tool
result or a table's records (a pydantic model, ``list[...]``, ``dict[str, ...]``,
``str``...). Anything else — a date, a duration, a value the checker cannot
follow — is :data:`UNKNOWN`, which never causes an error.
"""

from __future__ import annotations

import types as pytypes
import typing
from dataclasses import dataclass
from functools import lru_cache
from typing import Any

from pydantic import BaseModel


@dataclass(frozen=True)
class Type:
    """A JSON-like type: ``kind`` is unknown, string, number, bool, null, list, map or record."""

    kind: str
    item: Type | None = None  # list item / map value
    fields: tuple[tuple[str, Type], ...] = ()  # record fields
    name: str = ""  # record: the model's name
    nullable: bool = False

    def field(self, name: str) -> Type | None:
        return dict(self.fields).get(name)

    @property
    def field_names(self) -> list[str]:
        return [name for name, _ in self.fields]

    def describe(self) -> str:
        text = {"list": lambda: f"list of {self.item.describe()}", "map": lambda: f"map of {self.item.describe()}",
                "record": lambda: self.name or "record"}.get(self.kind, lambda: self.kind)()
        return f"{text} or null" if self.nullable else text


UNKNOWN = Type("unknown")
STRING = Type("string")
NUMBER = Type("number")
BOOL = Type("bool")
NULL = Type("null")


def list_of(item: Type) -> Type:
    return Type("list", item=item)


def record(fields: dict[str, Type], name: str = "") -> Type:
    return Type("record", fields=tuple(fields.items()), name=name)


def non_null(t: Type) -> Type:
    return Type(t.kind, t.item, t.fields, t.name) if t.nullable else t


def join(a: Type, b: Type) -> Type:
    """The type of a value that is either: equal types stay, anything else is unknown."""
    if non_null(a) == non_null(b):
        return Type(a.kind, a.item, a.fields, a.name, a.nullable or b.nullable)
    if a.kind == "null":
        return Type(b.kind, b.item, b.fields, b.name, True)
    if b.kind == "null":
        return Type(a.kind, a.item, a.fields, a.name, True)
    return UNKNOWN


_SCALARS = {str: STRING, int: NUMBER, float: NUMBER, bool: BOOL, type(None): NULL}


def from_annotation(annotation: Any, _depth: int = 0) -> Type:
    """The type of a Python annotation; :data:`UNKNOWN` for what it does not model."""
    if _depth == 0:
        try:
            return _converted(annotation)
        except TypeError:  # an annotation that cannot be a cache key
            pass
    return _convert(annotation, _depth)


@lru_cache(maxsize=1024)
def _converted(annotation: Any) -> Type:
    """:func:`from_annotation`, once per annotation and process (tools and tables are looked up again and again)."""
    return _convert(annotation, 0)


def forget() -> None:
    """Empty the cache of converted annotations (benchmarks: to measure a fresh process)."""
    _converted.cache_clear()


def _convert(annotation: Any, _depth: int) -> Type:
    if annotation is None or _depth > 20:
        return UNKNOWN
    if annotation in _SCALARS:
        return _SCALARS[annotation]
    if isinstance(annotation, type) and issubclass(annotation, BaseModel):
        fields = {name: from_annotation(info.annotation, _depth + 1) for name, info in annotation.model_fields.items()}
        return record(fields, annotation.__name__)
    origin, args = typing.get_origin(annotation), typing.get_args(annotation)
    if origin is list and args:
        return list_of(from_annotation(args[0], _depth + 1))
    if origin is dict and len(args) == 2:
        return Type("map", item=from_annotation(args[1], _depth + 1))
    if origin in (typing.Union, pytypes.UnionType):
        return _union([from_annotation(a, _depth + 1) for a in args])
    if origin is typing.Literal and args:
        return _union([_SCALARS.get(type(a), UNKNOWN) for a in args])
    return UNKNOWN


def _union(options: list[Type]) -> Type:
    result = options[0]
    for option in options[1:]:
        result = join(result, option)
    return result
