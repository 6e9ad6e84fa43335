"""``writ view RUN_DIR -o report.html``: a finished run as one self-contained static HTML page.

The page filters dialogues by domain, trajectory type, template, behaviour and
verdict; shows each as a chat with collapsible tool calls and results, beside
its task's evidence graph; lists rejects with their reasons; and carries the
statistics plots as inline images. It needs no server and makes no request.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from ..exports.source import RunSource
from ..io import atomic_write
from ..plots import render_plots
from ..stats import Stats, collect
from .data import Prompts, dialogues, task_info
from .page import page


@dataclass(frozen=True)
class ReportSummary:
    path: Path
    dialogues: int
    tasks: int
    plots: int


def write_report(run_dir: str | Path, out: str | Path, *, plots: bool = True) -> ReportSummary:
    source = RunSource(Path(run_dir))
    source.require_run("writ view")
    tasks = {task.id: task_info(task) for task in source.tasks()}
    stats = collect(source.path)
    images = render_plots(stats, "png") if plots else {}
    counts: Counter[str] = Counter()
    prompts = Prompts()

    def counted() -> Any:
        for entry in dialogues(source, prompts):
            counts[entry["verdict"]] += 1
            yield entry

    meta = source.meta()
    summary = {**_counts(source), "run": str(meta.get("fingerprint") or "")[:12], "tables": _tables(stats)}
    title = f"writ run {source.path.name}"
    atomic_write(out, page(title, summary, tasks, counted(), prompts.texts, images))
    return ReportSummary(Path(out), sum(counts.values()), len(tasks), len(images))


def _counts(source: RunSource) -> dict[str, int]:
    found = Counter(r["outcome"] for r in source.records())
    return {key: found.get(key, 0) for key in ("verified", "rejected", "failed")}


def _tables(stats: Stats) -> dict[str, dict[str, int]]:
    return {
        f"{stats.unit} by domain / trajectory type": {f"{d} / {t}": n for (d, t), n in
                                                      sorted(stats.by_domain_type.items())},
        f"{stats.unit} by user behaviour": dict(sorted(stats.by_behavior.items())),
        "rejections by reason": dict(sorted(stats.rejections.items())),
    }


__all__ = ["ReportSummary", "write_report"]
