"""The report's figures about where and how the environment is billed: its regions and their price files'
unconfirmed prices, the backup bill's range and copy schedule, and a Database Savings Plan's total beside the
on-demand one (generator/model/result.py adds them to the report).
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any

from generator.inputs import data
from generator.model import backup_billing, savings_plan
from generator.model.pricing import CostBreakdown

if TYPE_CHECKING:  # the pydantic models are only types here
    from generator.inputs.model import Environment


def copied_rules(env: Environment) -> tuple[str, ...]:
    return backup_billing.copied_rules(env.backup.cross_region_copy, data.backup_billing())


def unconfirmed_prices(env: Environment, prices: Mapping, dr_prices: Mapping) -> list[str]:
    """`region: key` of every price the environment's price files mark UNCONFIRMED."""
    regions = dict.fromkeys((env.region, env.dr_region))
    docs = {env.region: prices, env.dr_region: dr_prices}
    return [f"{r}: {key}" for r in regions for key in docs[r].get("unconfirmed", [])]


def figures(
    env: Environment,
    cost: CostBreakdown,
    storage_gb: float,
    change_gb_per_month: float,
    prices: Mapping,
    dr_prices: Mapping,
) -> dict[str, Any]:
    """Report keys: regions, backup (copy schedule, readings), backup_range_usd_month, cost_usd_month_savings_plan."""
    snaps = env.backup.snapshots
    copied = copied_rules(env)
    out: dict[str, Any] = {
        "region": env.region,
        "dr_region": env.dr_region,
        "unconfirmed_prices": unconfirmed_prices(env, prices, dr_prices),
        "backup": {
            "cross_region_copy": env.backup.cross_region_copy,
            "copied_rules": list(copied),
            "rules": data.source_path(data.BACKUP_BILLING_FILE),
        },
        # Backup storage in both regions and the copies' transfer, in each reading of AWS's rules.
        "backup_range_usd_month": backup_billing.backup_range(
            storage_gb,
            change_gb_per_month,
            env.backup.retention_days,
            backup_billing.Snapshots(snaps.daily, snaps.weekly, snaps.monthly, copied),
            prices,
            dr_prices,
            data.backup_billing(),
        ),
        "cost_usd_month_savings_plan": None,
    }
    if env.savings_plan is not None:
        planned, plan = savings_plan.with_plan(cost, env.savings_plan, prices)
        out["cost_usd_month_savings_plan"] = {**planned.as_dict(), "on_demand_total": round(cost.total, 2), **plan}
    return out
