"""An environment's observation (envs/<env>/observed.yaml) in the model: each figure it should move moves, and
only those; the team's override wins over it; without the file nothing changes (issue 13, "Learning from it")."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from click.testing import CliRunner

from generator.cli import main
from generator.inputs import data
from generator.model.sized import size_environment
from tests.observed_fixture import observe

ENVS = ("dev", "staging", "prod")


def sized(root: Path, env: str, **kwargs) -> dict:
    return size_environment(root / "envs" / env / "sizing.yaml", env, **kwargs).report


def with_sizing(root: Path, env: str, fragment: str) -> None:
    path = root / "envs" / env / "sizing.yaml"
    path.write_text(path.read_text() + fragment)


def figures(rep: dict) -> dict:
    """Every figure of a report, without what names the observation or where figures come from."""
    drop = ("sources", "observation", "provenance", "assumptions", "recommendation", "warnings")
    return {k: v for k, v in rep.items() if k not in drop}


@pytest.mark.parametrize("env", ENVS)
def test_without_the_file_every_figure_is_the_bare_models(repo_copy, env):
    rep = sized(repo_copy, env)
    assert rep == sized(repo_copy, env, observed=False)
    assert rep["observation"] is None and rep["provenance"]["observed"] == []
    assert rep["iops"]["cache_hit_ratio_from"] == "workload"
    assert not any(s["kind"] == "observation" for s in rep["sources"])


def test_the_committed_tfvars_are_what_the_model_renders_without_an_observation(repo_copy):
    res = CliRunner(mix_stderr=False).invoke(main, ["--root", str(repo_copy), "render", "--check"])
    assert res.exit_code == 0, res.stderr


@pytest.mark.parametrize("env", ENVS)
def test_an_observation_of_nothing_changes_no_figure(repo_copy, env):
    bare = sized(repo_copy, env)
    observe(repo_copy, env, hit=None)
    rep = sized(repo_copy, env)
    assert figures(rep) == figures(bare)
    assert rep["observation"]["cluster"] == "mistersmith-prod"
    assert [s["path"] for s in rep["sources"] if s["kind"] == "observation"] == [f"envs/{env}/observed.yaml"]


def test_an_observed_hit_ratio_lowers_billed_io_and_flips_the_storage_type(repo_copy):
    # A hot window of 6 h: the derived hit ratio (0.965) bills ~1,900 M a month and I/O-Optimized is cheaper.
    with_sizing(repo_copy, "prod", "compute: {hot_window_hours: 6}\n")
    bare = sized(repo_copy, "prod")
    assert bare["iops"]["cache_hit_ratio"] < 0.99 and bare["cost_usd_month"]["storage_type"] == "aurora-iopt1"
    observe(repo_copy, "prod", hit=0.995)
    rep = sized(repo_copy, "prod")
    assert rep["iops"]["cache_hit_ratio"] == 0.995 and rep["iops"]["cache_hit_ratio_from"] == "observed"
    assert rep["iops"]["billed_million_per_month"] < bare["iops"]["billed_million_per_month"] / 3
    assert rep["cost_usd_month"]["storage_type"] == rep["recommendation"]["storage_type"] == "aurora"
    assert rep["storage_gb"] == bare["storage_gb"]
    assert rep["provenance"]["observed"][0]["figure"] == "cache hit ratio"
    # The bare model (what aurora-gen observe compares with) ignores the file.
    assert sized(repo_copy, "prod", observed=False) == bare


def test_an_observed_low_hit_ratio_recommends_io_optimized_and_the_report_says_observed(repo_copy):
    bare = sized(repo_copy, "prod")
    observe(repo_copy, "prod", hit=0.9)
    rep = sized(repo_copy, "prod")
    assert rep["cost_usd_month"]["storage_type"] == "aurora-iopt1"
    assert rep["iops"]["billed_million_per_month"] > 5 * bare["iops"]["billed_million_per_month"]
    assert (rep["storage_gb"], rep["acu"]["required"]["peak"]) == (bare["storage_gb"], bare["acu"]["required"]["peak"])
    # The band narrows around the observation: the miss share (0.1) halved and doubled.
    assert rep["ranges"]["bands"]["cache_hit_ratio"] == {"low": 0.8, "high": 0.95}
    io = rep["ranges"]["billed_io_million_per_month"]
    assert io["low"] < io["expected"] < io["high"]
    table = CliRunner().invoke(main, ["--root", str(repo_copy), "report", "--env", "prod"]).output
    assert "cache hit ratio 0.9 (observed: the cluster's BufferCacheHitRatio)" in table
    assert "observed  envs/prod/observed.yaml (" in table and "mistersmith-prod, cloudwatch" in table


def test_the_teams_override_wins_over_the_observed_hit_ratio(repo_copy):
    with_sizing(repo_copy, "prod", "io: {buffer_cache_hit_ratio: 0.99}\n")
    before = sized(repo_copy, "prod")
    observe(repo_copy, "prod", hit=0.9)
    rep = sized(repo_copy, "prod")
    assert rep["iops"]["cache_hit_ratio_from"] == "override" and rep["iops"] == before["iops"]
    assert rep["ranges"] == before["ranges"]
    (hit,) = [a for a in rep["provenance"]["assumed"] if a["figure"] == "cache hit ratio"]
    assert "the observed 0.9 is not used" in hit["detail"]


def test_bytes_per_row_raises_the_tables_storage_by_its_factor(repo_copy):
    bare = sized(repo_copy, "prod")
    observe(repo_copy, "prod", hit=None, rows=1.2)
    rep = sized(repo_copy, "prod")
    base = bare["storage_gb"]["base"]
    tables = bare["storage_gb"]["steady_state"] - base
    assert rep["storage_gb"]["steady_state"] == pytest.approx(base + 1.2 * tables, abs=0.1)
    for name, t in rep["storage_gb"]["tables"].items():
        assert t["bytes_per_row"] == pytest.approx(1.2 * bare["storage_gb"]["tables"][name]["bytes_per_row"], abs=0.1)
    assert rep["cost_usd_month"]["storage"] > bare["cost_usd_month"]["storage"]
    assert rep["acu"]["required"]["peak_by_resource"]["cpu"] == bare["acu"]["required"]["peak_by_resource"]["cpu"]


def test_the_cpu_factor_replaces_the_data_files_and_its_band_is_the_calibrations_spread(repo_copy):
    bare = sized(repo_copy, "prod")
    observe(repo_copy, "prod", hit=None, cpu=2.0)
    rep = sized(repo_copy, "prod")
    cpu_bare, cpu = (r["acu"]["required"]["peak_by_resource"]["cpu"] for r in (bare, rep))
    assert cpu == pytest.approx(2 * cpu_bare / data.aurora_cpu_factor()["factor"], abs=0.02)
    assert rep["acu"]["required"]["peak"] > bare["acu"]["required"]["peak"]
    assert rep["assumptions"]["aurora_cpu_factor"] == 2.0 and rep["assumptions"]["aurora_cpu_factor_from"] == "observed"
    assert rep["ranges"]["bands"]["cpu_factor"] == {"factor": 2.0, "low": 2.0, "high": 2.0}
    peak = rep["ranges"]["acu_required_peak"]
    assert peak["low"] <= peak["expected"] <= peak["high"]
    assert rep["storage_gb"] == bare["storage_gb"]


def test_io_per_statement_scales_the_billed_reads_only(repo_copy):
    observe(repo_copy, "prod", hit=0.99)
    at_hit = sized(repo_copy, "prod")
    observe(repo_copy, "prod", hit=0.99, pages=0.5)
    rep = sized(repo_copy, "prod")
    assert rep["iops"]["billed_read_per_second"] == pytest.approx(at_hit["iops"]["billed_read_per_second"] / 2, abs=0.1)
    assert rep["iops"]["billed_write_per_second"] == at_hit["iops"]["billed_write_per_second"]
    assert rep["iops"]["billed_million_per_month"] < at_hit["iops"]["billed_million_per_month"]


def test_an_old_observation_is_stale_in_the_report_but_not_in_the_tfvars_header(repo_copy):
    observe(repo_copy, "prod", age_days=data.observed_model()["max_age_days"] + 10)
    rep = sized(repo_copy, "prod")
    (stale,) = [w for w in rep["warnings"] if w["code"] == "observe.stale"]
    assert f"is {data.observed_model()['max_age_days'] + 10} days old" in stale["message"]
    res = CliRunner(mix_stderr=False).invoke(main, ["--root", str(repo_copy), "render", "--env", "prod"])
    assert res.exit_code == 0, res.stderr
    text = (repo_copy / "envs/prod/terraform.tfvars").read_text()
    assert "# Sizing warnings: none" in text and "# Observed: envs/prod/observed.yaml (" in text
    observe(repo_copy, "prod", age_days=1)
    assert not [w for w in sized(repo_copy, "prod")["warnings"] if w["code"] == "observe.stale"]


def test_render_check_sees_a_changed_observation_through_the_cache(repo_copy):
    def render(*args: str):
        return CliRunner(mix_stderr=False).invoke(main, ["--root", str(repo_copy), "render", *args])

    observe(repo_copy, "prod", hit=0.9)
    assert render().exit_code == 0 and render("--check").exit_code == 0  # the second from the cache
    observe(repo_copy, "prod", hit=0.995)
    res = render("--check")
    assert res.exit_code == 1 and "stale: envs/prod/terraform.tfvars" in res.stderr
    (repo_copy / "envs/prod/observed.yaml").unlink()
    assert render("--check").exit_code == 1


def test_the_page_names_the_observation(repo_copy):
    from generator.model.sized import size_tree
    from generator.outputs.report_html import page

    observe(repo_copy, "prod", hit=0.995, cpu=0.8)
    html = page(size_tree(repo_copy), [])
    assert "observation: <code>envs/prod/observed.yaml</code>, dated" in html
    assert "Aurora CPU factor 0.8 (replaces generator/data/aurora-cpu-factor.yaml" in html


def test_json_says_where_each_figure_comes_from(repo_copy):
    observe(repo_copy, "prod", hit=0.995, rows=1.05)
    res = CliRunner().invoke(main, ["--root", str(repo_copy), "report", "--env", "prod", "--format", "json"])
    rep = json.loads(res.stdout)
    p = rep["provenance"]
    assert [o["figure"] for o in p["observed"]] == ["cache hit ratio", "bytes per row"]
    assert p["observation"]["path"] == "envs/prod/observed.yaml" and p["observation"]["window"]["points"] == 4032
    assert any("x 1.05 observed" in m["detail"] for m in p["measured"])
    assert any(a["figure"] == "Aurora CPU factor" for a in p["assumed"])


def test_prod_at_an_observed_0995_recommends_the_type_its_observed_io_makes_cheaper(repo_copy):
    observe(repo_copy, "prod", hit=0.995)
    rep = sized(repo_copy, "prod")
    totals = {
        st: rep[f"cost_usd_month_{k}"]["total"] for st, k in (("aurora", "standard"), ("aurora-iopt1", "io_optimized"))
    }
    assert rep["recommendation"]["storage_type"] == min(totals, key=totals.get) == rep["cost_usd_month"]["storage_type"]
    assert rep["iops"]["cache_hit_ratio_from"] == "observed"
    markdown = CliRunner().invoke(main, ["--root", str(repo_copy), "report", "--env", "prod", "--format", "markdown"])
    assert "cache hit ratio 0.995 (observed: the cluster's BufferCacheHitRatio)" in markdown.output
    assert "- observed: envs/prod/observed.yaml (" in markdown.output
