"""Plot images for ``writ stats`` (matplotlib, no display needed)."""

from __future__ import annotations

from collections import Counter
from pathlib import Path

from .stats import TYPES, Stats


def write_plots(stats: Stats, folder: Path, fmt: str = "png") -> list[Path]:
    """Draw the four distributions as one figure per panel; return the files written."""
    import matplotlib

    matplotlib.use("Agg")
    matplotlib.rcParams["svg.hashsalt"] = "writ-stats"
    import matplotlib.pyplot as plt

    folder.mkdir(parents=True, exist_ok=True)
    panels = [
        ("types", _types_panel),
        ("writes_per_task", _histogram_panel(stats.writes_per_task, "writes per task", "#4c72b0")),
        ("evidence_burden", _histogram_panel(stats.burden_per_write, "evidence burden per write (reads)", "#dd8452")),
        ("dialogue_lengths", _histogram_panel(stats.dialogue_lengths, "messages per dialogue", "#55a868")),
    ]
    if stats.run.get("verified_rate_by_evidence_burden"):
        panels.append(("verified_rate", _rate_panel))
    written = []
    for name, draw in panels:
        fig, ax = plt.subplots(figsize=(7, 4), dpi=110)
        draw(ax, stats)
        fig.tight_layout()
        path = folder / f"{name}.{fmt}"
        fig.savefig(path, format=fmt, metadata=_metadata(fmt))
        plt.close(fig)
        written.append(path)
    return written


def _metadata(fmt: str) -> dict[str, str | None]:
    # No creation dates or software versions: the same stats give the same file.
    return {"Date": None} if fmt == "svg" else {"Software": None}


def _types_panel(ax, stats: Stats) -> None:
    domains = sorted({d for d, _ in stats.by_domain_type})
    bottom = [0] * len(domains)
    colors = ["#8c8c8c", "#4c72b0", "#dd8452", "#c44e52"]
    for kind, color in zip(TYPES, colors):
        counts = [stats.by_domain_type.get((d, kind), 0) for d in domains]
        ax.bar(domains, counts, bottom=bottom, label=kind.replace("_", "-"), color=color)
        bottom = [b + c for b, c in zip(bottom, counts)]
    ax.set_title(f"{stats.unit} by domain and trajectory type (total {stats.total})")
    ax.set_ylabel(stats.unit)
    ax.legend(fontsize=8)


def _rate_panel(ax, stats: Stats) -> None:
    """Verified rate against the two WRIT axes: evidence burden and number of writes."""
    for key, label, color in (("verified_rate_by_evidence_burden", "largest evidence burden", "#dd8452"),
                              ("verified_rate_by_writes", "writes per task", "#4c72b0")):
        table = stats.run.get(key) or {}
        xs = [int(x) for x, row in table.items() if row["rate"] is not None]
        ax.plot(xs, [100 * table[str(x)]["rate"] for x in xs], marker="o", label=label, color=color)
    ax.set_title("verified rate against evidence burden and writes")
    ax.set_xlabel("evidence burden (reads) / writes")
    ax.set_ylabel("verified %")
    ax.set_ylim(0, 105)
    ax.legend(fontsize=8)


def _histogram_panel(counter: Counter[int], title: str, color: str):
    def draw(ax, stats: Stats) -> None:
        if not counter:
            ax.text(0.5, 0.5, "no data", ha="center", va="center", transform=ax.transAxes)
        else:
            xs = sorted(counter)
            ax.bar(xs, [counter[x] for x in xs], color=color, width=0.8)
        ax.set_title(title)
        ax.set_xlabel(title.split(" (")[0])
        ax.set_ylabel("count")

    return draw
