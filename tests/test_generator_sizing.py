"""Sizing and cost figures against values computed by hand from the design and AUDIT.md."""

from __future__ import annotations

import math
from pathlib import Path

import pytest

from generator.inputs import data
from generator.inputs.loader import load_environment
from generator.inputs.model import Environment
from generator.inputs.windows import window_length_minutes, windows_overlap
from generator.model import backup_billing, pricing, result, sizing
from tests.conftest import environment

REPO = Path(__file__).resolve().parents[1]
LIMITS = data.limits()
PRICES = data.prices()


def env_from(overrides: dict) -> Environment:
    return environment(overrides, {"min": 2, "max": 32, "scale_points": [{"acu": 12, "share": 1.0}]})


def build(env: Environment) -> dict:
    return result.build(env, PRICES, LIMITS, data.calibration(), data.seed(), data.sources())


@pytest.fixture(scope="module")
def prod():
    env = load_environment(REPO / "envs/prod/sizing.yaml", "prod")
    return env, build(env)


# ---------------------------------------------------------------------------
# Storage: 1,000 agents, decimal units, AUDIT.md's figures
# ---------------------------------------------------------------------------
def test_per_table_intake_and_kept_at_retention():
    env = env_from({})
    t = env.tables
    # 1 KB x 60/h x 24 h x 30 d x 1,000 agents = 43.2 GB, kept 30 days = 43.2 GB
    assert sizing.table_monthly_intake_gb(t["agent_states"], 1000) == pytest.approx(43.2)
    assert sizing.table_stored_gb(t["agent_states"], 1000) == pytest.approx(43.2)
    # 2 KB x 10/h: 14.4 GB a month of intake, 43.2 GB kept at 90 days
    assert sizing.table_monthly_intake_gb(t["discovery_events"], 1000) == pytest.approx(14.4)
    assert sizing.table_stored_gb(t["discovery_events"], 1000) == pytest.approx(43.2)
    # 5 KB x 100/day: 15 GB a month, 3.5 GB kept at 7 days (0.0035 GB per agent, not 0.105)
    assert sizing.table_monthly_intake_gb(t["task_history"], 1000) == pytest.approx(15.0)
    assert sizing.table_stored_gb(t["task_history"], 1) == pytest.approx(0.0035)
    # 500 B x 10/min: 216 GB a month, kept 30 days
    assert sizing.table_stored_gb(t["metrics"], 1000) == pytest.approx(216.0)


def test_steady_state_intake_and_projection_level_off():
    env = env_from({})
    assert sizing.monthly_intake_gb(env) == pytest.approx(288.6)
    assert sizing.steady_state_gb(env) == pytest.approx(315.9)
    # The report's projection (measured bytes per row): it grows while discovery_events' 90 days fill,
    # then stays at the measured steady state.
    cal = data.calibration()
    projection = sizing.measured_projection_gb(env, cal, 12)
    steady = sizing.measured_steady_state_gb(env, cal)
    assert projection[0] < projection[1] < projection[2]
    assert projection[1] - projection[0] == pytest.approx(projection[2] - projection[1])  # discovery: +30 days a month
    assert projection[2:] == pytest.approx([steady] * 10)  # flat once the 90-day retention is full
    assert sizing.seed_linear_storage_gb(1000, 12, data.seed()) == pytest.approx(10 + 407.4 * 12)


def test_in_place_agent_states_keep_one_row_per_agent():
    env = env_from({"tables": {"agent_states": {"mode": "in_place"}}})
    assert sizing.table_stored_gb(env.tables["agent_states"], 1000) == pytest.approx(0.001)  # 1 MB
    assert sizing.steady_state_gb(env) == pytest.approx(315.9 - 43.2 + 0.001)


# ---------------------------------------------------------------------------
# Connections
# ---------------------------------------------------------------------------
@pytest.mark.parametrize("max_acu, expected", [(1, 189), (4, 823), (8, 1669), (16, 3360), (32, 5000), (256, 5000)])
def test_max_connections_matches_aws_documented_defaults(max_acu, expected):
    assert sizing.max_connections(max_acu, 1, LIMITS) == expected


def test_max_connections_between_points_and_low_min_cap():
    assert sizing.max_connections(2, 1, LIMITS) == 400  # 189 + (823 - 189) / 3
    assert sizing.max_connections(24, 1, LIMITS) == 5000  # past 16 along the last slope, capped
    assert sizing.max_connections(32, 0.5, LIMITS) == 2000  # min 0.5 caps at 2,000
    assert sizing.max_connections(32, 0, LIMITS) == 2000


