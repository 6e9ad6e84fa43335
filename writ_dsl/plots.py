"""Plot images for ``writ stats`` and ``writ view`` (matplotlib, no display needed).

Every panel says what it counts in its title and axis labels; legends sit
beside the plot, never over the bars.
"""

from __future__ import annotations

import io
from collections import Counter
from collections.abc import Callable
from pathlib import Path
from typing import Any

from .errors import InputError
from .io import PLOT_PANELS, atomic_write, remove_files
from .stats import TYPES, Stats

Draw = Callable[[Any, Stats], None]
_TYPE_COLORS = ("#8c8c8c", "#4c72b0", "#dd8452", "#c44e52")


def write_plots(stats: Stats, folder: Path, fmt: str = "png") -> list[Path]:
    """Draw each panel as one image file; return the files written. A panel of this format left by an earlier
    call that these stats have no data for is removed, so that the panels of one format are those of one
    call (the other format's files are left to their own next call)."""
    try:
        folder.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise InputError(f"{folder}: cannot create the plots folder: {exc.strerror or exc}") from None
    written = []
    for name, data in render_plots(stats, fmt).items():
        path = folder / f"{name}.{fmt}"
        atomic_write(path, data)
        written.append(path)
    remove_files(folder / f"{name}.{fmt}" for name in PLOT_PANELS if folder / f"{name}.{fmt}" not in written)
    return written


def render_plots(stats: Stats, fmt: str = "png") -> dict[str, bytes]:
    """Each panel's image bytes, by panel name (panels without data are left out, except the first four)."""
    plt = _pyplot()
    images = {}
    for name, (draw, height) in panels(stats).items():
        fig, ax = plt.subplots(figsize=(8, height), dpi=110)
        draw(ax, stats)
        fig.tight_layout()
        buffer = io.BytesIO()
        fig.savefig(buffer, format=fmt, metadata=_metadata(fmt), bbox_inches="tight")
        plt.close(fig)
        images[name] = buffer.getvalue()
    return images


def panels(stats: Stats) -> dict[str, tuple[Draw, float]]:
    found: dict[str, tuple[Draw, float]] = {
        "types": (_types_panel, 4),
        "writes_per_task": (_histogram(stats.writes_per_task, f"Writes per {stats.unit[:-1]}",
                                       "write calls in the task", stats.unit, "#4c72b0"), 4),
        "evidence_burden": (_histogram(stats.burden_per_write, "Evidence burden per write",
                                       "read calls the write's arguments depend on", "writes", "#dd8452"), 4),
        "dialogue_lengths": (_histogram(stats.dialogue_lengths, "Dialogue length: messages per verified dialogue",
                                        "messages (system, user, assistant and tool, all counted)",
                                        "dialogues", "#55a868"), 4),
    }
    if stats.by_template:
        found["templates"] = (_bars(stats.by_template, f"{stats.unit.capitalize()} per template",
                                    stats.unit, _task_name), max(3.0, 0.24 * len(stats.by_template) + 1))
    if stats.by_behavior:
        found["behaviors"] = (_bars(stats.by_behavior, f"{stats.unit.capitalize()} per user behaviour",
                                    stats.unit, str), max(3.0, 0.3 * len(stats.by_behavior) + 1))
    if stats.dialogue_tokens:
        found["dialogue_tokens"] = (_tokens_panel, 4)
    if stats.run.get("verified_rate_by_evidence_burden"):
        found["verified_rate"] = (_rate_panel, 4)
    return found


def _rate_panel(ax: Any, stats: Stats) -> None:
    """Verified rate against the two WRIT axes: evidence burden and number of writes."""
    for key, label, color in (("verified_rate_by_evidence_burden", "largest evidence burden of the task", "#dd8452"),
                              ("verified_rate_by_writes", "writes in the task", "#4c72b0")):
        table = stats.run.get(key) or {}
        xs = [int(x) for x, row in table.items() if row["rate"] is not None]
        ax.plot(xs, [100 * table[str(x)]["rate"] for x in xs], marker="o", label=label, color=color)
    ax.set_title("Verified rate against evidence burden and writes")
    ax.set_xlabel("read calls (evidence burden) / write calls")
    ax.set_ylabel("verified dialogues (% of tasks run)")
    ax.set_ylim(0, 105)
    ax.legend(fontsize=8, loc="center left", bbox_to_anchor=(1.01, 0.5))


def _pyplot() -> Any:
    import matplotlib

    matplotlib.use("Agg")
    matplotlib.rcParams["svg.hashsalt"] = "writ-stats"
    import matplotlib.pyplot as plt

    return plt


def _metadata(fmt: str) -> dict[str, str | None]:
    # No creation dates or software versions: the same stats give the same file.
    return {"Date": None} if fmt == "svg" else {"Software": None}


def _types_panel(ax: Any, stats: Stats) -> None:
    domains = sorted({d for d, _ in stats.by_domain_type})
    bottom = [0] * len(domains)
    for kind, color in zip(TYPES, _TYPE_COLORS):
        counts = [stats.by_domain_type.get((d, kind), 0) for d in domains]
        ax.bar(domains, counts, bottom=bottom, label=kind, color=color, width=0.6)
        bottom = [b + c for b, c in zip(bottom, counts)]
    ax.set_title(f"{stats.unit.capitalize()} by domain and trajectory type (total {stats.total})")
    ax.set_xlabel("domain")
    ax.set_ylabel(stats.unit)
    ax.legend(title="trajectory type", fontsize=8, loc="upper left", bbox_to_anchor=(1.01, 1.0), frameon=False)


def _histogram(counter: Counter[int], title: str, xlabel: str, ylabel: str, color: str) -> Draw:
    def draw(ax: Any, stats: Stats) -> None:
        if not counter:
            ax.text(0.5, 0.5, "no data", ha="center", va="center", transform=ax.transAxes)
        else:
            xs = sorted(counter)
            ax.bar(xs, [counter[x] for x in xs], color=color, width=0.8)
        ax.set_title(title)
        ax.set_xlabel(xlabel)
        ax.set_ylabel(ylabel)

    return draw


def _bars(counter: Counter[str], title: str, unit: str, label: Callable[[str], str]) -> Draw:
    def draw(ax: Any, stats: Stats) -> None:
        names = sorted(counter, reverse=True)
        ax.barh([label(n) for n in names], [counter[n] for n in names], color="#4c72b0")
        ax.set_title(title)
        ax.set_xlabel(unit)
        ax.tick_params(axis="y", labelsize=7)

    return draw


def _task_name(template: str) -> str:
    return template.rsplit("::", 1)[-1]


def _tokens_panel(ax: Any, stats: Stats) -> None:
    ax.hist(stats.dialogue_tokens, bins=min(30, max(5, len(set(stats.dialogue_tokens)))), color="#8172b3")
    ax.set_title(f"Tokens per verified dialogue ({stats.tokenizer})")
    ax.set_xlabel("tokens in all messages and tool calls, system prompt included")
    ax.set_ylabel("dialogues")
