"""The storage-type chart: the monthly total on Aurora Standard and on I/O-Optimized as billed I/O grows,
with the break-even, today's I/O and the range the stated assumptions give it (generator/outputs/charts.py draws the
others; matplotlib is imported when a chart is drawn)."""

from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING

from generator.model.sized import Sized
from generator.outputs import chart_layout as layout

if TYPE_CHECKING:
    from matplotlib.figure import Figure


def cost_at_io(cost: Mapping[str, float], io_million: float, io_price: float) -> float:
    """A storage type's monthly total with its I/O part replaced by `io_million` requests at `io_price`."""
    return cost["total"] - cost["io"] + io_million * io_price


def storage_type_chart(sized: Mapping[str, Sized]) -> Figure:
    """Monthly total on Aurora Standard and on I/O-Optimized as billed I/O grows, with the break-even marked.

    Everything else is the environment's expected month: only the I/O volume moves along the axis, at the I/O
    price of the environment's own region (its report's `region`).
    """
    from matplotlib.ticker import MaxNLocator

    from generator.inputs import data

    fig, axes = layout.figure("Aurora Standard vs I/O-Optimized: monthly cost as billed I/O grows", len(sized))
    for ax, (name, s) in zip(axes, sized.items(), strict=True):
        rep = s.report
        io_prices = data.prices(rep["region"])["io_per_million"]
        std, opt = rep["cost_usd_month_standard"], rep["cost_usd_month_io_optimized"]
        now = rep["iops"]["billed_million_per_month"]
        even = rep["recommendation"]["flip"]["billed_million_per_month"]  # the result's flip point, not recomputed
        io_range = rep["ranges"]["billed_io_million_per_month"]
        top = max(now * 2.5, (even or 0) * 1.6, io_range["high"] * 1.1, 1.0)
        # Billed I/O's range from the stated assumptions (cache hit ratio band, write batching).
        ax.axvspan(
            io_range["low"],
            io_range["high"],
            color="#999999",
            alpha=0.15,
            linewidth=0,
            label="range of the billed I/O (assumptions)",
        )
        xs = [0.0, top]
        for cost, kind, color, label in (
            (std, "aurora", "#4477aa", "Aurora Standard (I/O billed per request)"),
            (opt, "aurora-iopt1", "#ee7733", "I/O-Optimized (I/O included)"),
        ):
            if cost is not None:  # a shard group has no Standard month
                ax.plot(xs, [cost_at_io(cost, x, io_prices[kind]) for x in xs], color=color, linewidth=2, label=label)
        # Both types' month at today's I/O, joined: the gap is what the other type would cost more (or less). Not a
        # line across the panel, which would cross the note at the bottom.
        ax.plot(
            [now, now] if std is not None else [now],
            # A shard group has only its I/O-Optimized month: one point.
            [cost_at_io(c, now, io_prices[k]) for c, k in ((std, "aurora"), (opt, "aurora-iopt1")) if c is not None],
            color="#555555",
            linestyle=":",
            marker="o",
            markersize=5,
            label="this environment's billed I/O",
        )
        note = f"now: {now:,.0f} M/month on {rep['cost_usd_month']['storage_type']}"
        note += f"\nrange {io_range['low']:,.0f}-{io_range['high']:,.0f} M/month"
        note += "\nthe choice is uncertain" if rep["recommendation"]["uncertain"] else ""
        if "shard_group" in rep["topology"]:
            note += "\nLimitless: I/O-Optimized only"
        elif even is None:
            note += "\nno break-even: one type is cheaper at any I/O"
        else:
            cost = cost_at_io(opt, even, io_prices["aurora-iopt1"])
            ax.plot([even], [cost], marker="D", color="#cc3311", markersize=8, linestyle="none", label="break-even")
            note += f"\nbreak-even: {even:,.0f} M/month"
        # Bottom right: under both lines (their costs are far above zero), clear of every curve.
        ax.text(
            0.97,
            0.04,
            note,
            transform=ax.transAxes,
            ha="right",
            va="bottom",
            fontsize=8.5,
            bbox={"facecolor": "white", "edgecolor": "#cccccc", "boxstyle": "round,pad=0.3"},
        )
        ax.set_title(name, fontsize=11)
        ax.set_xlabel("billed I/O requests (millions per month)")
        ax.set_ylabel("USD per month")
        ax.set_xlim(0, top)
        ax.set_ylim(0, None)
        ax.yaxis.set_major_formatter(lambda v, _pos: layout.usd(v))
        ax.xaxis.set_major_formatter(lambda v, _pos: f"{v:,.0f}")
        ax.xaxis.set_major_locator(MaxNLocator(nbins=4))  # wide I/O ranges: five-digit ticks need the room
        ax.grid(alpha=0.3)
    layout.legend_below(fig, axes)
    return fig
