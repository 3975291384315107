"""observe's result as a table (terminal), markdown (a PR comment: every text escaped) or JSON (the contract)."""

from __future__ import annotations

import json
import textwrap
from collections.abc import Callable, Mapping
from typing import Any

from generator.outputs.escape import md

WIDTH = 100  # the table's lines, as `report`'s

# (label, key path into observed/predicted/ratio)
ROWS = (
    ("ACU p50", ("acu", "p50")),
    ("ACU p95", ("acu", "p95")),
    ("ACU p99", ("acu", "p99")),
    ("ACU max", ("acu", "max")),
    ("share of time at max ACU", ("acu", "share_at_max")),
    ("share of time at min ACU", ("acu", "share_at_min")),
    ("CPU used at p95 (ACU)", ("cpu_acu_p95",)),
    ("buffer cache hit ratio", ("cache_hit_ratio",)),
    ("stored GB", ("storage_gb",)),
    ("storage growth GB/month", ("storage_growth_gb_per_month",)),
    ("billed I/O M/month", ("io", "billed_million_per_month")),
    ("connections (max)", ("connections", "max")),
)


def _at(doc: Mapping, path: tuple[str, ...]) -> Any:
    for key in path:
        doc = doc.get(key) if isinstance(doc, Mapping) else None
    return doc


def _fmt(v: Any) -> str:
    if v is None:
        return "-"
    return f"{v:,.4g}" if isinstance(v, float) and abs(v) < 10 else f"{v:,}" if isinstance(v, (int, float)) else str(v)


def _rows(res: Mapping) -> list[tuple[str, str, str, str]]:
    return [
        (label, *(_fmt(_at(res[part], path)) for part in ("observed", "predicted", "ratio"))) for label, path in ROWS
    ]


def _lines(res: Mapping) -> dict[str, Any]:
    w, rec = res["observed"]["window"], res["recommendation"]
    return {
        "title": f"observe {res['env']}: cluster {res['cluster']} ({res['source']})",
        "window": f"{w['start']} to {w['end']} ({w['days']:g} days, {w['points']} ACU points)",
        "rec": f"min ACU {rec['min_acu']:g}, max ACU {rec['max_acu']:g}, storage type {rec['storage_type']}",
        "reason": rec["reason"],
        "factors": ", ".join(f"{k} {_fmt(v)}" for k, v in res["factors"].items()),
        "null": [f"{k}: {v}" for k, v in res["factors_null"].items()],
    }


def _wrap(line: str) -> str:
    """A line of the table within WIDTH characters, continued indented."""
    return "\n".join(textwrap.wrap(line, WIDTH, subsequent_indent="      ", break_on_hyphens=False))


def table(res: Mapping) -> str:
    t = _lines(res)
    out = [t["title"], f"window: {t['window']}", ""]
    warned = [
        _wrap(f"warning {w['code']}: {w['message']}") + "\n" + _wrap(f"    change: {w['change']}")
        for w in res["warnings"]
    ]
    out += warned or ["no warnings"]
    out += ["", f"{'figure':<28} {'observed':>12} {'predicted':>12} {'ratio':>8}"]
    out += [f"{a:<28} {b:>12} {c:>12} {d:>8}" for a, b, c, d in _rows(res)]
    out += ["", f"recommendation: {t['rec']}", _wrap(f"  why: {t['reason']}"), f"factors (--write): {t['factors']}"]
    out += [_wrap(f"  null {n}") for n in t["null"]]
    out += [_wrap(f"note: {n}") for n in res["notes"]]
    out += ["", f"observed: {res['source']}; predicted from the model and its data files:"]
    out += [f"  {s['path']} ({s['date']})" for s in res["sources"]]
    return "\n".join(out) + "\n"


def markdown(res: Mapping) -> str:
    t = _lines(res)
    out = [f"### {md(t['title'])}", "", f"Window: {md(t['window'])}", ""]
    out += [f"- **{md(w['code'])}**: {md(w['message'])} (change: {md(w['change'])})" for w in res["warnings"]] or [
        "No warnings."
    ]
    out += ["", "| figure | observed | predicted | ratio |", "| --- | ---: | ---: | ---: |"]
    out += ["| " + " | ".join(md(c) for c in row) + " |" for row in _rows(res)]
    out += [
        "",
        f"**Recommendation**: {md(t['rec'])}",
        "",
        md(t["reason"]),
        "",
        f"Factors (--write): {md(t['factors'])}",
    ]
    out += [f"- null {md(n)}" for n in t["null"]]
    out += [f"- note: {md(n)}" for n in res["notes"]]
    out += ["", "Sources: " + "; ".join(f"{md(s['path'])} ({md(s['date'])})" for s in res["sources"])]
    return "\n".join(out) + "\n"


def as_json(res: Mapping) -> str:
    return json.dumps(res, indent=2, sort_keys=False, allow_nan=False) + "\n"


FORMATS: dict[str, Callable[[Mapping], str]] = {"table": table, "markdown": markdown, "json": as_json}
