"""Properties that hold for every load: monotone in agents, ACU on the 0.5 grid."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from generator.errors import InputError
from generator.inputs import data
from generator.inputs.loader import merge
from generator.inputs.model import Environment
from generator.inputs.validate import check
from generator.model import result, sizing

LIMITS, PRICES, SEED, CAL = data.limits(), data.prices(), data.seed(), data.calibration()
TABLES = sorted(data.defaults()["tables"])
acu_grid = st.integers(min_value=2, max_value=512).map(lambda n: n / 2)  # 1..256 in 0.5 steps


def build(agents: int, max_acu: float = 256, **overrides) -> dict:
    env = Environment.model_validate(
        merge(
            merge(
                data.defaults(),
                {
                    "environment": "prop",
                    "agents": agents,
                    "budget_usd": None,
                    "network": {"vpc_name": "v"},
                    "readers": {"promotion_tiers": [1, 2]},
                    "acu": {"min": 1, "max": max_acu},
                },
            ),
            overrides,
        )
    )
    return result.build(env, PRICES, LIMITS, CAL, SEED, [])


@settings(max_examples=60, deadline=None)
@given(
    st.integers(min_value=0, max_value=50_000),
    st.integers(min_value=1, max_value=20_000),
    st.sampled_from(["history", "in_place"]),
)
def test_more_agents_never_gives_less(agents, extra, mode):
    # At a fixed cache hit ratio. The derived one (io.buffer_cache_hit_ratio unset) rises when the load steps the
    # capacity up to a bigger cache, and billed I/O can then fall: 244 -> 268 agents moved the peak from 1 to 1.5
    # ACU, the hit ratio from 0.9923 to 0.995 and billed I/O from 193.4 to 176.7 M a month (README, the model).
    tables = {"tables": {"agent_states": {"mode": mode}}, "io": {"buffer_cache_hit_ratio": 0.99}}
    small, big = build(agents, **tables), build(agents + extra, **tables)
    for key in ("steady_state", "projection_12mo", "raw_payload_steady_state"):
        assert big["storage_gb"][key] >= small["storage_gb"][key]
    assert big["iops"]["read"] + big["iops"]["write"] >= small["iops"]["read"] + small["iops"]["write"]
    assert big["iops"]["billed_million_per_month"] >= small["iops"]["billed_million_per_month"]
    for key in ("peak", "baseline"):
        assert big["acu"]["required"][key] >= small["acu"]["required"][key]
    assert big["acu"]["average"] >= small["acu"]["average"]
    assert big["cost_usd_month"]["total"] >= small["cost_usd_month"]["total"]
    assert big["cost_usd_month"]["worst_case"] >= small["cost_usd_month"]["worst_case"]
    for rep in (small, big):  # every range holds its expected figure
        for figure in ("acu_required_peak", "storage_gb", "billed_io_million_per_month", "cost_total_usd_month"):
            r = rep["ranges"][figure]
            assert r["low"] <= r["expected"] <= r["high"], (figure, r)
    # The ends on one storage type: with `auto` a bigger fleet can switch to I/O-Optimized, whose I/O is included,
    # and the high end (priced at the dearest I/O) then falls: 341 -> 700 agents gave $893.65 -> $893.30.
    small, big = (build(n, storage_type="aurora", **tables) for n in (agents, agents + extra))
    for figure in ("acu_required_peak", "billed_io_million_per_month", "cost_total_usd_month"):
        for end in ("low", "high"):
            assert big["ranges"][figure][end] >= small["ranges"][figure][end], (figure, end)


@settings(max_examples=60, deadline=None)
@given(
    st.integers(min_value=1, max_value=20_000),
    st.sampled_from(TABLES),
    st.sampled_from(["writes", "reads"]),
    st.floats(min_value=1.01, max_value=50),
)
def test_raising_one_tables_rates_raises_its_io(agents, table, kind, factor):
    defaults = data.defaults()["tables"][table]
    key = f"{kind}_per_agent"
    base = build(agents)
    busy = build(agents, tables={table: {key: defaults[key] * factor}})
    # The table's own billed I/O rises strictly (unrounded), the report's figures never fall, the others'
    # statements stay. Their billed I/O moves only through what the tables share: the cache (a fixed hit
    # ratio) and the log writes (commits that never meet: a flush of no time), without which it stays too.
    apart = {"io": {"buffer_cache_hit_ratio": 0.9, "log_flush_ms": 1e-9}}
    base_apart = build(agents, **apart)
    busy_apart = build(agents, tables={table: {key: defaults[key] * factor}}, **apart)
    env = Environment.model_validate(
        merge(
            data.defaults(),
            {
                "environment": "prop",
                "agents": agents,
                "budget_usd": None,
                "network": {"vpc_name": "v"},
                "acu": {"min": 1, "max": 8},
            },
        )
    )
    t = env.tables[table]
    cal = sizing.calibrated(table, t, CAL)
    io = lambda tbl: sizing.table_io(tbl, agents, cal, 0.9, PRICES["io_billing"], 8192)  # noqa: E731
    assert io(t.model_copy(update={key: getattr(t, key) * factor})).billed > io(t).billed
    # At a fixed hit ratio: the derived one rises when the busier load steps the capacity up to a bigger cache
    # (discovery_events writes x4 at 737 agents: billed I/O 451.7 -> 438.3 M a month; see the agents property).
    apart_table = busy_apart["iops"]["tables"][table]["billed_per_second"]
    assert apart_table >= base_apart["iops"]["tables"][table]["billed_per_second"]
    assert busy_apart["iops"]["billed_million_per_month"] >= base_apart["iops"]["billed_million_per_month"]
    for other in set(TABLES) - {table}:
        for count in ("reads", "writes"):
            assert busy["iops"]["tables"][other][count] == base["iops"]["tables"][other][count]
        # Equal up to the last reported digit: a flush of 1e-9 ms still shares a vanishing fraction of a log write
        # (agents=17857, agent_states writes x28 moved another table's 24,185.40 to 24,185.41).
        assert busy_apart["iops"]["tables"][other] == pytest.approx(base_apart["iops"]["tables"][other], abs=0.011)


@settings(max_examples=100, deadline=None)
@given(acu_grid, acu_grid)
def test_max_connections_never_falls_as_max_acu_rises(a, b):
    lo, hi = sorted((a, b))
    assert sizing.max_connections(lo, 1, LIMITS) <= sizing.max_connections(hi, 1, LIMITS) <= 5000


@settings(max_examples=100, deadline=None)
@given(st.integers(min_value=1, max_value=400), st.integers(min_value=1, max_value=10))
def test_acu_the_pools_need_is_the_smallest_half_step_that_holds_them(pool_max, replicas):
    pool = {"min": 0, "max": pool_max, "replicas": replicas}
    env = Environment.model_validate(
        merge(
            data.defaults(),
            {
                "environment": "prop",
                "agents": 1,
                "budget_usd": None,
                "network": {"vpc_name": "v"},
                "connection_pools": {"supervisor": pool, "worker": pool, "gateway": pool},
                "acu": {"min": 1, "max": 256, "scale_points": [{"acu": 1, "share": 1.0}]},
            },
        )
    )
    fit = sizing.max_acu_for_pools(
        sizing.pool_max_total(env.connection_pools),
        env.acu.min,
        True,
        env.proxy.max_connections_percent,
        env.direct_connection_reserve,
        LIMITS,
    )
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
    env = Environment.model_validate(
        merge(
            data.defaults(),
            {
                "environment": "prop",
                "agents": 1,
                "budget_usd": None,
                "network": {"vpc_name": "v"},
                "connection_pools": {"supervisor": tiny_pool, "worker": tiny_pool, "gateway": tiny_pool},
                "acu": {"min": 0.5, "max": value, "scale_points": [{"acu": 0.5, "share": 1.0}]},
            },
        )
    )
    try:
        check(env, LIMITS, "x.yaml")
        accepted = True
    except InputError as exc:
        accepted = False
        assert exc.field == "acu.max"
    on_grid = abs(value * 2 - round(value * 2)) < 1e-9  # the grid check tolerates float noise only
    assert accepted == (on_grid and value <= 256)
