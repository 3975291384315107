"""How sure the figures are: each figure that rests on an assumption as {low, expected, high}, and the flip point
at which the other storage type becomes cheaper.

The bands are data: the cache hit ratio's (`io.hit_ratio_band`), the calibration's CPU spread
(`cpu_us_per_*_range`) and Aurora's CPU factor (generator/data/aurora-cpu-factor.yaml), the payload's
compression (the calibration's `payload.compression`), and the write I/O's batching (from perfectly batched to
one log write per commit). The low end takes every band's cheaper end, the high end the dearer one; the
expected figures are the report's.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Mapping
from typing import TYPE_CHECKING, Any

from generator.model import profile, sizing

if TYPE_CHECKING:  # the pydantic models are only types here: importing them costs ~0.2 s
    from generator.inputs.model import Environment


def observe(hit_from: str) -> str:
    """What to observe when the billed I/O's range holds the flip point (`hit_from`: workload, override, observed)."""
    if hit_from == "observed":
        return (
            "the storage type's choice is uncertain even at the observed cache hit ratio: observe the cluster "
            "again over a longer window (aurora-gen observe --days 28 --write) before switching"
        )
    then = (
        "narrow io.hit_ratio_band around what it shows"
        if hit_from == "override"
        else "set io.buffer_cache_hit_ratio (and narrow io.hit_ratio_band) to what it shows"
    )
    return (
        "the storage type's choice is uncertain: observe the cluster's BufferCacheHitRatio and "
        f"VolumeReadIOPs/VolumeWriteIOPs in CloudWatch for a few weeks, then {then} "
        "(or aurora-gen observe --write)"
    )


def _band(low: float, expected: float, high: float, digits: int = 2) -> dict[str, float]:
    return {
        "low": round(low + 0.0, digits),
        "expected": round(expected + 0.0, digits),
        "high": round(high + 0.0, digits),
    }


# ---------------------------------------------------------------------------
# Storage: the payload's compression
# ---------------------------------------------------------------------------
def compression_ratio(calibration: Mapping, payload_bytes: int) -> float:
    """Stored bytes per byte of payload text as the calibration measured its payload, at `payload_bytes`:
    linear between the measured sizes, the nearest one outside them; 1 when none was measured."""
    measured = sorted((int(k), float(v)) for k, v in calibration["payload"]["compression"].items())
    if not measured:
        return 1.0
    if payload_bytes <= measured[0][0]:
        return measured[0][1]
    for (s0, r0), (s1, r1) in zip(measured, measured[1:], strict=False):
        if payload_bytes <= s1:
            return r0 + (r1 - r0) * (payload_bytes - s0) / (s1 - s0)
    return measured[-1][1]


def uncompressed_gb(env: Environment, calibration: Mapping) -> float:
    """Storage at retention if the rows' payload did not compress at all (a team's rows unlike the calibration's:
    already compressed, encoded binary): each row grows by what compression saved, with its table's free space."""
    extra = 0.0
    for name, table in env.tables.items():
        cal = sizing.calibrated(name, table, calibration)
        saved = table.row_bytes * max(0.0, 1 - compression_ratio(calibration, cal["payload_bytes"]))
        extra += sizing.table_rows(table, env.agents) * saved * cal["bloat"]
    return sizing.measured_steady_state_gb(env, calibration) + extra / sizing.GB


# ---------------------------------------------------------------------------
# The flip point
# ---------------------------------------------------------------------------
def flip_billed_million(total: Callable[[float, str], float]) -> float | None:
    """Billed I/O a month (millions) at which Standard and I/O-Optimized cost the same; None when no positive
    amount does. `total(io, storage_type)` is linear in the I/O (Standard bills it; I/O-Optimized does not)."""
    at0 = {st: total(0.0, st) for st in ("aurora", "aurora-iopt1")}
    slope = {st: (total(1000.0, st) - at0[st]) / 1000.0 for st in at0}
    rise = slope["aurora"] - slope["aurora-iopt1"]
    if rise <= 0:
        return None
    flip = (at0["aurora-iopt1"] - at0["aurora"]) / rise
    return flip if flip > 0 else None