def test_pools_and_proxy_share():
    env = env_from({})
    assert sizing.pool_max_total(env.connection_pools) == 390  # 40 + 200 + 150
    assert sizing.pool_min_total(env.connection_pools) == 10 + 40 + 50
    assert sizing.proxy_max_connections(5000, 80) == 4000
    # 390 <= 80% of max_connections at 2.5 ACU
    assert sizing.max_acu_for_pools(390, 2, True, 80, 20, LIMITS) == 2.5


# ---------------------------------------------------------------------------
# ACU and cost
# ---------------------------------------------------------------------------
def test_override_scale_points_give_the_average():
    env = env_from({"acu": {"scale_points": [{"acu": 8, "share": 0.5}, {"acu": 16, "share": 0.5}]}})
    rep = build(env)
    assert rep["acu"]["average"] == 12 and rep["acu"]["average_from"] == "scale_points"


def test_prod_cost_breakdown(prod):
    _, rep = prod
    cost, load = rep["cost_usd_month"], rep["expected_load"]
    st = cost["storage_type"]
    acu, storage, io = load["writer_average_acu"], load["storage_gb"], load["io_requests_million_per_month"]
    assert cost["compute"] == pytest.approx(acu * 730 * PRICES["compute"][st] * 2, abs=0.01)  # writer + tier-1 reader
    assert cost["storage"] == pytest.approx(storage * PRICES["storage"][st], abs=0.01)
    assert cost["io"] == pytest.approx(io * PRICES["io_per_million"][st], abs=0.01)
    assert cost["proxy"] == pytest.approx(max(2 * acu, 8) * 0.015 * 730, abs=0.01)
    # retention 14 days: 2 weekly + 3 monthly snapshots beyond it, and 14 copies in the DR region
    assert cost["backup"] == pytest.approx((5 + 14) * storage * 0.021, abs=0.01)
    copies = (30 + 52 / 12 + 1) * storage * 0.02
    assert cost["transfer"] == pytest.approx(1000 * 0.09 + copies, abs=0.01)
    module = ("kms", "secrets", "monitoring", "global_database", "extended_support")  # test_module_billing.py
    parts = sum(cost[k] for k in ("compute", "storage", "io", "backup", "proxy", "transfer", *module))
    assert cost["total"] == pytest.approx(parts, abs=0.02)
    opt = rep["cost_usd_month_io_optimized"]
    assert opt["compute"] == pytest.approx(acu * 730 * 0.156 * 2, abs=0.01)  # $0.156/ACU-hour, not $0.16
    assert opt["io"] == 0
    assert cost["worst_case"] == pytest.approx(
        12 * 2 * 730 * PRICES["compute"][st]
        + cost["storage"]
        + cost["io"]
        + cost["backup"]
        + 24 * 0.015 * 730
        + cost["transfer"]
        + sum(cost[k] for k in module),
        abs=0.05,
    )


def test_cost_parts_are_a_registry():
    """A new part of the bill is one entry in pricing.PARTS: totals and every format follow."""
    inputs = pricing.build_cost_inputs(
        writer_average_acu=1,
        reader_promotion_tiers=[],
        independent_reader_average_acu=1,
        storage_gb=10,
        io_million_per_month=1,
        transfer_gb_per_month=0,
        retention_days=7,
        snapshots=(7, 4, 3),
        copied_rules=(),
        proxy_enabled=False,
    )
    base = pricing.monthly_cost(inputs, "aurora", PRICES, LIMITS)
    assert list(base.parts) == [name for name, _ in pricing.PARTS]
    extended = pricing.PARTS + (("example", lambda i, st, p, acus: 1.0),)
    try:
        pricing.PARTS = extended
        more = pricing.monthly_cost(inputs, "aurora", PRICES, LIMITS)
    finally:
        pricing.PARTS = extended[:-1]
    assert more.as_dict()["example"] == 1.0 and more.total == pytest.approx(base.total + 1.0)


