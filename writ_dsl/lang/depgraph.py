"""The dependency graph of a task, built once by the front end and used by the checks and the planner.

Nodes are the task's statements (params, lets, reads, writes, requires, tells
and the user block) and the shared definitions they reach through imports.
Node ids read ``param:user``, ``read:profile``, ``write:2``, ``user``. A
``data`` edge runs from a definition to a statement that reads its name;
``order`` edges chain the writes in source order. A name that only a write's
``because`` or ``else because`` text reads gets a ``text`` edge: it is evaluated before the write
(and so ordered before it) but is no evidence of it, like an ``order`` edge. A name that resolves
nowhere gets no edge: the checks report it (``undefined-name``), and
the :func:`cycles` are what ``dependency-cycle`` reports.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from typing import Any

import jinja2
import networkx as nx

from ..diagnostics import Span
from . import ast, templates, walk
from .builtins import IMPLICIT_NAMES
from .loader import LoadedSpec

_KINDS: dict[type, str] = {
    ast.ParamStmt: "param", ast.LetStmt: "let", ast.ReadStmt: "read", ast.WriteStmt: "write",
    ast.RequireStmt: "require", ast.TellStmt: "tell", ast.UserBlock: "user",
}
_COUNTED = ("write", "require", "tell")


@dataclass(frozen=True)
class GraphNode:
    id: str
    kind: str  # param | let | read | write | require | tell | user
    name: str | None
    stmt: Any
    path: str
    shared: bool = False

    @property
    def span(self) -> Span:
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

    @property
    def rank(self) -> tuple[int, str, int, int]:
        """Shared definitions first, then source position."""
        return (0 if self.shared else 1, self.path, self.span.line, self.span.column)


@dataclass
class TaskGraph:
    task: ast.TaskDecl | None  # None: the graph of a file's shared definitions
    path: str
    nodes: dict[str, GraphNode] = field(default_factory=dict)
    graph: nx.DiGraph = field(default_factory=nx.DiGraph)
    names: dict[str, str] = field(default_factory=dict)  # bound name -> node id

    def deps(self, node_id: str) -> list[str]:
        return [p for p in self.graph.predecessors(node_id) if self.graph.edges[p, node_id]["data"]]


# The names an expression reads that no item name binds (``it`` and ``db`` included), in source order.
NamesOf = Callable[[Any], Iterable[ast.Name]]


def task_graph(spec: LoadedSpec, task: ast.TaskDecl, names_of: NamesOf | None = None) -> TaskGraph:
    """``names_of``: where the caller already walked the expressions (the checks), their free names."""
    return _Builder(spec, task, names_of).build()


def shared_graph(spec: LoadedSpec, names_of: NamesOf | None = None) -> TaskGraph:
    """The shared definitions of a file and of everything it imports; only the file's own count as its own."""
    builder = _Builder(spec, None, names_of)
    own = {id(stmt) for stmt in spec.module.shared}
    for name, (stmt, path) in builder.shared.items():
        kind = "param" if isinstance(stmt, ast.ParamStmt) else "let"
        builder._add(GraphNode(f"{kind}:{name}", kind, name, stmt, path, shared=id(stmt) not in own))
    for node in list(builder.result.nodes.values()):
        builder._link(node)
    return builder.result


def cycles(graph: TaskGraph) -> Iterator[list[GraphNode]]:
    """Every cycle through the task's own statements, from its earliest statement, each member needing the next."""
    key = _key(graph)
    loops = [c for c in nx.strongly_connected_components(graph.graph)
             if len(c) > 1 or graph.graph.has_edge(next(iter(c)), next(iter(c)))]
    for component in sorted(loops, key=lambda c: min(map(key, c))):
        first = min(component, key=key)
        if graph.nodes[first].shared:
            continue
        if graph.graph.has_edge(first, first):
            yield [graph.nodes[first]]
            continue
        sub = graph.graph.subgraph(component).reverse(copy=False)  # edges from a statement to what it needs
        back = min((nx.shortest_path(sub, s, first) for s in sub.successors(first)), key=len)
        yield [graph.nodes[n] for n in (first, *back[:-1])]


def _key(graph: TaskGraph) -> Any:
    """The task's own statements before shared definitions, then source position."""
    return lambda node_id: (graph.nodes[node_id].shared, graph.nodes[node_id].rank, node_id)


