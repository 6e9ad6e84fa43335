"""The environment interface: tools, typed tool errors, and cheap copy-on-write states.

An :class:`Environment` is a :class:`Domain` (tools, policy, database schema,
database generator) bound to one immutable :class:`Database`. Every task
instance runs in its own :class:`State`, a copy-on-write overlay over that
database: starting one costs nothing, and its :meth:`State.state_hash` only
re-hashes the records that changed.

The state hash is an additive multiset hash: each record contributes
``sha256(canonical_json([table, key, record]))`` read as a 256-bit integer, and
the state hash is their sum modulo 2**256. It depends only on the content,
never on dict order, process or machine.
"""

from __future__ import annotations

import copy
import hashlib
import json
from collections.abc import Callable, Iterator, Mapping
from dataclasses import dataclass, field
from enum import StrEnum
from functools import cached_property
from pathlib import Path
from typing import Any

from pydantic import BaseModel, TypeAdapter, ValidationError

from ..errors import InputError
from .key_order import in_model_order

from .wording import NO_PHRASING, Phrasing

_MOD = 2**256
MAX_DB_SIZE = 100  # the scale of a generated database: size 100 holds about 100 times the records of size 1


class ToolKind(StrEnum):
    READ = "read"
    WRITE = "write"
    GENERIC = "generic"


class ToolError(Exception):
    """A request the backend rejects; its message is what the agent sees."""

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


def canonical_json(value: Any) -> str:
    """The one JSON form that hashes use: sorted keys, no spaces, UTF-8 kept."""
    return json.dumps(value, sort_keys=True, separators=(",", ":"), ensure_ascii=False)


def _record_digest(table: str, key: str, record: Any) -> int:
    data = canonical_json([table, key, record]).encode()
    return int.from_bytes(hashlib.sha256(data).digest(), "big")


class Database:
    """An immutable τ²-bench-layout database: table name -> {record id -> record}.

    Nothing may mutate the records of a Database; states copy a record before
    they change it.
    """

    def __init__(self, tables: Mapping[str, Mapping[str, Any]]) -> None:
        self.tables: dict[str, dict[str, Any]] = {name: dict(rows) for name, rows in tables.items()}

    @classmethod
    def from_json_file(cls, path: str | Path) -> Database:
        with open(path, encoding="utf-8") as handle:
            return cls(json.load(handle))

    def to_json(self) -> str:
        """The database as τ²-bench-layout JSON, byte-stable for the same content."""
        return json.dumps(self.tables, sort_keys=True, indent=1, ensure_ascii=False) + "\n"

    @cached_property
    def record_digests(self) -> dict[tuple[str, str], int]:
        return {
            (table, key): _record_digest(table, key, record)
            for table, rows in self.tables.items()
            for key, record in rows.items()
        }

    @cached_property
    def digest_sum(self) -> int:
        return sum(self.record_digests.values()) % _MOD

    def state_hash(self) -> str:
        return format(self.digest_sum, "064x")


_DELETED = object()
_ATOMS = (str, int, float, bool, type(None))


def json_copy(value: Any) -> Any:
    """A deep copy of JSON-like data (dicts, lists and atoms), several times faster than ``copy.deepcopy``;
    anything else is deep-copied."""
    kind = type(value)
    if kind is dict:
        return {key: item if type(item) in _ATOMS else json_copy(item) for key, item in value.items()}
    if kind is list:
        return [item if type(item) in _ATOMS else json_copy(item) for item in value]
    return value if kind in _ATOMS else copy.deepcopy(value)


