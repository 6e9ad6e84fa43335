"""The per-instance predecessor lists equal the networkx instance graph, and metrics walk them."""

from __future__ import annotations

import networkx as nx

from .test_plan import plan_of

BODY = """
  param u = one of db.users
  read profile = get_user(user_id = u.user_id)
  read users = get_user(user_id = v) for v in ["u0", "u1"], k in [1, 2]
  let pick = first(users)
  write buy(user_id = pick.user_id, item_id = "i0")
  write buy(user_id = profile.user_id, item_id = "i1")
  tell count(users)
  user { reason "r" wants "w" }
"""


def test_instance_preds_equal_the_expanded_graph(tmp_path):
    plan = plan_of(tmp_path, BODY)
    for count in (0, 1, 4):
        graph = plan.expand({"read:users": count})
        preds = plan.instance_preds({"read:users": count})
        assert set(preds) == set(graph.nodes)
        assert all(set(preds[n]) == set(graph.predecessors(n)) for n in graph.nodes)
        order = list(preds)
        assert all(order.index(p) < order.index(n) for n in preds for p in preds[n])
        assert [f"read:users[{i}]" for i in range(count)] == [n for n in order if n.startswith("read:users[")]
    assert nx.is_directed_acyclic_graph(plan.expand({"read:users": 4}))