class _Builder:
    def __init__(self, spec: LoadedSpec, task: ast.TaskDecl | None, names_of: NamesOf | None = None) -> None:
        self.spec = spec
        self.names_of: NamesOf = names_of or walk.free_names
        self.result = TaskGraph(task, spec.display_path)
        self.shared: dict[str, tuple[Any, str]] = {}
        for child in spec.closure():
            for stmt in child.module.shared:
                self.shared.setdefault(stmt.name.name, (stmt, child.display_path))

    def build(self) -> TaskGraph:
        counters: dict[str, int] = {}
        for stmt in self.result.task.body if self.result.task else ():
            kind = _KINDS.get(type(stmt))
            if kind is not None:
                self._add(self._task_node(stmt, kind, counters))
        for node in list(self.result.nodes.values()):
            self._link(node)
        writes = [n.id for n in self.result.nodes.values() if n.kind == "write"]
        for before, after in zip(writes, writes[1:]):
            if not self.result.graph.has_edge(before, after):
                self.result.graph.add_edge(before, after, data=False)
        return self.result

    def _task_node(self, stmt: Any, kind: str, counters: dict[str, int]) -> GraphNode:
        name = stmt.name.name if getattr(stmt, "name", None) is not None else None
        if kind in _COUNTED:
            counters[kind] = counters.get(kind, 0) + 1
            node_id = f"{kind}:{counters[kind]}"
        else:
            node_id = "user" if kind == "user" else f"{kind}:{name}"
        return GraphNode(node_id, kind, name, stmt, self.result.path)

    def _add(self, node: GraphNode) -> None:
        if node.id in self.result.nodes:  # a duplicate definition: the checks report it, the first one stands
            return
        self.result.nodes[node.id] = node
        self.result.graph.add_node(node.id)
        if node.name is not None:
            self.result.names.setdefault(node.name, node.id)

    def _resolve(self, name: str) -> str | None:
        if name in self.result.names:
            return self.result.names[name]
        if name not in self.shared:
            return None
        stmt, path = self.shared[name]
        kind = "param" if isinstance(stmt, ast.ParamStmt) else "let"
        node = GraphNode(f"{kind}:{name}", kind, name, stmt, path, shared=True)
        self._add(node)
        self._link(node)
        return node.id

    def _link(self, node: GraphNode) -> None:
        for name in references(node.stmt, node.kind, self.names_of):
            target = self._resolve(name)
            if target is not None:
                self.result.graph.add_edge(target, node.id, data=True)
        for name in said_names(node.stmt, node.kind):
            target = self._resolve(name)
            if target is not None and not self.result.graph.has_edge(target, node.id):
                self.result.graph.add_edge(target, node.id, data=False, text=True)


def references(stmt: Any, kind: str, names_of: NamesOf = walk.free_names) -> list[str]:
    """The names a statement reads, in source order (implicit names and item names left out)."""
    if kind == "user":
        return _user_references(stmt, names_of)
    exprs = {"param": lambda: [stmt.source], "let": lambda: [stmt.value], "require": lambda: [stmt.condition],
             "tell": lambda: [stmt.value], "read": lambda: [a.value for a in stmt.args],
             "write": lambda: [a.value for a in stmt.args] + ([stmt.guard] if stmt.guard else [])}[kind]()
    calls = kind in ("read", "write")
    hidden = {loop.var.name for loop in stmt.loops} if calls else set()
    found = [n.id for e in exprs for n in free_names(e, names_of) if n.id not in hidden]
    if calls:
        found += [n.id for loop in stmt.loops for n in free_names(loop.source, names_of)]
    return found


def said_names(stmt: Any, kind: str) -> list[str]:
    """The names a write's ``because`` and ``else because`` texts read (its loop variables left out), sorted:
    needed, not evidence."""
    if kind != "write":
        return []
    said = set().union(*(_text_names(text) for text in stmt.reasons))
    return sorted(said - {loop.var.name for loop in stmt.loops})


def _user_references(block: ast.UserBlock, names_of: NamesOf) -> list[str]:
    known = {s.name.name for s in block.knows}
    found = [n.id for s in block.knows for n in free_names(s.value, names_of)]
    for text_field in (f for f in block.fields if isinstance(f, ast.TextField)):
        found += sorted(_text_names(text_field) - known)
    return found


def _text_names(text_field: ast.TextField) -> set[str]:
    try:
        return templates.template_names(templates.template_source(text_field.text))
    except jinja2.TemplateSyntaxError:  # reported by the checks (template-syntax)
        return set()


def free_names(expr: ast.Node, names_of: NamesOf = walk.free_names) -> list[ast.Name]:
    """Every name an expression reads (``it``, ``db`` and item names excluded), in source order."""
    return [name for name in names_of(expr) if name.id not in IMPLICIT_NAMES]