class State:
    """A copy-on-write view of a Database that tools read and change.

    Reads return the stored record itself: callers must treat it as read-only
    and use :meth:`edit` to obtain a private, mutable copy. A tool call runs as
    a transaction: if the tool raises, every change it made is undone.
    """

    def __init__(self, base: Database) -> None:
        self.base = base
        self._changes: dict[tuple[str, str], Any] = {}
        self._fresh: set[tuple[str, str]] | None = None

    # -- reading ---------------------------------------------------------
    def get(self, table: str, key: str) -> Any | None:
        changed = self._changes.get((table, key), None)
        if changed is not None:
            return None if changed is _DELETED else changed
        return self.base.tables.get(table, {}).get(key)

    def require(self, table: str, key: str, missing: str) -> Any:
        """The record, as :meth:`get` returns it; a ToolError with the message ``missing`` when absent."""
        record = self.get(table, key)
        if record is None:
            raise ToolError(missing)
        return record

    def keys(self, table: str) -> list[str]:
        keys = dict.fromkeys(self.base.tables.get(table, {}))
        for (name, key), value in self._changes.items():
            if name != table:
                continue
            if value is _DELETED:
                keys.pop(key, None)
            else:
                keys[key] = None
        return list(keys)

    def changed_in(self, table: str) -> list[str]:
        """Keys of ``table`` that this state changed, inserted or deleted."""
        return [key for name, key in self._changes if name == table]

    def items(self, table: str) -> Iterator[tuple[str, Any]]:
        for key in self.keys(table):
            yield key, self.get(table, key)

    def values(self, table: str) -> Iterator[Any]:
        for _, record in self.items(table):
            yield record

    # -- writing ---------------------------------------------------------
    def edit(self, table: str, key: str) -> Any:
        """A mutable copy of the record, stored in this state; KeyError if absent."""
        record = self.get(table, key)
        if record is None:
            raise KeyError((table, key))
        if self._fresh is not None and (table, key) in self._fresh:
            return record
        record = json_copy(record)
        self._changes[(table, key)] = record
        if self._fresh is not None:
            self._fresh.add((table, key))
        return record

    def insert(self, table: str, key: str, record: Any) -> None:
        self._changes[(table, key)] = record
        if self._fresh is not None:
            self._fresh.add((table, key))

    def delete(self, table: str, key: str) -> None:
        self._changes[(table, key)] = _DELETED

    def transaction(self, action: Callable[[], Any]) -> Any:
        """Run ``action``; if it raises, restore the state as it was before."""
        saved = dict(self._changes)
        self._fresh = set()
        try:
            return action()
        except BaseException:
            self._changes = saved
            raise
        finally:
            self._fresh = None

    # -- hashing and export ---------------------------------------------
    @property
    def changed_keys(self) -> list[tuple[str, str]]:
        return sorted(self._changes)

    def state_hash(self) -> str:
        total = self.base.digest_sum
        base_digests = self.base.record_digests
        for (table, key), value in self._changes.items():
            total -= base_digests.get((table, key), 0)
            if value is not _DELETED:
                total += _record_digest(table, key, value)
        return format(total % _MOD, "064x")

    def to_database(self) -> Database:
        """The full current content as a new Database (costs a full copy)."""
        tables = {name: dict(self.items(name)) for name in self.table_names()}
        return Database(copy.deepcopy(tables))

    def table_names(self) -> list[str]:
        names = dict.fromkeys(self.base.tables)
        names.update(dict.fromkeys(table for table, _ in self._changes))
        return list(names)


ToolFunction = Callable[[State, Any], Any]


@dataclass(frozen=True)
class Tool:
    """One tool of a domain. ``params`` is a pydantic model of its arguments; ``result`` is the type of what
    it returns (a pydantic model, ``list[Model]``, ``str``...; None: not declared); ``phrasing`` is how the
    offline agent speaks of it (see :mod:`writ_dsl.env.wording`)."""

    name: str
    kind: ToolKind
    description: str
    params: type[BaseModel]
    func: ToolFunction
    result: Any = None
    phrasing: Phrasing = NO_PHRASING

    def result_schema(self) -> dict[str, Any] | None:
        """The JSON schema of the result, inlined; None when the tool does not declare it."""
        if self.result is None:
            return None
        return _inline_schema(TypeAdapter(self.result).json_schema())

    @cached_property
    def parameters_schema(self) -> dict[str, Any]:
        """The JSON schema of the arguments, inlined (no $ref), as agents get it."""
        return _inline_schema(self.params.model_json_schema())

    @property
    def arg_names(self) -> list[str]:
        return list(self.params.model_fields)

    @property
    def required_args(self) -> list[str]:
        return [name for name, info in self.params.model_fields.items() if info.is_required()]

    def openai_schema(self) -> dict[str, Any]:
        return {
            "type": "function",
            "function": {
                "name": self.name,
                "description": self.description,
                "parameters": self.parameters_schema,
            },
        }

    def signature(self) -> str:
        props = self.parameters_schema.get("properties", {})
        args = ", ".join(f"{name}: {_type_label(spec)}" for name, spec in props.items())
        return f"{self.name}({args})"


