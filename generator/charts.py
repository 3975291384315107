"""The sizing charts (matplotlib, Agg, PNG bytes): cost, storage, the ACU load profile and the storage type.

Each chart draws one small panel per environment (their scales differ a hundredfold) from the figures of
the environments' reports. matplotlib is imported here only: `render` and `report` never load it.
"""

from __future__ import annotations

import io
from collections.abc import Mapping, Sequence
from typing import TYPE_CHECKING, Any

from generator.sized import Sized

if TYPE_CHECKING:  # matplotlib is imported when a chart is drawn, not with this module
    from matplotlib.figure import Figure

WIDTH_IN, HEIGHT_IN, DPI = 12.0, 4.6, 100
SIZE_PX = (round(WIDTH_IN * DPI), round(HEIGHT_IN * DPI))
COST_PARTS = (
    ("compute", "compute"),
    ("storage", "storage"),
    ("io", "I/O"),
    ("backup", "backup"),
    ("proxy", "RDS Proxy"),
    ("transfer", "data transfer"),
)


def _label(ax, text: str, xy: tuple, offset: tuple, color: str, *, ha: str, va: str) -> None:  # noqa: ANN001
    """A small note beside a point of a line, `offset` points away (every chart labels its lines so)."""
    ax.annotate(text, xy, xytext=offset, textcoords="offset points", ha=ha, va=va, fontsize=8, color=color)


def _figure(title: str, panels: int):
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


def _usd(value: float) -> str:
    return f"${value:,.0f}"


def _legend_below(fig, axes, first: Sequence[str] = ()) -> None:
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
        ncols=min(len(labels), 8),
        frameon=False,
        fontsize=9,
    )


# ---------------------------------------------------------------------------
# The charts
# ---------------------------------------------------------------------------
def cost_chart(sized: Mapping[str, Sized], price_date: str) -> Figure:
    """Each environment's expected month as stacked parts, against its budget and its worst case."""
    fig, axes = _figure(f"Monthly cost per environment (USD, prices of {price_date})", len(sized))
    colors = ("#4477aa", "#66ccee", "#228833", "#ccbb44", "#ee6677", "#aa3377")
    for ax, (name, s) in zip(axes, sized.items(), strict=True):
        cost, budget = s.report["cost_usd_month"], s.report["budget_usd"]
        bottom = 0.0
        for (key, label), color in zip(COST_PARTS, colors, strict=True):
            ax.bar(0, cost[key], bottom=bottom, width=0.5, color=color, label=label)
            bottom += cost[key]
        ax.text(0, cost["total"], f"expected\n{_usd(cost['total'])}", ha="center", va="bottom", fontsize=9)
        ax.axhline(
            cost["worst_case"],
            color="black",
            linestyle=":",
            linewidth=1.5,
            label="worst case (every instance at max ACU)",
        )
        ax.text(0.5, cost["worst_case"], f" worst {_usd(cost['worst_case'])}", va="bottom", ha="right", fontsize=8)
        top = max(cost["worst_case"], cost["total"])
        if budget is not None:
            ax.axhline(budget, color="#cc3311", linestyle="--", linewidth=1.5, label="budget")
            ax.text(-0.5, budget, f"budget {_usd(budget)}", va="bottom", ha="left", fontsize=8, color="#cc3311")
            top = max(top, budget)
        ax.set_ylim(0, top * 1.22)
        ax.set_xlim(-0.6, 0.6)
        ax.set_xticks([])
        ax.set_title(f"{name} ({cost['storage_type']})", fontsize=11)
        ax.set_ylabel("USD per month")
        ax.yaxis.set_major_formatter(lambda v, _pos: _usd(v))
    _legend_below(fig, axes, first=[label for _, label in COST_PARTS])
    return fig


