"""The static evidence graph of a task, as text, Graphviz dot or Mermaid.

One node per statement; a fanned-out read is one node carrying its
multiplicity (the product of its loops' lengths, as written, and as a number
when it is known without data). Writes come last.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Mapping, Sequence

import networkx as nx

from ..lang import ast
from ..lang.loader import LoadedSpec
from ..lang.depgraph import GraphNode
from .model import CompiledTask
from .plan import Plan


class GraphView:
    """What the renderers need: the plan plus source text for expressions."""

    def __init__(self, spec: LoadedSpec, plan: Plan, calls: Mapping[str, int] | None = None) -> None:
        self.plan = plan
        self.calls = calls  # an instance's number of calls per fanned-out or guarded statement
        self.sources = {s.display_path: s.source for s in spec.closure()}
        self.ids = self._ordered_ids()

    def _ordered_ids(self) -> list[str]:
        unused = [n for n in self.plan.nodes if n not in self.plan.order]
        ids = list(self.plan.order) + unused
        return sorted(ids, key=lambda n: self.plan.nodes[n].kind == "write")

    def text_of(self, node: GraphNode, expr: ast.Node) -> str:
        lines = self.sources.get(node.path, "").splitlines()
        span = expr.span
        if span.line == span.end_line and 0 < span.line <= len(lines):
            return lines[span.line - 1][span.column - 1:span.end_column - 1]
        picked = lines[span.line - 1:span.end_line]
        if not picked:
            return "…"
        picked[-1] = picked[-1][:span.end_column - 1]
        picked[0] = picked[0][span.column - 1:]
        return " ".join(part.strip() for part in picked)

    def multiplicity(self, node: GraphNode) -> tuple[str, int | None]:
        if self.calls is not None and node.fanned:
            return "in this instance", self.calls.get(node.id, 0)
        loops = node.stmt.loops
        text = " × ".join(f"count({self.text_of(node, loop.source)})" for loop in loops)
        counts = [static_count(loop.source, self.plan) for loop in loops]
        return text, (math.prod(counts) if None not in counts else None)  # type: ignore[arg-type]

    def deps(self, node_id: str) -> list[str]:
        return [self.plan.nodes[d].label for d in self.plan.deps(node_id)]

    def evidence(self, node_id: str) -> tuple[list[str], str]:
        """The reads a write depends on, and their number of calls (an expression when data decides it)."""
        reads = [n for n in nx.ancestors(self.plan.data_graph(), node_id) if self.plan.nodes[n].kind == "read"]
        reads.sort(key=self.ids.index)
        parts, known, unknown = [], 0, []
        for read_id in reads:
            node = self.plan.nodes[read_id]
            text, count = self.multiplicity(node) if node.fanned else ("1", 1)
            if count is None:
                unknown.append(text)
            known += count or 0
            shown = count if count is not None else text
            parts.append(f"{node.label} ×{shown}" if node.fanned else node.label)
        total = " + ".join(([str(known)] if known or not unknown else []) + unknown)
        return parts, total

    def title(self, node: GraphNode) -> str:
        stmt = node.stmt
        if node.kind == "param":
            how = "one of" if stmt.count is None else f"{stmt.count} of"
            return f"param {node.name} = {how} {_clip(self.text_of(node, stmt.source))}"
        if node.kind == "let":
            return f"let {node.name} = {_clip(self.text_of(node, stmt.value))}"
        if node.kind in ("read", "write"):
            return self._call_title(node)
        if node.kind == "require":
            return f"require {_clip(self.text_of(node, stmt.condition))}"
        if node.kind == "tell":
            return f"tell {_clip(self.text_of(node, stmt.value))}"
        return "user"

    def _call_title(self, node: GraphNode) -> str:
        head = f"read {node.name}" if node.kind == "read" else f"{node.id}" + (f" {node.name}" if node.name else "")
        title = f"{head}: {node.stmt.tool.name}"
        if node.fanned:
            text, count = self.multiplicity(node)
            title += f" ×{count}" if count is not None else ""
            title += f" [{text}]"
        if node.guarded:
            title += f" if {_clip(self.text_of(node, node.stmt.guard))}"
            if self.calls is not None and not node.fanned:
                title += " (true)" if node.id in self.calls else " (false: not made)"
        return title

    def after(self, node_id: str) -> list[str]:
        """The writes this write comes right after (in source order, or because it uses their result)."""
        return [u for u in self.plan.graph.predecessors(node_id) if self.plan.nodes[u].kind == "write"]


def static_count(expr: ast.Node, plan: Plan) -> int | None:
    """The length of a list expression when it is known without data, else None."""
    if isinstance(expr, ast.ListExpr):
        return len(expr.items)
    if isinstance(expr, ast.Range) and all(isinstance(e, ast.Number) for e in (expr.start, expr.end)):
        return max(0, int(expr.end.value) - int(expr.start.value) + 1)
    if isinstance(expr, ast.Range) and all(isinstance(e, ast.DateLit) for e in (expr.start, expr.end)):
        return max(0, (expr.end.value - expr.start.value).days + 1)
    if isinstance(expr, ast.Name) and expr.id in plan.names:
        node = plan.nodes[plan.names[expr.id]]
        if node.kind == "let":
            return static_count(node.stmt.value, plan)
    return None


def _clip(text: str, width: int = 60) -> str:
    text = " ".join(text.split())
    return text if len(text) <= width else text[: width - 1] + "…"


# ---------------------------------------------------------------------- renderers
def render_text(view: GraphView) -> str:
    task = view.plan.task
    lines = [f"task {task.name.name}  ({view.plan.path}:{task.span.line})"]
    for node_id in view.ids:
        node = view.plan.nodes[node_id]
        unused = "" if node_id in view.plan.order else "   (unused)"
        deps = view.deps(node_id)
        lines.append(f"  {view.title(node)}" + (f"   <- {', '.join(deps)}" if deps else "") + unused)
        if node.kind == "write":
            parts, total = view.evidence(node_id)
            lines.append(f"      evidence: {', '.join(parts) or 'none'} = {total} read calls")
            if view.after(node_id):
                lines.append(f"      after: {', '.join(view.after(node_id))}")
    return "\n".join(lines) + "\n"


def _dot_quote(text: str) -> str:
    return '"' + text.replace("\\", "\\\\").replace('"', '\\"') + '"'


_SHAPES = {"param": "ellipse", "let": "box", "read": "box3d", "write": "doubleoctagon",
           "require": "diamond", "tell": "note", "user": "component"}


def render_dot(view: GraphView) -> str:
    lines = [f"digraph {_dot_quote(view.plan.task.name.name)} {{", "  rankdir=TB;", "  node [fontname=Helvetica];"]
    for node_id in view.ids:
        node = view.plan.nodes[node_id]
        style = "" if node_id in view.plan.order else ", style=dashed"
        label = _dot_quote(view.title(node))
        lines.append(f"  {_dot_quote(node_id)} [label={label}, shape={_SHAPES[node.kind]}{style}];")
    for u, v, data in _edges(view):
        lines.append(f"  {_dot_quote(u)} -> {_dot_quote(v)}" + ("" if data else " [style=dotted]") + ";")
    writes = " ".join(_dot_quote(n) for n in view.ids if view.plan.nodes[n].kind == "write")
    if writes:
        lines.append(f"  {{ rank=sink; {writes} }}")
    return "\n".join(lines + ["}"]) + "\n"


def render_mermaid(view: GraphView, prefix: str = "n") -> str:
    key = {node_id: f"{prefix}{i}" for i, node_id in enumerate(view.ids)}
    lines = ["flowchart TD"]
    for node_id in view.ids:
        label = view.title(view.plan.nodes[node_id]).replace('"', "'")
        lines.append(f'  {key[node_id]}["{label}"]')
    for u, v, data in _edges(view):
        lines.append(f"  {key[u]} {'-->' if data else '-.->'} {key[v]}")
    return "\n".join(lines) + "\n"


def _edges(view: GraphView) -> list[tuple[str, str, bool]]:
    rank = {n: i for i, n in enumerate(view.ids)}
    edges = [(u, v, bool(d["data"])) for u, v, d in view.plan.graph.edges(data=True)]
    return sorted(edges, key=lambda e: (rank[e[1]], rank[e[0]]))


RENDERERS: dict[str, Callable[[GraphView], str]] = {"text": render_text, "dot": render_dot, "mermaid": render_mermaid}


def render_graph(spec: LoadedSpec, plan: Plan, fmt: str = "text", calls: Mapping[str, int] | None = None) -> str:
    """The graph; with ``calls`` (see :func:`instance_calls`), fan-out as one compiled instance's numbers."""
    return RENDERERS[fmt](GraphView(spec, plan, calls))


def render_graphs(items: Sequence[tuple[LoadedSpec, Plan, Mapping[str, int] | None]], fmt: str = "text") -> str:
    """Several tasks' graphs as one document: text and dot one after another (Graphviz reads several graphs
    from one file), mermaid as one flowchart with a subgraph per task (a Mermaid document holds one diagram)."""
    views = [GraphView(spec, plan, calls) for spec, plan, calls in items]
    if fmt != "mermaid" or len(views) < 2:
        return "\n".join(RENDERERS[fmt](view) for view in views)
    lines = ["flowchart TD"]
    for number, view in enumerate(views):
        lines.append(f'  subgraph t{number}["{view.plan.task.name.name}"]')
        lines += ["  " + line for line in render_mermaid(view, f"t{number}n").splitlines()[1:]]
        lines.append("  end")
    return "\n".join(lines) + "\n"


def instance_calls(task: CompiledTask) -> dict[str, int]:
    """Calls per fanned-out or guarded statement of a compiled instance (0 for a write it left out)."""
    counts: dict[str, int] = {}
    for call in task.plan:
        counts[call.statement] = counts.get(call.statement, 0) + 1
    return counts
