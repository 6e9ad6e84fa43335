"""A tool result's keys in the order its declared result model gives them.

A database file may list a record's fields in another order than the model a benchmark serializes it
with (τ²-bench's airline ``db.json`` keeps ``origin`` before ``flight_number`` in a reservation's flights,
its pydantic model the other way round). Ordering every result by the tool's declared result type makes
the tool message text byte-identical to what that model would print. Keys the model does not declare
keep their place after the declared ones.
"""

from __future__ import annotations

import types
from typing import Any, Union, get_args, get_origin

from pydantic import BaseModel


def in_model_order(value: Any, shape: Any) -> Any:
    """``value`` with every dict's keys ordered as ``shape`` (a pydantic model, or list/dict/optional of one)
    declares them."""
    shape = _unwrap(shape)
    if isinstance(shape, type) and issubclass(shape, BaseModel) and isinstance(value, dict):
        fields = shape.model_fields
        known = [k for k in fields if k in value]
        ordered = {k: in_model_order(value[k], fields[k].annotation) for k in known}
        ordered.update((k, v) for k, v in value.items() if k not in fields)
        return ordered
    origin, args = get_origin(shape), get_args(shape)
    if origin is list and args and isinstance(value, list):
        return [in_model_order(item, args[0]) for item in value]
    if origin is dict and len(args) == 2 and isinstance(value, dict):
        return {k: in_model_order(v, args[1]) for k, v in value.items()}
    return value


def _unwrap(shape: Any) -> Any:
    """X from ``X | None``."""
    if get_origin(shape) in (Union, types.UnionType):
        real = [a for a in get_args(shape) if a is not type(None)]
        return real[0] if len(real) == 1 else shape
    return shape
