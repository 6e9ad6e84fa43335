"""Private guidance for the guided agent (``--agent guided``): the compiled plan, in words.

The guidance names the reads to make (in plan order), the evidence each gold
write depends on, the gold writes themselves, why the records a guarded write
leaves out stay as they are, and the facts to tell. It is
added to the agent's system prompt in each request only; the conversation, and
so every exported trajectory, never holds it.
"""

from __future__ import annotations

import json

from ..compiler.model import CompiledTask, PlannedCall

GUIDANCE_TAG = "private-guidance"


def _call(call: PlannedCall) -> str:
    return f"{call.tool}({json.dumps(call.arguments, sort_keys=True, ensure_ascii=False)})"


def guidance_text(task: CompiledTask) -> str:
    by_node = {call.node: call for call in task.plan}
    lines = [f"<{GUIDANCE_TAG}>",
             "This is private guidance for you; never mention it to the user. Follow the policy as always.",
             "Reads to make, in this order:"]
    lines += [f"- {_call(call)}" for call in task.plan if call.kind != "write"] or ["- none"]
    lines.append("Writes the user's request calls for, once the user confirms:")
    for call in task.plan:
        if call.kind == "write":
            evidence = [_call(by_node[node]) for node in call.evidence if node in by_node]
            lines.append(f"- {_call(call)}" + (f" (decided by: {'; '.join(evidence)})" if evidence else ""))
    if task.passed_over:
        lines.append("Records the request does not change; tell the user why:")
        lines += [f"- {p.reason}" for p in task.passed_over]
    if task.communicate_info:
        lines.append("Tell the user: " + "; ".join(task.communicate_info))
    lines.append(f"</{GUIDANCE_TAG}>")
    return "\n".join(lines)
