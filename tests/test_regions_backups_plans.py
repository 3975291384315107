"""Issue 17, items 6-7: every region's prices, DR copies priced in the DR region, the copy schedule, backup
billing as a range, and a Database Savings Plan beside the on-demand total."""

from __future__ import annotations

import pytest
import yaml

from generator.inputs import data
from generator.model import backup_billing, pricing
from generator.model.sized import report_of
from tests.conftest import environment

ACU = {"min": 2, "max": 12}
RULES = data.backup_billing()


def report(**overrides: object) -> dict:
    env = environment({"readers": {"promotion_tiers": [1]}, "transfer_gb_per_month": 1000, **overrides}, ACU)
    return report_of(env)


def parts_but(cost: dict, *names: str) -> dict:
    """The parts of the bill (pricing.PARTS) but `names`."""
    return {k: cost[k] for k, _ in pricing.PARTS if k not in names}


def test_every_price_file_has_the_schema_and_names_its_unconfirmed_prices():
    base = data.prices("us-east-1")

    def keys(doc: dict, prefix: str = "") -> set[str]:
        out = set()
        for k, v in doc.items():
            out.add(prefix + str(k))
            if isinstance(v, dict) and k not in ("sources", "end_of_standard_support"):
                out |= keys(v, f"{prefix}{k}.")
        return out

    assert set(data.price_regions()) == {
        "us-east-1",
        "us-west-2",
        "eu-west-1",
        "eu-central-1",
        "ap-northeast-1",
        "ap-southeast-2",
    }
    for region in data.price_regions():
        doc = data.prices(region)
        assert doc["region"] == region and keys(doc) == keys(base), region
        assert doc["unconfirmed"] and all(k in keys(doc) for k in doc["unconfirmed"]), region


def test_eu_west_1_prices_differently_from_us_east_1():
    us, eu = report(), report(region="eu-west-1", dr_region="eu-central-1")
    assert eu["cost_usd_month"]["compute"] > us["cost_usd_month"]["compute"]
    assert eu["cost_usd_month"]["total"] != us["cost_usd_month"]["total"]
    assert [s["path"] for s in eu["sources"][:2]] == [
        data.source_path(data.prices_file("eu-west-1")),
        data.source_path(data.prices_file("eu-central-1")),
    ]
    assert any(p.startswith("eu-west-1: ") for p in eu["unconfirmed_prices"])


def test_dr_copies_follow_dr_region():
    oregon, sydney = report(dr_region="us-west-2"), report(dr_region="ap-southeast-2")
    kept = 7 + 4 + 3  # every copied recovery point, in full, in the DR region
    storage = oregon["expected_load"]["storage_gb"]
    rate = data.prices("ap-southeast-2")["backup_per_gb_month"] - data.prices("us-west-2")["backup_per_gb_month"]
    assert rate > 0
    assert sydney["cost_usd_month"]["backup"] - oregon["cost_usd_month"]["backup"] == pytest.approx(
        kept * storage * rate, abs=0.02
    )
    # The transfer is billed by the source region: the same whichever region receives the copies.
    assert sydney["cost_usd_month"]["transfer"] == oregon["cost_usd_month"]["transfer"]
    # Nothing copied: the DR region's prices do not matter.
    none = {"backup": {"cross_region_copy": "none"}}
    assert (
        report(dr_region="us-west-2", **none)["cost_usd_month"]
        == report(dr_region="ap-southeast-2", **none)["cost_usd_month"]
    )


def test_copy_schedule_decides_what_dr_costs():
    costs = {
        s: report(backup={"cross_region_copy": s})["cost_usd_month"] for s in ("daily", "weekly", "monthly", "none")
    }
    dr = {s: c["backup"] + c["transfer"] for s, c in costs.items()}
    assert dr["daily"] > dr["weekly"] > dr["monthly"] > dr["none"]
    assert costs["none"]["kms"] < costs["monthly"]["kms"]  # no copy: no DR key
    assert report(backup={"cross_region_copy": "weekly"})["backup"]["copied_rules"] == ["weekly", "monthly"]
    # The earlier switch still reads: true copies every rule, false none.
    assert report(backup={"cross_region_copy": True})["cost_usd_month"] == costs["daily"]
    assert report(backup={"cross_region_copy": False})["cost_usd_month"] == costs["none"]


def test_rendered_tfvars_copy_exactly_the_scheduled_rules(repo_copy):
    from click.testing import CliRunner

    from generator.cli import main

    path = repo_copy / "envs/prod/sizing.yaml"
    doc = yaml.safe_load(path.read_text())
    doc["backup"]["cross_region_copy"] = "monthly"
    path.write_text(yaml.safe_dump(doc))
    assert CliRunner().invoke(main, ["--root", str(repo_copy), "render", "--env", "prod"]).exit_code == 0
    tfvars = (repo_copy / "envs/prod/terraform.tfvars").read_text()
    assert "backup_cross_region_copy       = true\n" in tfvars
    assert 'backup_cross_region_copy_rules = ["monthly"]\n' in tfvars


def test_backup_range_brackets_the_priced_backup():
    rep = report()
    cost, rng = rep["cost_usd_month"], rep["backup_range_usd_month"]
    internet = rep["expected_load"]["transfer_gb_per_month"] * data.prices()["transfer"]["internet_per_gb"]
    assert rng["expected"] == pytest.approx(cost["backup"] + cost["transfer"] - internet, abs=0.02)
    assert rng["low"] < rng["expected"] < rng["high"]
    # Incremental copies move only the changed data: far less than a full copy a day.
    assert rng["low"] < rng["expected"] / 2


