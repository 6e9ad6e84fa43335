"""A varied call order per instance: a seeded topological sort of the planned calls.

Reads that do not need each other may run in any order; training data should
show that. Between two changes (writes and generic calls, which stay where
they are) the reads are ordered by a topological sort of their dependencies
that breaks ties with a random generator seeded by the instance, so instances
of one template show different, always valid, orders.
"""

from __future__ import annotations

import bisect
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
    """Kahn's algorithm over the reads' dependencies inside the segment, choosing among the ready ones at random.

    The ready reads are kept in plan order (so the choice is deterministic) and each read's dependents are
    indexed once, which keeps a fan-out of thousands of reads linear rather than quadratic.
    """
    place = {call.node: i for i, call in enumerate(reads)}
    missing = [0] * len(reads)
    dependents: list[list[int]] = [[] for _ in reads]
    for i, call in enumerate(reads):
        needs = {place[d] for d in call.depends_on if d in place}
        missing[i] = len(needs)
        for need in needs:
            dependents[need].append(i)
    ready = [i for i, count in enumerate(missing) if count == 0]
    result: list[PlannedCall] = []
    while ready:
        chosen = ready.pop(rng.randrange(len(ready)))
        result.append(reads[chosen])
        for after in dependents[chosen]:
            missing[after] -= 1
            if missing[after] == 0:
                bisect.insort(ready, after)
    return result
