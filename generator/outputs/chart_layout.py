"""What every sizing chart shares: the figure's size, the panels, the labels, the legend, the PNG bytes.

matplotlib is imported when a figure is made, never with this module.
"""

from __future__ import annotations

import io
from collections.abc import Sequence
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from matplotlib.figure import Figure

WIDTH_IN, HEIGHT_IN, DPI = 12.0, 4.6, 100
SIZE_PX = (round(WIDTH_IN * DPI), round(HEIGHT_IN * DPI))
LABEL_GAP = 0.055  # labels of one column at least this far apart (share of the axes' height: 8-point text)


def label(ax, text: str, xy: tuple, offset: tuple, color: str, *, ha: str, va: str) -> None:  # noqa: ANN001
    """A small note beside a point of a line, `offset` points away (every chart labels its lines so)."""
    ax.annotate(text, xy, xytext=offset, textcoords="offset points", ha=ha, va=va, fontsize=8, color=color)


def figure(title: str, panels: int):
    import matplotlib

    matplotlib.use("Agg")  # no display; must precede any pyplot import elsewhere in the process
    from matplotlib.figure import Figure

    fig = Figure(figsize=(WIDTH_IN, HEIGHT_IN), dpi=DPI, layout="constrained")
    fig.suptitle(title, fontsize=13, fontweight="bold")
    axes = fig.subplots(1, panels, squeeze=False)[0]
    return fig, axes


def png(fig: Figure) -> bytes:
    buf = io.BytesIO()
    # No timestamp or version in the file: the same sizing gives the same bytes.
    fig.savefig(buf, format="png", dpi=DPI, metadata={"Software": None})
    return buf.getvalue()


def usd(value: float) -> str:
    return f"${value:,.0f}"


def legend_below(fig, axes, first: Sequence[str] = ()) -> None:
    """One legend under the panels: every label once, those in `first` leading in their order."""
    handles: dict[str, Any] = {}
    for ax in axes:
        for h, label in zip(*ax.get_legend_handles_labels(), strict=True):
            handles.setdefault(label, h)
    labels = [x for x in first if x in handles] + [x for x in handles if x not in first]
    fig.legend(
        [handles[x] for x in labels],
        labels,
        loc="outside lower center",
        # Rows of at most 4 entries: five long labels in one row ran past the figure's edge.
        ncols=min(len(labels), 4),
        frameon=False,
        fontsize=9,
    )


def spread(wanted: Sequence[float], gap: float, lo: float = 0.02, hi: float = 0.98) -> list[float]:
    """Positions (shares of the axes' height) as near `wanted` as they can be, `gap` apart, within lo..hi."""
    order = sorted(range(len(wanted)), key=lambda i: wanted[i])
    placed = [0.0] * len(wanted)
    floor = lo
    for i in order:
        placed[i] = floor = max(wanted[i], floor)
        floor += gap
    ceiling = hi
    for i in reversed(order):  # pushed past the top: back down, keeping the gaps
        placed[i] = ceiling = min(placed[i], ceiling)
        ceiling -= gap
    return placed
