"""What the module bills besides the instances: KMS keys, the master secret, monitoring (alarms, Enhanced
Monitoring logs, Insights), a global database secondary and Extended Support.

Hand-computed values for each part, a property (more alarms or keys never cost less), the JSON report's
parts, and the counts the pricing assumes pinned to the module's own .tf files (python-hcl2), so a new
alarm, key or changed default cannot leave the prices behind silently.
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from pathlib import Path

import pytest
from click.testing import CliRunner
from hypothesis import given, settings
from hypothesis import strategies as st

from generator.cli import main
from generator.inputs import data
from generator.model import backup_billing, pricing
from generator.model.module_billing import engine_major

REPO = Path(__file__).resolve().parents[1]
MODULE = REPO / "modules" / "aurora-serverless-v2"
LIMITS = data.limits()
DEFAULTS = data.module_defaults()

# The prices these hand computations use, written out (a new dated price file must not change them).
PRICES = {
    **data.prices(),
    "effective": "2026-11-29",
    "hours_per_month": 730,
    "compute": {"aurora": 0.12, "aurora-iopt1": 0.156},
    "storage": {"aurora": 0.10, "aurora-iopt1": 0.225},
    "io_billing": {"read_page_bytes": 8192, "write_unit_bytes": 4096},
    "transfer": {"internet_per_gb": 0.09, "inter_region_per_gb": 0.02},
    "kms": {"per_key_month": 1.0, "per_rotation_month": 1.0, "billed_rotations": 2},
    "secrets_manager": {"per_secret_month": 0.40},
    "cloudwatch": {
        "alarm_per_month": 0.10,
        "logs_ingestion_per_gb": 0.50,
        "logs_storage_per_gb_month": 0.03,
        "database_insights_advanced_per_acu_hour": 0.003125,
    },
    "performance_insights": {"free_retention_days": 7},
    "global_database": {"replicated_write_io_per_million": {"aurora": 0.20, "aurora-iopt1": 0.0}},
    "extended_support": {
        "per_acu_hour": {"year_1_2": 0.025, "year_3": 0.05},
        "end_of_standard_support": {11: "2024-02-29", 13: "2026-02-28", 16: "2029-02-28"},
    },
}


def with_settings(module: Mapping, overrides: Mapping) -> dict:
    """`module` (module-defaults.yaml's layout) with some settings replaced: what a root that passes them to
    the module deploys. A misspelt setting is an error, so a test never prices the defaults by mistake."""
    unknown = sorted(set(overrides) - set(module["settings"]))
    if unknown:
        raise ValueError(f"unknown module setting(s) {', '.join(unknown)} (known: {', '.join(module['settings'])})")
    return {**module, "settings": {**module["settings"], **overrides}}


def module(**overrides: object) -> dict:
    # The Enhanced Monitoring assumption written out too, like the prices.
    fixed = {**DEFAULTS, "enhanced_monitoring": {"bytes_per_event": 12000, "log_retention_days": 30}}
    return with_settings(fixed, overrides)


def inputs(
    readers: int = 0,
    cross_region_copy: bool = True,
    reader_acu: float = 1.0,
    storage_gb: float = 100.0,
    io_million: float = 10.0,
    **overrides: object,
) -> pricing.CostInputs:
    return pricing.build_cost_inputs(
        writer_average_acu=2.0,
        reader_promotion_tiers=[1] * readers,
        independent_reader_average_acu=reader_acu,
        storage_gb=storage_gb,
        io_million_per_month=io_million,
        transfer_gb_per_month=0,
        retention_days=7,
        snapshots=(7, 0, 0),
        copied_rules=backup_billing.RULES if cross_region_copy else (),
        proxy_enabled=True,
        module=module(**overrides),
    )


def part(name: str, i: pricing.CostInputs, storage_type: str = "aurora") -> float:
    return pricing.monthly_cost(i, storage_type, PRICES, LIMITS)[name]


# ---------------------------------------------------------------------------
# Hand-computed parts
# ---------------------------------------------------------------------------
def test_kms_a_key_with_its_two_billed_rotations_per_region():
    # $1 a key-month + $1 for each of the first two yearly rotations = $3 a key.
    assert part("kms", inputs(cross_region_copy=True)) == pytest.approx(6.0)  # primary + DR key
    assert part("kms", inputs(cross_region_copy=False)) == pytest.approx(3.0)  # primary only
    assert part("kms", inputs(cross_region_copy=False, global_database_enabled=True)) == pytest.approx(6.0)
    byo = inputs(kms_key_arn="arn:aws:kms:us-east-1:123456789012:key/a", dr_kms_key_arn="arn:aws:kms:us-west-2:1:key/b")
    assert part("kms", byo) == 0.0  # bring your own keys: none created


def test_one_master_secret_with_or_without_a_global_database():
    assert part("secrets", inputs()) == pytest.approx(0.40)
    assert part("secrets", inputs(global_database_enabled=True)) == pytest.approx(0.40)


def test_monitoring_alarms_and_enhanced_monitoring_logs():
    # One reader: alarms 2 per cluster + 2 x 2 instances + 1 replica lag = 7 x $0.10 = $0.70.
    # Enhanced Monitoring: 730 h x 3600 / 60 s = 43,800 events x 12,000 B x 2 instances = 1.0512 GB:
    # ingestion 1.0512 x $0.50 = $0.5256, 30 days kept = 1.0512 GB x $0.03 = $0.031536.
    i = inputs(readers=1)
    assert i.module.alarms == 7
    assert part("monitoring", i) == pytest.approx(0.70 + 0.5256 + 0.031536)
    # Writer only, alarms off: 21,900 events at 120 s x 12,000 B = 0.2628 GB.
    assert part("monitoring", inputs(alarms_enabled=False, monitoring_interval=120)) == pytest.approx(
        0.2628 * 0.50 + 0.2628 * 0.03
    )
    assert part("monitoring", inputs(alarms_enabled=False, monitoring_interval=0)) == 0.0  # AWS's "off"


def test_monitoring_insights_beyond_the_free_tier():
    base = part("monitoring", inputs(readers=1))
    # Advanced mode: writer 2 + reader (tier 1 follows the writer) 2 = 4 ACU x 730 h x $0.003125 = $9.125.
    advanced = inputs(readers=1, database_insights_mode="advanced", performance_insights_retention_period=465)
    assert part("monitoring", advanced) - base == pytest.approx(9.125)
    # Standard mode kept 31 days: every instance, the global secondary's too: (4 + 2 x 1.0) x 730 x $0.003125.
    # (The secondary adds its own Enhanced Monitoring: 2 more instances of 0.5256 GB.)
    pi = inputs(
        readers=1,
        performance_insights_retention_period=31,
        global_database_enabled=True,
        global_database_instance_count=2,
    )
    em_secondary = 2 * 0.5256 * (0.50 + 0.03)
    assert part("monitoring", pi) - base == pytest.approx(6 * 730 * 0.003125 + em_secondary)


def test_global_database_secondary_instances_storage_replicated_writes_and_transfer():
    i = inputs(global_database_enabled=True, global_database_instance_count=2, reader_acu=1.0)
    shipped_gb = 10e6 * 4096 / 1e9  # 10 M write I/Os of 4 KB = 40.96 GB between regions
    assert part("global_database", i) == pytest.approx(
        2 * 1.0 * 730 * 0.12 + 100 * 0.10 + 10 * 0.20 + shipped_gb * 0.02
    )
    assert part("global_database", i, "aurora-iopt1") == pytest.approx(
        2 * 730 * 0.156 + 100 * 0.225 + shipped_gb * 0.02
    )
    assert part("global_database", inputs()) == 0.0
    # Worst case: the secondary's instances at max ACU too (2 x 8 ACU x 730 h x $0.12 more than at 1 ACU).
    plain = pricing.worst_case_cost(inputs(), "aurora", 8, PRICES, LIMITS)
    worst = pricing.worst_case_cost(i, "aurora", 8, PRICES, LIMITS)
    # (Both have the DR key: the backup copy needs it already. The secondary's instances add Enhanced Monitoring.)
    assert worst - plain == pytest.approx(
        2 * 8 * 730 * 0.12 + 100 * 0.10 + 10 * 0.20 + shipped_gb * 0.02 + 2 * 0.5256 * (0.50 + 0.03)
    )


def test_extended_support_by_year_at_the_price_files_date():
    # 13: end of standard support 2026-02-28, 274 days before 2026-11-29: year 1, $0.025 x 2 ACU x 730 h.
    assert part("extended_support", inputs(engine_version="13.15")) == pytest.approx(2 * 730 * 0.025)
    # 11: 1,004 days past its end (2024-02-29): year 3, $0.05.
    assert pricing.extended_support_year(11, PRICES) == 3
    assert part("extended_support", inputs(engine_version="11.21")) == pytest.approx(2 * 730 * 0.05)
    # Opted out (RDS upgrades the major instead), still in standard support, or a major not in the calendar.
    assert (
        part(
            "extended_support",
            inputs(engine_version="13.15", engine_lifecycle_support="open-source-rds-extended-support-disabled"),
        )
        == 0
    )
    assert part("extended_support", inputs(engine_version="16.6")) == 0
    assert part("extended_support", inputs(engine_version="18.1")) == 0


def test_settings_override_only_known_settings_and_leave_the_defaults_alone():
    assert module(monitoring_interval=5)["settings"]["monitoring_interval"] == 5
    assert DEFAULTS["settings"]["monitoring_interval"] == 60
    with pytest.raises(ValueError, match="unknown module setting.*monitoring_intervall"):
        module(monitoring_intervall=5)


def test_a_price_list_past_the_end_of_standard_support_prices_and_warns_extended_support():
    from generator.inputs import loader
    from generator.model import result

    env = loader.load_environment(REPO / "envs" / "prod" / "sizing.yaml", "prod")
    later = {**data.prices(), "effective": "2029-06-01"}  # PostgreSQL 16 left standard support 2029-02-28
    rep = result.build(env, later, LIMITS, data.calibration(), data.seed(), data.sources())
    acus = pricing.instance_average_acus(
        pricing.build_cost_inputs(
            writer_average_acu=rep["expected_load"]["writer_average_acu"],
            reader_promotion_tiers=[1],
            independent_reader_average_acu=2,
            storage_gb=1,
            io_million_per_month=0,
            transfer_gb_per_month=0,
            retention_days=7,
            snapshots=(7, 0, 0),
            copied_rules=backup_billing.RULES,
            proxy_enabled=True,
        ),
        LIMITS,
    )
    rate = data.prices()["extended_support"]["per_acu_hour"]["year_1_2"]
    assert rep["billed_resources"]["extended_support_year"] == 1
    assert rep["cost_usd_month"]["extended_support"] == pytest.approx(sum(acus) * 730 * rate, abs=0.01)
    codes = [w["code"] for w in rep["warnings"]]
    assert "cost.extended_support" in codes
    today = result.build(env, data.prices(), LIMITS, data.calibration(), data.seed(), data.sources())
    assert "cost.extended_support" not in [w["code"] for w in today["warnings"]]


def test_engine_version_must_be_major_minor():
    assert engine_major("16.6") == 16
    with pytest.raises(ValueError, match="major.minor"):
        engine_major("16")


# ---------------------------------------------------------------------------
# Property: more alarms or keys never cost less
# ---------------------------------------------------------------------------
@settings(max_examples=60, deadline=None)
@given(
    readers=st.integers(0, 14),
    copy_=st.booleans(),
    alarms=st.booleans(),
    byo=st.booleans(),
    glob=st.booleans(),
    interval=st.sampled_from([1, 5, 10, 15, 30, 60]),
    storage_type=st.sampled_from(pricing.STORAGE_TYPES),
)
def test_more_alarms_or_keys_never_cost_less(readers, copy_, alarms, byo, glob, interval, storage_type):
    kw = {
        "alarms_enabled": alarms,
        "global_database_enabled": glob,
        "monitoring_interval": interval,
        "kms_key_arn": "arn:aws:kms:us-east-1:123456789012:key/k" if byo else None,
    }
    cost = lambda i: pricing.monthly_cost(i, storage_type, PRICES, LIMITS)  # noqa: E731
    base = cost(inputs(readers=readers, cross_region_copy=copy_, **kw))
    more_alarms = cost(inputs(readers=readers + 1, cross_region_copy=copy_, **kw))
    more_keys = cost(inputs(readers=readers, cross_region_copy=copy_, **{**kw, "kms_key_arn": None}))
    alarms_on = cost(inputs(readers=readers, cross_region_copy=copy_, **{**kw, "alarms_enabled": True}))
    for more in (more_alarms, more_keys, alarms_on):
        assert more["monitoring"] >= base["monitoring"] and more["kms"] >= base["kms"]
        assert more.total >= base.total


# ---------------------------------------------------------------------------
# The report
# ---------------------------------------------------------------------------
@pytest.mark.parametrize("env", ["dev", "staging", "prod"])
def test_json_report_prices_kms_and_monitoring_in_the_total(env):
    rep = json.loads(CliRunner().invoke(main, ["--root", str(REPO), "report", "--env", env, "--format", "json"]).stdout)
    cost, billed = rep["cost_usd_month"], rep["billed_resources"]
    assert cost["kms"] == pytest.approx(3.0 * billed["kms_keys"]) and billed["kms_keys"] >= 1
    assert cost["monitoring"] > billed["alarms"] * 0.10 > 0
    parts = [v for k, v in cost.items() if k not in ("total", "worst_case", "storage_type")]
    assert {"kms", "secrets", "monitoring", "global_database", "extended_support"} <= cost.keys()
    assert cost["total"] == pytest.approx(sum(parts), abs=0.01 * len(parts))
    assert any(s["path"] == "generator/data/module-defaults.yaml" for s in rep["sources"])


def test_prod_counts_hand_computed():
    rep = json.loads(
        CliRunner().invoke(main, ["--root", str(REPO), "report", "--env", "prod", "--format", "json"]).stdout
    )
    b = rep["billed_resources"]
    # prod: writer + one reader (tier 1), cross-region backup copy: 2 keys, 2 + 2 x 2 + 1 = 7 alarms.
    assert (b["kms_keys"], b["alarms"], b["enhanced_monitoring"]["instances"]) == (2, 7, 2)
    assert rep["cost_usd_month"]["kms"] == 6.0
    em = DEFAULTS["enhanced_monitoring"]
    gb = 2 * 43_800 * em["bytes_per_event"] / 1e9  # 2 instances, 730 h of 60 s events
    assert b["enhanced_monitoring"]["gb_ingested_month"] == pytest.approx(gb, abs=0.001)
    assert rep["cost_usd_month"]["monitoring"] == pytest.approx(
        0.70 + gb * 0.50 + gb * em["log_retention_days"] / 30 * 0.03, abs=0.005
    )
