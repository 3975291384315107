"""The sizing report's formats (json, table, markdown): they only read the computed result (generator/result.py)."""

from __future__ import annotations

import json
from collections.abc import Mapping

from generator.escape import md


def _money(v: float) -> str:
    return f"${v:,.2f}"


def _rows(rep: Mapping) -> list[tuple[str, str]]:
    s, io, c, a, cost = rep["storage_gb"], rep["iops"], rep["connections"], rep["acu"], rep["cost_usd_month"]
    req, opt, asm = a["required"], rep["cost_usd_month_io_optimized"], rep["assumptions"]
    parts = ", ".join(f"{k} {v:,.2f}" for k, v in cost.items() if k not in ("total", "worst_case", "storage_type"))
    by = req["peak_by_resource"]
    return [
        ("agents", f"{rep['agents']:,}"),
        (
            "storage at retention",
            f"{s['steady_state']:,} GB measured rows ({s['with_headroom']:,} GB with headroom); "
            f"raw payload {s['raw_payload_steady_state']:,} GB (x{s['measured_to_raw']})",
        ),
        ("storage monthly intake", f"{s['monthly_intake']:,} GB of payload"),
        (
            "storage after 12 months",
            f"{s['projection_12mo']:,} GB (design's linear formula: {s['seed_linear_12mo']:,} GB)",
        ),
        ("statements/s (average)", f"{io['read']:,} read, {io['write']:,} write"),
        (
            "I/O billed",
            f"{io['billed_read_per_second']:,} read + {io['billed_write_per_second']:,} write /s; "
            f"{io['billed_million_per_month']:,} M/month",
        ),
        ("write I/O billed", _write_io(rep)),
        ("ranges (low/expected/high)", _ranges(rep)),
        (
            "ACU required",
            f"peak {req['peak']:g} ({req['binding']} binds: cpu {by['cpu']:g}, memory {by['memory']:g}, "
            f"floor {by['floor']:g}); baseline {req['baseline']:g} ({req['baseline_binding']})",
        ),
        (
            "ACU",
            f"{a['min']:g}-{a['max']:g}, average {a['average']:g} (from {a['average_from'].replace('_', ' ')}), "
            f"{a['instances']} instance(s)",
        ),
        (
            "max_connections",
            f"{c['max_connections']:,} (proxy may open {c['proxy_max']:,}; pools {c['pool_max_total']:,}; "
            f"headroom {c['headroom']:,}; the pools need max ACU >= {c['max_acu_for_pools']:g})",
        ),
        ("cost/month", f"{_money(cost['total'])} on {cost['storage_type']} ({parts})"),
        ("billed besides instances", _billed(rep)),
        (
            "cost/month by storage type",
            f"Standard {_money(rep['cost_usd_month_standard']['total'])}, I/O-Optimized {_money(opt['total'])}",
        ),
        ("cost/month worst case", f"{_money(cost['worst_case'])} (every instance at max ACU)"),
        ("budget", "none" if rep["budget_usd"] is None else _money(rep["budget_usd"])),
        ("recommended storage type", rep["recommendation"]["storage_type"]),
        ("storage type flip point", _flip(rep)),
        (
            "assumptions",
            f"cache hit ratio {asm['buffer_cache_hit_ratio']:g} ({_hit_from(asm)}), CPU busy at most "
            f"{asm['target_cpu_utilization']:.0%} (Aurora CPU factor {asm['aurora_cpu_factor']:g}), hot window {asm['hot_window_hours']:g} h, average load "
            f"{asm['mean_load_of_peak']:g} of peak; bytes, pages, WAL and CPU per statement measured",
        ),
    ]


def _hit_from(asm: Mapping) -> str:
    if asm["buffer_cache_hit_ratio_from"] == "override":
        return "override: io.buffer_cache_hit_ratio"
    return "derived: the hot set against the buffer cache at the ACU each load runs at"


def _write_io(rep: Mapping) -> str:
    w = rep["ranges"]["billed_write_io_million_per_month"]
    return (
        f"{w['low']:,}-{w['high']:,} M/month, from batched to one log write per commit; "
        f"expected {w['expected']:,} from the commits a log write shares"
    )


