"""Observed beside predicted, per figure, and the warnings (stable codes) where they part.

The predicted figures are read from the ONE result (`generator.model.sized`'s report): the load profile's points
give the predicted percentiles (each point's writer ACU for its share of the month). The model's CPU
requirement includes its target utilization; what the cluster *uses* is that requirement x the target
(assumptions.target_cpu_utilization), and CPU scales with load, so each profile point uses the peak's CPU x
its load.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from generator.observe import facts
from generator.observe.observation import Observation
from generator.observe.series import Series, hourly_means, mean, percentile, share_where, slope_per_second, summed
from generator.observe.series import weighted_percentile as wpct

GB = 1e9
PCTS = (("p50", 50), ("p95", 95), ("p99", 99))


def _z(t: Any) -> str:
    return t.strftime("%Y-%m-%dT%H:%M:%SZ")


def _usable(s: Series | None, what: str, gaps: list[str]) -> Series | None:
    need = facts.facts()["thresholds"]["min_points"]
    if s is None:
        gaps.append(f"{what}: no series")
        return None
    if len(s) < need:
        gaps.append(f"{what}: {len(s)} point(s), fewer than {need}")
        return None
    return s


def observed(obs: Observation, acu_min: float, acu_max: float, hours_per_month: float) -> tuple[dict, list[str]]:
    """The observed figures (None where the data is missing) and the data gaps, each named."""
    th, metrics = facts.facts()["thresholds"], facts.facts()["metrics"]
    tol, month_s = th["acu_tolerance"], hours_per_month * facts.SECONDS_PER_HOUR
    gaps: list[str] = []
    acu_s = _usable(obs.writer_metric("ServerlessDatabaseCapacity"), "ServerlessDatabaseCapacity (writer)", gaps)
    acu = dict.fromkeys(("p50", "p95", "p99", "max", "share_at_max", "share_at_min"))
    if acu_s:
        v = acu_s.values
        acu |= {k: round(percentile(v, p), 2) for k, p in PCTS} | {"max": round(max(v), 2)}
        acu["share_at_max"] = round(share_where(v, lambda x: x >= acu_max - tol), 3)
        acu["share_at_min"] = round(share_where(v, lambda x: x <= acu_min + tol), 3)
    hit_s = _usable(obs.writer_metric("BufferCacheHitRatio"), "BufferCacheHitRatio (writer)", gaps)
    bytes_s = _usable(obs.cluster_level.get("VolumeBytesUsed"), "VolumeBytesUsed (cluster)", gaps)
    io = None
    io_parts = [
        _usable(obs.cluster_level.get(m), f"{m} (cluster)", gaps) for m in ("VolumeReadIOPs", "VolumeWriteIOPs")
    ]
    read = write = None
    if all(io_parts):  # each point is one interval's count: a month holds month_s / interval of them
        intervals = month_s / metrics["io_interval_s"]
        read, write = (round(mean(s.values) * intervals / 1e6, 1) for s in io_parts)
        io = round(sum(mean(s.values) for s in io_parts) * intervals / 1e6, 1)
    conns = summed(obs.instance_series("DatabaseConnections"), "DatabaseConnections")
    conns = _usable(conns, "DatabaseConnections (instances)", gaps)
    cpu_s = _usable(obs.writer_metric("CPUUtilization"), "CPUUtilization (writer)", gaps)
    return {
        "window": {
            "start": _z(obs.start),
            "end": _z(obs.end),
            "days": round((obs.end - obs.start).total_seconds() / 86400, 2),
            "points": len(acu_s) if acu_s else 0,
        },
        "acu": acu,
        "cache_hit_ratio": round(mean(hit_s.values) / 100, 4) if hit_s else None,
        "storage_gb": round(bytes_s.values[-1] / GB, 1) if bytes_s else None,
        "storage_growth_gb_per_month": round(slope_per_second(bytes_s) * month_s / GB, 1) if bytes_s else None,
        "io": {"billed_million_per_month": io, "read_million_per_month": read, "write_million_per_month": write},
        "connections": {"max": round(max(conns.values)) if conns else None},
        # CPUUtilization is a share of what max ACU provides (the facts file): x max ACU is the CPU used, in ACU.
        "cpu_acu_p95": round(percentile([v / 100 * acu_max for v in cpu_s.values], 95), 2) if cpu_s else None,
        # Read and shown, compared with nothing the model predicts.
        "also": {
            "acu_utilization_p95_percent": _p95(obs.writer_metric("ACUUtilization")),
            "freeable_memory_gib_min": _min(obs.writer_metric("FreeableMemory"), 2**30),
            "proxy_client_connections_max": _max(obs.cluster_level.get("ClientConnections")),
            "proxy_borrowed_connections_max": _max(obs.cluster_level.get("DatabaseConnectionsCurrentlyBorrowed")),
        },
        "hourly_acu": [round(h, 3) for h in hourly_means(acu_s)] if acu_s else [],
    }, gaps


def _p95(s: Series | None) -> float | None:
    return round(percentile(s.values, 95), 2) if s else None


def _min(s: Series | None, unit: float) -> float | None:
    return round(min(s.values) / unit, 2) if s else None


def _max(s: Series | None) -> float | None:
    return round(max(s.values), 1) if s else None


def predicted(rep: Mapping[str, Any]) -> dict:
    """The same figures from the model's result (its load profile for the percentiles)."""
    acu, req = rep["acu"], rep["acu"]["required"]
    points = [(p["acu"], p["share"]) for p in req["profile"]]
    used_cpu = req["peak_by_resource"]["cpu"] * rep["assumptions"]["target_cpu_utilization"]
    return {
        "acu": {k: wpct(points, p) for k, p in PCTS}
        | {
            "max": max(a for a, _ in points),
            "share_at_max": round(sum(s for a, s in points if a >= acu["max"]), 3),
            "share_at_min": round(sum(s for a, s in points if a <= acu["min"]), 3),
        },
        "cache_hit_ratio": rep["iops"]["cache_hit_ratio"],
        "storage_gb": rep["storage_gb"]["steady_state"],
        "storage_growth_gb_per_month": None,  # the model states the steady state, not a window's slope
        "io": {
            "billed_million_per_month": rep["iops"]["billed_million_per_month"],
            "read_million_per_month": rep["iops"]["billed_read_million_per_month"],
            "write_million_per_month": rep["iops"]["billed_write_million_per_month"],
        },
        "connections": {"max": rep["connections"]["pool_max_total"]},
        "cpu_acu_p95": round(wpct([(used_cpu * p["load"], p["share"]) for p in req["profile"]], 95), 2),
    }


