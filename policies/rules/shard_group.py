"""Shard group: an Aurora PostgreSQL Limitless environment (cluster_scalability_type = limitless) holds its DB
shard group within AWS's bounds (generator/data/limitless-2026-12.yaml) and the environment's range and
compute standbys (policies/limits.yaml); a standard environment has none. A min_acu left unset is AWS's
default for the max (its capacity table). In a plan, every aws_rds_shard_group is judged where it stands
(policies/rules/resources.py), whatever module holds it.
"""

from __future__ import annotations

from policies.results import LIMITLESS_REL, LIMITS_NOTE, fmt, limitless_facts, shard_group_default_min
from policies.rules.context import Ctx

KEYS = ("shard_group.max_acu", "shard_group.min_acu", "shard_group.compute_redundancy")


def is_limitless(ctx: Ctx) -> bool:
    return ctx.cfg.v("cluster_scalability_type") == "limitless"


def check_shard_group(ctx: Ctx) -> None:
    if not ctx.usable("cluster_scalability_type"):
        return  # reported once already (a wrong type): which rules apply is unknown
    before = ctx.count()
    mode, smax = ctx.cfg["cluster_scalability_type"], ctx.cfg["shard_group.max_acu"]
    if mode.is_set and mode.value not in ("standard", "limitless"):
        ctx.invalid("cluster_scalability_type", "shard_group.mode", f"{mode.shown()} is neither standard nor limitless")
        return
    if not is_limitless(ctx):
        if smax.is_set and ctx.cfg.source == "hcl":
            ctx.fail(
                smax,
                "shard_group.mode",
                f"{smax.shown()}: a shard group exists only in a Limitless cluster, and "
                f"cluster_scalability_type is {fmt(mode.value or 'standard')}",
            )
        return
    if ctx.cfg.source != "hcl":
        return  # a plan's shard groups are judged as resources (policies/rules/resources.py)
    lim, aws = ctx.lim["shard_group"], limitless_facts()["shard_group"]
    hi = ctx.number("shard_group.max_acu", "shard_group.value")
    lo = ctx.number("shard_group.min_acu", "shard_group.value", required=False)
    redundancy = ctx.number("shard_group.compute_redundancy", "shard_group.value")
    aws_lo, aws_hi = aws["min_acu_floor"], aws["max_acu_ceiling"]
    if hi is not None and not aws_lo <= hi <= aws_hi:
        ctx.invalid(
            "shard_group.max_acu",
            "shard_group.aws",
            f"{smax.shown()} is outside AWS's {fmt(aws_lo)}-{fmt(aws_hi)} ACU ({LIMITLESS_REL})",
        )
        hi = None
    smin = ctx.cfg["shard_group.min_acu"]
    if lo is not None and (lo < aws_lo or (hi is not None and lo > hi)):
        bound = f"below AWS's minimum {fmt(aws_lo)} ACU ({LIMITLESS_REL})" if lo < aws_lo else "above max_acu"
        ctx.invalid("shard_group.min_acu", "shard_group.aws", f"{smin.shown()} is {bound}")
        lo = None
    elif lo is None and hi is not None and ctx.usable("shard_group.min_acu"):
        lo = shard_group_default_min(hi)  # what AWS sets when min_acu is left unset
    sred = ctx.cfg["shard_group.compute_redundancy"]
    if redundancy is not None and redundancy not in aws["compute_redundancy_values"]:
        ctx.invalid(
            "shard_group.compute_redundancy",
            "shard_group.aws",
            f"{sred.shown()} is not one of AWS's {', '.join(map(fmt, aws['compute_redundancy_values']))} "
            f"({LIMITLESS_REL})",
        )
        redundancy = None
    if hi is not None and hi > lim["max_ceiling"]:
        ctx.fail(
            smax,
            "shard_group.ceiling",
            f"{smax.shown()} exceeds the {ctx.env} ceiling {fmt(lim['max_ceiling'])} {LIMITS_NOTE}",
        )
    if lo is not None and lo < lim["min_floor"]:
        shown = (
            smin.shown() if smin.is_set else f"shard_group.min_acu = {fmt(lo)} (AWS's default for max_acu {fmt(hi)})"
        )
        ctx.fail(
            smin, "shard_group.floor", f"{shown} is below the {ctx.env} floor {fmt(lim['min_floor'])} {LIMITS_NOTE}"
        )
    if redundancy is not None and redundancy < lim["compute_redundancy_min"]:
        ctx.fail(
            sred,
            "shard_group.redundancy",
            f"{sred.shown()}: {ctx.env} needs at least {fmt(lim['compute_redundancy_min'])} compute standby per shard "
            f"(a shard without one is down until it is replaced) {LIMITS_NOTE}",
        )
    shown = "not computable" if None in (lo, hi) else f"{fmt(lo)}-{fmt(hi)}"
    ctx.fact("Shard group ACU", shown, f"{fmt(lim['min_floor'])}-{fmt(lim['max_ceiling'])}", ctx.count() == before)
