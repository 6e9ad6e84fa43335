"""Run one instance of a task: sample params, execute reads, evaluate, apply gold writes.

:func:`run_instance` walks the plan's execution order against a fresh
copy-on-write state. Anything that makes the instance ill-posed raises a
:class:`Rejection`; a problem that no resampling can fix (a constant parameter
source that is empty or fails) raises :class:`Fatal` with a located diagnostic.
"""

from __future__ import annotations

import hashlib
import itertools
import math
import random
from dataclasses import dataclass, field
from functools import cached_property
from typing import Any

from ..diagnostics import Diagnostic
from ..env.core import Environment, State
from ..env.policy import Action, policy_violations
from ..lang import ast
from ..lang.limits import DEFAULT, Limits
from .. import diagnostics
from . import render
from .evaluate import Evaluator
from .facts import Told, told
from ..lang.depgraph import GraphNode
from .plan import Plan
from .values import DbView, FannedOut, Rejection, eval_error, hashable, to_json, type_name


class Fatal(Exception):
    """The task cannot produce any instance; ``diagnostic`` says why and where."""

    def __init__(self, diagnostic: Diagnostic) -> None:
        super().__init__(diagnostic.message)
        self.diagnostic = diagnostic


def derive_seed(*parts: Any) -> int:
    """A 63-bit seed from the parts, via sha256 (stable across processes and machines)."""
    digest = hashlib.sha256("\0".join(str(p) for p in parts).encode()).digest()
    return int.from_bytes(digest[:8], "big") >> 1


@dataclass
class TaskContext:
    """Everything one task's instances share during one compile."""

    plan: Plan
    env: Environment
    evaluator: Evaluator
    constants: dict[str, Any] = field(default_factory=dict)

    @classmethod
    def create(cls, plan: Plan, env: Environment, db_view: DbView | None = None,
               limits: Limits = DEFAULT) -> TaskContext:
        fields = frozenset().union(*env.domain.db_schema.values())
        return cls(plan, env, Evaluator(db_view or DbView(env.db), optional_fields=fields, limits=limits))

    @cached_property
    def constant_lets(self) -> frozenset[str]:
        """Lets that depend on nothing but the database and other such lets: one value per compile."""
        constant: set[str] = set()
        for node_id in self.plan.order:
            if self.plan.nodes[node_id].kind == "let" and set(self.plan.deps(node_id)) <= constant:
                constant.add(node_id)
        return frozenset(constant)

    def is_constant(self, node_id: str) -> bool:
        """True when the node's value is the same in every instance (database-only inputs)."""
        return set(self.plan.deps(node_id)) <= self.constant_lets


@dataclass
class ExecutedCall:
    node: str  # call node id: "read:x", "read:x[2]" or "write:1"
    statement: str  # the plan node of its statement
    tool: str
    arguments: dict[str, Any]
    span: ast.Span
    because: str = ""  # for a write with a ``because`` template: why this call, in words


@dataclass
class InstanceRun:
    seed: int
    names: dict[str, Any] = field(default_factory=dict)
    params: dict[str, Any] = field(default_factory=dict)
    calls: list[ExecutedCall] = field(default_factory=list)
    fan_out: dict[str, int] = field(default_factory=dict)
    writes: list[ExecutedCall] = field(default_factory=list)
    tells: list[str] = field(default_factory=list)
    passed_over: list[tuple[str, str]] = field(default_factory=list)  # (write statement, why it made no call)
    tell_labels: dict[str, str] = field(default_factory=dict)
    told: list[Told] = field(default_factory=list)  # in source order
    known: dict[str, Any] = field(default_factory=dict)
    texts: dict[str, str] = field(default_factory=dict)
    state_hash: str = ""


def run_instance(ctx: TaskContext, seed: int) -> InstanceRun:
    """Execute one instance; raises :class:`Rejection` or :class:`Fatal`."""
    run = InstanceRun(seed)
    rng = random.Random(seed)
    state = ctx.env.new_state()
    for node_id in ctx.plan.order:
        node = ctx.plan.nodes[node_id]
        try:
            _STEPS[node.kind](ctx, node, run, rng, state)
        except Rejection as exc:
            exc.path = exc.path or node.path
            raise
    _check_policy(ctx, run)
    run.state_hash = state.state_hash()
    return run


