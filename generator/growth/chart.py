"""The growth chart of `make report-html` (growth.png): cost and required ACU against fleet size, log scales,
the thresholds each environment crosses marked where it crosses them. It draws `aurora-gen grow`'s report
(generator/growth/grow.py), nothing computed beside it; matplotlib is imported when it is drawn."""

from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any

from generator.outputs import chart_layout as layout

if TYPE_CHECKING:
    from matplotlib.figure import Figure

COST, ACU = "#4477aa", "#228833"
# One look per threshold (generator/growth/crossings.py names), so the legend names each once for every panel.
STYLES = {
    "headroom (acu.peak_near_max)": ("#ee7733", ":"),
    "max ACU": ("#cc3311", "-"),
    "policy ACU ceiling": ("#cc3311", "--"),
    "one writer's max ACU": ("#aa3377", "-"),
    "one writer's max ACU (high end)": ("#aa3377", ":"),
    "Limitless shard group's max ACU": ("#aa3377", "--"),
    "max_connections for the pools": ("#555555", "-."),
    "cluster storage limit": ("#009988", "-"),
    "budget": ("#0077bb", ":"),
    "worst-case ceiling": ("#0077bb", "-."),
}


def growth_chart(grown: Mapping[str, Mapping[str, Any]]) -> Figure:
    """One panel per environment: monthly cost (left axis) and required peak ACU (right axis) against agents;
    each threshold crossed on the way a vertical line in that threshold's style."""
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
        # Each threshold crossed within the series: a vertical line at its agents count, one style per threshold
        # (named once in the legend below the panels; the agents counts are in the caption, from the same report).
        for t in rep["thresholds"]:
            if t["agents"] is not None and agents[0] <= t["agents"] <= agents[-1]:
                color, style = STYLES.get(t["name"], ("#777777", "-"))
                ax.axvline(t["agents"], color=color, linestyle=style, linewidth=1.3, label=f"crossed: {t['name']}")
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
    twins = [a for ax in axes for a in ax.get_shared_x_axes().get_siblings(ax) if a is not ax]
    layout.legend_below(fig, [*axes, *twins], first=("expected cost per month (left)", "required peak ACU (right)"))
    return fig
