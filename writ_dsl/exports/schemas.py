"""The file formats writ writes, as pydantic models: ``writ schema NAME`` prints their JSON Schema.

- ``trajectory``: a line of ``trajectories.jsonl`` (OpenAI chat format);
- ``reject``: a line of ``rejects.jsonl``;
- ``task``: a line of ``tasks.jsonl`` (:class:`~writ_dsl.compiler.model.CompiledTask`);
- ``manifest``: ``manifest.json``, what a run was made from.
"""

from __future__ import annotations

from typing import Any, Literal

from pydantic import BaseModel, ConfigDict

from ..compiler.model import CompiledTask, TrajectoryType


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid")


class ChatFunction(_Strict):
    name: str
    arguments: str  # the arguments object as JSON text


class ChatToolCall(_Strict):
    id: str
    type: Literal["function"]
    function: ChatFunction


class ChatMessage(_Strict):
    role: Literal["system", "user", "assistant", "tool"]
    content: str | None
    tool_calls: list[ChatToolCall] | None = None
    tool_call_id: str | None = None


class ToolSchema(BaseModel):
    """An OpenAI tool definition: ``{"type": "function", "function": {name, description, parameters}}``."""

    model_config = ConfigDict(extra="allow")
    type: Literal["function"]
    function: dict[str, Any]


class Trajectory(_Strict):
    """One verified dialogue, a line of ``trajectories.jsonl``."""

    task_id: str
    domain: str
    trajectory_type: TrajectoryType
    has_user_script: bool
    behavior: str | None
    messages: list[ChatMessage]
    tools: list[ToolSchema]
    attempt: int | None = None
    usage: dict[str, Any] | None = None


class Reject(_Strict):
    """One dialogue that failed verification (``rejected``) or could not be run (``failed``)."""

    task_id: str
    domain: str
    status: Literal["rejected", "failed"]
    reason: str | None
    detail: Any = None
    problems: list[Any]
    termination_reason: str | None
    trajectory_type: TrajectoryType | None
    behavior: str | None
    messages: list[ChatMessage]
    attempt: int | None = None
    usage: dict[str, Any] | None = None
    blame: dict[str, str] | None = None  # LLM runs: {"party": agent|user|endpoint, "fault": code}


class SpecHash(_Strict):
    path: str
    hash: str


class Manifest(BaseModel):
    """``manifest.json``: the writ version, spec library commit, hashes of specs, tool schemas and databases,
    the roles (models and endpoints, never keys) and the options of a run."""

    model_config = ConfigDict(extra="allow")
    writ_version: str
    spec_library: dict[str, Any] | None
    specs: list[SpecHash]
    tool_schemas: dict[str, str]
    databases: list[str]
    roles: dict[str, dict[str, Any]]
    options: dict[str, Any]
    tasks: int


SCHEMAS: dict[str, type[BaseModel]] = {"trajectory": Trajectory, "reject": Reject, "task": CompiledTask,
                                       "manifest": Manifest}


def json_schema(name: str) -> dict[str, Any]:
    return SCHEMAS[name].model_json_schema()