def _check_policy(ctx: TaskContext, run: InstanceRun) -> None:
    """Reject an instance whose gold writes break a rule of the domain's policy."""
    actions = [Action(w.tool, w.arguments) for w in run.writes]
    problems = policy_violations(ctx.env.domain.policy_rules, actions, ctx.env.db)
    if problems:
        first = next(w for w in run.writes)
        raise Rejection("policy", "; ".join(problems), first.span)


# ---------------------------------------------------------------------- params
def _param(ctx: TaskContext, node: GraphNode, run: InstanceRun, rng: random.Random, state: State) -> None:
    stmt: ast.ParamStmt = node.stmt
    items = _param_source(ctx, node, run)
    if stmt.count is None:
        value = items[rng.randrange(len(items))]
    else:
        value = [items[i] for i in sorted(rng.sample(range(len(items)), stmt.count))]
    run.names[node.name] = value
    run.params[node.name] = value


def _param_source(ctx: TaskContext, node: GraphNode, run: InstanceRun) -> list[Any]:
    if node.id in ctx.constants:
        return ctx.constants[node.id]
    constant = ctx.is_constant(node.id)
    try:
        items = _sample_space(ctx, node, run)
    except Rejection as exc:
        if constant:
            raise Fatal(diagnostics.make("constant-error", node.path, exc.span or node.span, detail=exc.detail)) from None
        raise
    if constant:
        ctx.constants[node.id] = items
    return items


def _sample_space(ctx: TaskContext, node: GraphNode, run: InstanceRun) -> list[Any]:
    stmt: ast.ParamStmt = node.stmt
    items = ctx.evaluator.eval(stmt.source, run.names)
    if not isinstance(items, list):
        raise eval_error(f"a param samples from a list, not {type_name(items)}", stmt.source.span)
    if stmt.count is not None:
        items = list({hashable(item): item for item in items}.values())
    wanted = stmt.count or 1
    if len(items) < wanted:
        _too_few(ctx, node, len(items), wanted)
    return items


def _too_few(ctx: TaskContext, node: GraphNode, found: int, wanted: int) -> None:
    detail = "the list is empty" if not found else f"{wanted} distinct items wanted, {found} found"
    if ctx.is_constant(node.id):
        raise Fatal(diagnostics.make("empty-parameter", node.path, node.span, name=node.name, detail=detail))
    raise Rejection("empty", f"param '{node.name}': {detail}", node.span)


# ---------------------------------------------------------------------- lets, requires, tells
def _let(ctx: TaskContext, node: GraphNode, run: InstanceRun, rng: random.Random, state: State) -> None:
    if node.id not in ctx.constants:
        value = ctx.evaluator.eval(node.stmt.value, run.names)
        if node.id not in ctx.constant_lets:
            run.names[node.name] = value
            return
        ctx.constants[node.id] = value
    run.names[node.name] = ctx.constants[node.id]


def _require(ctx: TaskContext, node: GraphNode, run: InstanceRun, rng: random.Random, state: State) -> None:
    stmt: ast.RequireStmt = node.stmt
    if not ctx.evaluator.truth(stmt.condition, run.names):
        raise Rejection("require", stmt.reason or f"requirement at line {stmt.span.line} does not hold", stmt.span)


def _tell(ctx: TaskContext, node: GraphNode, run: InstanceRun, rng: random.Random, state: State) -> None:
    fact = told(node.stmt, ctx.evaluator.eval(node.stmt.value, run.names))
    run.told.append(fact)
    run.told.sort(key=lambda one: one.position)
    run.tells[:] = [one.text for one in run.told]
    if fact.label is not None:
        run.tell_labels.setdefault(fact.text, fact.label)


# ---------------------------------------------------------------------- reads and writes
def _read(ctx: TaskContext, node: GraphNode, run: InstanceRun, rng: random.Random, state: State) -> None:
    stmt: ast.ReadStmt = node.stmt
    if not stmt.loops:
        run.names[node.name] = _call(ctx, node, run, state, run.names, node.id, "read-rejected")
        return
    run.names[node.name] = _fan_out_calls(ctx, node, run, state, "read-rejected")


