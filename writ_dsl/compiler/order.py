"""A varied call order per instance: a seeded topological sort of the planned calls.

Reads that do not need each other may run in any order; training data should
show that. Between two changes (writes and generic calls, which stay where
they are) the reads are ordered by a topological sort of their dependencies
that breaks ties with a random generator seeded by the instance, so instances
of one template show different, always valid, orders.
"""

from __future__ import annotations

import random
from collections.abc import Sequence

from .model import PlannedCall


def varied_order(calls: Sequence[PlannedCall], seed: int) -> list[PlannedCall]:
    """The calls in a seeded topological order; every call keeps its place relative to the writes."""
    rng = random.Random(seed)
    ordered: list[PlannedCall] = []
    segment: list[PlannedCall] = []
    for call in calls:
        if call.kind == "read":
            segment.append(call)
            continue
        ordered += _shuffled(segment, rng) + [call]
        segment = []
    ordered += _shuffled(segment, rng)
    return [call if call.step == i else call.model_copy(update={"step": i}) for i, call in enumerate(ordered)]


def _shuffled(reads: list[PlannedCall], rng: random.Random) -> list[PlannedCall]:
    """Kahn's algorithm over the reads' dependencies inside the segment, choosing among the ready ones at random."""
    inside = {call.node for call in reads}
    waiting = {call.node: {d for d in call.depends_on if d in inside} for call in reads}
    by_node = {call.node: call for call in reads}
    result: list[PlannedCall] = []
    while waiting:
        ready = [node for node, needs in waiting.items() if not needs]  # in plan order: deterministic choice
        node = ready[rng.randrange(len(ready))]
        del waiting[node]
        for needs in waiting.values():
            needs.discard(node)
        result.append(by_node[node])
    return result