def _inline_schema(schema: dict[str, Any]) -> dict[str, Any]:
    defs = schema.get("$defs", {})

    def resolve(node: Any) -> Any:
        if isinstance(node, dict):
            if "$ref" in node:
                return resolve(defs[node["$ref"].rsplit("/", 1)[-1]])
            return {
                k: resolve(v)
                for k, v in node.items()
                if k != "$defs" and not (k == "title" and isinstance(v, str))
            }
        if isinstance(node, list):
            return [resolve(item) for item in node]
        return node

    return resolve(schema)


def _type_label(spec: dict[str, Any]) -> str:
    if "enum" in spec:
        return "|".join(json.dumps(v) for v in spec["enum"])
    if spec.get("type") == "array":
        return f"list[{_type_label(spec.get('items', {}))}]"
    if "anyOf" in spec:
        return " | ".join(_type_label(s) for s in spec["anyOf"])
    return str(spec.get("type", "any"))


@dataclass(frozen=True)
class CallOutcome:
    """What one tool call did: its value, or the error the agent sees."""

    tool: str
    arguments: dict[str, Any]
    value: Any = None
    error: str | None = None
    shape: Any = None  # the tool's declared result type: the content follows its key order

    @property
    def ok(self) -> bool:
        return self.error is None

    def content(self) -> str:
        """The tool message text an agent receives."""
        if self.error is not None:
            return f"Error: {self.error}"
        if isinstance(self.value, str):
            return self.value
        value = in_model_order(self.value, self.shape) if self.shape is not None else self.value
        return json.dumps(value, ensure_ascii=False)


def checked_size(size: int) -> int:
    """``size`` if a database may be generated at that scale, else InputError."""
    if not 1 <= size <= MAX_DB_SIZE:
        raise InputError(f"a generated database's size must be from 1 to {MAX_DB_SIZE}, not {size}")
    return size


@dataclass(frozen=True)
class Domain:
    """What defines an environment apart from its data."""

    name: str
    description: str
    policy: str
    tools: Mapping[str, Tool]
    db_schema: Mapping[str, frozenset[str]]
    generate: Callable[[int, int], dict[str, Any]]
    path: Path | None = None
    records: Mapping[str, Any] = field(default_factory=dict)  # table -> pydantic model of its records
    policy_rules: tuple[Callable[..., Any], ...] = ()  # see writ_dsl.env.policy
    _db_cache: dict[tuple[int, int], Database] = field(default_factory=dict, compare=False, repr=False)

    def database(self, seed: int = 0, size: int = 1) -> Database:
        """The generated database for (seed, size), built once per process."""
        key = (seed, size)
        if key not in self._db_cache:
            self._db_cache[key] = Database(self.generate(seed, checked_size(size)))
        return self._db_cache[key]

    def environment(self, db: Database | None = None, *, seed: int = 0, size: int = 1) -> Environment:
        return Environment(self, db if db is not None else self.database(seed, size))

    def openai_tools(self) -> list[dict[str, Any]]:
        return [tool.openai_schema() for tool in self.tools.values()]


@dataclass(frozen=True)
class Environment:
    """A domain bound to one immutable database."""

    domain: Domain
    db: Database

    @property
    def name(self) -> str:
        return self.domain.name

    @property
    def tools(self) -> Mapping[str, Tool]:
        return self.domain.tools

    def new_state(self) -> State:
        return State(self.db)

    def call(self, state: State, tool_name: str, arguments: Mapping[str, Any]) -> CallOutcome:
        """Run one tool call; every rejection becomes an error outcome, never an exception."""
        args = dict(arguments)
        tool = self.domain.tools.get(tool_name)
        if tool is None:
            return CallOutcome(tool_name, args, error=f"Tool '{tool_name}' not found.")
        try:
            params = tool.params.model_validate(args)
        except ValidationError as exc:
            return CallOutcome(tool_name, args, error=_validation_message(tool, exc))
        try:
            value = state.transaction(lambda: tool.func(state, params))
        except ToolError as exc:
            return CallOutcome(tool_name, args, error=exc.message)
        return CallOutcome(tool_name, args, value=value, shape=tool.result)


def _validation_message(tool: Tool, exc: ValidationError) -> str:
    problems = []
    for error in exc.errors():
        where = ".".join(str(part) for part in error["loc"]) or "arguments"
        problems.append(f"{where}: {error['msg']}")
    return f"Invalid arguments for {tool.name}: " + "; ".join(problems)


class ToolArgs(BaseModel):
    """Base class of every tool's argument model: unknown arguments are rejected."""

    model_config = {"extra": "forbid"}
