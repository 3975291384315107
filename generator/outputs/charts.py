"""The sizing charts (matplotlib, Agg, PNG bytes): cost, storage, the ACU load profile and the storage type.

Each chart draws one small panel per environment (their scales differ a hundredfold) from the figures of
the environments' reports. matplotlib is imported here only: `render` and `report` never load it.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import TYPE_CHECKING

from generator.model.sized import Sized
from generator.outputs import chart_layout as layout
from generator.outputs.chart_storage_type import storage_type_chart

if TYPE_CHECKING:  # matplotlib is imported when a chart is drawn, not with this module
    from matplotlib.figure import Figure

# A colour for each part of the bill (pricing.PARTS), Paul Tol's palettes; "other" gathers the small ones.
PART_COLORS = {
    "compute": "#4477aa",
    "storage": "#66ccee",
    "io": "#228833",
    "backup": "#ccbb44",
    "proxy": "#ee6677",
    "transfer": "#aa3377",
    "kms": "#bbbbbb",
    "secrets": "#99ddff",
    "monitoring": "#eedd88",
    "global_database": "#44bb99",
    "extended_support": "#ffaabb",
}
OTHER_COLOR = "#dddddd"
OWN_SEGMENT_SHARE = 0.03  # parts under 3% of the month's total share one segment: a thinner one has no room
OVER_BUDGET = "#cc3311"


# ---------------------------------------------------------------------------
# The charts
# ---------------------------------------------------------------------------
def _segments(cost: Mapping[str, float]) -> list[tuple[str, str, float, str]]:
    """(key, label, USD, colour) of each segment of the bar, in PARTS' order: every part of at least
    OWN_SEGMENT_SHARE of the total on its own, the smaller ones (above zero) together as "other"."""
    from generator.model.pricing import PART_LABELS, PARTS

    total = cost["total"] or 1.0
    own = [k for k, _ in PARTS if cost[k] >= OWN_SEGMENT_SHARE * total]
    small = [k for k, _ in PARTS if 0 < cost[k] < OWN_SEGMENT_SHARE * total]
    out = [(k, PART_LABELS[k], cost[k], PART_COLORS.get(k, OTHER_COLOR)) for k in own]
    if small:
        names = ", ".join(PART_LABELS[k].split(" (")[0] for k in small)
        out.append(("other", f"other ({names})", sum(cost[k] for k in small), OTHER_COLOR))
    return out


def cost_chart(sized: Mapping[str, Sized], price_date: str) -> Figure:
    """Each environment's expected month as stacked parts, each with its value, against its budget and its
    worst case (every instance at max ACU all month), marked when it is over the budget.

    The values sit in a column right of the bar, each joined to its segment; the budget and worst-case lines
    end before that column, so no line crosses a label."""
    fig, axes = layout.figure(f"Monthly cost per environment (USD, prices of {price_date})", len(sized))
    bar_right, line_end, column = 0.25, 0.36, 0.42
    for ax, (name, s) in zip(axes, sized.items(), strict=True):
        cost, budget = s.report["cost_usd_month"], s.report["budget_usd"]
        worst = cost["worst_case"]
        over = budget is not None and worst > budget
        top = max(worst, s.report["ranges"]["cost_total_usd_month"]["high"], budget or 0) * 1.12
        labels: list[tuple[float, str, dict]] = []  # (wanted height in USD, text, text style)
        joins: list[tuple[int, float]] = []  # (label index, segment middle)
        bottom = 0.0
        for _key, label, usd, color in _segments(cost):
            ax.bar(0, usd, bottom=bottom, width=2 * bar_right, color=color)  # named by its value label
            joins.append((len(labels), bottom + usd / 2))
            labels.append((bottom + usd / 2, f"{label.split(' (')[0]} {layout.usd(usd)}", {}))
            bottom += usd
        spread = s.report["ranges"]["cost_total_usd_month"]
        # The total's range from the stated assumptions (generator/model/ranges.py), as an error bar on the bar.
        ax.errorbar(
            0,
            cost["total"],
            yerr=[[cost["total"] - spread["low"]], [spread["high"] - cost["total"]]],
            color="black",
            capsize=6,
            linewidth=1.2,
            label="range of the total (assumptions)",
        )
        labels.append(
            (
                cost["total"],
                f"expected {layout.usd(cost['total'])}",
                {"fontweight": "bold"},
            )
        )
        if budget is not None:
            ax.hlines(budget, -0.5, line_end, color="#555555", linestyle="--", linewidth=1.5, label="budget")
            labels.append((budget, f"budget {layout.usd(budget)}", {"color": "#555555"}))
        if over:
            ax.axhspan(budget, worst, xmax=(line_end + 0.5) / 2.1, color=OVER_BUDGET, alpha=0.12, linewidth=0)
        ax.hlines(
            worst,
            -0.5,
            line_end,
            color=OVER_BUDGET if over else "black",
            linestyle=":",
            linewidth=2.2 if over else 1.5,
            label="worst case (every instance or shard group at max ACU all month)",
        )
        worst_text = f"worst case {layout.usd(worst)}" + (f", {layout.usd(worst - budget)} over" if over else "")
        labels.append((worst, worst_text, {"color": OVER_BUDGET, "fontweight": "bold"} if over else {}))
        placed = layout.spread([y / top for y, _, _ in labels], layout.LABEL_GAP)
        for (_, text, style), at in zip(labels, placed, strict=True):
            # parse_math off: two dollar signs in one text would open TeX math.
            ax.text(column, at * top, text, ha="left", va="center", fontsize=8, parse_math=False, **style)
        for i, middle in joins:  # a thin line from the segment to its label, ending short of the text
            ax.plot([bar_right, column - 0.03], [middle, placed[i] * top], color="#888888", linewidth=0.7)
        ax.set_ylim(0, top)
        ax.set_xlim(-0.5, 1.7)
        ax.set_xticks([])
        ax.set_title(
            f"{name} ({cost['storage_type']})"
            + (": worst case over budget" if over else "")
            + f"\ntotal's range {layout.usd(spread['low'])}-{layout.usd(spread['high'])}",
            fontsize=10,
            parse_math=False,  # two dollar signs would open TeX math
        )
        ax.set_ylabel("USD per month")
        ax.yaxis.set_major_formatter(lambda v, _pos: layout.usd(v))
    layout.legend_below(fig, axes)
    return fig


def storage_chart(sized: Mapping[str, Sized], design_linear, limit_gb: float, limit_tib: float) -> Figure:
    """Stored GB month by month on the model's own scale, with Aurora's storage limit and the design's linear
    formula in a note (both far above the model's curve, they would flatten it to a line along the bottom).

    `design_linear(agents, month)` is the design's figure (sizing.seed_linear_storage_gb); `limit_gb` and
    `limit_tib` the AWS limits file's cluster limit. Where the curve comes near the limit, the limit is a line.
    """
    months = len(next(iter(sized.values())).report["storage_gb"]["projection"])
    fig, axes = layout.figure(
        f"Storage over {months} months (the model), against Aurora's {limit_tib:g} TiB limit", len(sized)
    )
    for ax, (name, s) in zip(axes, sized.items(), strict=True):
        st = s.report["storage_gb"]
        x = list(range(1, len(st["projection"]) + 1))
        peak = max(st["projection"])
        ax.plot(
            x,
            st["projection"],
            color="#4477aa",
            linewidth=2.2,
            marker="o",
            markersize=3,
            label="model (measured rows; levels off once retention is full)",
        )
        top = peak * 1.5  # the curve sets the scale; the band above it holds the note
        if limit_gb <= top:
            ax.axhline(limit_gb, color=OVER_BUDGET, linestyle="--", linewidth=1.5, label="Aurora's storage limit")
        layout.label(
            ax,
            f"model: {st['projection'][-1]:,.0f} GB at month {x[-1]}",
            (x[-1], st["projection"][-1]),
            (0, 6),
            "#4477aa",
            ha="right",
            va="bottom",
        )
        design_end = design_linear(s.report["agents"], x[-1])
        ax.text(
            0.03,
            0.96,
            f"Aurora's limit: {limit_tib:g} TiB ({limit_gb:,.0f} GB);\n"
            f"month {x[-1]} uses {st['projection'][-1] / limit_gb:.2%} of it\n"
            f"design's linear formula: {design_end:,.0f} GB\n"
            f"at month {x[-1]} ({design_end / st['projection'][-1]:,.0f}x the model), off this scale",
            transform=ax.transAxes,
            ha="left",
            va="top",
            fontsize=8,
            bbox={"facecolor": "white", "edgecolor": "#cccccc", "boxstyle": "round,pad=0.3"},
        )
        ax.set_title(f"{name} ({s.report['agents']:,} agents)", fontsize=11)
        ax.set_xlabel("months of operation")
        ax.set_ylabel("GB stored")
        ax.yaxis.set_major_formatter(lambda v, _pos: f"{v:,g}")  # 2.5 GB steps on dev's small scale
        ax.set_xlim(0, x[-1] + 0.5)
        ax.set_ylim(0, top)
        ax.grid(alpha=0.3)
    layout.legend_below(fig, axes)
    return fig


def _steps(points: Sequence[tuple[float, float]]) -> tuple[list[float], list[float]]:
    """(share of the month, ACU) points, busiest first, as the x (percent) and y of a load-duration step line."""
    xs, ys, start = [], [], 0.0
    for share, value in points:
        xs += [start * 100, (start + share) * 100]
        ys += [value, value]
        start += share
    return xs, ys


def capacity_profile(s: Sized) -> list[tuple[float, float]]:
    """(share of the month, writer ACU), busiest first: what is billed.

    The load profile's requirement clamped to [min, max], or the scale points where the sizing gives them
    (an override; the result says which: acu.average_from).
    """
    acu = s.report["acu"]
    if acu["average_from"] == "scale_points":
        return sorted(((p.share, p.acu) for p in s.env.acu.scale_points), key=lambda p: -p[1])
    return [(p["share"], p["acu"]) for p in sorted(acu["required"]["profile"], key=lambda p: -p["load"])]


def acu_chart(sized: Mapping[str, Sized]) -> Figure:
    """The load profile: the ACU the load requires and the capacity that runs, against min and max ACU."""
    fig, axes = layout.figure(
        "ACU along the load profile: required by the load, and the capacity min and max allow", len(sized)
    )
    for ax, (name, s) in zip(axes, sized.items(), strict=True):
        acu = s.report["acu"]
        req = acu["required"]
        xs, ys = _steps(capacity_profile(s))
        ax.fill_between(xs, ys, color="#4477aa", alpha=0.25, linewidth=0)
        ax.plot(
            xs,
            ys,
            color="#4477aa",
            linewidth=2.2,
            label=f"writer capacity (from {acu['average_from'].replace('_', ' ')})",
        )
        profile = sorted(req["profile"], key=lambda p: -p["load"])
        rx, ry = _steps([(p["share"], p["required"]) for p in profile])
        ax.plot(rx, ry, color="#aa3377", linewidth=1.8, linestyle="--", label="ACU the load requires")
        ax.axhline(acu["max"], color="#cc3311", linestyle="--", label="max ACU")
        ax.axhline(acu["min"], color="#228833", linestyle="--", label="min ACU")
        ax.axhline(acu["average"], color="#555555", linestyle=":", label="average ACU (billed)")
        peak_range = s.report["ranges"]["acu_required_peak"]
        # The peak's range from the stated assumptions (CPU spread and factor, cache band) over the peak's share.
        ax.fill_between(
            [0, rx[1]],
            peak_range["low"],
            peak_range["high"],
            color="#aa3377",
            alpha=0.15,
            linewidth=0,
            label="range of the required peak (assumptions)",
        )
        # The scale stays the load's own: a high end past it runs to the top edge (the title gives its figure), so
        # the labels keep their places clear of the lines.
        top = max(acu["max"], req["peak"]) * 1.12
        # Right of the peak's step, where the lines have dropped: above the peak's level unless max ACU (or the
        # average) runs just above it, then below it.
        crowded = any(0 <= (y - req["peak"]) / top < 2.2 * layout.LABEL_GAP for y in (acu["max"], acu["average"]))
        layout.label(
            ax,
            f"peak needs {req['peak']:g} ACU ({req['binding']})",
            (rx[1], req["peak"]),
            (4, -4 if crowded else 4),
            "#aa3377",
            ha="left",
            va="top" if crowded else "bottom",
        )
        below = req["baseline"] / top > 1.2 * layout.LABEL_GAP  # under the line where there is room above the x axis
        # Above it otherwise, and above every step the text spans (its last ~40% of the month): a higher step
        # there would run through it.
        spanned = [y for x, y in zip(rx, ry, strict=True) if x > 60] + [req["baseline"]]
        layout.label(
            ax,
            f"baseline {req['baseline']:g} ({req['baseline_binding']})",
            (100, req["baseline"] if below else max(spanned)),
            (-3, -5 if below else 5),
            "#aa3377",
            ha="right",
            va="top" if below else "bottom",
        )
        ax.set_title(
            f"{name}: ACU {acu['min']:g}-{acu['max']:g}, average {acu['average']:g}, peak range "
            f"{peak_range['low']:g}-{peak_range['high']:g}",
            fontsize=10,
        )
        ax.set_xlabel("share of the month (%), busiest first")
        ax.set_ylabel("ACU (1 ACU = 2 GiB)")
        ax.set_xlim(0, 100)
        ax.set_ylim(0, top)
        ax.grid(alpha=0.3)
    layout.legend_below(fig, axes)
    return fig


def all_charts(
    sized: Mapping[str, Sized], prices: Mapping, limits: Mapping, design_linear
) -> list[tuple[str, str, Figure]]:
    """(file name, caption, figure) of every chart, in the page's order."""
    from generator.model.sizing import storage_limit_gb

    return [
        (
            "cost.png",
            "Expected monthly cost, each part with its value (parts under 3% of the total together as other), "
            "against the budget and the worst case (every instance, or a shard group, at max ACU all month), shaded red where it "
            "is over the budget.",
            cost_chart(sized, prices["effective"]),
        ),
        (
            "storage.png",
            "Stored GB by month on the model's own scale: it levels off once each table's retention is full. "
            "Aurora's storage limit and the design's linear formula (which never levels off) are far above it: "
            "the note gives both.",
            storage_chart(sized, design_linear, storage_limit_gb(limits), limits["storage"]["max_tib"]),
        ),
        (
            "acu-profile.png",
            "The ACU the workload requires through the month (busiest first, from the load profile) and the "
            "writer's capacity, which min and max ACU clamp it to; the average is what compute costs.",
            acu_chart(sized),
        ),
        (
            "storage-type.png",
            "Monthly total on each storage type as billed I/O grows: above the break-even, I/O-Optimized costs less.",
            storage_type_chart(sized),
        ),
    ]
