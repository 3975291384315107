"""reports/sizing.html: one self-contained page (charts inlined as data URIs) with every environment's figures,
warnings and the data they come from, and the chart PNGs beside it.

A Content-Security-Policy forbids anything but inline styles and data: images, so the page cannot reach out.
"""

from __future__ import annotations

import base64
from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import Any

from generator.model.sized import Sized, all_sources
from generator.outputs.escape import html as escape

PAGE = "sizing.html"
CHART_MONTHS = 24
CSP = "default-src 'none'; img-src data:; style-src 'unsafe-inline'"
STYLE = """
body { font-family: system-ui, -apple-system, "Segoe UI", sans-serif; margin: 2rem auto; max-width: 1240px;
       color: #222; padding: 0 1rem; }
table { border-collapse: collapse; margin: 0.5rem 0 1.5rem; font-size: 0.92rem; }
th, td { border: 1px solid #ccc; padding: 0.3rem 0.6rem; text-align: right; }
th:first-child, td:first-child { text-align: left; }
th { background: #f2f2f2; }
figure { margin: 1.5rem 0; }
figure img { display: block; max-width: 100%; height: auto; outline: 1px solid #ddd; }
figcaption { color: #555; font-size: 0.9rem; margin-top: 0.3rem; }
/* 900 px and narrower: the summary's ten columns fit (its budget and warnings columns were beyond the edge). */
@media (max-width: 1000px) {
  body { margin: 1rem auto; }
  table { font-size: 0.8rem; }
  th, td { padding: 0.25rem 0.35rem; }
}
.warn { color: #a33; }
.ok { color: #282; }
"""


def _money(value: float | None) -> str:
    return "none" if value is None else f"${value:,.2f}"


def _summary(sized: Mapping[str, Sized]) -> list[str]:
    rows = [
        '<table id="summary">',
        "<tr><th>environment</th><th>agents</th><th>ACU min-max (average)</th><th>required ACU peak / baseline</th>"
        "<th>storage (steady)</th>"
        "<th>storage type</th><th>cost per month</th><th>worst case</th><th>budget</th><th>warnings</th></tr>",
    ]
    for name, s in sized.items():
        r = s.report
        a, c, req = r["acu"], r["cost_usd_month"], r["acu"]["required"]
        peak, total = r["ranges"]["acu_required_peak"], r["ranges"]["cost_total_usd_month"]
        doubt = " (uncertain)" if r["recommendation"]["uncertain"] else ""
        group = r["topology"].get("shard_group")
        capacity = (
            f"{a['min']:g}-{a['max']:g} ({a['average']:g})"
            if group is None
            else f"{group['min_acu']:g}-{group['max_acu']:g} ({group['average_acu']:g})<br><small>Limitless shard "
            f"group, {group['routers']} routers, {group['shards']} shards</small>"
        )
        if r["topology"]["flip"]["uncertain"]:
            capacity += f"<br><small>{escape(r['topology']['kind'])} topology uncertain</small>"
        rows.append(
            f"<tr><td>{escape(name)}</td><td>{r['agents']:,}</td><td>{capacity}</td>"
            f"<td>{req['peak']:g} ({escape(req['binding'])}) / {req['baseline']:g}"
            f"<br><small>peak range {peak['low']:g}-{peak['high']:g}</small></td>"
            f"<td>{r['storage_gb']['steady_state']:,} GB</td><td>{escape(c['storage_type'])}{doubt}</td>"
            f"<td>{_money(c['total'])}<br><small>range {_money(total['low'])}-{_money(total['high'])}</small></td>"
            f"<td>{_money(c['worst_case'])}</td><td>{_money(r['budget_usd'])}</td>"
            f"<td>{len(r['warnings'])}</td></tr>"
        )
    rows.append("</table>")
    return rows


def _costs(sized: Mapping[str, Sized]) -> list[str]:
    """Every part the total sums (pricing.PARTS), then the total and the worst case."""
    from generator.model.pricing import PART_LABELS, PARTS

    head = "".join(f"<th>{escape(n)}</th>" for n in sized)
    rows = ["<table>", f"<tr><th>USD per month</th>{head}</tr>"]
    parts = [(key, PART_LABELS.get(key, key)) for key, _ in PARTS]
    for key, label in (*parts, ("total", "total"), ("worst_case", "worst case")):
        cells = "".join(f"<td>{_money(s.report['cost_usd_month'][key])}</td>" for s in sized.values())
        rows.append(f"<tr><td>{escape(label)}</td>{cells}</tr>")
    std = "".join(
        "<td>not offered (Limitless)</td>"
        if s.report["cost_usd_month_standard"] is None
        else f"<td>{_money(s.report['cost_usd_month_standard']['total'])}</td>"
        for s in sized.values()
    )
    opt = "".join(f"<td>{_money(s.report['cost_usd_month_io_optimized']['total'])}</td>" for s in sized.values())
    rows += [
        f"<tr><td>total on Aurora Standard</td>{std}</tr>",
        f"<tr><td>total on I/O-Optimized</td>{opt}</tr>",
        "</table>",
    ]
    return rows


def _thresholds(rep: Mapping) -> str:
    """The cost against the budget and the ceiling, one story with the report and the policy summary
    (generator/model/thresholds.py): the page names the ceiling's file, which `make policy` checks."""
    from generator.model import thresholds

    found = thresholds.of_report(rep)
    items = "".join(f"<li>{escape(f'{c.figure}: ' if c.known else '')}{escape(c.sentence())}</li>" for c in found)
    return f"<ul>{items}</ul><p>Cost thresholds: {escape(thresholds.which_fails(found))}.</p>"


