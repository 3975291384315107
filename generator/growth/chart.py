"""The growth chart of `make report-html` (growth.png): cost and required ACU against fleet size, log scales,
the thresholds each environment crosses marked where it crosses them. It draws `aurora-gen grow`'s report
(generator/growth/grow.py), nothing computed beside it; matplotlib is imported when it is drawn."""

from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any

from generator import chart_layout as layout

if TYPE_CHECKING:
    from matplotlib.figure import Figure

COST, ACU, MARK = "#4477aa", "#228833", "#cc3311"


def growth_chart(grown: Mapping[str, Mapping[str, Any]]) -> Figure:
    """One panel per environment: monthly cost (left axis) and required peak ACU (right axis) against agents;
    each crossed threshold a numbered vertical line, the numbers listed in the panel's note."""
    from matplotlib.ticker import LogLocator, NullFormatter

    fig, axes = layout.figure("Growth: monthly cost and required ACU as the fleet grows", len(grown))
    for ax, (name, rep) in zip(axes, grown.items(), strict=True):
        agents = [p["agents"] for p in rep["points"]]
        ax.plot(
            agents,
            [p["cost_total_usd_month"] for p in rep["points"]],
            color=COST,
            linewidth=2,
            label="expected cost per month (left)",
        )
        acu = ax.twinx()
        acu.plot(
            agents,
            [p["acu_required_peak"] for p in rep["points"]],
            color=ACU,
            linewidth=2,
            linestyle="--",
            label="required peak ACU (right)",
        )
        crossed = [t for t in rep["thresholds"] if t["agents"] is not None and agents[0] <= t["agents"] <= agents[-1]]
        # The numbers low in the panel, staggered: the curves rise to the right and the note holds the top left.
        heights = layout.spread([0.06] * len(crossed), 0.07, lo=0.06, hi=0.5)
        lines = []
        for i, (t, y) in enumerate(zip(crossed, heights, strict=True), start=1):
            # Below the note (top left), the number beside its line.
            ax.axvline(t["agents"], ymax=0.6, color=MARK, linewidth=1, alpha=0.7, label="threshold crossed (numbered)")
            # Odd numbers left of their line, even ones right: two thresholds close together keep clear of both.
            left = i % 2 == 1
            ax.text(
                t["agents"] / 1.04 if left else t["agents"] * 1.04,
                y,
                str(i),
                transform=ax.get_xaxis_transform(),
                color=MARK,
                fontsize=8,
                ha="right" if left else "left",
                va="center",
            )
            lines.append(f"{i} {t['name']}: {t['agents']:,}")
        beyond = len([t for t in rep["thresholds"] if t["agents"] is None])
        note = "\n".join(lines) or "no threshold crossed"
        note += f"\n{beyond} more past {agents[-1]:,} agents" if beyond else ""
        ax.text(
            0.03,
            0.97,
            note,
            transform=ax.transAxes,
            ha="left",
            va="top",
            fontsize=7.5,
            bbox={"facecolor": "white", "edgecolor": "#cccccc", "boxstyle": "round,pad=0.3"},
        )
        ax.set_xscale("log")
        ax.set_yscale("log")
        acu.set_yscale("log")
        ax.set_xlim(agents[0], agents[-1])
        ax.set_title(f"{name}: {agents[0]:,} to {agents[-1]:,} agents", fontsize=11)
        ax.set_xlabel("agents (log)")
        ax.set_ylabel("USD per month", color=COST)
        acu.set_ylabel("required peak ACU", color=ACU)
        ax.yaxis.set_major_formatter(lambda v, _pos: layout.usd(v))
        ax.xaxis.set_major_formatter(lambda v, _pos: f"{v:,.0f}")
        acu.yaxis.set_major_formatter(lambda v, _pos: f"{v:g}")
        # Log scales: decades on the agents axis, 1-2-5 steps on the money and ACU axes; no 10^x minor text.
        for axis, subs in ((ax.xaxis, (1.0,)), (ax.yaxis, (1.0, 2.0, 5.0)), (acu.yaxis, (1.0, 2.0, 5.0))):
            axis.set_major_locator(LogLocator(base=10, subs=subs))
            axis.set_minor_formatter(NullFormatter())
        ax.grid(alpha=0.3)
    layout.legend_below(
        fig, [*axes, *(a for ax in axes for a in ax.get_shared_x_axes().get_siblings(ax) if a is not ax)]
    )
    return fig
