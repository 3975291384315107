"""Properties that hold for every load: monotone in agents, ACU on the 0.5 grid."""

from __future__ import annotations

from hypothesis import given, settings, strategies as st

from generator import data, report, sizing
from generator.errors import InputError
from generator.loader import merge
from generator.model import Environment
from generator.validate import check

LIMITS, PRICES, SEED = data.limits(), data.prices(), data.seed()
acu_grid = st.integers(min_value=2, max_value=512).map(lambda n: n / 2)  # 1..256 in 0.5 steps


def build(agents: int, max_acu: float = 32) -> dict:
    env = Environment.model_validate(merge(data.defaults(), {
        "environment": "prop", "agents": agents, "budget_usd": None, "network": {"vpc_name": "v"},
        "readers": {"promotion_tiers": [1, 2]},
        "acu": {"min": 1, "max": max_acu, "scale_points": [{"acu": 1, "share": 1.0}]}}))
    return report.build(env, PRICES, LIMITS, SEED)


@settings(max_examples=60, deadline=None)
@given(st.integers(min_value=0, max_value=20_000), st.integers(min_value=1, max_value=5_000))
def test_more_agents_never_gives_less(agents, extra):
    small, big = build(agents), build(agents + extra)
    assert big["storage_gb"]["steady_state"] >= small["storage_gb"]["steady_state"]
    assert big["storage_gb"]["projection_12mo"] >= small["storage_gb"]["projection_12mo"]
    assert big["iops"]["read"] + big["iops"]["write"] >= small["iops"]["read"] + small["iops"]["write"]
    assert big["iops"]["billed_million_per_month"] >= small["iops"]["billed_million_per_month"]
    assert big["connections"]["pool_max_total"] >= small["connections"]["pool_max_total"]
    assert big["cost_usd_month"]["total"] >= small["cost_usd_month"]["total"]
    assert big["cost_usd_month"]["worst_case"] >= small["cost_usd_month"]["worst_case"]


@settings(max_examples=100, deadline=None)
@given(acu_grid, acu_grid)
def test_max_connections_never_falls_as_max_acu_rises(a, b):
    lo, hi = sorted((a, b))
    assert sizing.max_connections(lo, 1, LIMITS) <= sizing.max_connections(hi, 1, LIMITS) <= 5000


@settings(max_examples=100, deadline=None)
@given(st.integers(min_value=1, max_value=400), st.integers(min_value=1, max_value=10))
def test_acu_the_pools_need_is_the_smallest_half_step_that_holds_them(pool_max, replicas):
    pool = {"min": 0, "max": pool_max, "replicas": replicas}
    env = Environment.model_validate(merge(data.defaults(), {
        "environment": "prop", "agents": 1, "budget_usd": None, "network": {"vpc_name": "v"},
        "connection_pools": {"supervisor": pool, "worker": pool, "gateway": pool},
        "acu": {"min": 1, "max": 256, "scale_points": [{"acu": 1, "share": 1.0}]}}))
    fit = report.smallest_max_acu_for_pools(env, LIMITS)
    pooled, pct = 3 * pool_max * replicas, env.proxy.max_connections_percent
    holds = lambda acu: sizing.proxy_max_connections(sizing.max_connections(acu, 1, LIMITS), pct) >= pooled  # noqa: E731
    if fit is None:  # beyond what the largest cluster's proxy share can hold
        assert not holds(256)
    else:
        assert (fit * 2).is_integer() and holds(fit)
        assert fit == 1 or not holds(fit - 0.5)


@settings(max_examples=100, deadline=None)
@given(st.floats(min_value=1, max_value=300, allow_nan=False))
def test_acu_off_the_grid_or_range_is_rejected(value):
    tiny_pool = {"min": 1, "max": 1, "replicas": 1}
    env = Environment.model_validate(merge(data.defaults(), {
        "environment": "prop", "agents": 1, "budget_usd": None, "network": {"vpc_name": "v"},
        "connection_pools": {"supervisor": tiny_pool, "worker": tiny_pool, "gateway": tiny_pool},
        "acu": {"min": 0.5, "max": value, "scale_points": [{"acu": 0.5, "share": 1.0}]}}))
    try:
        check(env, LIMITS, "x.yaml")
        accepted = True
    except InputError as exc:
        accepted = False
        assert exc.field == "acu.max"
    on_grid = abs(value * 2 - round(value * 2)) < 1e-9  # the grid check tolerates float noise only
    assert accepted == (on_grid and value <= 256)