def _warnings(sized: Mapping[str, Sized]) -> list[str]:
    out = []
    for name, s in sized.items():
        found = s.report["warnings"]
        if not found:
            out += [f'<p class="ok"><b>{escape(name)}</b>: no warnings.</p>', _thresholds(s.report)]
            continue
        out.append(f'<p class="warn"><b>{escape(name)}</b>: {len(found)} warning(s)</p><ul class="warn">')
        out += [
            f"<li><code>{escape(w['code'])}</code>: {escape(w['message'])}; change: {escape(w['change'])}</li>"
            for w in found
        ]
        out += ["</ul>", _thresholds(s.report)]
    return out


def _provenance(sized: Mapping[str, Sized]) -> list[str]:
    """Per environment: the figures observed on its cluster (with the observation's file, date, cluster and
    window), measured by the calibration, and assumed (the report's footer)."""
    from generator.outputs.report import provenance_rows

    out = []
    for name, s in sized.items():
        out += [f"<p><b>{escape(name)}</b></p>", "<ul>"]
        out += [f"<li><b>{escape(k)}</b>: {escape(v)}</li>" for k, v in provenance_rows(s.report)]
        out.append("</ul>")
    return out


def page(sized: Mapping[str, Sized], charts: Sequence[tuple[str, str, bytes]], stamp: str = "") -> str:
    """The page; `stamp` (generator.outputs.freshness.page_stamp) records what it describes, for `make policy`."""
    figures = []
    for name, caption, png in charts:
        uri = "data:image/png;base64," + base64.b64encode(png).decode("ascii")
        figures.append(
            f'<figure id="{escape(name.removesuffix(".png"))}"><img src="{uri}" alt="{escape(caption)}">'
            f"<figcaption>{escape(caption)} (also <code>{escape(name)}</code> beside this page)</figcaption></figure>"
        )
    body = [
        "<!DOCTYPE html>",
        '<html lang="en">',
        "<head>",
        '<meta charset="utf-8">',
        f'<meta http-equiv="Content-Security-Policy" content="{CSP}">',
        '<meta name="viewport" content="width=device-width, initial-scale=1">',
        *([stamp] if stamp else []),
        "<title>MisterSmith Aurora Serverless v2 sizing</title>",
        f"<style>{STYLE}</style>",
        "</head>",
        "<body>",
        "<h1>MisterSmith Aurora Serverless v2 sizing</h1>",
        "<p>Every environment under <code>envs/</code>, sized by <code>aurora-gen</code> from its "
        "<code>sizing.yaml</code>. The figures are the ones <code>aurora-gen report --format json</code> prints.</p>",
        "<h2>Summary</h2>",
        *_summary(sized),
        "<h2>Warnings</h2>",
        *_warnings(sized),
        "<h2>Charts</h2>",
        *figures,
        "<h2>Cost parts</h2>",
        *_costs(sized),
        "<h2>Sources</h2>",
        "<ul>",
        *[
            f"<li>{escape(s['kind'])}: <code>{escape(s['path'])}</code>, dated {escape(s['date'])}</li>"
            for s in all_sources(r.report for r in sized.values())
        ],
        "<li>the design's linear storage formula and figures: shown for comparison only, never used for sizing</li>",
        "</ul>",
        "<h2>Where the figures come from</h2>",
        *_provenance(sized),
        "</body>",
        "</html>",
    ]
    return "\n".join(body) + "\n"


def build(root: Path) -> tuple[dict[str, Sized], list[tuple[str, str, bytes]], str]:
    """Size every environment (24-month projection for the chart) and make the charts and the page."""
    from generator.inputs import data
    from generator.inputs.files import discover_envs
    from generator.model import sizing
    from generator.model.sized import size_tree
    from generator.outputs import chart_layout, charts, freshness

    stamp = freshness.page_stamp(root, discover_envs(root))  # before sizing: a change meanwhile shows as stale
    sized = size_tree(root, projection_months=CHART_MONTHS)  # in promotion order (discover_envs)
    seed = data.seed()
    figures = charts.all_charts(
        sized, data.prices(), data.limits(), lambda agents, m: sizing.seed_linear_storage_gb(agents, m, seed)
    )
    figures.append(growth_figure(root, sized))
    made = [(name, caption, chart_layout.png(fig)) for name, caption, fig in figures]
    return sized, made, page(sized, made, stamp)


def growth_figure(root: Path, sized: Mapping[str, Sized]) -> tuple[str, str, Any]:
    """growth.png: each environment grown to 100x its agents (aurora-gen grow's report and its thresholds)."""
    from generator.growth import grow
    from generator.growth.chart import growth_chart

    grown = {name: grow.grow(s, root, grow.parse_to(None, s.env.agents, root), name) for name, s in sized.items()}
    crossed = "; ".join(
        f"{name}: " + (", ".join(f"{t['name']} at {t['agents']:,}" for t in rep["thresholds"] if t["agents"]) or "none")
        for name, rep in grown.items()
    )
    caption = (
        f"Monthly cost and required peak ACU as the fleet grows to {grow.DEFAULT_GROWTH}x today's agents "
        f"(aurora-gen grow), each threshold crossed on the way a vertical line. Crossed at (agents): {crossed}."
    )
    return "growth.png", caption, growth_chart(grown)


def write(root: Path, out: Path) -> list[Path]:
    """Write the chart PNGs and the page into `out` (each file atomically); the paths written."""
    from generator.outputs.writer import write_all

    _, made, text = build(root)
    out.mkdir(parents=True, exist_ok=True)
    files = [(out / name, png) for name, _, png in made] + [(out / PAGE, text)]
    write_all(files)
    return [path for path, _ in files]
