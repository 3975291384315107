"""What to set now: the ACU range from the observed percentiles, the storage type from the observed I/O at
today's prices, and, for a steady cluster, what a provisioned instance or a Database Savings Plan would cost.

- max ACU: the capacity the load used at its p99 (or the CPU it used at p95, in ACU, if higher), over
  1 - the policies' headroom, rounded up to AWS's ACU step; a cluster capped at
  max ACU used at least its max, so the max is raised by the same headroom. At least what the pools need
  (`connections.max_acu_for_pools`) and min ACU; never above the policies' ceiling (said when it binds).
- min ACU: kept unless the cluster idles at it (observe.min_acu_idle): then the CPU's p95 at the target
  utilization, rounded up, never below the policies' floor or the model's feature floor (RDS Proxy: 0.5).
- storage type: Aurora Standard's month with the observed billed I/O against I/O-Optimized's (which bills
  none), both from the result's priced parts and the price file's I/O price.
"""

from __future__ import annotations

import math
from collections.abc import Mapping

from generator.inputs import data
from generator.inputs.policy_limits import AcuLimits
from generator.model import savings_plan
from generator.observe import facts
from generator.observe.series import percentile

NAMES = {"aurora": "Aurora Standard", "aurora-iopt1": "Aurora I/O-Optimized"}


def _up(value: float, step: float) -> float:
    return math.ceil(round(value / step, 9)) * step


def acu_range(
    o: Mapping, rep: Mapping, lim: AcuLimits, acu_min: float, acu_max: float, codes: set[str]
) -> tuple[float, float, list[str]]:
    """(min ACU, max ACU, why: one clause per rule that set them)."""
    step, aws = data.limits()["acu"]["step"], data.limits()["acu"]
    target = rep["assumptions"]["target_cpu_utilization"]
    keep = 1 - lim.headroom_percent / 100
    why: list[str] = []
    p99, cpu = o["acu"]["p99"], o["cpu_acu_p95"]
    if p99 is None:
        new_max = acu_max
        why.append(f"capacity not observed: max ACU {acu_max:g} kept")
    else:
        used = max(x for x in (p99, cpu, 0.0) if x is not None)
        if "observe.max_acu_saturated" in codes:
            used = max(used, acu_max)
            why.append(f"capped at max ACU {acu_max:g}: the peak used at least that")
        new_max = _up(used / keep, step)
        why.append(
            f"max ACU {new_max:g}: {used:g} ACU used (p99 capacity, or CPU at p95) over 1 - the policies' "
            f"{lim.headroom_percent:g}% headroom ({lim.path})"
        )
    new_min = acu_min
    if "observe.min_acu_idle" in codes and cpu is not None:
        new_min = max(_up(cpu / target, step), rep["acu"]["required"]["baseline_by_resource"]["floor"])
        why.append(f"min ACU {new_min:g}: the CPU's p95 at the model's {target:.0%} target utilization")
    if lim.min_floor is not None and new_min < lim.min_floor:
        why.append(f"min ACU held at the policies' floor {lim.min_floor:g} ({lim.path})")
        new_min = lim.min_floor
    pools = rep["connections"]["max_acu_for_pools"]
    if pools > new_max:
        why.append(f"max ACU raised to {pools:g}: what the connection pools need")
    new_max = max(new_max, pools, new_min, aws["max_floor"])
    if lim.max_ceiling is not None and new_max > lim.max_ceiling:
        why.append(
            f"the observed load needs max ACU {new_max:g}, above the policies' ceiling {lim.max_ceiling:g} "
            f"({lim.path}): held at the ceiling, the cluster may stay capped"
        )
        new_max = lim.max_ceiling
    return new_min, new_max, why


def storage_type(io_million: float | None, rep: Mapping, prices: Mapping) -> tuple[str, dict[str, float] | None, str]:
    """(type, {type: month}, reason) at the observed I/O; the model's choice when I/O was not observed."""
    current = rep["cost_usd_month"]["storage_type"]
    if io_million is None:
        return current, None, f"I/O not observed: keeps {NAMES[current]}"
    std = rep["cost_usd_month_standard"]
    months = {
        "aurora": round(std["total"] - std["io"] + io_million * prices["io_per_million"]["aurora"], 2),
        "aurora-iopt1": rep["cost_usd_month_io_optimized"]["total"],
    }
    best = min(months, key=months.get)
    days = facts.facts()["storage_type"]["switch_to_io_optimized_every_days"]
    text = f"at the observed {io_million:,.1f} M billed I/O a month, {NAMES[best]} costs ${months[best]:,.2f} a month against ${max(months.values()):,.2f}"
    if best != current:
        text += f"; AWS allows a switch to I/O-Optimized once every {days} days (back to Standard at any time)"
    return best, months, text


def steady_note(o: Mapping, rep: Mapping, prices: Mapping) -> str | None:
    """For a steady cluster (10th-percentile hour >= half the 95th): the month on a provisioned instance and
    under a Database Savings Plan beside Serverless v2's observed compute."""
    hours = o["hourly_acu"]
    if len(hours) < 2:
        return None
    p10, p95 = percentile(hours, 10), percentile(hours, 95)
    if p10 < facts.facts()["thresholds"]["steady_p10_over_p95"] * p95:
        return None
    instances, stype = rep["acu"]["instances"], rep["cost_usd_month"]["storage_type"]
    serverless = sum(hours) / len(hours) * instances * prices["compute"][stype] * prices["hours_per_month"]
    plan = serverless * savings_plan.plan_rate(prices)
    text = (
        f"steady load (10th-percentile hour {p10:.2f} ACU, at least half the 95th {p95:.2f}): Serverless v2 compute "
        f"at the observed average ${serverless:,.2f} a month; under a Database Savings Plan ${plan:,.2f}"
    )
    classes = facts.provisioned().get("regions", {}).get(prices["region"]) or []
    gib = data.limits()["acu"]["gib_per_acu"]
    fit = [c for c in classes if c["memory_gib"] >= p95 * gib]
    if fit:
        c = min(fit, key=lambda c: c["per_hour"][stype])
        month = c["per_hour"][stype] * prices["hours_per_month"] * instances
        text += (
            f"; on provisioned {c['class']} (the smallest holding the 95th hour's memory; UNCONFIRMED price, "
            f"{data.source_path(facts.PROVISIONED_FILE)}) ${month:,.2f}"
        )
    else:
        text += f"; no provisioned instance price for {prices['region']} ({data.source_path(facts.PROVISIONED_FILE)})"
    return text
