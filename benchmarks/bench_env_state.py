"""Cost of one task instance on the real retail database: a fresh state, a write or two, a state hash.

Baseline, measured in the same run: what a deep-copy design pays for the same
thing, ``copy.deepcopy`` of the whole database plus sha256 of its sorted JSON.

    .venv/bin/python benchmarks/bench_env_state.py [--iterations N] [--db PATH]
"""

from __future__ import annotations

import argparse
import copy
import hashlib
import json
import sys
import time
from collections.abc import Callable
from pathlib import Path

from writ_dsl.env.core import Database, Environment
from writ_dsl.env.registry import load_domain

DEFAULT_DB = Path(__file__).resolve().parents[1].parent / "shared" / "data" / "tau2-retail-db.json"


def parse_args() -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--db", type=Path, default=DEFAULT_DB, help="retail database in τ²-bench layout")
    parser.add_argument("--iterations", type=int, default=2000, help="instances for the copy-on-write path")
    parser.add_argument("--baseline-iterations", type=int, default=20, help="instances for the deep-copy baseline")
    return parser.parse_args()


def pick_orders(db: Database, count: int) -> list[tuple[str, str]]:
    """(pending order id, another payment method of its owner), for orders that have one."""
    picked = []
    for order in db.tables["orders"].values():
        methods = db.tables["users"][order["user_id"]]["payment_methods"]
        current = order["payment_history"][0]["payment_method_id"]
        others = [m for m, method in methods.items() if m != current and method["source"] != "gift_card"]
        if order["status"] == "pending" and others:
            picked.append((order["order_id"], others[0]))
    return picked[:count]


def ours(env: Environment, orders: list[tuple[str, str]]) -> Callable[[int], str]:
    def instance(i: int) -> str:
        order_id, method_id = orders[i % len(orders)]
        state = env.new_state()
        moved = env.call(state, "modify_pending_order_payment", {"order_id": order_id, "payment_method_id": method_id})
        cancelled = env.call(state, "cancel_pending_order", {"order_id": order_id, "reason": "no longer needed"})
        if not (moved.ok and cancelled.ok):
            raise RuntimeError(f"benchmark write failed: {moved.error or cancelled.error}")
        return state.state_hash()

    return instance


def baseline(tables: dict, orders: list[tuple[str, str]]) -> Callable[[int], str]:
    def instance(i: int) -> str:
        order_id, _ = orders[i % len(orders)]
        db = copy.deepcopy(tables)
        db["orders"][order_id]["status"] = "cancelled"
        return hashlib.sha256(json.dumps(db, sort_keys=True).encode()).hexdigest()

    return instance


def ms_per_instance(instance: Callable[[int], str], iterations: int) -> float:
    instance(0)
    started = time.perf_counter()
    for i in range(iterations):
        instance(i)
    return (time.perf_counter() - started) * 1000 / iterations


def main() -> int:
    args = parse_args()
    if not args.db.is_file():
        print(f"bench_env_state: retail database not found at {args.db} (pass --db PATH)", file=sys.stderr)
        return 1
    db = Database.from_json_file(args.db)
    env = load_domain("retail").environment(db)
    orders = pick_orders(db, 200)
    started = time.perf_counter()
    db.state_hash()
    first_hash_ms = (time.perf_counter() - started) * 1000
    ours_ms = ms_per_instance(ours(env, orders), args.iterations)
    base_ms = ms_per_instance(baseline(db.tables, orders), args.baseline_iterations)
    print(f"database: {args.db} ({', '.join(f'{t}={len(r)}' for t, r in db.tables.items())})")
    print(f"one-off base digest (first state_hash of the database): {first_hash_ms:.1f} ms")
    print(f"copy-on-write state + 2 writes + state_hash: {ours_ms:.3f} ms/instance ({args.iterations} instances)")
    print(f"deepcopy + sha256(json.dumps(sort_keys)):     {base_ms:.3f} ms/instance ({args.baseline_iterations} instances)")
    print(f"speed-up: {base_ms / ours_ms:.0f}x; target under 1 ms: {'met' if ours_ms < 1 else 'NOT met'}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