def test_backup_readings_follow_the_rules_file():
    snaps = backup_billing.Snapshots(7, 4, 3, copied=tuple(RULES["copy_schedules"]["monthly"]))
    free = RULES["automated_backup_free_retention_days"]
    r = backup_billing.readings(
        storage_gb=100, change_gb_per_month=30, retention_days=7, snaps=snaps, free_retention_days=free
    )
    assert r["expected"].dr_gb == 3 * 100 and r["expected"].transfer_gb == 100  # 3 monthly copies, 1 a month
    assert r["low"].dr_gb == 100 + 3 * 30 and r["low"].transfer_gb == 30  # one full base, then a month's change
    assert r["high"].primary_gb == r["expected"].primary_gb + 7  # a week of changes in the automated backup
    one_day = backup_billing.readings(100, 30, free, snaps, free)
    assert free == 1 and one_day["high"].primary_gb == one_day["expected"].primary_gb  # a 1-day retention is free


def test_full_coverage_lowers_compute_by_the_plan_rate_and_nothing_else():
    on_demand = report()
    planned = report(savings_plan={"coverage": 1.0})
    od, sp = on_demand["cost_usd_month"], planned["cost_usd_month_savings_plan"]
    assert planned["cost_usd_month"] == od  # the on-demand total stays (the budget and policies use it)
    discount = data.prices()["discounts"]["database_savings_plan_1yr_max"]
    assert sp["compute"] == pytest.approx(od["compute"] * (1 - discount), abs=0.01)
    assert parts_but(sp, "compute") == parts_but(od, "compute")
    assert sp["total"] == pytest.approx(od["total"] - od["compute"] * discount, abs=0.02)
    assert sp["on_demand_total"] == od["total"] and sp["unused_commitment_usd_month"] == 0
    assert on_demand["cost_usd_month_savings_plan"] is None


def test_a_commitment_covers_up_to_its_size_and_is_paid_in_full():
    od = report()["cost_usd_month"]
    hourly = od["compute"] / data.prices()["hours_per_month"]
    rate = 1 - data.prices()["discounts"]["database_savings_plan_1yr_max"]
    small = report(savings_plan={"commitment_usd_per_hour": hourly * rate / 2})["cost_usd_month_savings_plan"]
    assert small["coverage_of_compute"] == pytest.approx(0.5, abs=0.001)
    assert od["compute"] > small["compute"] > od["compute"] * rate
    big = report(savings_plan={"commitment_usd_per_hour": hourly * 2})["cost_usd_month_savings_plan"]
    assert big["compute"] > od["compute"]  # over-committed: the unused commitment is still paid
    assert big["unused_commitment_usd_month"] > 0 and big["coverage_of_compute"] == 1.0


def _codes(rep: dict) -> set[str]:
    return {w["code"] for w in rep["warnings"]}


def test_a_plan_states_where_it_stops_saving_and_warns_when_it_is_too_big():
    od = report()["cost_usd_month"]
    hourly = od["compute"] / data.prices()["hours_per_month"]
    rate = 1 - data.prices()["discounts"]["database_savings_plan_1yr_max"]
    fits = report(savings_plan={"commitment_usd_per_hour": hourly * rate})
    plan = fits["cost_usd_month_savings_plan"]
    assert plan["largest_fully_used_commitment_usd_per_hour"] == pytest.approx(hourly * rate, abs=1e-4)
    assert plan["break_even_compute_usd_per_hour"] == pytest.approx(hourly * rate, abs=1e-4)
    assert plan["break_even_share_of_compute"] == pytest.approx(rate, abs=0.001)
    assert "cost.savings_plan_unused" not in _codes(fits) and plan["savings_usd_month"] > 0
    # A little above what the compute uses: unused dollars, still saving; far above: dearer than on demand
    for factor, saves in ((0.8, True), (2.0, False)):
        rep = report(savings_plan={"commitment_usd_per_hour": hourly * factor})
        plan = rep["cost_usd_month_savings_plan"]
        assert (plan["savings_usd_month"] > 0) is saves
        # the flip: it costs more than on demand exactly when the compute is below the commitment
        assert (hourly > plan["break_even_compute_usd_per_hour"]) is saves
        warning = next(w for w in rep["warnings"] if w["code"] == "cost.savings_plan_unused")
        assert ("saving $" in warning["message"]) is saves
        assert ("more than on demand" in warning["message"].split(" (")[0]) is not saves
        assert f"${plan['largest_fully_used_commitment_usd_per_hour']:g}" in warning["change"]
    assert "cost.savings_plan_unused" not in _codes(report(savings_plan={"coverage": 1.0}))


def test_table_shows_both_totals():
    from generator.outputs.report import to_table

    text = to_table(report(savings_plan={"coverage": 0.5}))
    assert "with the Savings Plan" in text and "cost/month" in text and "backup range" in text


def test_the_page_and_the_diff_name_every_regions_price_file(tmp_path):
    """The page named only the first environment's data files: prod in eu-west-1 left its price files unnamed
    (the diff takes its sources from the same generator.model.sized.all_sources)."""
    import shutil

    from generator.model.sized import size_tree
    from generator.outputs.report_html import page
    from tests.conftest import REPO

    shutil.copytree(REPO / "envs", tmp_path / "envs", ignore=shutil.ignore_patterns(".terraform"))
    sizing = tmp_path / "envs/prod/sizing.yaml"
    sizing.write_text(sizing.read_text() + "region: eu-west-1\ndr_region: eu-central-1\n")
    html = page(size_tree(tmp_path), [])
    for region in ("us-east-1", "eu-west-1", "eu-central-1"):
        path = data.source_path(data.prices_file(region))
        assert html.count(f"<code>{path}</code>") == 1, region
