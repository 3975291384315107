"""The sizing report of one environment: every figure the model derives, and the design beside it."""

from __future__ import annotations

import json
from collections.abc import Mapping
from typing import Any

from generator import pricing, sizing, validate
from generator.model import Environment


def _r(value: float, digits: int = 2) -> float:
    return round(value + 0.0, digits)


def smallest_max_acu_for_pools(env: Environment, limits: Mapping) -> float | None:
    """The lowest max ACU whose max_connections (proxy share) holds the pools."""
    pooled = sizing.pool_max_total(env.connection_pools)
    step, top = limits["acu"]["step"], limits["acu"]["max"]
    acu = float(limits["acu"]["max_floor"])
    while acu <= top:
        max_conn = sizing.max_connections(acu, env.acu.min, limits)
        budget = (sizing.proxy_max_connections(max_conn, env.proxy.max_connections_percent)
                  if env.proxy.enabled else max_conn - env.direct_connection_reserve)
        if budget >= pooled:
            return acu
        acu += step
    return None


def build(env: Environment, prices: Mapping, limits: Mapping, seed: Mapping) -> dict[str, Any]:
    hours = prices["hours_per_month"]
    steady = sizing.steady_state_gb(env)
    intake = sizing.monthly_intake_gb(env)
    projection = sizing.storage_projection_gb(env, max(12, env.projection_months))
    io = sizing.io_figures(env, hours)

    max_conn = sizing.max_connections(env.acu.max, env.acu.min, limits)
    pooled = sizing.pool_max_total(env.connection_pools)
    proxy_max = sizing.proxy_max_connections(max_conn, env.proxy.max_connections_percent) if env.proxy.enabled else 0
    budget = proxy_max if env.proxy.enabled else max_conn - env.direct_connection_reserve

    avg = sizing.average_acu(env.acu.scale_points)
    reader_acu = env.readers.independent_average_acu
    reader_acu = env.acu.min if reader_acu is None else reader_acu
    snaps = env.backup.snapshots
    inputs = pricing.build_cost_inputs(
        writer_average_acu=avg,
        reader_promotion_tiers=env.readers.promotion_tiers,
        independent_reader_average_acu=reader_acu,
        storage_gb=steady,
        io_million_per_month=io.billed_million_per_month,
        transfer_gb_per_month=env.transfer_gb_per_month,
        retention_days=env.backup.retention_days,
        snapshots=(snaps.daily, snaps.weekly, snaps.monthly),
        cross_region_copy=env.backup.cross_region_copy,
        proxy_enabled=env.proxy.enabled,
    )
    cheaper = pricing.cheaper_storage_type(inputs, prices, limits)
    chosen = cheaper if env.storage_type == "auto" else env.storage_type
    standard = pricing.monthly_cost(inputs, "aurora", prices, limits)
    optimized = pricing.monthly_cost(inputs, "aurora-iopt1", prices, limits)
    cost = standard if chosen == "aurora" else optimized
    worst = pricing.worst_case_cost(inputs, chosen, env.acu.max, prices, limits)

    report: dict[str, Any] = {
        "env": env.environment,
        "agents": env.agents,
        "sources": {"prices": prices["effective"], "aws_limits": limits["effective"]},
        "storage_gb": {
            "steady_state": _r(steady, 1),
            "with_headroom": _r(steady * env.storage_headroom, 1),
            "monthly_intake": _r(intake, 1),
            "projection_12mo": _r(projection[11], 1),
            "projection": [_r(v, 1) for v in projection[: env.projection_months]],
            "seed_linear_12mo": _r(sizing.seed_linear_storage_gb(env.agents, 12, seed), 1),
            "base": env.base_storage_gb,
            "tables": {
                name: {
                    "mode": t.mode,
                    "retention_days": t.retention_days,
                    "monthly_intake": _r(sizing.table_monthly_intake_gb(t, env.agents), 3),
                    "steady_state": _r(sizing.table_stored_gb(t, env.agents), 3),
                }
                for name, t in env.tables.items()
            },
        },
        "iops": {
            "read": _r(io.read_per_second, 1),
            "write": _r(io.write_per_second, 1),
            "billed_per_second": _r(io.billed_per_second, 1),
            "billed_million_per_month": _r(io.billed_million_per_month, 1),
            "read_share": _r(io.read_per_second / (io.read_per_second + io.write_per_second), 3)
            if io.read_per_second + io.write_per_second else 0.0,
        },
        "connections": {
            "pool_max_total": pooled,
            "pool_min_total": sizing.pool_min_total(env.connection_pools),
            "max_connections": max_conn,
            "proxy_max": proxy_max,
            "headroom": budget - pooled,
            "direct_reserve": max_conn - proxy_max if env.proxy.enabled else env.direct_connection_reserve,
        },
        "acu": {
            "min": env.acu.min,
            "max": env.acu.max,
            "average": _r(avg, 2),
            "independent_reader_average": reader_acu,
            "instances": 1 + len(env.readers.promotion_tiers),
            "memory_gib_at_min": sizing.memory_gib(env.acu.min, limits),
            "memory_gib_at_max": sizing.memory_gib(env.acu.max, limits),
        },
        "cost_usd_month": {**cost.as_dict(), "worst_case": _r(worst), "storage_type": chosen},
        "cost_usd_month_standard": standard.as_dict(),
        "cost_usd_month_io_optimized": optimized.as_dict(),
        "recommendation": {
            "storage_type": cheaper,
            "io_share_of_aurora_bill": _r(pricing.io_share_of_bill(standard), 3),
            "io_optimized_advised_above": prices["io_optimized_advice_share"],
        },
        "budget_usd": env.budget_usd,
        "warnings": validate.warnings(env, limits),
    }
    report["seed_comparison"] = seed_comparison(env, report, prices, limits, seed)
    return report