def _fan_out_calls(ctx: TaskContext, node: GraphNode, run: InstanceRun, state: State, reason: str) -> FannedOut:
    """One call per combination of the loop values (the first loop outermost) for which the guard holds."""
    stmt = node.stmt
    axes = [_loop_items(ctx, loop, run) for loop in stmt.loops]
    calls, limit = math.prod(map(len, axes)), ctx.evaluator.limits.fan_out
    if calls > limit:
        raise eval_error(f"this read fans out to {calls:,} calls, over the limit of {limit:,} "
                         "(`[limits] fan_out` in writ.toml)", stmt.span)
    variables = [loop.var.name for loop in stmt.loops]
    guard = getattr(stmt, "guard", None)
    results, bindings = [], []
    for combo in itertools.product(*axes):
        binding = dict(zip(variables, combo))
        scope = {**run.names, **binding}
        if guard is not None and not ctx.evaluator.truth(guard, scope):
            _pass_over(node, run, scope)
            continue
        bindings.append(binding)
        results.append(_call(ctx, node, run, state, scope, f"{node.id}[{len(results)}]", reason))
        if node.kind == "write":
            run.writes.append(run.calls[-1])
    run.fan_out[node.id] = len(results)
    return FannedOut(results, bindings)


def _loop_items(ctx: TaskContext, loop: ast.Loop, run: InstanceRun) -> list[Any]:
    items = ctx.evaluator.eval(loop.source, run.names)
    if not isinstance(items, list):
        raise eval_error(f"`for {loop.var.name} in` needs a list, not {type_name(items)}", loop.source.span)
    return items


def _write(ctx: TaskContext, node: GraphNode, run: InstanceRun, rng: random.Random, state: State) -> None:
    stmt: ast.WriteStmt = node.stmt
    if stmt.loops:
        value: Any = _fan_out_calls(ctx, node, run, state, "write-rejected")
    elif stmt.guard is not None and not ctx.evaluator.truth(stmt.guard, run.names):
        run.fan_out[node.id] = 0
        value = None
        _pass_over(node, run, run.names)
    else:
        value = _call(ctx, node, run, state, run.names, node.id, "write-rejected")
        run.writes.append(run.calls[-1])
    if node.name is not None:
        run.names[node.name] = value


def _call(ctx: TaskContext, node: GraphNode, run: InstanceRun, state: State, scope: dict[str, Any],
          call_id: str, reason: str) -> Any:
    stmt = node.stmt
    arguments = {a.name.name: to_json(ctx.evaluator.eval(a.value, scope), strict=True, span=a.value.span)
                 for a in stmt.args}
    outcome = ctx.env.call(state, stmt.tool.name, arguments)
    if not outcome.ok:
        raise Rejection(reason, f"{stmt.tool.name}({_show(arguments)}): {outcome.error}", stmt.span)
    because = getattr(stmt, "because", None)
    said = "" if because is None else render.render(because.text, scope, because.span,
                                                    derive_seed(run.seed, "because", call_id))
    run.calls.append(ExecutedCall(call_id, node.id, stmt.tool.name, arguments, stmt.span, said.strip()))
    return outcome.value


def _pass_over(node: GraphNode, run: InstanceRun, scope: dict[str, Any]) -> None:
    """Note why the guard left this combination out, when the write says it (an empty text says nothing)."""
    text = getattr(node.stmt, "passed_over", None)
    if text is None:
        return
    seed = derive_seed(run.seed, "else because", node.id, len(run.passed_over))
    said = render.render(text.text, scope, text.span, seed).strip()
    if said:
        run.passed_over.append((node.id, said))


def _show(arguments: dict[str, Any]) -> str:
    text = ", ".join(f"{k}={v!r}" for k, v in arguments.items())
    return text if len(text) <= 160 else text[:157] + "..."


# ---------------------------------------------------------------------- user block
def _user(ctx: TaskContext, node: GraphNode, run: InstanceRun, rng: random.Random, state: State) -> None:
    block: ast.UserBlock = node.stmt
    known = {s.name.name: ctx.evaluator.eval(s.value, run.names) for s in block.knows}
    view = {**run.names, **known}
    for text_field in chosen_wordings(block, run.seed):
        seed = derive_seed(run.seed, "alternatives", text_field.field)
        run.texts[text_field.field] = render.render(text_field.text, view, text_field.span, seed)
    run.known = known


def chosen_wordings(block: ast.UserBlock, seed: int) -> list[ast.TextField]:
    """One text field per kind; of several equivalent ``wants`` wordings, the one this instance's seed picks."""
    by_field: dict[str, list[ast.TextField]] = {}
    for text_field in (f for f in block.fields if isinstance(f, ast.TextField)):
        by_field.setdefault(text_field.field, []).append(text_field)
    return [options[derive_seed(seed, "wording", name) % len(options)] for name, options in by_field.items()]


_STEPS = {
    "param": _param, "let": _let, "read": _read, "write": _write,
    "require": _require, "tell": _tell, "user": _user,
}
