"""Per-instance metrics and the resolved call plan, from the instance graph (:meth:`Plan.instance_preds`).

Evidence burden of a write = the read calls (fanned-out calls counted one by
one) in its transitive data-dependency closure, through params, lets and
earlier writes. Depth = the longest dependency path, counted in calls.
"""

from __future__ import annotations

from dataclasses import dataclass

from ..env.core import ToolKind
from .instantiate import InstanceRun
from .model import Metrics, PlannedCall, TrajectoryType
from .plan import Plan


@dataclass(frozen=True)
class Thresholds:
    read_heavy_burden: int = 5
    write_intensive_writes: int = 3

    def classify(self, writes: int, burdens: list[int]) -> TrajectoryType:
        heavy = any(b >= self.read_heavy_burden for b in burdens)
        intensive = writes >= self.write_intensive_writes
        if heavy and intensive:
            return "read-heavy-write-intensive"
        return "read-heavy" if heavy else ("write-intensive" if intensive else "normal")


@dataclass
class _Closure:
    reads: dict[str, frozenset[str]]  # node -> read calls among its ancestors (itself included)
    upstream: dict[str, frozenset[str]]  # node -> nearest calls it depends on
    depth: dict[str, int]  # node -> longest path ending at it, in calls


def _closure(plan: Plan, fan_out: dict[str, int]) -> _Closure:
    reads: dict[str, frozenset[str]] = {}
    upstream: dict[str, frozenset[str]] = {}
    depth: dict[str, int] = {}
    calls: set[str] = set()
    for node, preds in plan.instance_preds(fan_out).items():
        one_call = node not in plan.nodes  # one call of a fanned-out read or write: "id[i]"
        statement = plan.nodes[node.rsplit("[", 1)[0]] if one_call else plan.nodes[node]
        is_call = one_call or (statement.kind in ("read", "write") and not statement.fanned
                               and fan_out.get(node, 1) > 0)  # 0: a guarded write left out
        if is_call:
            calls.add(node)
        own = {node} if is_call and statement.kind == "read" else set()
        reads[node] = frozenset(own.union(*(reads[p] for p in preds)))
        upstream[node] = frozenset().union(*({p} if p in calls else upstream[p] for p in preds))
        depth[node] = int(is_call) + max((depth[p] for p in preds), default=0)
    return _Closure(reads, upstream, depth)


def resolve(plan: Plan, run: InstanceRun, tool_kinds: dict[str, ToolKind],
            thresholds: Thresholds) -> tuple[list[PlannedCall], Metrics]:
    """The planned calls in execution order and the instance's metrics."""
    closure = _closure(plan, run.fan_out)
    step = {call.node: i for i, call in enumerate(run.calls)}
    ordered = lambda ids: sorted(ids, key=step.__getitem__)  # noqa: E731
    calls = []
    for i, call in enumerate(run.calls):
        is_write = plan.nodes[call.statement].kind == "write"
        evidence = ordered(closure.reads[call.node]) if is_write else []
        calls.append(PlannedCall.model_construct(
            step=i, node=call.node, tool=call.tool, kind=tool_kinds[call.tool].value, arguments=call.arguments,
            depends_on=ordered(closure.upstream[call.node]), evidence=evidence, span=call.span, because=call.because,
        ))
    return calls, _metrics(plan, run, closure, thresholds)


def _metrics(plan: Plan, run: InstanceRun, closure: _Closure, thresholds: Thresholds) -> Metrics:
    burdens = [len(closure.reads[w.node]) for w in run.writes]
    read_calls = [c.node for c in run.calls if plan.nodes[c.statement].kind == "read"]
    evidence = set().union(*(closure.reads[n.id] for n in plan.nodes.values() if n.kind in ("write", "tell")
                             and n.id in closure.reads))
    return Metrics(
        writes=len(run.writes),
        evidence_burden=burdens,
        total_reads=len(read_calls),
        depth=max(closure.depth.values(), default=0),
        trajectory_type=thresholds.classify(len(run.writes), burdens),
        non_evidence_reads=[n for n in read_calls if n not in evidence],
    )
