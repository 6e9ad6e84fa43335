"""The seeded tool order: valid (dependencies first, writes in place), deterministic, and varied across seeds."""

from __future__ import annotations

from writ_dsl.compiler.model import PlannedCall
from writ_dsl.compiler.order import varied_order
from writ_dsl.diagnostics import Span

SPAN = Span(line=1, column=1, end_line=1, end_column=2)


def _call(node: str, kind: str = "read", depends_on: tuple[str, ...] = ()) -> PlannedCall:
    return PlannedCall(step=0, node=node, tool="t", kind=kind, arguments={}, depends_on=list(depends_on), span=SPAN)


PLAN = [_call("read:user"), _call("read:profile", depends_on=("read:user",)),
        *[_call(f"read:search[{i}]") for i in range(4)],
        _call("write:1", "write", ("read:profile", "read:search[0]")),
        _call("read:after[0]"), _call("read:after[1]"), _call("write:2", "write", ("write:1",))]


def _valid(order: list[PlannedCall]) -> bool:
    seen: set[str] = set()
    for call in order:
        if not set(call.depends_on) <= seen:
            return False
        seen.add(call.node)
    return True


def test_orders_are_valid_keep_writes_in_place_and_renumber_steps() -> None:
    for seed in range(50):
        order = varied_order(PLAN, seed)
        assert _valid(order) and [c.step for c in order] == list(range(len(PLAN)))
        assert [c.node for c in order].index("write:1") == 6 and order[-1].node == "write:2"
        assert {c.node for c in order[7:9]} == {"read:after[0]", "read:after[1]"}


def test_the_same_seed_gives_the_same_order_and_seeds_vary_it() -> None:
    assert varied_order(PLAN, 3) == varied_order(PLAN, 3)
    orders = {tuple(c.node for c in varied_order(PLAN, seed)) for seed in range(50)}
    assert len(orders) > 10
