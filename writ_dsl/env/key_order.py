"""A tool result's keys in the order its declared result model gives them.

A database file may list a record's fields in another order than the model a benchmark serializes it
with (τ²-bench's airline ``db.json`` keeps ``origin`` before ``flight_number`` in a reservation's flights,
its pydantic model the other way round). Ordering every result by the tool's declared result type makes
the tool message text byte-identical to what that model would print. Keys the model does not declare
keep their place after the declared ones.
"""

from __future__ import annotations

import types
from functools import cache
from typing import Any, Union, get_args, get_origin

from pydantic import BaseModel


def in_model_order(value: Any, shape: Any) -> Any:
    """``value`` with every dict's keys ordered as ``shape`` (a pydantic model, or list/dict/optional of one)
    declares them."""
    how = _layout(shape)
    if how is None:
        return value
    kind, inner = how
    if kind == "model" and isinstance(value, dict):
        ordered = {}
        for key, sub in _walked_fields(shape):
            if key in value:
                ordered[key] = value[key] if sub is None else in_model_order(value[key], sub)
        if len(ordered) < len(value):
            ordered.update((k, v) for k, v in value.items() if k not in ordered)
        return ordered
    if kind == "list" and isinstance(value, list):
        return [in_model_order(item, inner) for item in value]
    if kind == "dict" and isinstance(value, dict):
        return {k: in_model_order(v, inner) for k, v in value.items()}
    return value


@cache
def _walked_fields(shape: Any) -> tuple[tuple[str, Any], ...]:
    """A model's fields in order, each with its type where a dict may sit inside it, else None (a field that
    holds only atoms is copied as it is, not walked)."""
    _, fields = _layout(shape)
    return tuple((name, sub if _layout(sub) is not None else None) for name, sub in fields)


@cache
def _layout(shape: Any) -> tuple[str, Any] | None:
    """How to walk a value of this type: a model's fields with their types, a list's or a dict's item type;
    None for a type with no dict inside."""
    shape = _unwrap(shape)
    if isinstance(shape, type) and issubclass(shape, BaseModel):
        return "model", tuple((name, f.annotation) for name, f in shape.model_fields.items())
    origin, args = get_origin(shape), get_args(shape)
    if origin is list and args and _layout(args[0]) is not None:
        return "list", args[0]
    if origin is dict and len(args) == 2 and _layout(args[1]) is not None:
        return "dict", args[1]
    return None


def _unwrap(shape: Any) -> Any:
    """X from ``X | None``."""
    if get_origin(shape) in (Union, types.UnionType):
        real = [a for a in get_args(shape) if a is not type(None)]
        return real[0] if len(real) == 1 else shape
    return shape
