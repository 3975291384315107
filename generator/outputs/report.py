"""The sizing report's formats (json, table, markdown): they only read the computed result (generator/model/result.py).

The human formats read top down as a platform team asks: what is wrong and what to change (the warnings), then
the headline figures (peak against max ACU, cost against the budget and the ceiling), then the cost parts one
per line, then the other figures and the data files. The design's figures beside the model's come with
`--design` (always in JSON and on the page). The table keeps every line within WIDTH characters.
"""

from __future__ import annotations

import json
import textwrap
from collections.abc import Mapping

from generator.errors import number
from generator.model import thresholds
from generator.outputs.escape import md

WIDTH = 100
NOT_PARTS = ("total", "worst_case", "storage_type")


def _money(v: float) -> str:
    return f"${v:,.2f}"


def _title(rep: Mapping) -> str:
    return f"Aurora Serverless v2 sizing: {rep['env']} ({rep['agents']:,} agents)"


def _headline(rep: Mapping) -> list[tuple[str, str]]:
    a, req = rep["acu"], rep["acu"]["required"]
    group = rep["topology"].get("shard_group")
    top, of = (group["max_acu"], "the shard group's max") if group else (a["max"], "max")
    share = f"{req['peak'] / top:.0%}" if top else "n/a"
    rows = [("ACU peak", f"{number(req['peak'])} of {of} {number(top)} ACU: {share} ({req['binding']} binds)")]
    labels = {"expected": "cost/month", "worst case": "worst case"}
    for check in thresholds.of_report(rep):
        rows.append((labels[check.figure] if check.threshold == "budget" else check.threshold, check.sentence()))
    return rows


def _compute_note(rep: Mapping) -> str:
    group, a = rep["topology"].get("shard_group"), rep["acu"]
    if group:
        return f"Limitless shard group, average {number(group['average_acu'])} ACU, billed {number(group['billed_average_acu'])}"
    return f"{a['instances']} instance(s), writer average {number(a['average'])} ACU"


def _part_notes(rep: Mapping) -> dict[str, str]:
    """What each cost part counts, where the result says (the parts the module bills besides the instances)."""
    b, io = rep["billed_resources"], rep["iops"]
    em, ins = b["enhanced_monitoring"], b["insights"]
    n, year = b["global_database_secondary_instances"], b["extended_support_year"]
    return {
        "compute": _compute_note(rep),
        "storage": f"{rep['storage_gb']['steady_state']:,} GB at retention",
        "io": f"{io['billed_million_per_month']:,} M requests/month"
        + (" (included on I/O-Optimized)" if rep["cost_usd_month"]["storage_type"] == "aurora-iopt1" else ""),
        "kms": f"{b['kms_keys']} key(s) with rotations",
        "secrets": f"{b['secrets']} secret(s)",
        "monitoring": f"{b['alarms']} alarm(s), Enhanced Monitoring {number(em['gb_ingested_month'])} GB/month (assumed "
        f"{em['assumed_bytes_per_event']:,.0f} B/event), Insights {ins['mode']}, "
        f"{ins['performance_insights_retention_days']} days",
        "global_database": f"{n} secondary instance(s)" if n else "no secondary",
        "extended_support": f"PostgreSQL {b['engine_major']}, year {year} of Extended Support"
        if year
        else f"PostgreSQL {b['engine_major']} in standard support",
    }


def _parts(rep: Mapping) -> list[tuple[str, float, str]]:
    """(part, USD, what it counts) in pricing.PARTS' order: they add up to cost_usd_month.total."""
    notes = _part_notes(rep)
    return [(k, v, notes.get(k, "")) for k, v in rep["cost_usd_month"].items() if k not in NOT_PARTS]


