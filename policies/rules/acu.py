"""ACU: AWS's hard rules (0.5 grid, 0.5/1..256, max >= min, no 0 with the proxy) and the environment's range."""

from __future__ import annotations

from generator.inputs import validate
from policies.results import AWS_REL, LIMITS_NOTE, fmt
from policies.rules.context import Ctx
from policies.rules.shard_group import is_limitless


def check_acu(ctx: Ctx) -> None:
    if is_limitless(ctx):  # no Serverless v2 instances: the shard group's range is checked (rules/shard_group.py)
        return
    before = ctx.count()
    lo, hi = ctx.number("min_capacity", "acu.value"), ctx.number("max_capacity", "acu.value")
    floor_, ceiling = ctx.lim["acu"]["min_floor"], ctx.lim["acu"]["max_ceiling"]
    if lo is None or hi is None:  # the other one still meets the environment's range
        if lo is not None and lo < floor_:
            s = ctx.cfg["min_capacity"]
            ctx.fail(s, "acu.floor", f"{s.shown()} is below the {ctx.env} floor {fmt(floor_)} {LIMITS_NOTE}")
        if hi is not None and hi > ceiling:
            s = ctx.cfg["max_capacity"]
            ctx.fail(s, "acu.ceiling", f"{s.shown()} exceeds the {ctx.env} ceiling {fmt(ceiling)} {LIMITS_NOTE}")
        ctx.fact("ACU range", "not computable", f"{fmt(floor_)}-{fmt(ceiling)}", False)
        return
    proxy = ctx.flag("proxy_enabled")
    smin, smax = ctx.cfg["min_capacity"], ctx.cfg["max_capacity"]
    reported: set[str] = set()
    for field_, message in validate.check_acu_range(lo, hi, bool(proxy), ctx.aws):
        if field_ in reported:
            continue  # one report per value: -32 is outside AWS's range, its order against min adds nothing
        reported.add(field_)
        s = smin if field_ == "acu.min" else smax
        message = message.replace("acu.min", "min_capacity").replace("acu.max", "max_capacity")
        rule = "acu.grid" if "multiple of" in message else "acu.order" if "below min_capacity" in message else "acu.aws"
        # AWS refuses the value: the connection and cost rules computed from it wait.
        ctx.invalid("min_capacity" if s is smin else "max_capacity", rule, f"{s.shown()}: {message} (AWS, {AWS_REL})")
    if lo < floor_:
        ctx.fail(smin, "acu.floor", f"{smin.shown()} is below the {ctx.env} floor {fmt(floor_)} {LIMITS_NOTE}")
    if hi > ceiling:
        ctx.fail(smax, "acu.ceiling", f"{smax.shown()} exceeds the {ctx.env} ceiling {fmt(ceiling)} {LIMITS_NOTE}")
    ctx.fact("ACU range", f"{fmt(lo)}-{fmt(hi)}", f"{fmt(floor_)}-{fmt(ceiling)}", ctx.count() == before)