def seed_comparison(env: Environment, rep: Mapping, prices: Mapping, limits: Mapping, seed: Mapping) -> list[dict]:
    """The design's figure beside the model's, with the reason they differ."""
    s_env = seed["environments"].get(env.environment, {})
    per_agent_growth = sum(seed["per_agent_monthly_gb"].values())
    task = env.tables.get("task_history")
    cost = rep["cost_usd_month"]
    fit = smallest_max_acu_for_pools(env, limits)
    savings = seed["reserved_discount"]
    items = [
        ("storage: monthly growth (GB)", _r(per_agent_growth * env.agents, 1), rep["storage_gb"]["monthly_intake"],
         "the design sums each table's total kept at retention as if it were monthly intake; real intake is the "
         "writes of a 30-day month, and retention deletes as much as it adds once full"),
        ("storage: after 12 months (GB)", rep["storage_gb"]["seed_linear_12mo"], rep["storage_gb"]["projection_12mo"],
         "the linear formula adds growth for ever and ignores every retention period; storage levels off at "
         f"{rep['storage_gb']['steady_state']} GB once the longest retention is full"),
        ("storage: to provision (GB)", _r(rep["storage_gb"]["seed_linear_12mo"] * 1.5, 1), rep["storage_gb"]["with_headroom"],
         "Aurora provisions nothing and bills what is stored; the model's figure is the steady state with "
         f"{env.storage_headroom:g}x headroom, for planning only"),
    ]
    if task is not None:
        items.append(("storage: task_history per agent (GB)", seed["task_history_gb_per_agent"],
                      _r(sizing.table_stored_gb(task, 1), 4),
                      f"{task.retention_days}-day retention keeps {task.retention_days} days of rows; 0.105 is 30 days of them"))
    items += [
        ("connections per ACU", seed["connections_per_acu"], _r(rep["connections"]["max_connections"] / env.acu.max, 1),
         "max_connections is LEAST(memory/9531392, 5000) of the MAX ACU setting, fixed as capacity moves; "
         f"at max {env.acu.max:g} ACU it is {rep['connections']['max_connections']}"),
        ("ACU required by the pools", _r(rep["connections"]["pool_max_total"] / seed["connections_per_acu"], 1), fit,
         "connections do not set ACU; the pools need only a max ACU whose max_connections (the proxy's share) holds them"),
        ("connection range", s_env.get("connections", "n/a"), f"0-{rep['connections']['max_connections']}",
         "max_connections is fixed by the max ACU setting, not a range that scales with load"),
        ("read:write mix", seed["read_write_ratio"],
         f"{round(rep['iops']['read_share'] * 100)}:{100 - round(rep['iops']['read_share'] * 100)}",
         "the design's own rates (0.5 writes + 2.0 reads per agent-second) are 80:20 reads to writes, not 70:30"),
        ("I/O cost (USD/month)", seed["io_cost_usd"], rep["cost_usd_month_standard"]["io"],
         f"Aurora Standard bills ${prices['io_per_million']['aurora']}/million I/O requests (cache-missing reads and "
         f"writes): {rep['iops']['billed_million_per_month']} million a month; I/O-Optimized includes them"),
        ("average ACU", s_env.get("average_acu", "n/a"), rep["acu"]["average"],
         "the model derives it from the scale points and the share of the month spent at each"),
        ("compute (USD/month)", s_env.get("compute_usd", "n/a"), cost["compute"],
         f"every db.serverless instance is billed for its own ACUs: {rep['acu']['instances']} instance(s)"),
        ("RDS Proxy (USD/month)", seed["proxy_usd"], cost["proxy"],
         f"${prices['proxy']['per_acu_hour']} per ACU-hour of the target, at least {prices['proxy']['minimum_acu']} ACU"),
        ("data transfer (USD/month)", seed["transfer_usd"], cost["transfer"],
         f"internet egress ({env.transfer_gb_per_month:g} GB at ${prices['transfer']['internet_per_gb']}/GB) plus "
         f"snapshot copies to the DR region at ${prices['transfer']['inter_region_per_gb']}/GB"),
        ("backups (USD/month)", seed["backups_usd"], cost["backup"],
         "backup storage up to the cluster's size within retention is free; snapshots kept beyond it and copies in "
         "the DR region are billed (counted at full size: conservative)"),
        ("discounts", f"{savings['one_year']:.0%} (1 yr) / {savings['three_year']:.0%} (3 yr) reserved",
         f"up to {prices['discounts']['database_savings_plan_1yr_max']:.0%} of compute with a 1-year Database Savings Plan",
         "no Reserved Instances for Serverless v2 and no 3-year term; nothing off storage, I/O, proxy or transfer"),
        ("recovery point (RPO)", f"{seed['rpo_minutes']} min",
         "~5 min in-region (PITR); up to 24 h cross-region from daily copies",
         "only a global database gives a cross-region RPO of seconds"),
        ("parameters", f"{seed['parameters']['idle_timeout_name']}, shared_buffers {seed['parameters']['shared_buffers']}, "
         f"work_mem {seed['parameters']['work_mem_mb']} MB, pool_mode {seed['parameters']['pool_mode']}",
         f"idle_in_transaction_session_timeout, shared_buffers unset, work_mem {env.parameters.work_mem_kb // 1024} MB",
         "the parameter is idle_in_transaction_session_timeout; Serverless v2 sizes shared_buffers itself; "
         "pool_mode is PgBouncer's, not RDS Proxy's; 256 MB work_mem risks OOM on small ACU"),
    ]
    return [{"item": i, "seed": s, "model": m, "reason": r} for i, s, m, r in items]


