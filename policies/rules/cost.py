"""Cost: expected monthly cost within monthly_budget_usd; worst case (every instance at max ACU all
month) within the environment's ceiling in policies/limits.yaml."""

from __future__ import annotations

from collections.abc import Mapping

from generator.growth import limitless_pricing
from generator.inputs import data as gdata
from generator.model import backup_billing, pricing
from policies.results import LIMITS_NOTE, UNKNOWN, fmt, is_number, money
from policies.rules.context import Ctx


def region_prices(ctx: Ctx) -> Mapping | None:
    """The price files of aws_region and dr_region (the DR copies and a global secondary are billed there), on
    demand: a Savings Plan is the account's, not the environment's, and the ceilings hold without one."""
    files = {}
    for key in ("aws_region", "dr_region"):
        s = ctx.cfg[key]
        if not s.is_set or ctx.cfg.is_invalid(key):
            return ctx.prices  # a plan names no region: the default region's prices
        if s.value not in gdata.price_regions():
            ctx.fail(s, "cost.inputs", f"{s.shown()} has no price file (known: {', '.join(gdata.price_regions())})")
            return None
        files[key] = gdata.prices(s.value)
    return pricing.regional(files["aws_region"], files["dr_region"])


def copied_rules(ctx: Ctx) -> list[str] | None:
    """The snapshot rules copied to the DR region: backup_cross_region_copy_rules when copying is on (a plan
    states the rules that copy either way); every rule when the list is not set (the module's default)."""
    copy, rules = ctx.cfg["backup_cross_region_copy"], ctx.cfg["backup_cross_region_copy_rules"]
    if not rules.is_set:
        return list(backup_billing.RULES) if copy.value is True else []
    if not isinstance(rules.value, list) or not all(r in backup_billing.RULES for r in rules.value):
        ctx.fail(rules, "cost.inputs", f"{rules.shown()} is not a list of {', '.join(backup_billing.RULES)}")
        return None
    return list(rules.value) if copy.value is True or rules.origin == "plan" else []


# What both a single writer's and a shard group's month are priced from, besides their compute.
SHARED_KEYS = (
    "expected_load.storage_gb",
    "expected_load.transfer_gb_per_month",
    "backup_retention_period",
    "snapshot_schedule.daily_retention_days",
    "snapshot_schedule.weekly_retention_weeks",
    "snapshot_schedule.monthly_retention_months",
)


def cost_inputs(ctx: Ctx) -> pricing.CostInputs | None:
    keys = (
        "expected_load.writer_average_acu",
        "expected_load.io_requests_million_per_month",
        *SHARED_KEYS,
    )
    values = {k: ctx.number(k, "cost.inputs") for k in keys}
    reader = ctx.cfg["expected_load.independent_reader_average_acu"]
    reader_acu = reader.value if is_number(reader.value) else ctx.cfg["min_capacity"].value
    tiers = ctx.cfg["reader_promotion_tiers"].value or []
    if not ctx.usable("reader_promotion_tiers", "expected_load.independent_reader_average_acu"):
        return None
    if not isinstance(tiers, list) or not all(is_number(t) for t in tiers):
        s = ctx.cfg["reader_promotion_tiers"]
        ctx.fail(s, "cost.inputs", f"{s.shown()} is not a list of promotion tiers")
        return None
    copied = copied_rules(ctx)
    if None in values.values() or not is_number(reader_acu) or copied is None:
        return None
    return pricing.build_cost_inputs(
        writer_average_acu=values["expected_load.writer_average_acu"],
        reader_promotion_tiers=[int(t) for t in tiers],
        independent_reader_average_acu=reader_acu,
        storage_gb=values["expected_load.storage_gb"],
        io_million_per_month=values["expected_load.io_requests_million_per_month"],
        transfer_gb_per_month=values["expected_load.transfer_gb_per_month"],
        retention_days=int(values["backup_retention_period"]),
        snapshots=(
            int(values["snapshot_schedule.daily_retention_days"]),
            int(values["snapshot_schedule.weekly_retention_weeks"]),
            int(values["snapshot_schedule.monthly_retention_months"]),
        ),
        copied_rules=copied,
        proxy_enabled=ctx.cfg["proxy_enabled"].value is not False,
    )


