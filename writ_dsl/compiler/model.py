"""The compiled task instance: one line of ``tasks.jsonl``.

This is the contract between the compiler (which writes it) and the runner,
the exporters and ``writ stats`` (which read it). ``writ schema task`` prints
its JSON Schema. All values are plain JSON (dates as ISO strings).
"""

from __future__ import annotations

from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field

from ..diagnostics import Span
from ..env.core import MAX_DB_SIZE

# The names of the released WRIT-2K data; both at once is "read-heavy-write-intensive".
TrajectoryType = Literal["normal", "write-intensive", "read-heavy", "read-heavy-write-intensive"]


class _Model(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid")


class PlannedCall(_Model):
    """One concrete tool call of the resolved plan, in execution order."""

    step: int
    node: str  # plan node id, e.g. "read:direct[2]" or "write:1"
    tool: str
    kind: Literal["read", "write", "generic"]
    arguments: dict[str, Any]
    depends_on: list[str] = []  # node ids of the calls whose results this call's arguments need
    evidence: list[str] = []  # for writes: node ids of every read in the transitive closure
    criteria: list[str] = []  # for writes: the rankings that chose it, decisive first ("min:stops")
    compared: int = 0  # for writes: how many candidates the decisive ranking compared (0: not known)
    because: str = ""  # for writes: the spec's reason for this call in words (its ``because`` template)
    span: Span

    @property
    def statement(self) -> str:
        """The plan node of the statement that made the call: "write:1" for "write:1[2]"."""
        return self.node.split("[", 1)[0]


class PassedOver(_Model):
    """Why a guarded write makes no call for one of its loop combinations (its ``else because`` text, rendered
    for that combination): the agent says it, so that the user hears why that record is left as it is."""

    statement: str  # the write statement's plan node id, e.g. "write:1"
    reason: str


class GoldAction(_Model):
    action_id: str
    name: str
    arguments: dict[str, Any]


class TaskFact(_Model):
    """A fact the agent must tell, in source order: its text, its label, and the write it goes with (the
    index of the last write before it in the spec, or of the first write when it comes before every write;
    None when the task has no write); its kind, and for a signed amount the way it goes (see
    :mod:`writ_dsl.compiler.facts`)."""

    text: str
    label: str | None = None
    write: int | None = None
    kind: Literal["amount", "count", "text"] = "text"
    direction: Literal["pay", "refund"] | None = None


class BehaviorProfile(_Model):
    name: str
    settings: dict[str, Any] = {}


class UserScenario(_Model):
    """What the simulated user is given (τ²-bench's user_scenario, plus structured facts)."""

    domain: str
    persona: str | None = None
    reason_for_call: str
    known_info: str
    unknown_info: str | None = None
    task_instructions: str
    known: dict[str, Any] = {}  # the same known facts, keyed, for the scripted user


class DatabaseRef(_Model):
    source: Literal["generated", "file"]
    seed: int | None = None
    size: int | None = Field(default=None, ge=1, le=MAX_DB_SIZE)
    path: str | None = None
    state_hash: str  # hash of the initial database


class Metrics(_Model):
    writes: int
    evidence_burden: list[int]  # per write, in write order: reads in its dependency closure
    total_reads: int
    depth: int  # longest dependency path, in calls
    trajectory_type: TrajectoryType
    non_evidence_reads: list[str] = []  # read nodes no write or told fact depends on


class CompiledTask(_Model):
    id: str
    spec_path: str
    spec_hash: str
    task: str
    span: Span
    title: str | None = None
    tags: list[str] = []
    seed: int
    env: str
    db: DatabaseRef
    params: dict[str, Any]
    user_scenario: UserScenario
    behavior: BehaviorProfile | None = None
    plan: list[PlannedCall]
    gold_actions: list[GoldAction]
    communicate_info: list[str] = []
    communicate_labels: dict[str, str] = {}  # fact -> how the agent names it (``tell x as "label"``)
    facts: list[TaskFact] = []  # the same facts, one entry per `tell`, labels kept per fact
    passed_over: list[PassedOver] = []  # in execution order
    gold_state_hash: str
    metrics: Metrics

    def to_json_line(self) -> str:
        return self.model_dump_json() + "\n"
