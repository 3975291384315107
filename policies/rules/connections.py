"""Connections: pooled total within RDS Proxy's share of max_connections at max ACU, with headroom;
the direct-connection reserve; the proxy's pool settings within AWS's ranges."""

from __future__ import annotations

import math

from generator.inputs import validate
from generator.model import sizing
from policies.results import AWS_REL, LIMITS_NOTE, fmt, is_number
from policies.rules.context import Ctx
from policies.rules.shard_group import is_limitless


def check_connections(ctx: Ctx) -> None:
    before = ctx.count()
    proxy = ctx.flag("proxy_enabled")
    if proxy is None:
        s = ctx.cfg["proxy_enabled"]
        ctx.fail(s, "connections.proxy", f"{s.shown()} is not true or false")
        proxy = True
    pct = None
    if proxy:
        pct = ctx.number("proxy_max_connections_percent", "connections.proxy")
        idle = ctx.number("proxy_max_idle_connections_percent", "connections.proxy")
        borrow = ctx.number("proxy_connection_borrow_timeout", "connections.proxy")
        filters = ctx.cfg["proxy_session_pinning_filters"].value or []
        if not isinstance(filters, list):
            filters = [filters]
        if None not in (pct, idle, borrow):
            names = {
                "proxy.max_connections_percent": "proxy_max_connections_percent",
                "proxy.max_idle_connections_percent": "proxy_max_idle_connections_percent",
                "proxy.connection_borrow_timeout": "proxy_connection_borrow_timeout",
                "proxy.session_pinning_filters": "proxy_session_pinning_filters",
            }
            problems = validate.check_proxy(pct, idle, borrow, list(filters), ctx.aws)
            if any(f == "proxy.max_connections_percent" for f, _ in problems):  # idle is bounded by it: it waits
                problems = [(f, m) for f, m in problems if f != "proxy.max_idle_connections_percent"]
            for field_, message in problems:
                s = ctx.cfg[names[field_]]
                if field_ == "proxy.max_connections_percent":  # the budget below is computed from it: it waits
                    ctx.invalid(names[field_], "connections.proxy", f"{s.shown()}: {message} (AWS, {AWS_REL})")
                else:
                    ctx.fail(s, "connections.proxy", f"{s.shown()}: {message} (AWS, {AWS_REL})")
    if is_limitless(ctx):
        # max_connections follows a Serverless v2 instance's max ACU; a Limitless cluster's clients reach the
        # shard group's routers, whose connection limits no dated data file holds: not computed, and said so.
        ctx.fact("connection budget", "not computable (Limitless: no dated figure for the routers)", "", False)
        return
    lo, hi = ctx.cfg["min_capacity"].value, ctx.cfg["max_capacity"].value
    pooled = ctx.number("expected_load.pooled_connections", "connections.pooled")
    if (
        not (is_number(lo) and is_number(hi))
        or not ctx.usable("min_capacity", "max_capacity", "proxy_max_connections_percent")
        or pooled is None
        or (proxy and pct is None)
    ):
        ctx.fact("connection budget", "not computable", "", False)
        return
    headroom = ctx.lim["connections"]["headroom_percent"]
    reserve_min = ctx.lim["connections"]["direct_reserve"]
    max_conn = sizing.max_connections(hi, lo, ctx.aws)
    spool = ctx.cfg["expected_load.pooled_connections"]
    if proxy:
        budget = sizing.proxy_max_connections(max_conn, int(pct))
        share = f"RDS Proxy's {fmt(pct)}% of max_connections {max_conn} at max ACU {fmt(hi)} is {budget}"
        reserve = max_conn - budget
        if reserve < reserve_min:
            s = ctx.cfg["proxy_max_connections_percent"]
            ctx.fail(
                s,
                "connections.reserve",
                f"{s.shown()} leaves {reserve} of max_connections {max_conn} for direct connections, below the "
                f"{ctx.env} reserve {reserve_min} {LIMITS_NOTE}",
            )
    else:
        budget = max_conn - reserve_min
        share = f"max_connections {max_conn} at max ACU {fmt(hi)} less the direct reserve {reserve_min} is {budget}"
    allowed = math.floor(budget * (100 - headroom) / 100)
    if pooled > allowed:
        ctx.fail(
            spool,
            "connections.budget",
            f"{spool.shown()} exceeds {allowed}: {share}, less the {fmt(headroom)}% headroom {LIMITS_NOTE}",
        )
    used = f"{fmt(pooled)} of {budget} ({pooled / budget:.0%})" if budget > 0 else f"{fmt(pooled)} of 0"
    ctx.fact(
        "connection budget",
        used + (f"; max_connections {max_conn}" if proxy else ""),
        f"<= {allowed} ({100 - headroom:g}% of {'the proxy share' if proxy else 'max_connections less the reserve'})",
        ctx.count() == before,
    )