def _figures(rep: Mapping) -> list[tuple[str, str]]:
    s, io, a = rep["storage_gb"], rep["iops"], rep["acu"]
    req, asm, by = a["required"], rep["assumptions"], a["required"]["peak_by_resource"]
    return [
        (
            "storage at retention",
            f"{s['steady_state']:,} GB measured rows ({s['with_headroom']:,} GB with headroom); "
            f"raw payload {s['raw_payload_steady_state']:,} GB (x{s['measured_to_raw']})",
        ),
        ("storage monthly intake", f"{s['monthly_intake']:,} GB of payload"),
        ("storage after 12 months", f"{s['projection_12mo']:,} GB"),
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
            f"peak {number(req['peak'])} ({req['binding']} binds: cpu {number(by['cpu'])}, memory {number(by['memory'])}, "
            f"floor {number(by['floor'])}); baseline {number(req['baseline'])} ({req['baseline_binding']})",
        ),
        (
            "ACU",
            f"{number(a['min'])}-{number(a['max'])}, average {number(a['average'])} (from {a['average_from'].replace('_', ' ')}), "
            f"{a['instances']} instance(s)"
            if "shard_group" not in rep["topology"]
            else f"{number(a['min'])}-{number(a['max'])} (acu.min/max: one writer's range, not used by the shard group below)",
        ),
        *_topology_rows(rep),
        *_single_writer_rows(rep),
        *_cost_option_rows(rep),
        ("module settings", rep["billed_resources"]["settings"]),
        (
            "assumptions",
            f"cache hit ratio {number(asm['buffer_cache_hit_ratio'])} ({_hit_from(asm)}), CPU busy at most "
            f"{asm['target_cpu_utilization']:.0%} (Aurora CPU factor {number(asm['aurora_cpu_factor'])}), "
            f"hot window {number(asm['hot_window_hours'])} h, average load "
            f"{number(asm['mean_load_of_peak'])} of peak; bytes, pages, WAL and CPU per statement measured",
        ),
    ]


def _topology_rows(rep: Mapping) -> list[tuple[str, str]]:
    """The topology and why; a Limitless shard group's ACUs, nodes, standbys, tables and price."""
    topo = rep["topology"]
    rows = [("topology", f"{topo['kind']} ({topo['reason']}); {_topology_flip(topo)}")]
    group = topo.get("shard_group")
    if group is None:
        return rows
    return rows + [
        (
            "Limitless shard group",
            f"{number(group['min_acu'])}-{number(group['max_acu'])} ACU (sized at {group['sized_at_peak_share']:.0%} of max), "
            f"{group['routers']} routers and {group['shards']} shards (AWS's table), compute redundancy "
            f"{group['compute_redundancy']} ({group['standby_shards']} standby shards; from "
            f"{group['compute_redundancy_from']}); average {number(group['average_acu'])} ACU, billed "
            f"{number(group['billed_average_acu'])} with the standbys at ${number(group['per_acu_hour'])}/ACU-hour (UNCONFIRMED)",
        ),
        (
            "Limitless tables",
            f"{', '.join(group['tables'])} sharded on {group['shard_key']}, collocated with "
            f"{group['collocate_with']}; engine {group['engine_version']}, storage {group['storage_type']}, "
            f"RDS Proxy {'supported' if group['proxy_supported'] else 'not supported (none priced)'}",
        ),
    ]


def _topology_flip(topo: Mapping) -> str:
    """At what Aurora CPU factor the topology's choice would flip, and what to observe when its range holds it."""
    flip = topo["flip"]
    if flip["uncertain"]:
        return flip["observe"]
    if flip["cpu_factor"] == 0:
        text = "memory alone passes one writer's ACU, whatever the Aurora CPU factor"
    elif flip["cpu_factor"] is None:
        text = "no Aurora CPU factor up to 10 passes one writer's ACU"
        if topo["setting"] == "auto" and topo["kind"] == "limitless":
            text = "the storage decides: " + text
        elif topo["kind"] == "single":
            text += " (aurora-gen grow names the fleet that does)"
    else:
        text = f"one writer is passed from an Aurora CPU factor of {number(flip['cpu_factor'])} (at the median CPU)"
    return text  # a stated topology's reason already says the sizing decides


def _hit_from(asm: Mapping) -> str:
    if asm["buffer_cache_hit_ratio_from"] == "override":
        return "override: io.buffer_cache_hit_ratio"
    if asm["buffer_cache_hit_ratio_from"] == "observed":
        return "observed: the cluster's BufferCacheHitRatio"
    return "derived: the hot set against the buffer cache at the ACU each load runs at"


def provenance_rows(rep: Mapping) -> list[tuple[str, str]]:
    """Which figures are observed (and where, when), which measured and which assumed: the footer's rows."""
    p = rep["provenance"]

    def listed(items: list[Mapping]) -> str:
        return "; ".join(f"{i['figure']} {i['detail']}".strip() for i in items)

    rows = []
    if (obs := p["observation"]) is not None:
        w = obs["window"]
        rows.append(
            (
                "observed",
                f"{obs['path']} ({obs['effective']}; {obs['cluster']}, {obs['source']}, {w['start']} to {w['end']}, "
                f"{number(w['days'])} days, {w['points']:,} points): {listed(p['observed']) or 'no figure applied'}",
            )
        )
    else:
        rows.append(("observed", "nothing (no envs/<env>/observed.yaml: aurora-gen observe --write makes one)"))
    rows += [("measured", f"{p['measured_in']}: {listed(p['measured'])}"), ("assumed", listed(p["assumed"]))]
    return rows


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
        f"peak ACU {number(a['low'])}/{number(a['expected'])}/{number(a['high'])}; storage {s['low']:,}/{s['expected']:,}/"
        f"{s['high']:,} GB; billed I/O {io['low']:,}/{io['expected']:,}/{io['high']:,} M/month; cost "
        f"{_money(c['low'])}/{_money(c['expected'])}/{_money(c['high'])} (cache hit ratio "
        f"{number(b['cache_hit_ratio']['low'])}-{number(b['cache_hit_ratio']['high'])}, CPU factor "
        f"{number(b['cpu_factor']['low'])}-{number(b['cpu_factor']['high'])} with the calibration's spread, storage up to the "
        "payload uncompressed)"
    )


