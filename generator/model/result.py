"""Every figure of one environment, computed once: sizing, then pricing, then verdicts.

The report formats, the design comparison and the tfvars template only read this result. Costs are
priced from `expected_load` exactly as the tfvars file states it (rounded as written), so the policy
checks, which price the tfvars with the same functions, agree with the report to the cent.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import replace
from typing import TYPE_CHECKING, Any

from generator.growth import limitless, topology
from generator.inputs import data
from generator.model import comparison, cost_options, pricing, profile, ranges, sizing, verdicts
from generator.observe import apply as observation_model

if TYPE_CHECKING:  # the pydantic models are only types here: importing them costs ~0.2 s
    from generator.inputs.model import Environment


def _r(value: float, digits: int = 2) -> float:
    return round(value + 0.0, digits)


def _storage(env: Environment, cal: Mapping, seed: Mapping) -> dict[str, Any]:
    steady = sizing.measured_steady_state_gb(env, cal)
    raw = sizing.steady_state_gb(env)
    projection = sizing.measured_projection_gb(env, cal, max(12, env.projection_months))
    tables = {}
    for name, t in env.tables.items():
        c = sizing.calibrated(name, t, cal)
        tables[name] = {
            "mode": t.mode,
            "retention_days": t.retention_days,
            "monthly_intake": _r(sizing.table_monthly_intake_gb(t, env.agents), 3),
            "steady_state": _r(sizing.table_measured_gb(name, t, env.agents, cal), 3),
            "raw_payload": _r(sizing.table_stored_gb(t, env.agents), 3),
            "bytes_per_row": _r(sizing.measured_bytes_per_row(t, c), 1),
            "payload_bytes": t.row_bytes,
            "bloat": c["bloat"],
        }
    return {
        "steady_state": _r(steady, 1),
        "with_headroom": _r(steady * env.storage_headroom, 1),
        "raw_payload_steady_state": _r(raw, 1),
        "measured_to_raw": _r(steady / raw, 3) if raw else 1.0,
        "monthly_intake": _r(sizing.monthly_intake_gb(env), 1),
        "projection_12mo": _r(projection[11], 1),
        "projection": [_r(v, 1) for v in projection[: env.projection_months]],
        "seed_linear_12mo": _r(sizing.seed_linear_storage_gb(env.agents, 12, seed), 1),
        "base": env.base_storage_gb,
        "tables": tables,
    }


def _io(
    env: Environment, month: profile.MonthIO, pts: list[profile.Point], hours: float, hit_from: str
) -> dict[str, Any]:
    ios = month.tables
    reads, writes = sum(i.reads for i in ios.values()), sum(i.writes for i in ios.values())
    billed = sum(i.billed for i in ios.values())
    return {
        "read": _r(reads, 1),
        "write": _r(writes, 1),
        "read_share": _r(reads / (reads + writes), 3) if reads + writes else 0.0,
        "billed_read_per_second": _r(sum(i.billed_reads for i in ios.values()), 1),
        "billed_write_per_second": _r(sum(i.billed_writes for i in ios.values()), 1),
        "billed_per_second": _r(billed, 1),
        "billed_million_per_month": _r(sizing.per_month_million(billed, hours), 1),
        # Read and write apart: CloudWatch reports them apart (VolumeReadIOPs, VolumeWriteIOPs; aurora-gen observe).
        "billed_read_million_per_month": _r(
            sizing.per_month_million(sum(i.billed_reads for i in ios.values()), hours), 1
        ),
        "billed_write_million_per_month": _r(
            sizing.per_month_million(sum(i.billed_writes for i in ios.values()), hours), 1
        ),
        # The month's, weighted by the pages each profile point reads: derived, the override or the observed one.
        "cache_hit_ratio": _r(month.hit_ratio, 4),
        "cache_hit_ratio_from": hit_from,
        "profile": [
            {"label": p.label, "load": p.load, "cache_hit_ratio": _r(h, 4), "commits_per_log_write": _r(b, 2)}
            for p, h, b in zip(pts, month.hit_ratios, month.batches, strict=True)
        ],
        "tables": {
            n: {
                "reads": _r(i.reads, 2),
                "writes": _r(i.writes, 2),
                "billed_per_second": _r(i.billed, 2),
                "billed_million_per_month": _r(sizing.per_month_million(i.billed, hours), 2),
            }
            for n, i in ios.items()
        },
    }


def _connections(env: Environment, limits: Mapping) -> dict[str, Any]:
    max_conn = sizing.max_connections(env.acu.max, env.acu.min, limits)
    pooled = sizing.pool_max_total(env.connection_pools)
    proxy_max = sizing.proxy_max_connections(max_conn, env.proxy.max_connections_percent) if env.proxy.enabled else 0
    budget = proxy_max if env.proxy.enabled else max_conn - env.direct_connection_reserve
    return {
        "pool_max_total": pooled,
        "pool_min_total": sizing.pool_min_total(env.connection_pools),
        "max_connections": max_conn,
        "proxy_max": proxy_max,
        "budget": budget,
        "headroom": budget - pooled,
        "direct_reserve": max_conn - proxy_max if env.proxy.enabled else env.direct_connection_reserve,
        "max_acu_for_pools": sizing.max_acu_for_pools(
            pooled,
            env.acu.min,
            env.proxy.enabled,
            env.proxy.max_connections_percent,
            env.direct_connection_reserve,
            limits,
        ),
    }


def _acu(
    env: Environment, cal: Mapping, pts: list[profile.Point], base: sizing.Requirement, cpu: float, limits: Mapping
) -> dict[str, Any]:
    peak = next(p.requirement for p in pts if p.load == 1)
    override = bool(env.acu.scale_points)
    average = (
        sizing.average_acu(env.acu.scale_points)
        if override
        else sizing.average_acu_from_profile(
            env.compute.load_profile, [p.requirement.acu for p in pts], env.acu.min, env.acu.max
        )
    )
    reader = env.readers.independent_average_acu
    hot_peak = sizing.hot_set_bytes(env, cal, 1 / sizing.mean_load(env.compute.load_profile))
    return {
        "min": env.acu.min,
        "max": env.acu.max,
        "average": _r(average, 2),
        "average_from": "scale_points" if override else "load_profile",
        "scale_points_short": override
        and sizing.scale_points_short(env.acu.scale_points, env.compute.load_profile, [p.requirement.acu for p in pts]),
        "independent_reader_average": env.acu.min if reader is None else reader,
        "instances": 1 + len(env.readers.promotion_tiers),
        "memory_gib_at_min": sizing.memory_gib(env.acu.min, limits),
        "memory_gib_at_max": sizing.memory_gib(env.acu.max, limits),
        "required": {
            "peak": peak.acu,
            "baseline": base.acu,
            "binding": peak.binding,
            "baseline_binding": base.binding,
            "peak_by_resource": {k: _r(v, 2) for k, v in peak.by.items()},
            "baseline_by_resource": {k: _r(v, 2) for k, v in base.by.items()},
            "profile": [
                {
                    "load": p.load,
                    "share": p.share,
                    "label": p.label,
                    "required": p.requirement.acu,
                    "binding": p.requirement.binding,
                    "acu": p.acu,
                }
                for p in pts
            ],
        },
        "cpu_vcpu_at_peak": _r(cpu, 3),
        "hot_set_gb": _r(hot_peak / sizing.GB, 2),  # at peak: the last hot window's rows at the peak's rates
        "connection_memory_mib": _r(cal["memory"]["bytes_per_connection"] / 2**20, 2),
    }


def _design(env: Environment, rep: Mapping[str, Any], cal: Mapping, seed: Mapping) -> dict[str, Any]:
    """The design's figures for this environment (its formulas on its numbers) and the model's counterparts."""
    task = env.tables.get("task_history")
    reads, writes = rep["iops"]["read"], rep["iops"]["write"]
    read_pct = round(100 * reads / (reads + writes)) if reads + writes else 0
    return {
        "monthly_growth_gb": _r(sum(seed["per_agent_monthly_gb"].values()) * env.agents, 1),
        "provision_gb": _r(rep["storage_gb"]["seed_linear_12mo"] * 1.5, 1),  # the design's 50% headroom
        "task_history_gb_per_agent": (
            _r(sizing.table_measured_gb("task_history", task, 1, cal), 4) if task is not None else None
        ),
        "connections_per_max_acu": _r(rep["connections"]["max_connections"] / env.acu.max, 1),
        "pools_as_acu": _r(rep["connections"]["pool_max_total"] / seed["connections_per_acu"], 1),
        "read_write_mix": f"{read_pct}:{100 - read_pct}",
    }


def _cost_inputs(env: Environment, writer_acu: float, storage_gb: float, io_million: float) -> pricing.CostInputs:
    snaps = env.backup.snapshots
    return pricing.build_cost_inputs(
        writer_average_acu=writer_acu,
        reader_promotion_tiers=env.readers.promotion_tiers,
        independent_reader_average_acu=env.acu.min
        if env.readers.independent_average_acu is None
        else env.readers.independent_average_acu,
        storage_gb=storage_gb,
        io_million_per_month=io_million,
        transfer_gb_per_month=env.transfer_gb_per_month,
        retention_days=env.backup.retention_days,
        snapshots=(snaps.daily, snaps.weekly, snaps.monthly),
        copied_rules=cost_options.copied_rules(env),
        proxy_enabled=env.proxy.enabled,
    )


def build(
    env: Environment,
    prices: Mapping,
    limits: Mapping,
    calibration: Mapping,
    seed: Mapping,
    sources: list[dict[str, str]],
    *,
    dr_prices: Mapping | None = None,
    cpu_factor: Mapping | None = None,
    observation: Mapping | None = None,
) -> dict[str, Any]:
    """`prices`: the price file of env.region; `dr_prices`: env.dr_region's (None: the same file). `observation`:
    the environment's observed.yaml (generator.observe.observed_file), applied after the calibration."""
    dr_prices = prices if dr_prices is None else dr_prices
    factor = data.aurora_cpu_factor() if cpu_factor is None else cpu_factor
    hit_from = observation_model.hit_ratio_from(env, observation)
    env, calibration, factor = observation_model.applied(env, calibration, factor, observation)
    storage = _storage(env, calibration, seed)
    conns = _connections(env, limits)
    cpu = profile.cpu_peak(env, calibration, factor["factor"])
    pts = profile.points(env, calibration, conns, prices, limits, cpu)
    quietest = min(p.load for p in env.compute.load_profile)
    base = next(p.requirement for p in pts if p.load == quietest)
    month = profile.month_io(env, calibration, prices, limits, pts)
    iops = _io(env, month, pts, prices["hours_per_month"], hit_from)
    acu = _acu(env, calibration, pts, base, cpu, limits)
    topo = topology.decide(env.topology, acu["required"]["peak"], storage["steady_state"], limits)
    # expected_load as the tfvars file states it: the policies price exactly these figures.
    load = {
        "agents": env.agents,
        "pooled_connections": conns["pool_max_total"],
        "writer_average_acu": acu["average"],
        "independent_reader_average_acu": acu["independent_reader_average"],
        "storage_gb": storage["steady_state"],
        "io_requests_million_per_month": iops["billed_million_per_month"],
        "transfer_gb_per_month": env.transfer_gb_per_month,
    }
    inputs = _cost_inputs(env, load["writer_average_acu"], load["storage_gb"], load["io_requests_million_per_month"])
    rated = pricing.regional(prices, dr_prices)
    costs = {st: pricing.monthly_cost(inputs, st, rated, limits) for st in pricing.STORAGE_TYPES}
    cheaper = pricing.cheaper_storage_type(inputs, rated, limits)
    chosen = cheaper if env.storage_type == "auto" else env.storage_type
    worst = pricing.worst_case_cost(inputs, chosen, env.acu.max, rated, limits)

    def price(writer_acu: float, storage_gb: float, io_million: float, storage_type: str) -> float:
        return pricing.monthly_cost(
            _cost_inputs(env, writer_acu, storage_gb, io_million), storage_type, rated, limits
        ).total

    expected = {
        "acu_required_peak": acu["required"]["peak"],
        "writer_average_acu": load["writer_average_acu"],
        "storage_gb": load["storage_gb"],
        "billed_million": load["io_requests_million_per_month"],
    }
    spread = ranges.compute(env, calibration, prices, limits, conns, factor, expected, month, price, chosen)
    doubt = ranges.uncertain(
        spread["ranges"]["billed_io_million_per_month"], spread["flip"]["billed_million_per_month"]
    )

    def peak_at(cpu_factor: float) -> float:
        cpu_at = profile.cpu_peak(env, calibration, cpu_factor)
        return next(
            p.requirement.acu for p in profile.points(env, calibration, conns, prices, limits, cpu_at) if p.load == 1
        )

    flip_factor = topology.flip_cpu_factor(peak_at, limits["acu"]["max"])
    topo["flip"] = topology.flip(
        topo["setting"],
        topo["kind"],
        flip_factor,
        factor,
        spread["ranges"]["acu_required_peak"],
        spread["ranges"]["storage_gb"],
        limits,
    )
    rep: dict[str, Any] = {
        "env": env.environment,
        "agents": env.agents,
        "sources": [*sources, *observation_model.sources(observation)],
        "storage_gb": storage,
        "iops": iops,
        "connections": conns,
        "acu": acu,
        "expected_load": load,
        "cost_usd_month": {**costs[chosen].as_dict(), "worst_case": _r(worst), "storage_type": chosen},
        "cost_usd_month_standard": costs["aurora"].as_dict(),
        "cost_usd_month_io_optimized": costs["aurora-iopt1"].as_dict(),
        "recommendation": {
            "storage_type": cheaper,
            "io_share_of_aurora_bill": _r(pricing.io_share_of_bill(costs["aurora"]), 3),
            "io_optimized_advised_above": prices["io_optimized_advice_share"],
            # The billed I/O (and the month's hit ratio giving it) at which the other type becomes cheaper.
            "flip": spread["flip"],
            "uncertain": doubt,
            "observe": ranges.observe(hit_from) if doubt else None,
        },
        "ranges": spread["ranges"],
        "budget_usd": env.budget_usd,
        # The stated assumptions behind the figures (generator/data/defaults.yaml, or the environment's file).
        "assumptions": {
            "buffer_cache_hit_ratio": iops["cache_hit_ratio"],
            "buffer_cache_hit_ratio_from": iops["cache_hit_ratio_from"],
            "cache_share_of_memory": env.io.cache_share_of_memory,
            "log_flush_ms": env.io.log_flush_ms,
            "aurora_cpu_factor": factor["factor"],
            "aurora_cpu_factor_from": factor.get("from", "data"),
            "target_cpu_utilization": env.compute.target_cpu_utilization,
            "hot_window_hours": env.compute.hot_window_hours,
            "mean_load_of_peak": _r(sizing.mean_load(env.compute.load_profile), 4),
        },
        "billed_resources": {
            **pricing.billed_resources(inputs.module, prices, pricing.instance_average_acus(inputs, limits)),
            "settings": data.source_path(data.MODULE_DEFAULTS_FILE),
        },
        **cost_options.figures(env, costs[chosen], load["storage_gb"], storage["monthly_intake"], prices, dr_prices),
    }
    rep["topology"] = topo
    if topo["kind"] == "limitless":
        limitless.apply(rep, env, pts, prices, dr_prices, limits)
        # The shard group's memory holds the cache: each point runs within its [min, max], not one writer's.
        group = topo["shard_group"]
        pts = [replace(p, acu=min(max(p.requirement.acu, group["min_acu"]), group["max_acu"])) for p in pts]
        month = profile.month_io(env, calibration, prices, limits, pts)
        rep["iops"] = _io(env, month, pts, prices["hours_per_month"], hit_from)
        load["io_requests_million_per_month"] = rep["iops"]["billed_million_per_month"]  # included: priced at 0
        rep["ranges"]["billed_io_million_per_month"]["expected"] = rep["iops"]["billed_million_per_month"]
        rep["assumptions"]["buffer_cache_hit_ratio"] = rep["iops"]["cache_hit_ratio"]
        for row, p in zip(rep["acu"]["required"]["profile"], pts, strict=True):
            row["acu"] = p.acu
    rep["design"] = _design(env, rep, calibration, seed)
    rep["observation"] = observation
    rep["provenance"] = observation_model.provenance(env, observation, hit_from, factor)
    rep["warnings"] = verdicts.warnings(env, rep, limits) + observation_model.warnings(observation)
    rep["seed_comparison"] = comparison.rows(env, rep, prices, seed)
    return rep
