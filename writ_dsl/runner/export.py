"""The output files of a run, written row by row in the order of its tasks (same records, same bytes).

A run writes them as its dialogues finish (:class:`OutputWriter`, fed each task's records in task order),
or rewrites them from ``run.sqlite`` (:func:`export_outputs`, in the order the database keeps: the tasks'
positions); both go through :func:`render_task`, so both give the same bytes. Nothing holds more than one
task's records, and the summary keeps running counts (see :class:`SummaryBuilder`).

- ``trajectories.jsonl``: verified dialogues in the OpenAI chat training format;
- ``rejects.jsonl``: rejected and failed dialogues, each with its reason;
- ``simulations.json``: every finished dialogue in τ²-bench's simulation layout (a JSON array, one
  simulation per line);
- ``summary.json``: counts, reasons, evidence coverage, options.
"""

from __future__ import annotations

import json
import uuid
from collections import Counter, defaultdict
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from itertools import groupby
from pathlib import Path
from typing import Any

from .. import __version__
from ..errors import InputError
from ..io import RowFile, atomic_write
from .json_text import parse_stored
from .messages import Message, from_records
from .pass_rates import attempts_summary, blame_summary, representative, usage_summary
from .store import DB_NAME, RunStore, StoredRow
from .verify import VERIFIED

TRAJECTORIES, REJECTS, SIMULATIONS, SUMMARY = "trajectories.jsonl", "rejects.jsonl", "simulations.json", "summary.json"
META_KEYS = ("fingerprint", "options", "tasks", "tools")
# Who renders rows: rows a run stored are copied only when this same code made them (bump with any change to
# the rows' format, beside the version).
RENDERER = f"writ {__version__} rows 2"


def export_outputs(out_dir: str | Path) -> dict[str, Any]:
    """(Re)write every output file of the run in ``out_dir``; returns the summary."""
    out_dir = Path(out_dir)
    if not (out_dir / DB_NAME).is_file():
        raise InputError(f"{out_dir}: no run here ({DB_NAME} is missing)")
    with RunStore(out_dir) as store:
        meta = export_meta(store)
        writer = OutputWriter(out_dir, meta)
        try:
            for task_id, stored, records in store.tasks_for_export(RENDERER):
                rows = unpack_rows(stored, meta) if stored is not None else None
                writer.add(rows if rows is not None else render_task(records or store.attempts_of(task_id), meta))
        except BaseException:
            writer.discard()
            raise
    return writer.commit()


@dataclass
class TaskRows:
    """One task's finished dialogues as output rows (UTF-8, encoded where they are made: a worker of a
    stream): file lines (as rendered, a line each; as copied from the store, all in one piece), simulation
    items, and tallies for the summary (its records without their messages)."""

    trajectories: list[bytes] = field(default_factory=list)
    rejects: list[bytes] = field(default_factory=list)
    simulations: list[bytes] = field(default_factory=list)
    tallies: list[dict[str, Any]] = field(default_factory=list)


def render_task(attempts: list[dict[str, Any]], meta: dict[str, Any], *, marked: bool = False) -> TaskRows:
    """The rows of one task's records (its attempts, in order); ``marked``: with each trajectory line's tool
    list left out, as the store keeps them (:func:`render_packed`)."""
    rows = TaskRows()
    parsed = {id(record): _messages(record) for record in attempts}
    rows.trajectories = [trajectory_line(r, meta, parsed[id(r)], marked).encode() for r in kept(attempts, meta)]
    for record in attempts:
        if not _ok(record):
            rows.rejects.append(_line(reject(record, parsed[id(record)])).encode())
        rows.simulations.append(_dumps(simulation(record, meta, parsed[id(record)])).encode())
        rows.tallies.append(_slim(record))
    return rows