def is_limitless(ctx: Ctx) -> bool:
    """The tfvars (or plan) runs an Aurora PostgreSQL Limitless Database shard group instead of instances."""
    return ctx.cfg["cluster_scalability_type"].value == "limitless"


def _snapshots(values: Mapping) -> tuple[int, int, int]:
    return (
        int(values["snapshot_schedule.daily_retention_days"]),
        int(values["snapshot_schedule.weekly_retention_weeks"]),
        int(values["snapshot_schedule.monthly_retention_months"]),
    )


def limitless_costs(ctx: Ctx, prices: Mapping) -> tuple[float, float, str, str] | None:
    """(expected, worst case, the max setting, what the worst case is) of a Limitless tfvars, priced as the report
    prices it (generator.growth.limitless_pricing): the shard group's average ACU with its standbys, I/O-Optimized."""
    keys = (
        "expected_load.shard_group_average_acu",
        "shard_group.max_acu",
        "shard_group.compute_redundancy",
        *SHARED_KEYS,
    )
    values = {k: ctx.number(k, "cost.inputs") for k in keys}
    copied = copied_rules(ctx)
    level = values["shard_group.compute_redundancy"]
    if None in values.values() or copied is None:
        return None
    if level not in (0, 1, 2):
        ctx.fail(ctx.cfg["shard_group.compute_redundancy"], "cost.inputs", f"{fmt(level)} is not 0, 1 or 2")
        return None
    facts = gdata.limitless()
    inputs = limitless_pricing.cost_inputs(
        storage_gb=values["expected_load.storage_gb"],
        transfer_gb_per_month=values["expected_load.transfer_gb_per_month"],
        retention_days=int(values["backup_retention_period"]),
        snapshots=_snapshots(values),
        copied_rules=copied,
        facts=facts,
    )
    top, avg = values["shard_group.max_acu"], values["expected_load.shard_group_average_acu"]
    low = ctx.cfg["shard_group.min_acu"].value
    if not _average_within(ctx, "expected_load.shard_group_average_acu", low if is_number(low) else 0, top):
        return None
    if not _not_stated(ctx, INSTANCE_AVERAGES, "a Limitless cluster has no writer or reader instances"):
        return None
    expected = limitless_pricing.monthly_cost(inputs, avg, top, int(level), prices, ctx.aws, facts).total
    worst = limitless_pricing.worst_case_cost(inputs, top, int(level), prices, ctx.aws, facts)
    what = f"the shard group at {fmt(top)} ACU all month with compute redundancy {fmt(level)}'s standbys"
    return expected, worst, "shard_group.max_acu", what


def single_costs(ctx: Ctx, prices: Mapping) -> tuple[float, float, str, str] | None:
    """(expected, worst case, the max setting, what the worst case is) of one writer and its readers."""
    st = ctx.cfg["storage_type"]
    if not ctx.usable("storage_type"):
        return None
    # Unknown until apply in a plan (the emulator sends none): priced as the costlier storage type, both ways.
    types = list(pricing.STORAGE_TYPES) if st.origin == UNKNOWN else [st.value]
    storage = "the costlier storage type (unknown until apply)" if st.origin == UNKNOWN else st.value
    if st.origin != UNKNOWN and st.value not in pricing.STORAGE_TYPES:
        ctx.fail(st, "cost.inputs", f"{st.shown()} is not one of {', '.join(pricing.STORAGE_TYPES)}")
        return None
    inputs = cost_inputs(ctx)
    hi = ctx.cfg["max_capacity"].value
    if inputs is None or not is_number(hi) or not ctx.usable("max_capacity", "min_capacity"):
        return None
    lo = ctx.cfg["min_capacity"].value
    for key in INSTANCE_AVERAGES:
        if is_number(ctx.cfg[key].value) and not _average_within(ctx, key, lo, hi):
            return None
    if not _not_stated(ctx, ("expected_load.shard_group_average_acu",), "a standard cluster has no shard group"):
        return None
    expected = max(pricing.monthly_cost(inputs, t, prices, ctx.aws).total for t in types)
    worst = max(pricing.worst_case_cost(inputs, t, hi, prices, ctx.aws) for t in types)
    tiers = ctx.cfg["reader_promotion_tiers"]
    readers = f" (the writer + {tiers.shown()})" if inputs.reader_promotion_tiers else ""
    instances = 1 + len(inputs.reader_promotion_tiers)
    return expected, worst, "max_capacity", f"{instances} instance(s){readers} at {fmt(hi)} ACU all month on {storage}"