def test_proxy_minimum_charge_and_independent_readers():
    inputs = pricing.build_cost_inputs(
        writer_average_acu=1,
        reader_promotion_tiers=[0, 2],
        independent_reader_average_acu=0.5,
        storage_gb=10,
        io_million_per_month=0,
        transfer_gb_per_month=0,
        retention_days=7,
        snapshots=(7, 4, 3),
        copied_rules=(),
        proxy_enabled=True,
    )
    assert pricing.instance_average_acus(inputs, LIMITS) == [1, 1, 0.5]  # tier 0 follows, tier 2 scales alone
    cost = pricing.monthly_cost(inputs, "aurora", PRICES, LIMITS)
    assert cost["proxy"] == pytest.approx(87.60)  # 8 ACU minimum x $0.015 x 730 h
    assert cost["compute"] == pytest.approx(2.5 * 730 * 0.12)


def test_backups_within_retention_are_free():
    assert backup_billing.backup_billed_gb(100, 35, backup_billing.Snapshots(7, 4, 1)) == 0
    beyond = backup_billing.kept_beyond_retention(backup_billing.Snapshots(7, 4, 3), 7)
    assert beyond == {"daily": 0, "weekly": 3, "monthly": 3}  # weeks 2-4 and every monthly
    every = backup_billing.Snapshots(7, 4, 3, copied=backup_billing.RULES)
    assert backup_billing.backup_billed_gb(100, 7, every) == 6 * 100  # in the primary region
    assert backup_billing.dr_copies_gb(100, every) == 14 * 100  # every copy kept in the DR region


def test_io_optimized_wins_when_io_dominates():
    heavy = env_from({"io": {"buffer_cache_hit_ratio": 0.0}, "tables": {"metrics": {"reads_per_agent": 600}}})
    rep = build(heavy)
    assert rep["recommendation"]["storage_type"] == "aurora-iopt1"
    assert rep["recommendation"]["io_share_of_aurora_bill"] > PRICES["io_optimized_advice_share"]
    assert rep["cost_usd_month"]["storage_type"] == "aurora-iopt1"  # storage_type: auto picks it


def test_work_mem_warning(prod):
    _, rep = prod
    assert rep["warnings"] == []  # 8 MB x 390 pooled connections = 3 GiB, within 4 GiB at min 2 ACU
    big = env_from({"parameters": {"work_mem_kb": 65536}})
    warnings = build(big)["warnings"]
    assert {
        "code": "memory.work_mem",
        "message": "work_mem 64 MB x 390 pooled connections = 24.4 GiB, more than the "
        "4 GiB at min ACU 2: concurrent sorts may run out of memory",
        "change": "lower parameters.work_mem_kb, or raise acu.min",
    } in warnings


# ---------------------------------------------------------------------------
# Windows
# ---------------------------------------------------------------------------
def test_windows():
    assert window_length_minutes("03:00-04:00") == 60
    assert window_length_minutes("23:45-00:15") == 30
    assert not windows_overlap("03:00-04:00", "sun:05:00-sun:06:00")
    assert windows_overlap("05:30-06:30", "sun:05:00-sun:06:00")
    assert windows_overlap("23:30-00:30", "mon:00:00-mon:01:00")  # across midnight
    assert windows_overlap("00:00-00:30", "sun:23:30-mon:00:15")  # across the week's end


def test_seed_comparison_covers_the_audit(prod):
    _, rep = prod
    items = " | ".join(i["item"] for i in rep["seed_comparison"])
    for topic in ("storage", "connections per ACU", "I/O", "RDS Proxy", "backups", "discounts"):
        assert topic in items
    for item in rep["seed_comparison"]:
        assert set(item) == {"item", "seed", "model", "reason"} and item["reason"]
    assert math.isclose(next(i for i in rep["seed_comparison"] if i["item"] == "RDS Proxy (USD/month)")["seed"], 50.0)


def test_the_io_explanation_names_the_billing_units_of_the_price_file():
    """The design comparison's I/O reason states the billed units; they come from the price file, as the
    figures do (it once said '8 KB' and '4 KB' whatever the file held)."""
    import copy

    from generator.model import comparison

    env = env_from({})
    rep = result.build(env, data.prices(), data.limits(), data.calibration(), data.seed(), data.sources())
    prices = copy.deepcopy(data.prices())
    prices["io_billing"].update(read_page_bytes=16384, write_unit_bytes=2048)
    reason = next(r for r in comparison.rows(env, rep, prices, data.seed()) if r["item"].startswith("I/O cost"))
    assert "16 KB pages" in reason["reason"] and "2 KB units of log" in reason["reason"], reason