def render_packed(attempts: list[dict[str, Any]], meta: dict[str, Any]) -> tuple[bytes, bytes, bytes, str]:
    """A task's rows as the store keeps them (:meth:`RunStore.put_rendered`); JSON rows hold no raw newline.

    A trajectory line carries its domain's whole tool list, the same in every line of the run (a third of
    the line): the store keeps ``NUL domain NUL`` in its place, and :func:`unpack_rows` puts it back. JSON
    text never holds a raw NUL (control characters are escaped), so the mark cannot clash with a row."""
    rows = render_task(attempts, meta, marked=True)
    return (b"".join(rows.trajectories), b"".join(rows.rejects), b"\n".join(rows.simulations),
            _dumps(rows.tallies))


def unpack_rows(stored: tuple[bytes, bytes, bytes, str], meta: dict[str, Any]) -> TaskRows | None:
    """Stored rows as the files take them: the trajectory lines in one piece (the tool lists put back) and
    the reject lines in another, each written at once; None if the run no longer lists a marked domain's tools."""
    trajectories, rejects, simulations, tallies = stored
    pieces = trajectories.split(b"\0")  # text, domain, text, domain, ..., text
    lists = _tool_lists(meta)
    if not all(domain.decode() in lists for domain in pieces[1::2]):
        return None
    pieces[1::2] = [lists[domain.decode()] for domain in pieces[1::2]]
    return TaskRows([b"".join(pieces)] if trajectories else [], [rejects] if rejects else [],
                    simulations.split(b"\n") if simulations else [], json.loads(tallies))


def render_stored(store: RunStore, task_ids: Iterable[str], meta: dict[str, Any]) -> None:
    """Render finished tasks' rows from their stored records and keep them, for the exports to copy."""
    rendered = {task_id: render_packed(store.attempts_of(task_id), meta) for task_id in task_ids}
    if rendered:
        store.put_rendered(rendered, RENDERER)


def commit_rendered(store: RunStore, rows: list[StoredRow], finished: dict[str, Iterable[int]],
                    meta: dict[str, Any]) -> None:
    """Commit a batch of records and, in the same transaction, the rows of each finished task (task id ->
    every attempt it has) whose attempts are all in the batch, rendered from the very texts stored (the
    same bytes as from ``run.sqlite``); a finished task with attempts committed earlier is rendered from the
    store after the commit."""
    texts: dict[str, dict[int, str]] = defaultdict(dict)
    for task_id, attempt, _, _, text in rows:
        texts[task_id][attempt] = text
    whole = [task_id for task_id, attempts in finished.items() if set(attempts) == set(texts.get(task_id, ()))]
    try:
        rendered = {task_id: render_packed([parse_stored(text) for _, text in sorted(texts[task_id].items())], meta)
                    for task_id in whole}
        store.commit_stored(rows, rendered, RENDERER)
    except BaseException:
        store.commit_stored(rows)  # the dialogues are kept whatever happens to their rows (a full disk, a bug)
        raise
    render_stored(store, [task_id for task_id in finished if task_id not in rendered], meta)


def export_meta(store: RunStore) -> dict[str, Any]:
    return {key: store.get_meta(key) for key in META_KEYS}


_ENCODED_TOOLS: dict[int, tuple[Any, dict[str, str], dict[str, bytes]]] = {}  # id of a run's tool lists -> them, encoded


def _encoded_tools(meta: dict[str, Any]) -> tuple[Any, dict[str, str], dict[str, bytes]]:
    """Per domain, its tool list as a trajectory line holds it (``, "tools": [...]``), encoded once per run."""
    tools = meta.get("tools") or {}
    cached = _ENCODED_TOOLS.get(id(tools))
    if cached is None or cached[0] is not tools:
        if len(_ENCODED_TOOLS) > 64:
            _ENCODED_TOOLS.clear()
        texts = {domain: ', "tools": ' + json.dumps(listed, ensure_ascii=False) for domain, listed in tools.items()}
        cached = _ENCODED_TOOLS[id(tools)] = (tools, texts, {d: text.encode() for d, text in texts.items()})
    return cached


