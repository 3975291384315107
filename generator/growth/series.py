"""Fleet sizes for `aurora-gen grow` and the figures at each: every point is the one result object
(generator/model/sized.py report_of) of the environment with its agents replaced, never a figure computed beside it."""

from __future__ import annotations

import math
from collections.abc import Callable, Mapping
from functools import cache
from typing import TYPE_CHECKING, Any

from generator.inputs import data
from generator.model.sized import report_of

if TYPE_CHECKING:
    from generator.inputs.model import Environment

POINTS_PER_DECADE = 8


def fleet_sizes(start: int, to: int) -> list[int]:
    """Log-spaced whole agent counts from `start` (at least 1) to `to`, both included, ascending, distinct."""
    lo = max(1, start)
    if to <= lo:
        return [to]
    steps = max(2, math.ceil(math.log10(to / lo) * POINTS_PER_DECADE))
    sizes = {round(lo * (to / lo) ** (i / steps)) for i in range(steps + 1)}
    return sorted(sizes | {lo, to})


def resized_max(peak: float, today_max: float, share: float, step: float, writer_max: float) -> float:
    """The max ACU a team would set for `peak`: today's, or raised (in ACU steps) until the peak is `share` of it,
    never past one writer's max."""
    if peak <= share * today_max:
        return today_max
    return min(writer_max, max(today_max, math.ceil(peak / share / step) * step))


def sizer(env: Environment, observation: Mapping | None = None) -> Callable[[int], dict[str, Any]]:
    """The environment's result at a given agents count (remembered: bisection asks for a count again).

    Each fleet is sized as the team would run it: when its peak passes the headroom share of today's max ACU,
    max ACU is raised to hold it (generator/data/headroom.yaml). Kept at today's max, the running capacity
    would stop at it and the cache with it, and the billed I/O of a fleet ten times larger would be that of
    a starved cluster (24 billion a month at 13,000 agents), not of one sized for it. The thresholds still
    compare the required peak with today's max. The environment's observation, if any, applies at every size.
    """
    limits, share = data.limits(), data.headroom()["peak_share_of_max"]

    @cache
    def at(agents: int) -> dict[str, Any]:
        grown = env.model_copy(update={"agents": agents})
        rep = report_of(grown, observation)
        peak = rep["acu"]["required"]["peak"]
        new_max = resized_max(peak, env.acu.max, share, limits["acu"]["step"], limits["acu"]["max"])
        if new_max == env.acu.max:
            return rep
        return report_of(grown.model_copy(update={"acu": env.acu.model_copy(update={"max": new_max})}), observation)

    return at


def point(rep: dict[str, Any]) -> dict[str, Any]:
    """What grow shows of one result."""
    req, cost, topo = rep["acu"]["required"], rep["cost_usd_month"], rep["topology"]
    group = topo.get("shard_group")
    return {
        "agents": rep["agents"],
        "acu_required_peak": req["peak"],
        "acu_required_baseline": req["baseline"],
        "acu_max": rep["acu"]["max"],  # today's, or raised to hold the peak (sizer)
        "binding": req["binding"],
        "storage_gb": rep["storage_gb"]["steady_state"],
        "billed_io_million_per_month": rep["iops"]["billed_million_per_month"],
        "storage_type": cost["storage_type"],
        "cost_total_usd_month": cost["total"],
        "cost_worst_case_usd_month": cost["worst_case"],
        "topology": topo["kind"],
        "topology_reason": topo["reason"],
        "topology_uncertain": topo["flip"]["uncertain"],
        # One writer asked to hold what it cannot (topology: single): render refuses this fleet.
        "beyond_one_writer": bool(topo["beyond_one_writer"]) and topo["kind"] == "single",
        "shard_group": None
        if group is None
        else {k: group[k] for k in ("min_acu", "max_acu", "routers", "shards", "compute_redundancy", "over_ceiling")},
    }