def flip_hit_ratio(flip_million: float | None, month: profile.MonthIO, hours: float) -> float | None:
    """The month-wide cache hit ratio whose billed I/O is the flip point (None when no ratio in 0..1 gets there)."""
    if flip_million is None or month.pages <= 0:
        return None
    writes = sizing.per_month_million(sum(t.billed_writes for t in month.tables.values()), hours)
    pages = sizing.per_month_million(month.pages, hours)
    hit = 1 - (flip_million - writes) / pages
    return hit if 0 <= hit <= 1 else None


# ---------------------------------------------------------------------------
# Every range
# ---------------------------------------------------------------------------
def compute(
    env: Environment,
    calibration: Mapping,
    prices: Mapping,
    limits: Mapping,
    conns: Mapping,
    cpu_factor: Mapping,
    expected: Mapping[str, float],
    month: profile.MonthIO,
    price: Callable[[float, float, float, str], float],
    chosen: str,
) -> dict[str, Any]:
    """{ranges, flip}. `expected`: the report's acu_required_peak, writer_average_acu, storage_gb, billed I/O;
    `price(writer_average_acu, storage_gb, io_million, storage_type)`: the month's total as the report prices it."""
    hours, band = prices["hours_per_month"], env.io.hit_ratio_band
    ends = {}
    for end, factor in ((0, cpu_factor["low"]), (1, cpu_factor["high"])):
        cpu = profile.cpu_peak(env, calibration, factor, end)
        pts = profile.points(env, calibration, conns, prices, limits, cpu)
        required = [p.requirement.acu for p in pts]
        average = (
            sizing.average_acu(env.acu.scale_points)
            if env.acu.scale_points
            else sizing.average_acu_from_profile(env.compute.load_profile, required, env.acu.min, env.acu.max)
        )
        peak = next(p.requirement.acu for p in pts if p.load == 1)
        # Cheap end: the best cache and perfectly batched commits; dear end: the band's worst cache, a log
        # write per commit.
        io = profile.month_io(
            env,
            calibration,
            prices,
            limits,
            pts,
            (lambda h: max(h, band.high)) if end == 0 else (lambda h: min(h, band.low)),
            (lambda b: math.inf) if end == 0 else (lambda b: 1.0),
        )
        billed = sum(t.billed for t in io.tables.values())
        writes = sum(t.billed_writes for t in io.tables.values())
        ends[end] = {
            "peak": peak,
            "average": round(average, 2),
            "io": round(sizing.per_month_million(billed, hours), 1),
            "writes": sizing.per_month_million(writes, hours),
        }
    storage_high = round(uncompressed_gb(env, calibration), 1)
    lo, hi = ends[0], ends[1]
    cost_lo = price(lo["average"], expected["storage_gb"], lo["io"], chosen)
    cost_hi = price(hi["average"], storage_high, hi["io"], chosen)
    cost_mid = price(expected["writer_average_acu"], expected["storage_gb"], expected["billed_million"], chosen)
    writes_mid = sizing.per_month_million(sum(t.billed_writes for t in month.tables.values()), hours)
    flip_io = flip_billed_million(lambda io, st: price(expected["writer_average_acu"], expected["storage_gb"], io, st))
    return {
        "ranges": {
            "acu_required_peak": _band(lo["peak"], expected["acu_required_peak"], hi["peak"], 1),
            "storage_gb": _band(expected["storage_gb"], expected["storage_gb"], storage_high, 1),
            "billed_io_million_per_month": _band(lo["io"], expected["billed_million"], hi["io"], 1),
            "billed_write_io_million_per_month": _band(lo["writes"], writes_mid, hi["writes"], 1),
            "cost_total_usd_month": _band(cost_lo, cost_mid, cost_hi),
            "bands": {
                "cache_hit_ratio": {"low": band.low, "high": band.high},
                "cpu_factor": {k: cpu_factor[k] for k in ("factor", "low", "high")},
                "write_io": "from batched (4 KB units of the month's log) to one log write per commit",
                "compression": {"kind": calibration["payload"]["kind"], "high": "payload stored uncompressed"},
            },
        },
        "flip": {
            "billed_million_per_month": None if flip_io is None else round(flip_io, 1),
            "cache_hit_ratio": _rounded(flip_hit_ratio(flip_io, month, hours), 4),
        },
    }


def _rounded(value: float | None, digits: int) -> float | None:
    return None if value is None else round(value, digits)


def uncertain(io: Mapping[str, float], flip_million: float | None) -> bool:
    """The storage type's choice is uncertain when the billed I/O's range holds the flip point."""
    return flip_million is not None and io["low"] < flip_million < io["high"]
