"""``timeline.png``: events per month, stacked by type, in the map's colours (matplotlib)."""

from __future__ import annotations

from collections import Counter
from pathlib import Path
from typing import Sequence

from .. import event_types
from ..atlas import Atlas
from ..records import EventDate

#: A month's bar, as a share of the month's width.
BAR_WIDTH = 0.85


def write_timeline(atlas: Atlas, path: Path) -> None:
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    happenings = [mapped.event for mapped in atlas.events if mapped.event.kind == "event"]  # not context
    axis, series = monthly_counts([event.date for event in happenings], [event.type for event in happenings])
    from matplotlib.collections import PolyCollection
    from matplotlib.patches import Patch

    fig, ax = plt.subplots(figsize=(10, 3.6), dpi=100)
    if axis:
        # one collection of bars per type: a patch per bar (ax.bar) took seconds over a few years of months
        bottom, half = [0] * len(axis), BAR_WIDTH / 2
        for row, heights in series:
            bars = [[(i - half, b), (i - half, b + h), (i + half, b + h), (i + half, b)]
                    for i, (b, h) in enumerate(zip(bottom, heights)) if h]
            ax.add_collection(PolyCollection(bars, facecolors=row.colour, edgecolors="none"))
            bottom = [b + h for b, h in zip(bottom, heights)]
        ax.set_xlim(-0.5 - half, len(axis) - 0.5 + half)
        ax.set_ylim(0, max(bottom) * 1.05)
        ticks = [i for i, m in enumerate(axis) if m.endswith("-01")] or [0]
        ax.set_xticks(ticks, [axis[i][:4] for i in ticks])
        ax.legend(handles=[Patch(color=row.colour, label=row.name) for row, _ in series],
                  ncol=4, fontsize=8, frameon=False, loc="upper left")
    ax.set_ylabel("events (first month of their date)")
    ax.set_title("Events per month, by type (undated events left out; a year-precise date counts in its January)",
                 fontsize=9)
    ax.spines[["top", "right"]].set_visible(False)
    fig.tight_layout()
    # no software version or date in the file: building twice gives the same bytes
    fig.savefig(path, format="png", metadata={"Software": None})
    plt.close(fig)


def monthly_counts(dates: Sequence[EventDate], types: Sequence[str]
                   ) -> tuple[list[str], list[tuple[event_types.EventType, list[int]]]]:
    """Every month from the first dated event to the last, and for each type in the table that has
    events, its count per month (an event counts in the first month of its period)."""
    firsts = [(date.period[0][:7], event_type) for date, event_type in zip(dates, types) if date.iso]
    if not firsts:
        return [], []
    months = sorted({month for month, _ in firsts})
    axis = _month_axis(months[0], months[-1])
    counts = Counter(firsts)
    series = [(row, [counts.get((m, row.name), 0) for m in axis]) for row in event_types.EVENT_TYPES]
    return axis, [(row, heights) for row, heights in series if any(heights)]


def _month_axis(first: str, last: str) -> list[str]:
    year, month = int(first[:4]), int(first[5:7])
    months = []
    while f"{year:04d}-{month:02d}" <= last:
        months.append(f"{year:04d}-{month:02d}")
        year, month = (year + 1, 1) if month == 12 else (year, month + 1)
    return months
