"""The static plan of a task: a dependency graph over its params, lets, reads, writes, requires, tells and user block.

Edges run from a dependency to its dependent. ``data`` edges come from names an
expression (or a user template) reads; ``order`` edges chain the writes in
source order. Nodes downstream of a write run after it; everything else sees
the initial database. The execution order is topological, ties broken by
source position. :meth:`Plan.expand` gives an instance's graph, where each
fanned-out read becomes one node per call.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

import jinja2
import networkx as nx

from ..diagnostics import Diagnostic
from ..lang import ast, templates, walk
from ..lang.loader import LoadedSpec
from .. import diagnostics

IMPLICIT = frozenset({"it", "db"})
ROOT_KINDS = frozenset({"write", "require", "tell", "user", "read"})


@dataclass(frozen=True)
class PlanNode:
    id: str
    kind: str  # param | let | read | write | require | tell | user
    name: str | None
    stmt: Any
    path: str
    shared: bool = False

    @property
    def span(self) -> ast.Span:
        return self.stmt.span

    @property
    def fanned(self) -> bool:
        return self.kind in ("read", "write") and bool(self.stmt.loops)

    @property
    def guarded(self) -> bool:
        return self.kind == "write" and self.stmt.guard is not None

    @property
    def label(self) -> str:
        return self.name or self.id


@dataclass
class Plan:
    task: ast.TaskDecl
    path: str
    nodes: dict[str, PlanNode]
    graph: nx.DiGraph
    names: dict[str, str]  # bound name -> node id
    order: list[str] = field(default_factory=list)  # nodes evaluated per instance, in execution order

    def deps(self, node_id: str) -> list[str]:
        return [p for p in self.graph.predecessors(node_id) if self.graph.edges[p, node_id]["data"]]

    def of_kind(self, kind: str) -> list[PlanNode]:
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


def _fan_out(graph: nx.DiGraph, node_id: str, count: int, kind: str = "read") -> None:
    preds = list(graph.predecessors(node_id))
    calls = [f"{node_id}[{i}]" for i in range(count)]
    graph.add_nodes_from(calls, kind=kind, call=True)
    graph.add_edges_from([(p, call) for call in calls for p in preds] + [(call, node_id) for call in calls])


# ---------------------------------------------------------------------- free names
def free_names(expr: ast.Node) -> list[ast.Name]:
    """Every name an expression reads (``it``, ``db`` and item names excluded), in source order."""
    return [name for name in walk.free_names(expr) if name.id not in IMPLICIT]


# ---------------------------------------------------------------------- building
def build_plan(spec: LoadedSpec, task: ast.TaskDecl) -> tuple[Plan | None, list[Diagnostic]]:
    return _Builder(spec, task).build()


class _Builder:
    def __init__(self, spec: LoadedSpec, task: ast.TaskDecl) -> None:
        self.task = task
        self.path = spec.display_path
        self.shared = {s.name.name: (s, child.display_path) for child in spec.closure() for s in child.module.shared}
        self.graph = nx.DiGraph()
        self.nodes: dict[str, PlanNode] = {}
        self.names: dict[str, str] = {}
        self.rank: dict[str, tuple[Any, ...]] = {}
        self.diagnostics: list[Diagnostic] = []

    def build(self) -> tuple[Plan | None, list[Diagnostic]]:
        self._declare_task_nodes()
        for node in list(self.nodes.values()):
            self._link(node)
        self._chain_writes()
        if self.diagnostics or self._report_cycle():
            return None, self.diagnostics
        plan = Plan(self.task, self.path, self.nodes, self.graph, self.names)
        plan.order = self._order()
        return plan, []

    def _add(self, node: PlanNode, rank: tuple[Any, ...]) -> None:
        self.nodes[node.id] = node
        self.rank[node.id] = rank
        self.graph.add_node(node.id)
        if node.name is not None:
            self.names[node.name] = node.id

    def _declare_task_nodes(self) -> None:
        counters: dict[str, int] = {}
        for stmt in self.task.body:
            node = self._task_node(stmt, counters)
            if node is not None:
                self._add(node, (1, self.path, stmt.span.line, stmt.span.column))

    def _task_node(self, stmt: Any, counters: dict[str, int]) -> PlanNode | None:
        kind = {ast.ParamStmt: "param", ast.LetStmt: "let", ast.ReadStmt: "read", ast.WriteStmt: "write",
                ast.RequireStmt: "require", ast.TellStmt: "tell", ast.UserBlock: "user"}.get(type(stmt))
        if kind is None:
            return None
        name = stmt.name.name if getattr(stmt, "name", None) is not None else None
        if kind in ("write", "require", "tell"):
            counters[kind] = counters.get(kind, 0) + 1
            node_id = f"{kind}:{counters[kind]}"
        else:
            node_id = "user" if kind == "user" else f"{kind}:{name}"
        return PlanNode(node_id, kind, name, stmt, self.path)

    def _shared_node(self, name: str) -> str | None:
        if name not in self.shared:
            return None
        stmt, path = self.shared[name]
        kind = "param" if isinstance(stmt, ast.ParamStmt) else "let"
        node = PlanNode(f"{kind}:{name}", kind, name, stmt, path, shared=True)
        self._add(node, (0, path, stmt.span.line, stmt.span.column))
        self._link(node)
        return node.id

    def _resolve(self, name: str) -> str | None:
        return self.names.get(name) or self._shared_node(name)

    def _link(self, node: PlanNode) -> None:
        for name, span in self._references(node):
            target = self._resolve(name)
            if target is None:
                self.diagnostics.append(diagnostics.make("undefined-name", node.path, span, name=name))
            elif target == node.id:
                self._self_reference(node, span)
            else:
                self.graph.add_edge(target, node.id, data=True)

    def _self_reference(self, node: PlanNode, span: ast.Span) -> None:
        self.diagnostics.append(diagnostics.make("dependency-cycle", node.path, span, cycle=f"{node.label} -> {node.label}"))

    def _references(self, node: PlanNode) -> list[tuple[str, ast.Span]]:
        stmt = node.stmt
        if node.kind == "user":
            return self._user_references(stmt)
        exprs = {"param": lambda: [stmt.source], "let": lambda: [stmt.value], "require": lambda: [stmt.condition],
                 "tell": lambda: [stmt.value], "read": lambda: [a.value for a in stmt.args],
                 "write": lambda: [a.value for a in stmt.args] + ([stmt.guard] if stmt.guard else [])}[node.kind]()
        hidden = {loop.var.name for loop in stmt.loops} if node.kind in ("read", "write") else set()
        found = [(n.id, n.span) for e in exprs for n in free_names(e) if n.id not in hidden]
        if node.kind in ("read", "write"):
            found += [(n.id, n.span) for loop in stmt.loops for n in free_names(loop.source)]
        return found

    def _user_references(self, block: ast.UserBlock) -> list[tuple[str, ast.Span]]:
        known = {s.name.name for s in block.knows}
        found = [(n.id, n.span) for s in block.knows for n in free_names(s.value)]
        for text_field in (f for f in block.fields if isinstance(f, ast.TextField)):
            found += [(name, text_field.span) for name in sorted(self._template_names(text_field)) if name not in known]
        return found

    def _template_names(self, text_field: ast.TextField) -> set[str]:
        try:
            names = templates.template_names(text_field.text)
        except jinja2.TemplateSyntaxError as exc:
            self.diagnostics.append(
                diagnostics.make("template-syntax", self.path, text_field.span, field=text_field.field, detail=exc.message)
            )
            return set()
        return names

    def _chain_writes(self) -> None:
        writes = [n for n in self.nodes.values() if n.kind == "write"]
        for before, after in zip(writes, writes[1:]):
            if not self.graph.has_edge(before.id, after.id):
                self.graph.add_edge(before.id, after.id, data=False)

    def _report_cycle(self) -> bool:
        try:
            edges = nx.find_cycle(self.graph)
        except nx.NetworkXNoCycle:
            return False
        cycle = [self.nodes[u] for u, _ in reversed(edges)]
        first = min(cycle, key=lambda n: self.rank[n.id])
        start = cycle.index(first)
        cycle = cycle[start:] + cycle[:start]
        text = " -> ".join(n.label for n in (*cycle, cycle[0]))
        notes = [f"{n.path}:{n.span}: {n.label} is part of the cycle" for n in cycle if n is not first]
        self.diagnostics.append(diagnostics.make("dependency-cycle", first.path, first.span, cycle=text, notes=notes))
        return True

    def _order(self) -> list[str]:
        roots = [n for n, node in self.nodes.items() if node.kind in ROOT_KINDS and not node.shared]
        data = nx.subgraph_view(self.graph, filter_edge=lambda u, v: self.graph.edges[u, v]["data"])
        needed = set(roots).union(*(nx.ancestors(data, r) for r in roots))
        after_write = {d for n in self.nodes.values() if n.kind == "write" for d in nx.descendants(self.graph, n.id)}
        after_write |= {n for n in self.nodes if self.nodes[n].kind == "write"}
        key = {n: (int(n in after_write), *self.rank[n], n) for n in needed}
        return list(nx.lexicographical_topological_sort(self.graph.subgraph(needed), key=key.__getitem__))
