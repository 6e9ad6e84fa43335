"""Assemble a :class:`CompiledTask` from a successful instance run."""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from functools import cached_property
from typing import Any

from ..env.core import Environment, ToolKind
from ..lang import ast
from ..lang.loader import LoadedSpec
from . import render
from .criteria import write_criteria, write_pools
from .instantiate import InstanceRun
from .metrics import Thresholds, resolve
from .order import varied_order
from .model import (BehaviorProfile, CompiledTask, DatabaseRef, GoldAction, PassedOver, PlannedCall, TaskFact,
                    UserScenario)
from .plan import Plan
from .values import to_json


@dataclass
class TaskFrame:
    """What every instance of one task shares when it is assembled."""

    spec: LoadedSpec
    plan: Plan
    env: Environment
    db: DatabaseRef
    base_seed: int
    thresholds: Thresholds
    spec_path: str = ""
    spec_hash: str = ""
    seed_key: str = ""  # the spec's path inside its library: seeds survive moving the library

    @classmethod
    def create(cls, spec: LoadedSpec, plan: Plan, env: Environment, db: DatabaseRef, base_seed: int,
               thresholds: Thresholds) -> TaskFrame:
        return cls(spec, plan, env, db, base_seed, thresholds, spec.display_path, spec.spec_hash, library_path(spec))

    @property
    def task(self) -> ast.TaskDecl:
        return self.plan.task

    @cached_property
    def criteria(self) -> dict[str, list[str]]:
        return write_criteria(self.plan)

    @cached_property
    def pools(self) -> dict[str, str]:
        return write_pools(self.plan)

    @cached_property
    def tool_kinds(self) -> dict[str, ToolKind]:
        return {name: tool.kind for name, tool in self.env.tools.items()}


def library_path(spec: LoadedSpec) -> str:
    try:
        return spec.path.relative_to(spec.root).as_posix()
    except ValueError:
        return spec.display_path


def task_id(frame: TaskFrame, index: int, seed: int) -> str:
    key = f"{frame.seed_key}\0{frame.task.name.name}\0{frame.base_seed}\0{index}\0{seed}"
    return f"{frame.task.name.name}-{hashlib.sha256(key.encode()).hexdigest()[:10]}"


def assemble(frame: TaskFrame, run: InstanceRun, index: int, behavior: BehaviorProfile | None) -> CompiledTask:
    plan_calls, metrics = resolve(frame.plan, run, frame.tool_kinds, frame.thresholds)
    plan_calls = [with_criteria(call, frame.criteria, _compared(frame, run)) for call in plan_calls]
    return CompiledTask(
        id=task_id(frame, index, run.seed),
        spec_path=frame.spec_path,
        spec_hash=frame.spec_hash,
        task=frame.task.name.name,
        span=frame.task.span,
        title=frame.task.title,
        tags=frame.task.tags,
        seed=run.seed,
        env=frame.env.name,
        db=frame.db,
        params={name: to_json(value) for name, value in run.params.items()},
        user_scenario=scenario(frame, run),
        behavior=behavior,
        plan=varied_order(plan_calls, run.seed),
        gold_actions=[GoldAction(action_id=w.node, name=w.tool, arguments=w.arguments) for w in run.writes],
        communicate_info=run.tells,
        communicate_labels=run.tell_labels,
        facts=task_facts(run),
        passed_over=[PassedOver(statement=node, reason=reason) for node, reason in run.passed_over],
        gold_state_hash=run.state_hash,
        metrics=metrics,
    )


def _compared(frame: TaskFrame, run: InstanceRun) -> dict[str, int]:
    """Per write statement, how many candidates its decisive ranking compared."""
    sizes = {node: run.names.get(name) for node, name in frame.pools.items()}
    return {node: len(value) for node, value in sizes.items() if isinstance(value, list)}


def with_criteria(call: PlannedCall, criteria: dict[str, list[str]], compared: dict[str, int]) -> PlannedCall:
    found = criteria.get(call.statement)
    update = {"criteria": found, "compared": compared.get(call.statement, 0)} if found else {}
    return call.model_copy(update=update) if update else call


def task_facts(run: InstanceRun) -> list[TaskFact]:
    """Each told fact with the write it goes with (see :class:`TaskFact`)."""
    positions = [(w.span.line, w.span.column) for w in run.writes]
    facts = []
    for fact in run.told:
        before = [i for i, p in enumerate(positions) if p < fact.position]
        write = before[-1] if before else (0 if positions else None)
        facts.append(TaskFact(text=fact.text, label=fact.label, write=write, kind=fact.kind,
                              direction=fact.direction))
    return facts


def scenario(frame: TaskFrame, run: InstanceRun) -> UserScenario:
    texts: dict[str, Any] = run.texts
    return UserScenario(
        domain=frame.env.name,
        persona=texts.get("persona"),
        reason_for_call=texts.get("reason") or frame.task.title or frame.task.name.name,
        known_info=render.known_info(run.known),
        unknown_info=texts.get("unknown"),
        task_instructions=texts.get("wants", ""),
        known={key: to_json(value) for key, value in run.known.items()},
    )
