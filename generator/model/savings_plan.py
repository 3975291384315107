"""A Database Savings Plan over the cluster's compute, priced from the dated price file's discount.

A plan is a commitment in USD an hour for a year (no upfront): each hour it buys eligible usage at the plan's
rate, usage beyond it is billed on demand, and an hour that uses less still pays the whole commitment. Only
Aurora Serverless v2 ACU-hours are eligible here (the `compute` part): storage, I/O, backups, transfer, RDS
Proxy and the rest stay on demand. A global database's secondary ACU-hours are eligible too but are left on
demand (an upper bound: no environment runs one by default).

The month is priced at its average hourly compute: the commitment covers up to its size every hour, so an
environment whose compute swings below the commitment at night wastes more than this shows (stated in the
report). A plan given as `coverage` is sized to that share of the average hour: no waste by construction.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from generator.model.pricing import CostBreakdown


def plan_rate(prices: Mapping) -> float:
    """What a dollar of on-demand Serverless v2 compute costs under the plan."""
    return 1.0 - prices["discounts"]["database_savings_plan_1yr_max"]


def with_plan(cost: CostBreakdown, plan: Any, prices: Mapping) -> tuple[CostBreakdown, dict[str, float]]:
    """`cost` with its compute part under `plan` (commitment_usd_per_hour or coverage), and the plan's figures."""
    hours, rate = prices["hours_per_month"], plan_rate(prices)
    on_demand_hourly = cost["compute"] / hours
    if plan.coverage is not None:
        covered_hourly = on_demand_hourly * plan.coverage
        commitment = covered_hourly * rate
    else:
        commitment = plan.commitment_usd_per_hour
        covered_hourly = min(on_demand_hourly, commitment / rate)
    compute = (commitment + on_demand_hourly - covered_hourly) * hours
    figures = {
        "commitment_usd_per_hour": round(commitment, 4),
        "coverage_of_compute": round(covered_hourly / on_demand_hourly, 3) if on_demand_hourly else 0.0,
        "discount": round(1.0 - rate, 4),
        "compute_on_demand": round(cost["compute"], 2),
        "unused_commitment_usd_month": round((commitment - covered_hourly * rate) * hours, 2),
        "savings_usd_month": round(cost["compute"] - compute, 2),
        # Where the plan flips: it saves money while the average hour's on-demand compute stays above the
        # commitment (below it, the unused commitment outweighs the discount), and covers fully up to
        # commitment / rate.
        "break_even_compute_usd_per_hour": round(commitment, 4),
        "break_even_share_of_compute": round(commitment / on_demand_hourly, 3) if on_demand_hourly else None,
        "fully_used_up_to_compute_usd_per_hour": round(commitment / rate, 4),
        "largest_fully_used_commitment_usd_per_hour": round(on_demand_hourly * rate, 4),
    }
    return CostBreakdown({**cost.parts, "compute": compute}), figures
