"""The retail policy as code: rules over a task's gold writes (see writ_dsl.env.policy).

Each rule returns the violations it finds; the compiler rejects an instance
with any, so no spec can teach a change the policy forbids.
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence

from writ_dsl.env.core import Database
from writ_dsl.env.policy import Action

ORDER_WRITES = frozenset({
    "cancel_pending_order", "modify_pending_order_address", "modify_pending_order_items",
    "modify_pending_order_payment", "return_delivered_order_items", "exchange_delivered_order_items",
})
CANCEL_REASONS = frozenset({"no longer needed", "ordered by mistake"})


def nothing_after_item_change(actions: Sequence[Action], db: Database) -> Iterator[str]:
    """After its items change, an order can be neither modified again nor cancelled: in the task, or before it
    (an order whose status is already "pending (item modified)")."""
    orders = db.tables.get("orders", {})
    modified = {order for action in actions if (order := action.get("order_id")) in orders
                and orders[order].get("status") == "pending (item modified)"}
    for action in actions:
        order = action.get("order_id")
        if action.name in ORDER_WRITES and order in modified:
            yield f"{action.name} on order {order} after its items were modified"
        if action.name == "modify_pending_order_items":
            modified.add(order)


def one_return_or_exchange(actions: Sequence[Action], db: Database) -> Iterator[str]:
    """A delivered order can be returned or exchanged once: every item is collected first."""
    seen: set[str] = set()
    for action in actions:
        if action.name in ("return_delivered_order_items", "exchange_delivered_order_items"):
            order = action.get("order_id")
            if order in seen:
                yield f"a second return or exchange on order {order}"
            seen.add(order)


def cancel_reason_allowed(actions: Sequence[Action], db: Database) -> Iterator[str]:
    """A cancellation gives one of the two accepted reasons."""
    for action in actions:
        if action.name == "cancel_pending_order" and action.get("reason") not in CANCEL_REASONS:
            yield f"cancellation reason {action.get('reason')!r} is not accepted"


def one_customer(actions: Sequence[Action], db: Database) -> Iterator[str]:
    """Every change concerns the one authenticated customer."""
    orders = db.tables.get("orders", {})
    owners = {action.get("user_id") for action in actions if "user_id" in action.arguments}
    owners |= {orders[o]["user_id"] for action in actions if (o := action.get("order_id")) in orders}
    if len(owners) > 1:
        yield f"changes for {len(owners)} customers in one conversation"


def transfer_ends(actions: Sequence[Action], db: Database) -> Iterator[str]:
    """A hand-off to a human agent ends the agent's part of the conversation."""
    names = [action.name for action in actions]
    if "transfer_to_human_agents" in names[:-1]:
        yield "changes after transferring to a human agent"


RULES = (nothing_after_item_change, one_return_or_exchange, cancel_reason_allowed, one_customer, transfer_ends)