INSTANCE_AVERAGES = ("expected_load.writer_average_acu", "expected_load.independent_reader_average_acu")


def _average_within(ctx: Ctx, key: str, low: float, high: float) -> bool:
    """An average ACU the cost is priced from lies within the capacity range it runs in (a negative or
    out-of-range hand edit would price a month no cluster can bill)."""
    s = ctx.cfg[key]
    if is_number(s.value) and is_number(low) and is_number(high) and low <= s.value <= high:
        return True
    ctx.fail(s, "cost.inputs", f"{s.shown()} is outside the capacity range {fmt(low)}-{fmt(high)} ACU it runs in")
    return False


def _not_stated(ctx: Ctx, keys: tuple[str, ...], why: str) -> bool:
    """Averages of a topology the tfvars does not run are null (render writes them so)."""
    for key in keys:
        s = ctx.cfg[key]
        if s.value is not None:
            ctx.fail(s, "cost.inputs", f"{s.shown()}: {why}: leave it null")
            return False
    return True


def check_cost(ctx: Ctx) -> None:
    c = ctx.lim["cost"]
    prices = region_prices(ctx)
    priced = None
    if prices is not None:
        priced = limitless_costs(ctx, prices) if is_limitless(ctx) else single_costs(ctx, prices)
    if priced is None:
        ctx.fact("expected cost", "not computable", "", False)
        return
    expected, worst, top, what = priced
    storage = "aurora-iopt1" if is_limitless(ctx) else ctx.cfg["storage_type"].value
    mark = ctx.count()
    budget = ctx.cfg["monthly_budget_usd"]
    if not ctx.usable("monthly_budget_usd"):
        pass  # reported with its type
    elif not budget.is_set:
        if c["budget_required"]:
            ctx.fail(
                budget,
                "cost.budget",
                f"monthly_budget_usd is not set: {ctx.env} needs a budget "
                f"(expected {money(expected)}/month) {LIMITS_NOTE}",
            )
    elif not is_number(budget.value):
        ctx.fail(budget, "cost.budget", f"{budget.shown()} is not a number")
    elif expected > budget.value:
        ctx.fail(
            budget,
            "cost.budget",
            f"{budget.shown()} is below the expected monthly cost {money(expected)} "
            f"(expected_load on {storage or 'the costlier storage type (unknown until apply)'}, priced with "
            f"{gdata.source_path(gdata.prices_file(prices['region']))})",
        )
    ctx.fact(
        "expected cost / month",
        money(expected),
        f"budget {money(budget.value) if is_number(budget.value) else 'none'}",
        ctx.count() == mark,
    )

    mark = ctx.count()
    ceiling = c["worst_case_ceiling_usd"]
    smax = ctx.cfg[top]
    if worst > ceiling:
        ctx.fail(
            smax,
            "cost.ceiling",
            f"{smax.shown()}: the worst case, {what}, costs {money(worst)}/month, above the {ctx.env} ceiling "
            f"{money(ceiling)} {LIMITS_NOTE}",
        )
    ctx.fact("worst-case cost / month", money(worst), f"ceiling {money(ceiling)}", ctx.count() == mark)