def storage_chart(sized: Mapping[str, Sized], design_linear) -> Figure:
    """Stored GB month by month: the model (retention levels it off) beside the design's linear formula.

    `design_linear(agents, month)` is the design's figure (sizing.seed_linear_storage_gb).
    """
    months = len(next(iter(sized.values())).report["storage_gb"]["projection"])
    fig, axes = _figure(f"Storage over {months} months: the model against the design's linear formula", len(sized))
    for ax, (name, s) in zip(axes, sized.items(), strict=True):
        st = s.report["storage_gb"]
        x = list(range(1, len(st["projection"]) + 1))
        ax.plot(
            x,
            st["projection"],
            color="#4477aa",
            linewidth=2.2,
            marker="o",
            markersize=3,
            label="model (measured rows; levels off once retention is full)",
        )
        ax.plot(
            x,
            [design_linear(s.report["agents"], m) for m in x],
            color="#ee6677",
            linestyle="--",
            linewidth=1.8,
            label="design: base + GB/agent/month x agents x months",
        )
        design_end = design_linear(s.report["agents"], x[-1])
        _label(
            ax,
            f"model: levels off at {st['steady_state']:,.0f} GB",
            (x[-1], st["steady_state"]),
            (0, 6),
            "#4477aa",
            ha="right",
            va="bottom",
        )
        _label(ax, f"design: {design_end:,.0f} GB", (x[-1], design_end), (-8, 4), "#ee6677", ha="right", va="bottom")
        ax.set_title(f"{name} ({s.report['agents']:,} agents)", fontsize=11)
        ax.set_xlabel("months of operation")
        ax.set_ylabel("GB stored")
        ax.yaxis.set_major_formatter(lambda v, _pos: f"{v:,.0f}")
        ax.set_xlim(0, x[-1] + 0.5)
        ax.set_ylim(0, max(design_end, st["steady_state"]) * 1.12)
        ax.grid(alpha=0.3)
    _legend_below(fig, axes)
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
    fig, axes = _figure(
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
        _label(
            ax,
            f"peak needs {req['peak']:g} ACU ({req['binding']})",
            (rx[1] / 2, req["peak"]),
            (0, 5),
            "#aa3377",
            ha="left",
            va="bottom",
        )
        top = max(acu["max"], req["peak"]) * 1.12
        below = req["baseline"] > top * 0.1  # under the line where there is room above the x axis
        _label(
            ax,
            f"baseline {req['baseline']:g} ({req['baseline_binding']})",
            (100, req["baseline"]),
            (-3, -5 if below else 5),
            "#aa3377",
            ha="right",
            va="top" if below else "bottom",
        )
        ax.set_title(f"{name}: ACU {acu['min']:g}-{acu['max']:g}, average {acu['average']:g}", fontsize=11)
        ax.set_xlabel("share of the month (%), busiest first")
        ax.set_ylabel("ACU (1 ACU = 2 GiB)")
        ax.set_xlim(0, 100)
        ax.set_ylim(0, top)
        ax.grid(alpha=0.3)
    _legend_below(fig, axes)
    return fig


def cost_at_io(cost: Mapping[str, float], io_million: float, io_price: float) -> float:
    """A storage type's monthly total with its I/O part replaced by `io_million` requests at `io_price`."""
    return cost["total"] - cost["io"] + io_million * io_price


def break_even_io(rep: Mapping[str, Any], io_prices: Mapping[str, float]) -> float | None:
    """Billed I/O (million requests a month) at which Standard and I/O-Optimized cost the same; None if never."""
    std, opt = rep["cost_usd_month_standard"], rep["cost_usd_month_io_optimized"]
    slope = io_prices["aurora"] - io_prices["aurora-iopt1"]
    if slope <= 0:
        return None
    x = (cost_at_io(opt, 0, 0) - cost_at_io(std, 0, 0)) / slope
    return x if x >= 0 else None


def storage_type_chart(sized: Mapping[str, Sized], io_prices: Mapping[str, float]) -> Figure:
    """Monthly total on Aurora Standard and on I/O-Optimized as billed I/O grows, with the break-even marked.

    Everything else is the environment's expected month: only the I/O volume moves along the axis.
    """
    fig, axes = _figure("Aurora Standard vs I/O-Optimized: monthly cost as billed I/O grows", len(sized))
    for ax, (name, s) in zip(axes, sized.items(), strict=True):
        rep = s.report
        std, opt = rep["cost_usd_month_standard"], rep["cost_usd_month_io_optimized"]
        now = rep["iops"]["billed_million_per_month"]
        even = break_even_io(rep, io_prices)
        top = max(now * 2.5, (even or 0) * 1.6, 1.0)
        xs = [0.0, top]
        for cost, kind, color, label in (
            (std, "aurora", "#4477aa", "Aurora Standard (I/O billed per request)"),
            (opt, "aurora-iopt1", "#ee7733", "I/O-Optimized (I/O included)"),
        ):
            ax.plot(xs, [cost_at_io(cost, x, io_prices[kind]) for x in xs], color=color, linewidth=2, label=label)
        ax.axvline(now, color="#555555", linestyle=":", label="this environment's billed I/O")
        note = f"now: {now:,.0f} M/month on {rep['cost_usd_month']['storage_type']}"
        if even is None:
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
        ax.yaxis.set_major_formatter(lambda v, _pos: _usd(v))
        ax.xaxis.set_major_formatter(lambda v, _pos: f"{v:,.0f}")
        ax.grid(alpha=0.3)
    _legend_below(fig, axes)
    return fig


def all_charts(sized: Mapping[str, Sized], prices: Mapping, design_linear) -> list[tuple[str, str, Figure]]:
    """(file name, caption, figure) of every chart, in the page's order."""
    return [
        (
            "cost.png",
            "Expected monthly cost in parts, against the budget and the worst case (every instance at max "
            "ACU all month).",
            cost_chart(sized, prices["effective"]),
        ),
        (
            "storage.png",
            "Stored GB by month: the model levels off once each table's retention is full; the design's "
            "linear formula never does.",
            storage_chart(sized, design_linear),
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
            storage_type_chart(sized, prices["io_per_million"]),
        ),
    ]
