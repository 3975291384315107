"""A Limitless sizing in the result: the shard group, its month's cost and its worst case replace the single
writer's (result.build calls `apply` when the topology is limitless). The single writer's figures the load
determines (storage, statements, the required ACU along the profile) stay as they are: they are the load's."""

from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any

from generator.growth import limitless_pricing, shard_group
from generator.inputs import data
from generator.model import cost_options, pricing

if TYPE_CHECKING:
    from generator.inputs.model import Environment
    from generator.model.profile import Point


def _r(value: float) -> float:
    return round(value + 0.0, 2)


def inputs_of(env: Environment, storage_gb: float, facts: Mapping) -> pricing.CostInputs:
    snaps = env.backup.snapshots
    return limitless_pricing.cost_inputs(
        storage_gb=storage_gb,
        transfer_gb_per_month=env.transfer_gb_per_month,
        retention_days=env.backup.retention_days,
        snapshots=(snaps.daily, snaps.weekly, snaps.monthly),
        copied_rules=cost_options.copied_rules(env),
        facts=facts,
    )


def apply(
    rep: dict[str, Any], env: Environment, pts: list[Point], prices: Mapping, dr_prices: Mapping, limits: Mapping
) -> None:
    """Size the shard group and price it into `rep` (its cost_usd_month, expected_load and sources)."""
    facts = data.limitless()
    share = data.headroom()["peak_share_of_max"]
    redundancy = shard_group.compute_redundancy(env.limitless.compute_redundancy, env.environment, facts)
    group = shard_group.size(
        rep["acu"]["required"]["peak"],
        env.compute.load_profile,
        [p.requirement.acu for p in pts],
        redundancy,
        facts,
        share,
    )
    rated = pricing.regional(prices, dr_prices)
    inputs = inputs_of(env, rep["expected_load"]["storage_gb"], facts)
    level = group["compute_redundancy"]
    cost = limitless_pricing.monthly_cost(inputs, group["average_acu"], group["max_acu"], level, rated, limits, facts)
    worst = limitless_pricing.worst_case_cost(inputs, group["max_acu"], level, rated, limits, facts)
    group["billed_average_acu"] = _r(limitless_pricing.billed_acu(group["average_acu"], group["max_acu"], level, facts))
    group["per_acu_hour"] = prices["limitless"]["per_acu_hour"]
    rep["topology"]["shard_group"] = group
    rep["expected_load"]["shard_group_average_acu"] = group["average_acu"]
    chosen = group["storage_type"]
    rep["cost_usd_month"] = {**cost.as_dict(), "worst_case": _r(worst), "storage_type": chosen}
    # Limitless runs only on I/O-Optimized: there is no Standard month to compare (null).
    rep["cost_usd_month_io_optimized"] = cost.as_dict()
    rep["cost_usd_month_standard"] = None
    # No storage type to choose: the flip point and its doubt are the single writer's, not this cluster's.
    rep["recommendation"] = {
        **rep["recommendation"],
        "storage_type": chosen,
        "io_share_of_aurora_bill": None,
        "flip": {"billed_million_per_month": None, "cache_hit_ratio": None},
        "uncertain": False,
        "observe": None,
    }
    if rep["cost_usd_month_savings_plan"] is not None:
        # The plan was priced on the single writer's compute; whether it covers a shard group is not confirmed.
        rep["cost_usd_month_savings_plan"] = None
        rep["savings_plan_not_priced"] = (
            "savings_plan is not priced for a Limitless shard group: whether Database Savings Plans cover its "
            "ACU-hours was not found on AWS's pages read here (UNCONFIRMED); the on-demand total stands"
        )
    # What the module bills in Limitless mode (the shard group's alarm, Performance Insights' 31 days).
    acus = [group["billed_average_acu"]]
    rep["billed_resources"] = {
        **pricing.billed_resources(inputs.module, prices, acus),
        "settings": rep["billed_resources"]["settings"],
    }
    rep["sources"] = [*rep["sources"], data.limitless_source()]
    if not limitless_pricing.aws_backup(
        facts
    ):  # render writes no copy (the module refuses one); the warning names what is lost
        rep["backup"] = {**rep["backup"], "copied_rules": [], "aws_backup": False}
        # no snapshot, no copy: the readings of AWS's snapshot rules have nothing to differ on
        automated = rep["cost_usd_month"]["backup"]
        rep["backup_range_usd_month"] = {"low": automated, "expected": automated, "high": automated}

    def total(scale: float, storage_gb: float) -> float:
        average = min(max(group["average_acu"] * scale, group["min_acu"]), group["max_acu"])
        priced = inputs_of(env, storage_gb, facts)
        return limitless_pricing.monthly_cost(priced, average, group["max_acu"], level, rated, limits, facts).total

    # The total's range on the shard group: its average scaled as the required peak's range scales the peak
    # (within the group's min and max), with the storage's range (an approximation of the single writer's way).
    peak, spread = rep["acu"]["required"]["peak"], rep["ranges"]
    ends = [total(spread["acu_required_peak"][end] / peak, spread["storage_gb"][end]) for end in ("low", "high")]
    rep["ranges"]["cost_total_usd_month"] = {
        "low": _r(min(ends[0], cost.total)),
        "expected": _r(cost.total),
        "high": _r(max(ends[1], cost.total)),
        "from": "the shard group's average scaled with the required peak's range, and the storage's range",
    }
