"""`aurora-gen grow`: an environment sized over a growing fleet, and where it meets each threshold."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from generator.errors import InputError, shown
from generator.growth import crossings, series
from generator.inputs import data, policy_limits

# The fleet grow goes up to when --to is not given: 100 x today's agents.
DEFAULT_GROWTH = 100
# The largest fleet grow sizes: beyond it the figures pass every limit by orders of magnitude and the
# model's integers (rows, bytes) leave the ranges it was written for.
MAX_AGENTS = 10**9


def parse_to(text: str | None, today: int, path: Path) -> int:
    """--to as a whole agents count above today's and at most MAX_AGENTS; InputError otherwise (one line)."""
    if today >= MAX_AGENTS:
        raise InputError(
            path,
            "agents",
            f"{today:,} agents: grow sizes fleets up to {MAX_AGENTS:,}, and today's is already at or past it",
        )
    if text is None:
        return min(MAX_AGENTS, max(today, 1) * DEFAULT_GROWTH)
    cleaned = text.strip().replace(",", "").replace("_", "")
    try:
        value = float(cleaned)
    except ValueError:
        raise InputError("--to", None, f"{shown(text)} is not a number of agents") from None
    if value > MAX_AGENTS:  # 1e999 and 400-digit counts are infinite as floats: past the largest all the same
        raise InputError("--to", None, f"{shown(text)} agents is above the largest fleet grow sizes, {MAX_AGENTS:,}")
    if value != value or value == float("-inf") or not value.is_integer():
        raise InputError("--to", None, f"{shown(text)} is not a whole number of agents")
    agents = int(value)
    if agents <= 0:
        raise InputError("--to", None, f"{agents} agents: give a fleet above 0")
    if agents <= today:
        raise InputError("--to", None, f"{agents:,} agents is not above today's {today:,} ({path})")
    return agents


def grow(sized: Any, root: Path, to: int, env_name: str) -> dict[str, Any]:
    """The growth report: points along the series, thresholds with their crossing, the data it rests on."""
    env, today = sized.env, sized.report
    at = series.sizer(env, today.get("observation"))
    sizes = series.fleet_sizes(env.agents, to)
    policy = policy_limits.growth_limits(root, env_name)
    found = crossings.crossings(crossings.thresholds(env, data.limits(), policy), at, sizes)
    limitless_from = next((n for n in sizes if at(n)["topology"]["kind"] == "limitless"), None)
    return {
        "env": env_name,
        "agents_today": env.agents,
        "to": to,
        "topology_setting": env.topology,
        "topology_today": today["topology"]["kind"],
        "topology_reason": today["topology"]["reason"],
        "limitless_from_agents": next((c["agents"] for c in found if c["name"] == "one writer's max ACU"), None)
        if env.topology == "auto" and limitless_from is not None
        else None,
        "points": [series.point(at(n)) for n in sizes],
        "thresholds": found,
        "sources": _unique(
            [*today["sources"], data.limitless_source(), {"kind": "policy_limits", "path": policy.path}]
        ),
    }


def _unique(sources: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """Each data file once (today's sources already name the Limitless file when today is Limitless)."""
    seen: set[str] = set()
    return [s for s in sources if not (s["path"] in seen or seen.add(s["path"]))]