def ratios(obs: Mapping, pred: Mapping) -> dict:
    """observed / predicted for every figure both have (None where either is missing or the prediction is 0)."""
    out: dict[str, Any] = {}
    for key, p in pred.items():
        o = obs.get(key)
        if isinstance(p, Mapping):
            out[key] = ratios(o or {}, p)
        elif isinstance(o, (int, float)) and isinstance(p, (int, float)) and p:
            out[key] = round(o / p, 3)
        else:
            out[key] = None
    return out


def warnings(o: Mapping, p: Mapping, r: Mapping, gaps: list[str], acu_min: float, acu_max: float) -> list[dict]:
    th = facts.facts()["thresholds"]
    out: list[dict[str, str]] = []

    def warn(code: str, message: str, change: str) -> None:
        out.append({"code": code, "message": message, "change": change})

    for gap in gaps:
        warn("observe.data_gap", f"missing or too few points: {gap}", "check the metric's dimension, or widen --days")
    acu = o["acu"]
    if acu["share_at_max"] is not None and acu["share_at_max"] > th["saturated_share"]:
        warn(
            "observe.max_acu_saturated",
            f"capacity was at max ACU {acu_max:g} for {acu['share_at_max']:.0%} of the window (over "
            f"{th['saturated_share']:.0%}): it was capped, so the load's real peak is unknown",
            "raise acu.max (recommendation.max_acu)",
        )
    cpu = o["cpu_acu_p95"]
    if acu["share_at_min"] is not None and acu["share_at_min"] > th["idle_share"] and cpu is not None and acu_min:
        if cpu < th["idle_p95_below_min"] * acu_min:
            warn(
                "observe.min_acu_idle",
                f"capacity was at min ACU {acu_min:g} for {acu['share_at_min']:.0%} of the window and the CPU's p95 "
                f"uses {cpu:g} ACU, under {th['idle_p95_below_min']:.0%} of it",
                "lower acu.min (recommendation.min_acu), within the policies' floor",
            )
    above = th["above_model_ratio"]
    for code, ratio, what in (
        ("observe.storage_above_model", r["storage_gb"], "stored GB"),
        ("observe.io_above_model", r["io"]["billed_million_per_month"], "billed I/O"),
        ("observe.cpu_above_model", r["cpu_acu_p95"], "CPU at p95 (ACU)"),
    ):
        if ratio is not None and ratio > above:
            warn(
                code,
                f"observed {what} is {ratio:g}x the model's (above {above:g}x)",
                "aurora-gen observe --write to correct the model",
            )
    hit, assumed = o["cache_hit_ratio"], p["cache_hit_ratio"]
    if hit is not None and hit < assumed - th["cache_hit_below"]:
        warn(
            "observe.cache_hit_below_assumed",
            f"the buffer cache hit ratio was {hit:g}, below the model's {assumed:g}: more reads bill I/O",
            "aurora-gen observe --write (the model then uses the observed ratio)",
        )
    return out
