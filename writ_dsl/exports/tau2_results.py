"""``tau2-results``: a run as τ²-bench results files, the layout ``tau2 view`` opens.

One file per domain, ``OUT/<domain>.json``: an object with ``info`` (who
played which role, the policy, the tool signatures), ``tasks`` (the τ²-bench
tasks) and ``simulations`` (every finished dialogue with its reward, with the
fixed clock fields of :data:`writ_dsl.runner.export.NO_CLOCK`: the same run
always gives the same bytes).
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from ..io import atomic_write
from ..runner.export import simulation
from .options import ExportOptions
from .source import Counted, RunSource, json_object
from .tau2_tasks import to_tau2

NAME = "tau2-results"
SUMMARY = "τ²-bench results JSON per domain (info, tasks, simulations), for `tau2 view`"
OUTPUT = "folder"
_POLICY = re.compile(r"^<policy>\n(.*?)\n?(?:^</policy>|\Z)", re.DOTALL | re.MULTILINE)


def write(source: RunSource, out: Path, options: ExportOptions) -> int:
    source.require_run(f"the {NAME} export")
    meta = source.meta()
    out.mkdir(parents=True, exist_ok=True)
    written = 0
    for domain in sorted({r["domain"] for r in source.records()}):
        sims = Counted(result_simulation(r, meta) for r in source.records() if r["domain"] == domain)
        tasks = (to_tau2(task) for task in source.tasks() if task.env == domain)
        fields = [("timestamp", None), ("info", info(source, domain, meta)), ("tasks", tasks),
                  ("simulations", iter(sims))]
        atomic_write(out / f"{domain}.json", json_object(fields))
        written += sims.count
    return written


def info(source: RunSource, domain: str, meta: dict[str, Any]) -> dict[str, Any]:
    options = meta.get("options") or {}
    return {
        "git_commit": f"writ-run {str(meta.get('fingerprint') or '')[:16]}",
        "num_trials": 1,
        "max_steps": options.get("max_steps", 100),
        "max_errors": options.get("max_errors", 10),
        "user_info": {"implementation": f"writ-{options.get('user', 'scripted')}-user",
                      "llm": options.get("user_model"), "llm_args": None,
                      "global_simulation_guidelines": None},
        "agent_info": {"implementation": f"writ-{options.get('agent', 'oracle')}-agent",
                       "llm": options.get("agent_model"), "llm_args": None},
        "environment_info": {"domain_name": domain, "policy": _policy(source, domain),
                             "tool_defs": tool_defs((meta.get("tools") or {}).get(domain, []))},
        "seed": None,
    }


def _policy(source: RunSource, domain: str) -> str:
    """The policy the agent was given: the ``<policy>`` part of a dialogue's system prompt."""
    for record in _of_domain(source, domain):
        system = next((m.get("content") or "" for m in record["messages"] if m["role"] == "system"), "")
        found = _POLICY.search(system)
        return found.group(1) if found else system
    return ""


def _of_domain(source: RunSource, domain: str) -> Iterator[dict[str, Any]]:
    return (r for r in source.records() if r["domain"] == domain)


def tool_defs(tools: list[dict[str, Any]]) -> dict[str, Any]:
    defs = {}
    for tool in tools:
        function = tool.get("function", tool)
        defs[function["name"]] = {"name": function["name"], "doc": function.get("description") or "",
                                  "params": function.get("parameters"), "returns": None}
    return defs


def result_simulation(record: dict[str, Any], meta: dict[str, Any]) -> dict[str, Any]:
    sim = simulation(record, meta)
    sim["termination_reason"] = sim["termination_reason"] or "agent_error"
    checks = sim["reward_info"]["communicate_checks"]
    sim["reward_info"]["communicate_checks"] = [{"justification": "", **check} for check in checks]
    return sim