def _tool_lists(meta: dict[str, Any]) -> dict[str, bytes]:
    return _encoded_tools(meta)[2]


def trajectory_line(record: dict[str, Any], meta: dict[str, Any], messages: list[Message] | None = None,
                    marked: bool = False) -> str:
    """``_line(trajectory(record, meta))``, with the domain's tool list encoded once per run, not per line
    (``marked``: ``NUL domain NUL`` in its place, where the run lists the domain's tools)."""
    listed = _encoded_tools(meta)[1].get(record["domain"], ', "tools": []')
    if marked and record["domain"] in _tool_lists(meta):
        listed = f"\0{record['domain']}\0"
    head = _dumps(_trajectory_head(record, messages))
    tail = _dumps(_optional(record, "attempt", "usage"))
    return f"{head[:-1]}{listed}{', ' + tail[1:-1] if tail != '{}' else ''}}}\n"


class OutputWriter:
    """The output files of ``out_dir``, written as tasks' rows arrive; :meth:`commit` puts them in place
    with the summary, :meth:`discard` leaves the earlier files as they were."""

    def __init__(self, out_dir: Path, meta: dict[str, Any]) -> None:
        self.out_dir = out_dir
        self.files: list[RowFile] = []
        self.trajectories = self._open(TRAJECTORIES)
        self.rejects = self._open(REJECTS)
        self.simulations = self._open(SIMULATIONS, array=True)
        self.summary = SummaryBuilder(meta)

    def _open(self, name: str, array: bool = False) -> RowFile:
        try:
            self.files.append(RowFile(self.out_dir / name, array=array))
        except BaseException:
            self.discard()
            raise
        return self.files[-1]

    def add(self, rows: TaskRows) -> None:
        for line in rows.trajectories:
            self.trajectories.write(line)
        for line in rows.rejects:
            self.rejects.write(line)
        for item in rows.simulations:
            self.simulations.write(item)
        self.summary.add(rows.tallies)

    def commit(self) -> dict[str, Any]:
        for handle in self.files:
            handle.commit()
        summary = self.summary.result()
        atomic_write(self.out_dir / SUMMARY, _pretty(summary))
        return summary

    def discard(self) -> None:
        for handle in self.files:
            handle.discard()


_TALLIED = ("task_id", "task", "outcome", "reason", "domain", "trajectory_type", "behavior", "writes", "evidence",
            "usage", "blame")


def _slim(record: dict[str, Any]) -> dict[str, Any]:
    """What the summary reads of a record: no messages (counted), coverage as bare figures."""
    found = {key: record[key] for key in _TALLIED if key in record}
    found["message_count"] = len(record["messages"])
    if _ok(record):
        found["coverage"] = [(w["covered"], w["evidence"], bool(w["missing"]))
                             for w in record.get("evidence_coverage") or []]
    return found


def kept(attempts: Iterable[dict[str, Any]], meta: dict[str, Any]) -> Iterator[dict[str, Any]]:
    """The verified dialogues of one task to export: its first, or (``keep all``) each distinct one."""
    keep_all = (meta.get("options") or {}).get("keep") == "all"
    seen: set[str] = set()
    for record in attempts:
        if not _ok(record):
            continue
        if not keep_all:
            yield record
            return
        text = json.dumps(record["messages"], sort_keys=True)
        if text not in seen:
            yield record
            seen.add(text)


def _ok(record: dict[str, Any]) -> bool:
    return record["outcome"] == VERIFIED


def _dumps(value: Any) -> str:
    """A row's JSON text. Rows are trees built here from parsed records, never cyclic: the encoder's
    cycle check (a third of its time on a dialogue's rows) is left out."""
    return json.dumps(value, ensure_ascii=False, check_circular=False)


def _line(value: Any) -> str:
    return _dumps(value) + "\n"


def _pretty(value: Any) -> str:
    return json.dumps(value, ensure_ascii=False, indent=1) + "\n"


