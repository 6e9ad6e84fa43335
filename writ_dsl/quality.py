"""How good the dialogues are as training data (the quality section of ``writ stats``).

Over a synthesis folder (``tasks.jsonl`` + ``trajectories.jsonl``) it measures:

- distinct-n of user and of assistant turns, with ids, numbers and emails masked (unique n-grams / all n-grams
  over every turn of the role, corpus-wide). Text is lower-cased and split into words and punctuation marks (a
  full stop is its own token unless it sits inside a word, as in "12.50" or an email), then every token holding a
  digit becomes ``<num>`` and every email ``<email>``: reservation and order ids, user ids, amounts and dates all
  mask, so variety comes from the wording, not from the data. Names of people, products and places stay;
- the share of distinct first user messages;
- tool-order variety: per template whose plan has independent reads, how many distinct call orders its
  instances show;
- lints, each a list of task ids: ``write-without-figures`` (a write made before the figures that go with it
  were told, read as the verifier reads them: case and thousands separators aside), ``write-without-confirmation``
  (a change made without a yes from the user to the agent's last request for confirmation since the previous
  change), ``unasked-refusal`` (a refusal of something the user never asked), ``persona-contradiction``
  (the persona places the user in a city that the profile's address does not), ``duplicate-dialogue`` (two
  instances with the same dialogue text).
"""

from __future__ import annotations

import hashlib
import json
import re
from collections import Counter, defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from typing import Any

from .runner.phrasing import asks_confirmation, is_affirmative
from .runner.verify import states

LINTS = ("write-without-figures", "write-without-confirmation", "unasked-refusal", "persona-contradiction",
         "duplicate-dialogue")
_TOKEN = re.compile(r"[\w#@'-]+(?:\.[\w#@'-]+)*|[^\w\s]")
_REFUSAL = re.compile(r"\b(not able to|unable to)\b[^.]*\b(policy)\b", re.I)
_LIVES = re.compile(r"\b(?:lives|living|based|resident) in ([A-Z][A-Za-z]+(?: [A-Z][A-Za-z]+)*)")


@dataclass
class Quality:
    dialogues: int = 0
    distinct: dict[str, dict[int, float]] = field(default_factory=dict)  # role -> n -> ratio
    first_messages: int = 0
    distinct_first_messages: int = 0
    tool_orders: dict[str, int] = field(default_factory=dict)  # template with independent reads -> orders seen
    lints: dict[str, list[str]] = field(default_factory=lambda: {name: [] for name in LINTS})

    @property
    def distinct_first_share(self) -> float:
        return self.distinct_first_messages / self.first_messages if self.first_messages else 0.0

    @property
    def single_order_templates(self) -> list[str]:
        return sorted(name for name, orders in self.tool_orders.items() if orders < 2)

    def to_json(self) -> dict[str, Any]:
        return {
            "dialogues": self.dialogues,
            "distinct_n": {role: {str(n): round(v, 4) for n, v in by_n.items()} for role, by_n in self.distinct.items()},
            "distinct_first_messages": round(self.distinct_first_share, 4),
            "tool_orders_per_template": dict(sorted(self.tool_orders.items())),
            "single_order_templates": self.single_order_templates,
            "lints": {name: len(ids) for name, ids in self.lints.items()},
            "lint_examples": {name: ids[:5] for name, ids in self.lints.items() if ids},
        }


    def summary_lines(self) -> list[str]:
        """The quality section as text lines (for ``writ stats``)."""
        lines = [f"quality of {self.dialogues} dialogues (ids, numbers and emails masked)"]
        for role, by_n in self.distinct.items():
            lines.append(f"  distinct-n {role:<9} " + "  ".join(f"{n}: {v:.4f}" for n, v in by_n.items()))
        lines.append(f"  distinct first user messages: {self.distinct_first_share:.1%} of {self.first_messages}")
        single = self.single_order_templates
        lines.append(f"  templates with independent reads: {len(self.tool_orders)}, "
                     f"with a single tool order: {len(single)}" + (f" ({', '.join(single)})" if single else ""))
        for name, ids in self.lints.items():
            lines.append(f"  lint {name}: {len(ids)}" + (f" (e.g. {ids[0]})" if ids else ""))
        return lines


# ------------------------------------------------------------------------ text
def mask(text: str) -> list[str]:
    """Lower-case tokens with every token holding a digit or an @ replaced by a placeholder."""
    tokens = []
    for token in _TOKEN.findall(text.lower()):
        if "@" in token:
            tokens.append("<email>")
        elif any(ch.isdigit() for ch in token):
            tokens.append("<num>")
        else:
            tokens.append(token)
    return tokens


def distinct_n(texts: Iterable[str], n: int) -> float:
    grams: Counter[tuple[str, ...]] = Counter()
    for text in texts:
        tokens = mask(text)
        grams.update(tuple(tokens[i:i + n]) for i in range(len(tokens) - n + 1))
    total = sum(grams.values())
    return len(grams) / total if total else 0.0


def _texts(messages: Sequence[dict[str, Any]], role: str) -> list[str]:
    return [m["content"] for m in messages if m.get("role") == role and isinstance(m.get("content"), str)]


# ------------------------------------------------------------------------ measure
def measure(tasks: Sequence[dict[str, Any]], trajectories: Sequence[dict[str, Any]]) -> Quality:
    by_id = {task["id"]: task for task in tasks}
    quality = Quality(dialogues=len(trajectories))
    for role in ("user", "assistant"):
        texts = [t for row in trajectories for t in _texts(row.get("messages", []), role)]
        quality.distinct[role] = {n: distinct_n(texts, n) for n in (1, 2, 3)}
    firsts = [next(iter(_texts(row.get("messages", []), "user")), "") for row in trajectories]
    quality.first_messages, quality.distinct_first_messages = len(firsts), len(set(firsts))
    quality.tool_orders = _tool_orders(by_id, trajectories)
    seen: dict[str, str] = {}
    for row in trajectories:
        task = by_id.get(row.get("task_id"))
        if task is not None:
            _lint(quality, task, row.get("messages", []), seen)
    return quality