def _ranges(rep: Mapping) -> str:
    r = rep["ranges"]
    a, s, io, c = r["acu_required_peak"], r["storage_gb"], r["billed_io_million_per_month"], r["cost_total_usd_month"]
    b = r["bands"]
    return (
        f"peak ACU {a['low']:g}/{a['expected']:g}/{a['high']:g}; storage {s['low']:,}/{s['expected']:,}/"
        f"{s['high']:,} GB; billed I/O {io['low']:,}/{io['expected']:,}/{io['high']:,} M/month; cost "
        f"{_money(c['low'])}/{_money(c['expected'])}/{_money(c['high'])} (cache hit ratio "
        f"{b['cache_hit_ratio']['low']:g}-{b['cache_hit_ratio']['high']:g}, CPU factor "
        f"{b['cpu_factor']['low']:g}-{b['cpu_factor']['high']:g} with the calibration's spread, storage up to the "
        "payload uncompressed)"
    )


def _flip(rep: Mapping) -> str:
    rec = rep["recommendation"]
    flip = rec["flip"]
    if flip["billed_million_per_month"] is None:
        return "none: the same storage type is cheaper at any billed I/O"
    other = "Standard" if rec["storage_type"] == "aurora-iopt1" else "I/O-Optimized"
    hit = flip["cache_hit_ratio"]
    at_hit = "" if hit is None else f" (a month's cache hit ratio of {hit:g})"
    text = f"{other} becomes cheaper at {flip['billed_million_per_month']:,} M billed I/O a month{at_hit}"
    return text + (f"; {rec['observe']}" if rec["uncertain"] else "")


def _billed(rep: Mapping) -> str:
    b, cost = rep["billed_resources"], rep["cost_usd_month"]
    em, ins = b["enhanced_monitoring"], b["insights"]
    n = b["global_database_secondary_instances"]
    secondary = f"{n} instance(s), {_money(cost['global_database'])}" if n else "none"
    year = b["extended_support_year"]
    support = f"year {year} of Extended Support, {_money(cost['extended_support'])}" if year else "standard support"
    return (
        f"KMS {_money(cost['kms'])} ({b['kms_keys']} key(s) with rotations); secrets {_money(cost['secrets'])} "
        f"({b['secrets']}); monitoring {_money(cost['monitoring'])} "
        f"({b['alarms']} alarms, Enhanced Monitoring {em['gb_ingested_month']:g} GB/month at an assumed "
        f"{em['assumed_bytes_per_event']:,.0f} B/event, Insights {ins['mode']} with "
        f"{ins['performance_insights_retention_days']} days); global secondary {secondary}; "
        f"PostgreSQL {b['engine_major']} in {support}; settings: {b['settings']}"
    )


def _sources(rep: Mapping) -> list[str]:
    return [f"{s['kind']}: {s['path']} ({s['date']})" for s in rep["sources"]]


def to_json(rep: Mapping) -> str:
    return json.dumps(rep, indent=2, sort_keys=False) + "\n"


def to_table(rep: Mapping) -> str:
    rows = _rows(rep)
    width = max(len(k) for k, _ in rows)
    lines = [f"Aurora Serverless v2 sizing: {rep['env']}", ""]
    lines += [f"  {k.ljust(width)}  {v}" for k, v in rows]
    lines += ["", "Design vs model:"]
    for item in rep["seed_comparison"]:
        lines.append(f"  - {item['item']}: design {item['seed']}, model {item['model']} ({item['reason']})")
    lines += [f"warning [{w['code']}]: {w['message']}" for w in rep["warnings"]]
    lines += ["", "Sources: " + "; ".join(_sources(rep))]
    return "\n".join(lines) + "\n"


def to_markdown(rep: Mapping) -> str:
    lines = [f"## Aurora Serverless v2 sizing: {md(rep['env'])}", "", "| figure | value |", "| --- | --- |"]
    lines += [f"| {md(k)} | {md(v)} |" for k, v in _rows(rep)]
    lines += ["", "### Design vs model", "", "| item | design | model | reason |", "| --- | --- | --- | --- |"]
    lines += [
        f"| {md(i['item'])} | {md(i['seed'])} | {md(i['model'])} | {md(i['reason'])} |" for i in rep["seed_comparison"]
    ]
    if rep["warnings"]:
        lines += ["", *[f"> **Warning** {md(w['code'])}: {md(w['message'])}" for w in rep["warnings"]]]
    lines += ["", "Sources: " + "; ".join(md(s) for s in _sources(rep))]
    return "\n".join(lines) + "\n"


FORMATS = {"json": to_json, "table": to_table, "markdown": to_markdown}
