"""Fleet sizes for `aurora-gen grow` and the figures at each: every point is the one result object
(generator/sized.py report_of) of the environment with its agents replaced, never a figure computed beside it."""

from __future__ import annotations

import math
from collections.abc import Callable
from functools import cache
from typing import TYPE_CHECKING, Any

from generator.sized import report_of

if TYPE_CHECKING:
    from generator.model import Environment

POINTS_PER_DECADE = 8


def fleet_sizes(start: int, to: int) -> list[int]:
    """Log-spaced whole agent counts from `start` (at least 1) to `to`, both included, ascending, distinct."""
    lo = max(1, start)
    if to <= lo:
        return [to]
    steps = max(2, math.ceil(math.log10(to / lo) * POINTS_PER_DECADE))
    sizes = {round(lo * (to / lo) ** (i / steps)) for i in range(steps + 1)}
    return sorted(sizes | {lo, to})


def sizer(env: Environment) -> Callable[[int], dict[str, Any]]:
    """The environment's result at a given agents count (remembered: bisection asks for a count again)."""

    @cache
    def at(agents: int) -> dict[str, Any]:
        return report_of(env.model_copy(update={"agents": agents}))

    return at


def point(rep: dict[str, Any]) -> dict[str, Any]:
    """What grow shows of one result."""
    req, cost, topo = rep["acu"]["required"], rep["cost_usd_month"], rep["topology"]
    group = topo.get("shard_group")
    return {
        "agents": rep["agents"],
        "acu_required_peak": req["peak"],
        "acu_required_baseline": req["baseline"],
        "binding": req["binding"],
        "storage_gb": rep["storage_gb"]["steady_state"],
        "billed_io_million_per_month": rep["iops"]["billed_million_per_month"],
        "storage_type": cost["storage_type"],
        "cost_total_usd_month": cost["total"],
        "cost_worst_case_usd_month": cost["worst_case"],
        "topology": topo["kind"],
        "topology_reason": topo["reason"],
        "shard_group": None
        if group is None
        else {k: group[k] for k in ("min_acu", "max_acu", "routers", "shards", "compute_redundancy")},
    }
