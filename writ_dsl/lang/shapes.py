"""The result shapes of a domain's tools and records, as text (``writ env show NAME --results``)."""

from __future__ import annotations

import typing
from collections.abc import Iterator
from typing import Any

from pydantic import BaseModel

from .types import from_annotation
from ..env.core import Domain


def describe(annotation: Any) -> str:
    """``User``, ``list of FlightOffer``, ``string or null``... as ``writ check`` sees the type."""
    return from_annotation(annotation).describe() if annotation is not None else "not declared"


def models_in(annotation: Any, seen: dict[str, type[BaseModel]] | None = None) -> dict[str, type[BaseModel]]:
    """Every pydantic model an annotation mentions, nested ones included, in first-seen order."""
    seen = {} if seen is None else seen
    if isinstance(annotation, type) and issubclass(annotation, BaseModel):
        if annotation.__name__ not in seen:
            seen[annotation.__name__] = annotation
            for info in annotation.model_fields.values():
                models_in(info.annotation, seen)
        return seen
    for arg in typing.get_args(annotation):
        models_in(arg, seen)
    return seen


def result_lines(domain: Domain) -> Iterator[str]:
    """One line per tool (its result), one per table (its records), then every model's fields."""
    seen: dict[str, type[BaseModel]] = {}
    for tool in domain.tools.values():
        yield f"{tool.name} -> {describe(tool.result)}"
        models_in(tool.result, seen)
    for table, model in domain.records.items():
        yield f"db.{table} -> list of {describe(model)}"
        models_in(model, seen)
    for name, model in seen.items():
        yield ""
        yield f"{name}:"
        for field, info in model.model_fields.items():
            note = f"  # {info.description}" if info.description else ""
            yield f"    {field}: {describe(info.annotation)}{note}"