# ----------------------------------------------------------------------- formats
def _messages(record: dict[str, Any]) -> list[Message]:
    return from_records(record["messages"])


def trajectory(record: dict[str, Any], meta: dict[str, Any]) -> dict[str, Any]:
    return {
        **_trajectory_head(record),
        "tools": (meta.get("tools") or {}).get(record["domain"], []),
        **_optional(record, "attempt", "usage"),
    }


def _trajectory_head(record: dict[str, Any], messages: list[Message] | None = None) -> dict[str, Any]:
    return {
        "task_id": record["task_id"],
        "domain": record["domain"],
        "trajectory_type": record["trajectory_type"],
        "has_user_script": True,
        "behavior": record["behavior"],
        "messages": [m.to_openai() for m in (messages if messages is not None else _messages(record))],
    }


def _optional(record: dict[str, Any], *keys: str) -> dict[str, Any]:
    return {key: record[key] for key in keys if key in record}


def reject(record: dict[str, Any], messages: list[Message] | None = None) -> dict[str, Any]:
    return {
        "task_id": record["task_id"],
        "domain": record["domain"],
        "status": record["outcome"],  # rejected | failed
        "reason": record.get("reason"),
        "detail": record.get("detail"),
        "problems": record.get("problems") or [],
        "termination_reason": record.get("termination_reason"),
        "trajectory_type": record.get("trajectory_type"),
        "behavior": record.get("behavior"),
        "messages": [m.to_openai() for m in (messages if messages is not None else _messages(record))],
        **_optional(record, "attempt", "blame", "usage"),
    }


def simulation(record: dict[str, Any], meta: dict[str, Any], parsed: list[Message] | None = None) -> dict[str, Any]:
    messages = [m for m in (parsed if parsed is not None else _messages(record)) if m.role != "system"]
    key = f"{meta.get('fingerprint')}\0{record['task_id']}" + (f"\0{record['attempt']}" if "attempt" in record else "")
    return {
        "id": str(uuid.uuid5(uuid.NAMESPACE_URL, key)),
        "task_id": record["task_id"],
        "trial": record.get("attempt", 0),
        "seed": record.get("seed"),
        "termination_reason": record["termination_reason"],
        "agent_cost": None,
        "user_cost": None,
        "reward_info": reward_info(record),
        "messages": [tau2_message(m, i) for i, m in enumerate(messages)],
        **NO_CLOCK,
    }


# τ²-bench's simulation model requires these; writ records no wall-clock time, so they are fixed values
# (empty times, zero duration) and the same run always gives the same bytes.
NO_CLOCK = {"timestamp": "", "start_time": "", "end_time": "", "duration": 0.0}


def tau2_message(message: Message, turn: int) -> dict[str, Any]:
    if message.role == "tool":
        return {"id": message.tool_call_id, "role": "tool", "content": message.content, "requestor": "assistant",
                "error": message.error, "turn_idx": turn}
    calls = [{"id": c.id, "name": c.name, "arguments": c.arguments if c.arguments is not None else {},
              "requestor": message.role} for c in message.tool_calls]
    return {"role": message.role, "content": message.content, "tool_calls": calls or None, "turn_idx": turn}


def reward_info(record: dict[str, Any]) -> dict[str, Any]:
    final, gold = record.get("final_hash"), record.get("gold_state_hash")
    db_match = final is not None and final == gold
    return {
        "reward": 1.0 if _ok(record) else 0.0,
        "reward_basis": ["DB", "COMMUNICATE"],
        "db_check": {"db_match": db_match, "db_reward": 1.0 if db_match else 0.0},
        "communicate_checks": record.get("communicate_checks") or [],
        "info": {"outcome": record["outcome"], "reason": record.get("reason")},
    }


