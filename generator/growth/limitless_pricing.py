"""A Limitless cluster's month, priced with generator.model.pricing's parts (the report and the policies' cost rule
call these with the same figures: the tfvars' expected_load and shard_group).

The shard group's ACU-hours at the region's Limitless price (limitless.per_acu_hour), the shards' standbys
billed at their writer's capacity; storage on I/O-Optimized with no I/O charge; no RDS Proxy (AWS does not
put one in front of a Limitless cluster); Performance Insights kept at least the 31 days Limitless requires.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

from generator.growth.shard_group import billed_factor, capacity_row
from generator.model import pricing


def shard_group_prices(prices: Mapping) -> Mapping:
    """The price mapping with I/O-Optimized compute at the Limitless ACU-hour price (DR prices kept)."""
    return {**prices, "compute": {**prices["compute"], "aurora-iopt1": prices["limitless"]["per_acu_hour"]}}


def module_settings(module: Mapping, facts: Mapping) -> dict[str, Any]:
    """The module's billed settings as its Limitless mode sets them: Performance Insights retention of at least
    the required 31 days, the shard group's alarms instead of the instances' (the engine's major, which Extended
    Support follows, is the same: 16.x-limitless)."""
    s, alarms = module["settings"], module["alarms"]
    days = max(s["performance_insights_retention_period"], facts["cluster"]["performance_insights_min_retention_days"])
    return {
        **module,
        "settings": {**s, "performance_insights_retention_period": days},
        "alarms": {"per_cluster": alarms["per_shard_group"], "per_instance": 0, "per_reader": 0, "per_shard_group": 0},
    }


def cost_inputs(
    *,
    storage_gb: float,
    transfer_gb_per_month: float,
    retention_days: int,
    snapshots: tuple[int, int, int],
    copied_rules: Sequence[str],
    facts: Mapping,
    module: Mapping | None = None,
) -> pricing.CostInputs:
    """CostInputs of a Limitless cluster: no instances or readers, no proxy; I/O is included (I/O-Optimized). Without
    AWS Backup (facts' not_supported), the scheduled snapshots and their copies are not taken: none is priced, only
    the automated backups of `retention_days` (the tfvars' snapshot_schedule then states what is not run)."""
    if not aws_backup(facts):
        snapshots, copied_rules = (0, 0, 0), ()
    if module is None:
        from generator.inputs import data

        module = data.module_defaults()
    return pricing.build_cost_inputs(
        writer_average_acu=0.0,
        reader_promotion_tiers=[],
        independent_reader_average_acu=0.0,
        storage_gb=storage_gb,
        io_million_per_month=0.0,
        transfer_gb_per_month=transfer_gb_per_month,
        retention_days=retention_days,
        snapshots=snapshots,
        copied_rules=copied_rules,
        proxy_enabled=False,
        module=module_settings(module, facts),
    )


def aws_backup(facts: Mapping) -> bool:
    """Whether AWS Backup (the scheduled snapshots and their cross-region copies) runs on a Limitless cluster."""
    return "aws_backup" not in facts["not_supported"]


def billed_acu(average_acu: float, max_acu: float, redundancy: int, facts: Mapping) -> float:
    """The shard group's billed ACUs (standbys included) at `average_acu`, for a group of `max_acu`."""
    row = capacity_row(max_acu, facts)
    return average_acu * billed_factor(row["routers"], row["shards"], redundancy)


def monthly_cost(
    inputs: pricing.CostInputs,
    average_acu: float,
    max_acu: float,
    redundancy: int,
    prices: Mapping,
    limits: Mapping,
    facts: Mapping,
) -> pricing.CostBreakdown:
    acus = [billed_acu(average_acu, max_acu, redundancy, facts)]
    return pricing.monthly_cost(inputs, "aurora-iopt1", shard_group_prices(prices), limits, acus=acus)


def worst_case_cost(
    inputs: pricing.CostInputs, max_acu: float, redundancy: int, prices: Mapping, limits: Mapping, facts: Mapping
) -> float:
    """The shard group at max ACU all month, standbys included."""
    return monthly_cost(inputs, max_acu, max_acu, redundancy, prices, limits, facts).total
