"""The static plan of a task: the front end's dependency graph (:mod:`writ_dsl.lang.depgraph`), in execution order.

The planner adds what compiling needs: which nodes an instance evaluates, in
which order, and each instance's fan-out. Nodes downstream of a write run after it; everything else sees
the initial database. The execution order is topological, ties broken by
source position. :meth:`Plan.expand` gives an instance's graph, where each
fanned-out read or write becomes one node per call.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from functools import cached_property

import networkx as nx

from ..lang import ast
from ..lang.depgraph import GraphNode, TaskGraph, task_graph
from ..lang.loader import LoadedSpec

ROOT_KINDS = frozenset({"write", "require", "tell", "user", "read"})


@dataclass
class Plan:
    task: ast.TaskDecl
    path: str
    nodes: dict[str, GraphNode]
    graph: nx.DiGraph
    names: dict[str, str]  # bound name -> node id
    order: list[str] = field(default_factory=list)  # nodes evaluated per instance, in execution order

    def deps(self, node_id: str) -> list[str]:
        return [p for p in self.graph.predecessors(node_id) if self.graph.edges[p, node_id]["data"]]

    def of_kind(self, kind: str) -> list[GraphNode]:
        return [self.nodes[n] for n in self.order if self.nodes[n].kind == kind]

    def data_graph(self) -> nx.DiGraph:
        keep = set(self.order)
        graph = nx.DiGraph()
        graph.add_nodes_from((n, {"kind": self.nodes[n].kind}) for n in self.order)
        graph.add_edges_from((u, v) for u, v, d in self.graph.edges(data=True) if d["data"] and u in keep and v in keep)
        return graph

    def expand(self, calls: Mapping[str, int]) -> nx.DiGraph:
        """The instance graph: ``calls`` gives the number of calls of every fanned-out read or write
        (and 0 for a guarded write whose guard failed)."""
        graph = self.data_graph()
        for node_id, data in graph.nodes(data=True):
            node = self.nodes[node_id]
            data["call"] = node.kind in ("read", "write") and not node.fanned and calls.get(node_id, 1) > 0
        for node in self.of_kind("read") + self.of_kind("write"):
            if node.fanned:
                _fan_out(graph, node.id, calls.get(node.id, 0), node.kind)
        return graph

    # -- the instance graph as plain predecessor lists (built per instance, so no networkx graph)
    @cached_property
    def data_preds(self) -> dict[str, tuple[str, ...]]:
        """Every node evaluated per instance, in execution order, with the nodes among them it reads."""
        keep = set(self.order)
        edges = self.graph.edges
        return {node: tuple(p for p in self.graph.predecessors(node) if p in keep and edges[p, node]["data"])
                for node in self.order}

    def instance_preds(self, calls: Mapping[str, int]) -> dict[str, tuple[str, ...]]:
        """:meth:`expand` as predecessor lists, keys in a topological order; fanned-out calls are ``id[i]``."""
        preds: dict[str, tuple[str, ...]] = {}
        for node_id, before in self.data_preds.items():
            if self.nodes[node_id].fanned:
                fanned = tuple(f"{node_id}[{i}]" for i in range(calls.get(node_id, 0)))
                preds.update(dict.fromkeys(fanned, before))
                before = before + fanned
            preds[node_id] = before
        return preds


def _fan_out(graph: nx.DiGraph, node_id: str, count: int, kind: str = "read") -> None:
    preds = list(graph.predecessors(node_id))
    calls = [f"{node_id}[{i}]" for i in range(count)]
    graph.add_nodes_from(calls, kind=kind, call=True)
    graph.add_edges_from([(p, call) for call in calls for p in preds] + [(call, node_id) for call in calls])


# ---------------------------------------------------------------------- building
class PlanError(ValueError):
    """A plan was asked of a task that the checks reject (a dependency cycle)."""


def build_plan(spec: LoadedSpec, task: ast.TaskDecl) -> Plan:
    """The plan of a checked task: the front end's dependency graph, put in execution order."""
    deps = task_graph(spec, task)
    plan = Plan(task, deps.path, deps.nodes, deps.graph, deps.names)
    plan.order = _order(deps)
    return plan


def _order(deps: TaskGraph) -> list[str]:
    """Every node a root needs, topologically; nodes downstream of a write last; ties by source position."""
    nodes, graph = deps.nodes, deps.graph
    roots = [n for n, node in nodes.items() if node.kind in ROOT_KINDS and not node.shared]
    data = nx.subgraph_view(graph, filter_edge=lambda u, v: graph.edges[u, v]["data"] or "text" in graph.edges[u, v])
    needed = set(roots).union(*(nx.ancestors(data, r) for r in roots))
    writes = [n for n in nodes if nodes[n].kind == "write"]
    after_write = set(writes).union(*(nx.descendants(graph, w) for w in writes))
    key = {n: (int(n in after_write), *nodes[n].rank, n) for n in needed}
    try:
        return list(nx.lexicographical_topological_sort(graph.subgraph(needed), key=key.__getitem__))
    except nx.NetworkXUnfeasible:
        raise PlanError(f"{deps.path}: a task has a dependency cycle (run the checks first)") from None