def _single_writer_rows(rep: Mapping) -> list[tuple[str, str]]:
    """The connections and the storage type's choice: one writer's, or what a shard group has instead."""
    c, group = rep["connections"], rep["topology"].get("shard_group")
    if group is not None:
        return [
            (
                "max_connections",
                f"not computed: clients reach the shard group's routers, whose connection limits have no dated "
                f"figure here (pools {c['pool_max_total']:,})",
            ),
            (
                "storage type",
                f"{group['storage_type']} only (Limitless): {_money(rep['cost_usd_month']['total'])}; no flip point",
            ),
        ]
    return [
        (
            "max_connections",
            f"{c['max_connections']:,} (proxy may open {c['proxy_max']:,}; pools {c['pool_max_total']:,}; "
            f"headroom {c['headroom']:,}; the pools need max ACU >= {number(c['max_acu_for_pools'])})",
        ),
        (
            "cost by storage type",
            f"Standard {_money(rep['cost_usd_month_standard']['total'])}, "
            f"I/O-Optimized {_money(rep['cost_usd_month_io_optimized']['total'])}; "
            f"recommended {rep['recommendation']['storage_type']}",
        ),
        ("storage type flip point", _flip(rep)),
    ]


def _flip(rep: Mapping) -> str:
    rec = rep["recommendation"]
    flip = rec["flip"]
    if flip["billed_million_per_month"] is None:
        return "none: the same storage type is cheaper at any billed I/O"
    other = "Standard" if rec["storage_type"] == "aurora-iopt1" else "I/O-Optimized"
    hit = flip["cache_hit_ratio"]
    at_hit = "" if hit is None else f" (a month's cache hit ratio of {number(hit)})"
    text = f"{other} becomes cheaper at {flip['billed_million_per_month']:,} M billed I/O a month{at_hit}"
    return text + (f"; {rec['observe']}" if rec["uncertain"] else "")


def _cost_option_rows(rep: Mapping) -> list[tuple[str, str]]:
    """Regions, the backup bill's range and copy schedule, and a Savings Plan's total (generator/model/cost_options.py)."""
    b, rng, sp = rep["backup"], rep["backup_range_usd_month"], rep["cost_usd_month_savings_plan"]
    unconfirmed = len(rep["unconfirmed_prices"])
    rows = [
        ("regions", f"{rep['region']}, DR copies in {rep['dr_region']}; {unconfirmed} UNCONFIRMED price(s) (JSON)"),
        (
            "backup range",
            f"{_money(rng['low'])} incremental / {_money(rng['expected'])} full copies (priced) / "
            f"{_money(rng['high'])} with the automated backup's changes; copied to DR: "
            f"{', '.join(b['copied_rules']) or 'nothing'} ({b['cross_region_copy']})",
        ),
    ]
    if "savings_plan_not_priced" in rep:
        rows.append(("Savings Plan", rep["savings_plan_not_priced"]))
    if sp is not None:
        rows.append(
            (
                "cost/month with the Savings Plan",
                f"{_money(sp['total'])} (on demand {_money(sp['on_demand_total'])}): "
                f"${number(sp['commitment_usd_per_hour'])}/h covers {sp['coverage_of_compute']:.0%} of compute at "
                f"{sp['discount']:.0%} off, {_money(sp['unused_commitment_usd_month'])} unused; it saves money only "
                f"while the average hour's compute stays above ${number(sp['break_even_compute_usd_per_hour'])} on "
                f"demand ({sp['break_even_share_of_compute']:.0%} of today's)",
            )
        )
    return rows


def _sources(rep: Mapping) -> list[str]:
    return [f"{s['kind']}: {s['path']} ({s['date']})" for s in rep["sources"]]


def _design_hint(rep: Mapping) -> str:
    return f"Design vs model: {len(rep['seed_comparison'])} figures with the reasons they differ (--design)."