def _tool_orders(by_id: dict[str, Any], trajectories: Sequence[dict[str, Any]]) -> dict[str, int]:
    orders: dict[str, set[tuple[str, ...]]] = defaultdict(set)
    for row in trajectories:
        task = by_id.get(row.get("task_id"))
        if task is None or not has_independent_reads(task.get("plan", [])):
            continue
        orders[task["task"]].add(tuple(call_nodes(task, row.get("messages", []))))
    return {name: len(found) for name, found in orders.items()}


def has_independent_reads(plan: Sequence[dict[str, Any]]) -> bool:
    """Whether two reads of the plan could run in either order (neither needs the other)."""
    needs = {call["node"]: set(call.get("depends_on", [])) for call in plan}

    def ancestors(node: str, found: set[str]) -> set[str]:
        for parent in needs.get(node, ()):
            if parent not in found:
                found.add(parent)
                ancestors(parent, found)
        return found

    reads = [call["node"] for call in plan if call.get("kind") == "read"]
    closure = {node: ancestors(node, set()) for node in reads}
    return any(b not in closure[a] and a not in closure[b] for i, a in enumerate(reads) for b in reads[i + 1:])


def call_nodes(task: dict[str, Any], messages: Sequence[dict[str, Any]]) -> list[str]:
    """The plan nodes of the dialogue's tool calls, in the order they were made."""
    keys = {(c["tool"], _canonical(c["arguments"])): c["node"] for c in task.get("plan", [])}
    found = []
    for message in messages:
        for call in message.get("tool_calls") or []:
            function = call.get("function", {})
            try:
                arguments = json.loads(function.get("arguments") or "{}")
            except ValueError:
                continue
            node = keys.get((function.get("name"), _canonical(arguments)))
            if node is not None and node not in found:
                found.append(node)
    return found


def _canonical(value: Any) -> str:
    return json.dumps(value, sort_keys=True, separators=(",", ":"))


# ------------------------------------------------------------------------ lints
def _lint(quality: Quality, task: dict[str, Any], messages: Sequence[dict[str, Any]], seen: dict[str, str]) -> None:
    task_id = task["id"]
    checks = {
        "write-without-figures": _write_without_figures(task, messages),
        "write-without-confirmation": _write_without_confirmation(task, messages),
        "unasked-refusal": _unasked_refusal(messages),
        "persona-contradiction": _persona_contradiction(task, messages),
    }
    for name, found in checks.items():
        if found:
            quality.lints[name].append(task_id)
    text = "\n".join(f"{m.get('role')}: {m.get('content')}" for m in messages if m.get("role") in ("user", "assistant"))
    digest = hashlib.sha256(text.encode()).hexdigest()
    if digest in seen:
        quality.lints["duplicate-dialogue"].append(f"{seen[digest]} = {task_id}")
    seen.setdefault(digest, task_id)


def _write_without_figures(task: dict[str, Any], messages: Sequence[dict[str, Any]]) -> bool:
    writes = [a["name"] for a in task.get("gold_actions", [])]
    said, index = "", 0
    for message in messages:
        if message.get("role") == "assistant" and isinstance(message.get("content"), str):
            said += " " + message["content"]
        for call in message.get("tool_calls") or []:
            name = call.get("function", {}).get("name")
            if index < len(writes) and name == writes[index]:
                owed = [f["text"] for f in task.get("facts", []) if f.get("write") == index]
                if not all(states(said, fact) for fact in owed):
                    return True
                index += 1
    return False


def _write_without_confirmation(task: dict[str, Any], messages: Sequence[dict[str, Any]]) -> bool:
    """A write call with no yes to the agent's last request for confirmation (each write needs its own)."""
    writes = {action["name"] for action in task.get("gold_actions", [])}
    asked = agreed = False
    for message in messages:
        content = message.get("content") if isinstance(message.get("content"), str) else ""
        if message.get("role") == "assistant" and content:
            asked, agreed = asks_confirmation(content), False
        elif message.get("role") == "user" and asked:
            agreed = is_affirmative(content)
        for call in message.get("tool_calls") or []:
            if call.get("function", {}).get("name") in writes:
                if not agreed:
                    return True
                asked = agreed = False
    return False


def _unasked_refusal(messages: Sequence[dict[str, Any]]) -> bool:
    last_user = ""
    for message in messages:
        content = message.get("content") if isinstance(message.get("content"), str) else ""
        if message.get("role") == "user":
            last_user = content
        elif message.get("role") == "assistant" and _REFUSAL.search(content) and "?" not in last_user:
            return True
    return False


def _persona_contradiction(task: dict[str, Any], messages: Sequence[dict[str, Any]]) -> bool:
    persona = (task.get("user_scenario") or {}).get("persona") or ""
    claimed = _LIVES.search(persona)
    if claimed is None:
        return False
    cities = {str(r.get("address", {}).get("city", "")) for r in _results(messages)
              if isinstance(r, dict) and "user_id" in r and isinstance(r.get("address"), dict)}
    return bool(cities) and claimed.group(1) not in cities


def _results(messages: Sequence[dict[str, Any]]) -> list[Any]:
    found = []
    for message in messages:
        if message.get("role") == "tool":
            try:
                found.append(json.loads(message.get("content") or ""))
            except ValueError:
                continue
    return found
