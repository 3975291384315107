"""The design's figures beside the model's, with the reason they differ.

Reads the computed result (and the design's own numbers from seed.yaml) only: no figure is computed here.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from generator.inputs.model import Environment


def rows(env: Environment, rep: Mapping[str, Any], prices: Mapping, seed: Mapping) -> list[dict]:
    s_env = seed["environments"].get(env.environment, {})
    d, st, cost = rep["design"], rep["storage_gb"], rep["cost_usd_month"]
    conns, acu, iops = rep["connections"], rep["acu"], rep["iops"]
    savings = seed["reserved_discount"]
    io_units = prices["io_billing"]  # the billed units, as the figures use them
    items = [
        (
            "storage: monthly growth (GB)",
            d["monthly_growth_gb"],
            st["monthly_intake"],
            "the design sums each table's total kept at retention as if it were monthly intake; real intake is the "
            "writes of a 30-day month, and retention deletes as much as it adds once full",
        ),
        (
            "storage: after 12 months (GB)",
            st["seed_linear_12mo"],
            st["projection_12mo"],
            "the linear formula adds growth for ever and ignores every retention period; storage levels off at "
            f"{st['steady_state']} GB once the longest retention is full",
        ),
        (
            "storage: bytes stored (GB at retention)",
            st["raw_payload_steady_state"],
            st["steady_state"],
            f"rows take {st['measured_to_raw']}x their payload, measured: row headers, JSONB, TOAST, indexes and the "
            "free space retention's DELETEs leave (calibration file)",
        ),
        (
            "storage: to provision (GB)",
            d["provision_gb"],
            st["with_headroom"],
            "Aurora provisions nothing and bills what is stored; the model's figure is the steady state with "
            f"{env.storage_headroom:g}x headroom, for planning only",
        ),
    ]
    if d["task_history_gb_per_agent"] is not None:
        items.append(
            (
                "storage: task_history per agent (GB)",
                seed["task_history_gb_per_agent"],
                d["task_history_gb_per_agent"],
                f"{env.tables['task_history'].retention_days}-day retention keeps that many days of rows "
                "(measured bytes per row); 0.105 is 30 days of them",
            )
        )
    items += [
        (
            "connections per ACU",
            seed["connections_per_acu"],
            d["connections_per_max_acu"],
            "max_connections is LEAST(memory/9531392, 5000) of the MAX ACU setting, fixed as capacity moves; "
            f"at max {acu['max']:g} ACU it is {conns['max_connections']}",
        ),
        (
            "ACU required by the pools",
            d["pools_as_acu"],
            conns["max_acu_for_pools"],
            "connections do not set ACU; the pools need only a max ACU whose max_connections (the proxy's share) holds them",
        ),
        (
            "connection range",
            s_env.get("connections", "n/a"),
            f"0-{conns['max_connections']}",
            "max_connections is fixed by the max ACU setting, not a range that scales with load",
        ),
        (
            "read:write mix",
            seed["read_write_ratio"],
            d["read_write_mix"],
            "the tables' read and write rates (defaults.yaml), statements a second",
        ),
        (
            "I/O cost (USD/month)",
            seed["io_cost_usd"],
            (rep["cost_usd_month_standard"] or rep["cost_usd_month"])["io"],  # a shard group: I/O-Optimized only
            f"Aurora Standard bills ${prices['io_per_million']['aurora']}/million I/O requests: "
            f"{io_units['read_page_bytes'] // 1024} KB pages that miss the cache and {io_units['write_unit_bytes'] // 1024} "
            f"KB units of log, measured per statement: {iops['billed_million_per_month']} million a month; "
            "I/O-Optimized includes them",
        ),
        (
            "average ACU",
            s_env.get("average_acu", "n/a"),
            acu["average"],
            f"required ACU from the workload ({acu['required']['binding']} binds at peak: {acu['required']['peak']:g} ACU) "
            "along the load profile, clamped to min..max"
            if acu["average_from"] == "load_profile"
            else "the environment's scale points (an override of the requirement)",
        ),
        (
            "compute (USD/month)",
            s_env.get("compute_usd", "n/a"),
            cost["compute"],
            f"every db.serverless instance is billed for its own ACUs: {acu['instances']} instance(s)",
        ),
        (
            "RDS Proxy (USD/month)",
            seed["proxy_usd"],
            cost["proxy"],
            f"${prices['proxy']['per_acu_hour']} per ACU-hour of the target, at least {prices['proxy']['minimum_acu']} ACU",
        ),
        (
            "data transfer (USD/month)",
            seed["transfer_usd"],
            cost["transfer"],
            f"internet egress ({env.transfer_gb_per_month:g} GB at ${prices['transfer']['internet_per_gb']}/GB) plus "
            f"snapshot copies to the DR region at ${prices['transfer']['inter_region_per_gb']}/GB",
        ),
        (
            "backups (USD/month)",
            seed["backups_usd"],
            cost["backup"],
            "backup storage up to the cluster's size within retention is free; snapshots kept beyond it and copies in "
            "the DR region are billed (counted at full size: conservative)",
        ),
        (
            "discounts",
            f"{savings['one_year']:.0%} (1 yr) / {savings['three_year']:.0%} (3 yr) reserved",
            f"up to {prices['discounts']['database_savings_plan_1yr_max']:.0%} of compute with a 1-year Database Savings Plan",
            "no Reserved Instances for Serverless v2 and no 3-year term; nothing off storage, I/O, proxy or transfer",
        ),
        (
            "recovery point (RPO)",
            f"{seed['rpo_minutes']} min",
            "~5 min in-region (PITR); up to 24 h cross-region from daily copies",
            "only a global database gives a cross-region RPO of seconds",
        ),
        (
            "parameters",
            f"{seed['parameters']['idle_timeout_name']}, shared_buffers {seed['parameters']['shared_buffers']}, "
            f"work_mem {seed['parameters']['work_mem_mb']} MB, pool_mode {seed['parameters']['pool_mode']}",
            f"idle_in_transaction_session_timeout, shared_buffers unset, work_mem {env.parameters.work_mem_kb // 1024} MB",
            "the parameter is idle_in_transaction_session_timeout; Serverless v2 sizes shared_buffers itself; "
            "pool_mode is PgBouncer's, not RDS Proxy's; 256 MB work_mem risks OOM on small ACU",
        ),
    ]
    return [{"item": i, "seed": s, "model": m, "reason": r} for i, s, m, r in items]
