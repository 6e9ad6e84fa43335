"""The three-write retail spec, on τ²-bench's own retail database (skipped when it is absent)."""

from __future__ import annotations

import pytest

from writ_dsl.api import compile_paths
from writ_dsl.compiler.compile import CompileOptions
from writ_dsl.env.database import load_database
from writ_dsl.env.registry import load_domain

from .helpers import REPO, SPECS, replay

TAU2_RETAIL = REPO.parent / "shared" / "data" / "tau2-retail-db.json"
pytestmark = [pytest.mark.shared,
              pytest.mark.skipif(not TAU2_RETAIL.is_file(), reason="τ²-bench retail database not available")]


def test_move_and_tidy_orders_on_the_tau2_database():
    options = CompileOptions(n=15, db_path=TAU2_RETAIL)
    result = compile_paths([SPECS / "retail" / "move_and_tidy_orders.writ"], options)
    assert result.ok and len(result.tasks) == 15
    assert not result.reports[0].rejected
    env = load_domain("retail").environment(load_database(str(TAU2_RETAIL)))
    for task in result.tasks:
        assert task.db.source == "file" and task.db.state_hash == env.db.state_hash()
        orders = len(env.db.tables["users"][task.params["owner"]["user_id"]]["orders"])
        assert task.metrics.writes == 3 and task.metrics.evidence_burden == [1, 2 + orders, 2 + orders]
        heavy = "read-heavy-" if orders >= 3 else ""
        assert task.metrics.trajectory_type == f"{heavy}write-intensive"
        names = [a.name for a in task.gold_actions]
        assert names == ["modify_user_address", "modify_pending_order_address", "cancel_pending_order"]
        keep, drop = task.gold_actions[1].arguments["order_id"], task.gold_actions[2].arguments["order_id"]
        totals = {o: sum(i["price"] for i in env.db.tables["orders"][o]["items"]) for o in (keep, drop)}
        assert totals[drop] > totals[keep]
        assert replay(env, task) == task.gold_state_hash