# ----------------------------------------------------------------------- summary
class SummaryBuilder:
    """``summary.json`` from each task's tallies in turn: running counts for every run, and the tallies
    themselves only where the summary needs them all (several attempts) or has something to say of them
    (token usage, blame)."""

    def __init__(self, meta: dict[str, Any]) -> None:
        self.meta = meta
        options = meta.get("options") or {}
        self.keep_every = int(options.get("attempts") or 1) > 1
        self.finished = 0
        self.outcomes: Counter[str] = Counter()
        self.reasons: dict[str, Counter[str]] = defaultdict(Counter)
        self.tables: dict[str, dict[str, Counter[str]]] = {f: defaultdict(Counter) for f in _BREAKDOWNS}
        self.writes = self.fully_covered = 0
        self.ratios: list[float] = []
        self.verified_messages: list[int] = []
        self.kept: list[dict[str, Any]] = []

    def add(self, attempts: list[dict[str, Any]]) -> None:
        """The tallies of one task's attempts."""
        if not attempts:
            return
        self.kept.extend(t for t in attempts if self.keep_every or t.get("usage") or t.get("blame"))
        chosen = representative(attempts)
        self.finished += 1
        self.outcomes[chosen["outcome"]] += 1
        if not _ok(chosen):
            self.reasons[chosen["outcome"]][chosen.get("reason") or "unknown"] += 1
        for name, table in self.tables.items():
            table[str(chosen.get(name))][chosen["outcome"]] += 1
        if _ok(chosen):
            self._covered(chosen)

    def _covered(self, tally: dict[str, Any]) -> None:
        self.verified_messages.append(tally["message_count"])
        for covered, evidence, missing in tally.get("coverage") or []:
            self.writes += 1
            self.fully_covered += not missing
            if evidence:
                self.ratios.append(covered / evidence)

    def result(self) -> dict[str, Any]:
        total = self.meta.get("tasks") or self.finished
        return {
            "tasks": total,
            "finished": self.finished,
            "pending": max(total - self.finished, 0),
            **{outcome: self.outcomes.get(outcome, 0) for outcome in ("verified", "rejected", "failed")},
            "reasons": {outcome: dict(sorted(counts.items())) for outcome, counts in sorted(self.reasons.items())},
            **{f"by_{name}": _table(table) for name, table in self.tables.items()},
            "evidence_coverage": {"writes": self.writes, "fully_covered": self.fully_covered,
                                  "mean_ratio": _mean(self.ratios)},
            "mean_messages_verified": _mean(self.verified_messages),
            "options": self.meta.get("options"),
            "fingerprint": self.meta.get("fingerprint"),
            **_llm_summary(self.kept, self.meta),
        }


_BREAKDOWNS = ("domain", "trajectory_type", "behavior")


def _table(table: dict[str, Counter[str]]) -> dict[str, dict[str, int]]:
    return {name: {k: counts.get(k, 0) for k in ("verified", "rejected", "failed")}
            for name, counts in sorted(table.items())}


def summarize(records: Iterable[dict[str, Any]], meta: dict[str, Any]) -> dict[str, Any]:
    """The summary of records grouped by task (in any order of tasks)."""
    builder = SummaryBuilder(meta)
    for _, attempts in groupby(records, key=lambda record: record["task_id"]):
        builder.add([_slim(r) for r in attempts])
    return builder.result()


def _llm_summary(records: list[dict[str, Any]], meta: dict[str, Any]) -> dict[str, Any]:
    """Usage, blame and pass rates: present only in runs that have them (offline summaries stay as they were)."""
    found: dict[str, Any] = {}
    usage, blamed = usage_summary(records), blame_summary(records)
    if usage is not None:
        found["usage"] = usage
    if blamed is not None:
        found["blame"] = blamed
    options = meta.get("options") or {}
    if int(options.get("attempts") or 1) > 1:
        found["attempts"] = attempts_summary(records, options)
    return found


def _mean(values: list[float] | list[int]) -> float | None:
    return round(sum(values) / len(values), 4) if values else None