def to_json(rep: Mapping, design: bool = True) -> str:  # noqa: ARG001 - JSON always holds the comparison
    return json.dumps(rep, indent=2, sort_keys=False) + "\n"


# ---------------------------------------------------------------------------
# table
# ---------------------------------------------------------------------------
def _rows(rows: list[tuple[str, str]], indent: int = 2) -> list[str]:
    """`label  value` rows, each value wrapped under itself so that no line passes WIDTH."""
    width = max(len(k) for k, _ in rows)
    lead = " " * indent
    out = []
    for k, v in rows:
        first = f"{lead}{k.ljust(width)}  "
        out += textwrap.wrap(
            v, WIDTH, initial_indent=first, subsequent_indent=" " * len(first), break_on_hyphens=False
        ) or [first.rstrip()]
    return out


def _wrapped(text: str, indent: int, hang: int = 2) -> list[str]:
    return textwrap.wrap(
        text, WIDTH, initial_indent=" " * indent, subsequent_indent=" " * (indent + hang), break_on_hyphens=False
    )


def to_table(rep: Mapping, design: bool = False) -> str:
    found = rep["warnings"]
    lines = [_title(rep), "", f"Warnings: {len(found) or 'none'}"]
    for w in found:
        lines += _wrapped(f"{w['code']}: {w['message']}", 2, 4)
        lines += _wrapped(f"change: {w['change']}", 4)
    lines += ["", "Headline:", *_rows(_headline(rep))]
    cost = rep["cost_usd_month"]
    lines += ["", f"Cost per month on {cost['storage_type']} (the parts add up to the total):"]
    parts = _parts(rep)
    name_w = max(len(k) for k, _, _ in parts)
    money_w = max(len(_money(v)) for v in (cost["total"], cost["worst_case"]))
    for key, usd, note in [*parts, ("total", cost["total"], "")]:
        first = f"  {key.ljust(name_w)}  {_money(usd).rjust(money_w)}  "
        lines += textwrap.wrap(note, WIDTH, initial_indent=first, subsequent_indent=" " * len(first)) or [
            first.rstrip()
        ]
    lines += ["", "Figures:", *_rows(_figures(rep))]
    lines += ["", "Sources:", *[x for s in _sources(rep) for x in _wrapped(s, 2)]]
    lines += ["", "Where the figures come from:", *_rows(provenance_rows(rep))]
    if design:
        lines += ["", "Design vs model:"]
        for i in rep["seed_comparison"]:
            lines += _wrapped(f"- {i['item']}: design {i['seed']}, model {i['model']}", 2, 4)
            lines += _wrapped(f"why: {i['reason']}", 4, 2)
    else:
        lines += ["", _design_hint(rep)]
    return "\n".join(lines) + "\n"


# ---------------------------------------------------------------------------
# markdown
# ---------------------------------------------------------------------------
def to_markdown(rep: Mapping, design: bool = False) -> str:
    found = rep["warnings"]
    lines = [f"## {md(_title(rep))}", "", f"### Warnings: {len(found) or 'none'}"]
    if found:
        lines.append("")
        lines += [f"- **{md(w['code'])}**: {md(w['message'])}. Change: {md(w['change'])}." for w in found]
    lines += ["", "### Headline", "", "| figure | value |", "| --- | --- |"]
    lines += [f"| {md(k)} | {md(v)} |" for k, v in _headline(rep)]
    cost = rep["cost_usd_month"]
    lines += ["", f"### Cost per month on {md(cost['storage_type'])}", ""]
    lines += ["| part | USD/month | what it counts |", "| --- | ---: | --- |"]
    lines += [f"| {md(k)} | {md(_money(v))} | {md(note)} |" for k, v, note in _parts(rep)]
    lines.append(f"| **total** | **{md(_money(cost['total']))}** | the parts' sum |")
    lines += ["", "### Figures", "", "| figure | value |", "| --- | --- |"]
    lines += [f"| {md(k)} | {md(v)} |" for k, v in _figures(rep)]
    lines += ["", "Sources: " + "; ".join(md(s) for s in _sources(rep))]
    lines += ["", *(f"- {md(k)}: {md(v)}" for k, v in provenance_rows(rep))]
    if design:
        lines += ["", "### Design vs model", "", "| item | design | model | reason |", "| --- | --- | --- | --- |"]
        lines += [
            f"| {md(i['item'])} | {md(i['seed'])} | {md(i['model'])} | {md(i['reason'])} |"
            for i in rep["seed_comparison"]
        ]
    else:
        lines += ["", md(_design_hint(rep))]
    return "\n".join(lines) + "\n"


FORMATS = {"json": to_json, "table": to_table, "markdown": to_markdown}
