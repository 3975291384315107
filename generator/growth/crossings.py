"""The thresholds a growing fleet meets, and the agents count at which each is first crossed.

Each threshold is a figure of the result against a limit; the crossing is found by bisection on the agents
count (whole agents), not only at the series' points. The figures grow with the fleet (the property tests
hold the required ACU, storage and cost to that), so the first count above the limit is well defined.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import Any, NamedTuple

from generator.inputs import data
from generator.inputs.policy_limits import GrowthLimits
from generator.model import sizing


class Threshold(NamedTuple):
    name: str
    figure: str  # the result's figure, as grow names it
    unit: str
    limit: float | None  # None: not set (a budget, a limits file without it)
    set_in: str
    value: Callable[[Mapping[str, Any]], float]


def thresholds(env: Any, limits: Mapping, policy: GrowthLimits) -> list[Threshold]:
    peak = lambda r: r["acu"]["required"]["peak"]  # noqa: E731
    facts = data.limitless()
    share = data.headroom()["peak_share_of_max"]
    return [
        Threshold(
            "headroom (acu.peak_near_max)",
            "required peak ACU",
            "ACU",
            share * env.acu.max,
            f"{share:.0%} of acu.max ({data.source_path(data.HEADROOM_FILE)})",
            peak,
        ),
        Threshold("max ACU", "required peak ACU", "ACU", env.acu.max, "acu.max in sizing.yaml", peak),
        Threshold(
            "policy ACU ceiling",
            "required peak ACU",
            "ACU",
            policy.acu_max_ceiling,
            f"acu.max_ceiling in {policy.path}",
            peak,
        ),
        Threshold(
            "max_connections for the pools",
            "pooled connections",
            "connections",
            None,
            "connection_pools in sizing.yaml (fixed: the model does not grow them with agents)",
            lambda r: r["connections"]["pool_max_total"],
        ),
        Threshold(
            "one writer's max ACU",
            "required peak ACU",
            "ACU",
            limits["acu"]["max"],
            f"acu.max in {data.source_path(data.LIMITS_FILE)}",
            peak,
        ),
        Threshold(
            # Where the topology's choice becomes uncertain: the peak's range holds one writer (ranges.py's bands).
            "one writer's max ACU (high end)",
            "required peak ACU at the range's high end",
            "ACU",
            limits["acu"]["max"],
            f"acu.max in {data.source_path(data.LIMITS_FILE)}; the range from generator/data/aurora-cpu-factor.yaml",
            lambda r: r["ranges"]["acu_required_peak"]["high"],
        ),
        Threshold(
            "cluster storage limit",
            "storage at retention",
            "GB",
            sizing.storage_limit_gb(limits),
            f"storage.max_tib ({limits['storage']['max_tib']} TiB) in {data.source_path(data.LIMITS_FILE)}",
            lambda r: r["storage_gb"]["steady_state"],
        ),
        Threshold(
            "Limitless shard group's max ACU",
            "required peak ACU / headroom share",
            "ACU",
            facts["shard_group"]["max_acu_ceiling"],
            f"shard_group.max_acu_ceiling in {data.source_path(data.LIMITLESS_FILE)}",
            lambda r: r["acu"]["required"]["peak"] / share,
        ),
        Threshold(
            "budget",
            "expected cost per month",
            "USD",
            env.budget_usd,
            "budget_usd in sizing.yaml",
            lambda r: r["cost_usd_month"]["total"],
        ),
        Threshold(
            "worst-case ceiling",
            "worst case per month",
            "USD",
            policy.worst_case_ceiling_usd,
            f"cost.worst_case_ceiling_usd in {policy.path}",
            lambda r: r["cost_usd_month"]["worst_case"],
        ),
    ]


def _limit_of(t: Threshold, rep: Mapping[str, Any]) -> float | None:
    if t.name == "max_connections for the pools":
        return rep["connections"]["budget"]  # the proxy's share of max_connections at max ACU (or less the reserve)
    return t.limit


def first_crossing(t: Threshold, at: Callable[[int], Mapping[str, Any]], sizes: list[int]) -> int | None:
    """The smallest agents count whose figure is above the limit, up to the series' last size; None if none."""
    crossed = lambda n: (lim := _limit_of(t, at(n))) is not None and t.value(at(n)) > lim  # noqa: E731
    hi = next((n for n in sizes if crossed(n)), None)
    if hi is None:
        return None
    lo = max((n for n in sizes if n < hi), default=-1)
    if lo < 0 and crossed(0):
        return 0
    lo = max(lo, 0)
    while hi - lo > 1:  # crossed(hi), not crossed(lo)
        mid = (lo + hi) // 2
        lo, hi = (lo, mid) if crossed(mid) else (mid, hi)
    return hi


def crossings(ts: list[Threshold], at: Callable[[int], Mapping[str, Any]], sizes: list[int]) -> list[dict[str, Any]]:
    """{name, agents, figure, limit, ...} per threshold, the crossed ones first by agents count."""
    out = []
    for t in ts:
        agents = first_crossing(t, at, sizes)
        where = at(agents) if agents is not None else at(sizes[-1])
        limit = _limit_of(t, where)
        limit = None if limit is None else round(limit, 4)  # 80% of 12 is 9.6, not 9.600000000000001
        out.append(
            {
                "name": t.name,
                "agents": agents,
                "figure": round(t.value(where), 2),
                "figure_is": t.figure,
                "limit": limit,
                "unit": t.unit,
                "set_in": t.set_in,
                "at": "the crossing" if agents is not None else f"{sizes[-1]:,} agents (not crossed)",
            }
        )
    return sorted(out, key=lambda c: (c["agents"] is None, c["agents"] or 0))
