"""grow's report as a table, markdown or JSON (every text from an input escaped for markdown)."""

from __future__ import annotations

import json
from typing import Any

from generator.outputs.escape import md


def _n(value: float | None, unit: str = "") -> str:
    if value is None:
        return "not set"
    if unit == "USD":
        return f"${value:,.2f}"
    text = f"{value:,.0f}" if abs(value) >= 10_000 else f"{value:,.2f}".rstrip("0").rstrip(".")
    return text + (f" {unit}" if unit else "")


def _agents(value: int | None) -> str:
    return "not crossed" if value is None else f"{value:,}"


POINT_COLUMNS = (
    "agents",
    "peak ACU",
    "baseline ACU",
    "max ACU",
    "binds",
    "storage GB",
    "billed I/O M",
    "total $/month",
    "topology",
)
THRESHOLD_COLUMNS = ("threshold", "crossed at agents", "figure", "limit", "set in")


def _point_row(p: dict[str, Any]) -> list[str]:
    topo = p["topology"] + (" (uncertain)" if p["topology_uncertain"] else "")
    if p["beyond_one_writer"]:
        topo += " (beyond one writer: render refuses)"
    g = p["shard_group"]
    if g:
        topo += f" {_n(g['min_acu'])}-{_n(g['max_acu'])} ACU {g['routers']}r/{g['shards']}s"
        topo += " (over AWS's ceiling: render refuses)" if g["over_ceiling"] else ""
    return [
        f"{p['agents']:,}",
        _n(p["acu_required_peak"]),
        _n(p["acu_required_baseline"]),
        "-" if g else _n(p["acu_max"]),  # a shard group's range is in the topology column
        p["binding"],
        f"{p['storage_gb']:,.0f}",
        f"{p['billed_io_million_per_month']:,.1f}",
        f"{p['cost_total_usd_month']:,.2f}",
        topo,
    ]


def _threshold_row(t: dict[str, Any]) -> list[str]:
    return [t["name"], _agents(t["agents"]), _n(t["figure"], t["unit"]), _n(t["limit"], t["unit"]), t["set_in"]]


def _head(rep: dict[str, Any]) -> list[str]:
    lines = [
        f"{rep['env']}: {rep['agents_today']:,} agents today, sized up to {rep['to']:,}; each fleet with max ACU "
        "raised to hold its peak within the headroom share (max ACU column)",
        f"topology: {rep['topology_setting']} (today {rep['topology_today']}: {rep['topology_reason']})",
    ]
    if rep["limitless_from_agents"] is not None:
        lines.append(f"Limitless from {rep['limitless_from_agents']:,} agents (one writer cannot hold the peak)")
    return lines


def table(rep: dict[str, Any]) -> str:
    def grid(cols: tuple[str, ...], rows: list[list[str]]) -> list[str]:
        widths = [max(len(c), *(len(r[i]) for r in rows)) for i, c in enumerate(cols)]
        fmt = lambda r: "  ".join(v.ljust(w) for v, w in zip(r, widths, strict=True)).rstrip()  # noqa: E731
        return [fmt(list(cols)), fmt(["-" * w for w in widths]), *map(fmt, rows)]

    lines = _head(rep) + ["", "thresholds, in the order the fleet meets them:"]
    lines += grid(THRESHOLD_COLUMNS, [_threshold_row(t) for t in rep["thresholds"]])
    lines += ["", "points:"] + grid(POINT_COLUMNS, [_point_row(p) for p in rep["points"]])
    lines += ["", "data: " + "; ".join(s["path"] for s in rep["sources"])]
    return "\n".join(lines) + "\n"


def markdown(rep: dict[str, Any]) -> str:
    def rows(cols: tuple[str, ...], body: list[list[str]]) -> list[str]:
        return [
            "| " + " | ".join(cols) + " |",
            "|" + " --- |" * len(cols),
            *("| " + " | ".join(md(v) for v in r) + " |" for r in body),
        ]

    lines = [f"## {md(rep['env'])}: growth", "", *(md(x) + "  " for x in _head(rep)), ""]
    lines += rows(THRESHOLD_COLUMNS, [_threshold_row(t) for t in rep["thresholds"]]) + [""]
    lines += rows(POINT_COLUMNS, [_point_row(p) for p in rep["points"]]) + [""]
    lines.append("Data: " + "; ".join(md(s["path"]) for s in rep["sources"]))
    return "\n".join(lines) + "\n"


def as_json(rep: dict[str, Any]) -> str:
    return json.dumps(rep, indent=2, sort_keys=False) + "\n"


FORMATS = {"table": table, "markdown": markdown, "json": as_json}
