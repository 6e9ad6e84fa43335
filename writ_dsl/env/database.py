"""Databases from files: the τ²-bench layout, a JSON object of tables, each an object of records by id."""

from __future__ import annotations

import json
from typing import Any

from ..errors import InputError
from .core import Database


def load_database(path: str) -> Database:
    """A τ²-bench-layout database file; InputError when unreadable or not table -> {id -> record}."""
    try:
        with open(path, encoding="utf-8") as handle:
            data: Any = json.load(handle)
    except OSError as exc:
        raise InputError(f"{path}: cannot read: {exc.strerror or exc}") from None
    except (json.JSONDecodeError, UnicodeDecodeError) as exc:
        raise InputError(f"{path}: not valid JSON: {exc}") from None
    if not isinstance(data, dict) or not all(isinstance(rows, dict) for rows in data.values()):
        raise InputError(f"{path}: expected a JSON object of tables, each an object of records by id")
    return Database(data)
