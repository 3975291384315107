"""Which topology an environment runs: one Serverless v2 writer, or a Limitless shard group (and why).

Pure functions over the required peak, the storage and the dated AWS limits; the choice is the sizing's
`topology` (auto, single or limitless).
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import Any

from generator.errors import number
from generator.model import sizing


def decide(setting: str, peak_acu: float, storage_gb: float, limits: Mapping) -> dict[str, Any]:
    """{setting, kind, reason, beyond_one_writer}: `auto` picks limitless only when one writer cannot hold the
    peak at AWS's max ACU or the storage passes the cluster's limit; `single` and `limitless` are the sizing's."""
    writer, limit_gb = limits["acu"]["max"], sizing.storage_limit_gb(limits)
    beyond = []
    if peak_acu > writer:
        beyond.append(f"the peak needs {number(peak_acu)} ACU, above one writer's {number(writer)} ACU")
    if storage_gb > limit_gb:
        beyond.append(
            f"{storage_gb:,.0f} GB at retention is above the cluster's {limits['storage']['max_tib']} TiB "
            f"({limit_gb:,.0f} GB)"
        )
    fits = (
        f"one writer holds the peak ({number(peak_acu)} of {number(writer)} ACU) and the storage "
        f"({storage_gb:,.0f} of {limit_gb:,.0f} GB)"
    )
    if setting == "auto":
        kind = "limitless" if beyond else "single"
        reason = f"auto: {'; '.join(beyond) if beyond else fits}"
    else:
        kind = setting
        reason = f"topology: {setting} in sizing.yaml" + (f" ({'; '.join(beyond)})" if beyond else f" ({fits})")
    return {"setting": setting, "kind": kind, "reason": reason, "beyond_one_writer": beyond}


# ---------------------------------------------------------------------------
# The decision's flip point
# ---------------------------------------------------------------------------
# The Aurora CPU factors searched for the flip: far past any band (generator/data/aurora-cpu-factor.yaml), and the
# precision it is stated to.
FLIP_FACTOR_UPPER, FLIP_FACTOR_STEP = 10.0, 0.01


def flip_cpu_factor(peak_at: Callable[[float], float], writer_acu: float) -> float | None:
    """The smallest Aurora CPU factor on a grid of FLIP_FACTOR_STEP at which the required peak passes one writer's
    max ACU: 0 when the load passes it whatever the CPU (memory binds), None when not even FLIP_FACTOR_UPPER does.
    `peak_at(factor)` is the required peak at that factor; it never falls as the factor grows."""
    steps = round(FLIP_FACTOR_UPPER / FLIP_FACTOR_STEP)
    passes = lambda k: peak_at(k * FLIP_FACTOR_STEP) > writer_acu  # noqa: E731
    if passes(0):
        return 0.0
    if not passes(steps):
        return None
    low, high = 0, steps  # not passes(low), passes(high): bisection on whole steps
    while high - low > 1:
        mid = (low + high) // 2
        low, high = (low, mid) if passes(mid) else (mid, high)
    return round(high * FLIP_FACTOR_STEP, 10)


def flip(
    setting: str,
    kind: str,
    flip_factor: float | None,
    factor_band: Mapping[str, float],
    peak: Mapping[str, float],
    storage: Mapping[str, float],
    limits: Mapping,
) -> dict[str, Any]:
    """{cpu_factor, uncertain, observe}: the Aurora CPU factor at which the peak passes one writer, and whether the
    ranges (`peak`, `storage`: {low, expected, high}) reach both topologies: one writer at their low ends and past
    it at their high ends. A range that holds one limit while the other limit decides the topology anyway leaves
    the choice certain. `kind`: the topology chosen (what to observe differs: observe reads one writer only)."""
    writer, limit_gb = limits["acu"]["max"], sizing.storage_limit_gb(limits)

    def beyond(end: str) -> bool:
        return peak[end] > writer or storage[end] > limit_gb

    # Only `auto` chooses: a topology the sizing states is not in doubt (whether one writer could hold the load
    # shows in cpu_factor and the ranges).
    uncertain = setting == "auto" and beyond("low") != beyond("high")
    observe = None
    if uncertain:
        held, metrics = [], []
        if peak["low"] <= writer < peak["high"] and storage["high"] <= limit_gb:
            held.append(
                f"the peak's range {number(peak['low'])}-{number(peak['high'])} ACU (the calibration's CPU spread and the "
                f"Aurora CPU factor's band {number(factor_band['low'])}-{number(factor_band['high'])}) holds one writer's "
                f"{number(writer)} ACU"
                + ("" if not flip_factor else f", passed from a factor of {number(flip_factor)} at the median CPU")
            )
            metrics.append("CPU")
        if storage["low"] <= limit_gb < storage["high"] and peak["high"] <= writer:
            held.append(f"the storage's range {storage['low']:,.0f}-{storage['high']:,.0f} GB holds {limit_gb:,.0f} GB")
            metrics.append("storage")
        if not held:  # each range passes its limit at its high end: both together decide
            held.append(
                f"the peak's range {number(peak['low'])}-{number(peak['high'])} ACU and the storage's "
                f"{storage['low']:,.0f}-{storage['high']:,.0f} GB reach one writer's limits only at their high ends"
            )
            metrics = ["CPU", "storage"]
        observe = f"the topology's choice is uncertain: {'; '.join(held)}; " + _what_to_observe(kind, metrics)
    return {"cpu_factor": flip_factor, "uncertain": uncertain, "observe": observe}


def _what_to_observe(kind: str, metrics: list[str]) -> str:
    if kind == "limitless":  # observe reads one writer's metrics: a shard group is watched in CloudWatch
        watched = {"CPU": "DBShardGroupCapacity", "storage": "VolumeBytesUsed"}
        return (
            f"watch the shard group's {' and '.join(watched[m] for m in metrics)} in CloudWatch as it runs "
            "(aurora-gen observe reads one writer's metrics only)"
        )
    watched = {"CPU": "CPUUtilization", "storage": "VolumeBytesUsed"}
    return (
        f"observe the cluster's {' and '.join(watched[m] for m in metrics)} while it runs "
        "(aurora-gen observe --write) before the fleet grows past it"
    )


def single_blocker(topo: Mapping[str, Any]) -> str | None:
    """Why a `single` topology cannot run this load (render refuses it), or None."""
    if topo["kind"] == "single" and topo["beyond_one_writer"]:
        return "; ".join(topo["beyond_one_writer"]) + ": set topology to auto or limitless, or lower the load"
    return None