# ---------------------------------------------------------------------------
# Formats
# ---------------------------------------------------------------------------
def _rows(rep: Mapping) -> list[tuple[str, str]]:
    s, io, c, a, cost = rep["storage_gb"], rep["iops"], rep["connections"], rep["acu"], rep["cost_usd_month"]
    opt = rep["cost_usd_month_io_optimized"]
    return [
        ("agents", f"{rep['agents']:,}"),
        ("storage steady state", f"{s['steady_state']:,} GB ({s['with_headroom']:,} GB with headroom)"),
        ("storage monthly intake", f"{s['monthly_intake']:,} GB"),
        ("storage after 12 months", f"{s['projection_12mo']:,} GB (design's linear formula: {s['seed_linear_12mo']:,} GB)"),
        ("I/O requests/s", f"{io['read']:,} read, {io['write']:,} write; billed {io['billed_million_per_month']:,} M/month"),
        ("ACU", f"{a['min']:g}-{a['max']:g}, average {a['average']:g}, {a['instances']} instance(s)"),
        ("max_connections", f"{c['max_connections']:,} (proxy may open {c['proxy_max']:,}; pools {c['pool_max_total']:,}; "
                            f"headroom {c['headroom']:,})"),
        ("cost/month", f"${cost['total']:,.2f} on {cost['storage_type']} (compute {cost['compute']:,.2f}, storage "
                       f"{cost['storage']:,.2f}, I/O {cost['io']:,.2f}, backup {cost['backup']:,.2f}, proxy "
                       f"{cost['proxy']:,.2f}, transfer {cost['transfer']:,.2f})"),
        ("cost/month I/O-Optimized", f"${opt['total']:,.2f}"),
        ("cost/month worst case", f"${cost['worst_case']:,.2f} (every instance at max ACU)"),
        ("budget", "none" if rep["budget_usd"] is None else f"${rep['budget_usd']:,.2f}"),
        ("recommended storage type", rep["recommendation"]["storage_type"]),
    ]


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
    lines += [f"warning: {w}" for w in rep["warnings"]]
    return "\n".join(lines) + "\n"


def to_markdown(rep: Mapping) -> str:
    def cell(value: Any) -> str:
        return str(value).replace("|", "\\|")

    lines = [f"## Aurora Serverless v2 sizing: {rep['env']}", "", "| figure | value |", "| --- | --- |"]
    lines += [f"| {k} | {cell(v)} |" for k, v in _rows(rep)]
    lines += ["", "### Design vs model", "", "| item | design | model | reason |", "| --- | --- | --- | --- |"]
    lines += [f"| {cell(i['item'])} | {cell(i['seed'])} | {cell(i['model'])} | {cell(i['reason'])} |"
              for i in rep["seed_comparison"]]
    if rep["warnings"]:
        lines += ["", *[f"> **Warning:** {w}" for w in rep["warnings"]]]
    return "\n".join(lines) + "\n"


FORMATS = {"json": to_json, "table": to_table, "markdown": to_markdown}
