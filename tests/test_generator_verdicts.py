"""Verdicts a user meets: each warning code on an input that earns it, none on the committed environments,
and `render` refusing a peak above max ACU (one line, exit 2, nothing written)."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
import yaml
from click.testing import CliRunner

from generator.cli import main
from generator.inputs import data
from generator.inputs.loader import merge
from generator.model import result
from tests.conftest import environment

REPO = Path(__file__).resolve().parents[1]


def build(overrides: dict) -> dict:
    env = environment(overrides, {"min": 2, "max": 32})
    return result.build(env, data.prices(), data.limits(), data.calibration(), data.seed(), data.sources())


def codes(rep: dict) -> set[str]:
    return {w["code"] for w in rep["warnings"]}


@pytest.mark.parametrize("env", ["dev", "staging", "prod"])
def test_committed_environments_have_no_warnings(env):
    res = CliRunner().invoke(main, ["--root", str(REPO), "report", "--env", env, "--format", "json"])
    assert res.exit_code == 0
    assert json.loads(res.stdout)["warnings"] == []


CASES = {
    "agents.zero": {"agents": 0},
    "acu.max_below_peak": {"agents": 40_000, "acu": {"max": 16}},
    "acu.min_below_baseline": {"agents": 100_000, "acu": {"min": 2, "max": 256}},
    "acu.scale_points_below_requirement": {
        "agents": 20_000,
        "acu": {"max": 256, "scale_points": [{"acu": 2, "share": 1.0}]},
    },
    "cost.over_budget": {"budget_usd": 100},
    "cost.worst_case_over_budget": {"budget_usd": 3000},
    "storage.near_limit": {"agents": 300_000, "acu": {"max": 256}, "topology": "single"},
    # 27 ACU of max 32 (84%): above the 80% of generator/data/headroom.yaml
    "acu.peak_near_max": {"agents": 14_000},
    "topology.limitless": {"agents": 300_000, "acu": {"max": 256}},
    "topology.beyond_one_writer": {"agents": 300_000, "acu": {"max": 256}, "topology": "single"},
    "connections.proxy_share_full": {"connection_pools": {"worker": {"min": 2, "max": 10, "replicas": 390}}},
    "storage_type.forced_costlier": {"storage_type": "aurora-iopt1", "agents": 10},
}


@pytest.mark.parametrize("code", sorted(CASES))
def test_each_warning_code_fires_on_its_input(code):
    rep = build(CASES[code])
    assert code in codes(rep)
    hit = next(w for w in rep["warnings"] if w["code"] == code)
    assert set(hit) == {"code", "message", "change"} and hit["message"] and hit["change"]


def test_twenty_times_the_agents_needs_more_acu():
    small, big = build({}), build({"agents": 20_000, "acu": {"max": 256}})
    assert big["acu"]["required"]["peak"] > 4 * small["acu"]["required"]["peak"]
    assert big["acu"]["average"] > small["acu"]["average"]


def test_warnings_appear_in_every_format(repo_copy):
    path = repo_copy / "envs/dev/sizing.yaml"
    path.write_text(path.read_text().replace("budget_usd: 300", "budget_usd: 20"))
    runner = CliRunner()
    for fmt, marker in (
        ("table", "  cost.over_budget: expected $"),
        ("markdown", "**cost.over\\_budget**: expected \\$"),  # escaped for markdown (generator.outputs.escape.md)
        ("json", '"code": "cost.over_budget"'),
    ):
        res = runner.invoke(main, ["--root", str(repo_copy), "report", "--env", "dev", "--format", fmt])
        assert res.exit_code == 0 and marker in res.stdout
    for fmt in ("table", "markdown"):  # the data files in a footer
        out = runner.invoke(main, ["--root", str(repo_copy), "report", "--env", "dev", "--format", fmt]).stdout
        assert f"calibration: {data.source_path(data.CALIBRATION_FILE)} ({data.calibration()['effective']})" in out
        assert data.source_path(data.PRICES_FILE) in out


def test_render_refuses_a_peak_above_max_acu(repo_copy):
    path = repo_copy / "envs/prod/sizing.yaml"
    raw = yaml.safe_load(path.read_text())
    path.write_text(yaml.safe_dump(merge(raw, {"agents": 40_000, "acu": {"max": 16}})))
    before = {p: p.read_bytes() for p in (repo_copy / "envs").glob("*/terraform.tfvars")}
    res = CliRunner(mix_stderr=False).invoke(main, ["--root", str(repo_copy), "render"])
    assert res.exit_code == 2
    lines = res.stderr.strip().splitlines()
    assert len(lines) == 1 and "envs/prod/sizing.yaml: acu.max: 16 ACU is below what the peak needs:" in lines[0]
    assert {p: p.read_bytes() for p in before} == before  # nothing written, not even the other environments


def test_peak_near_max_holds_to_the_share_in_the_data_file():
    """25.5 ACU of 32 (80%) is inside the 80%; 27.5 (86%) is not; a peak above max is acu.max_below_peak alone."""
    assert data.headroom()["peak_share_of_max"] == 0.8
    assert "acu.peak_near_max" not in codes(build({"agents": 13_000}))
    near = next(w for w in build({"agents": 14_000})["warnings"] if w["code"] == "acu.peak_near_max")
    assert "86% of max ACU 32" in near["message"] and "raise acu.max to at least 34.5" in near["change"]
    over = codes(build({"agents": 40_000}))
    assert "acu.max_below_peak" in over and "acu.peak_near_max" not in over


def test_a_limitless_sizing_drops_the_single_writers_range_warnings():
    rep = build({"agents": 300_000, "acu": {"max": 16}})
    assert rep["topology"]["kind"] == "limitless"
    assert not codes(rep) & {"acu.max_below_peak", "acu.min_below_baseline", "storage.near_limit"}
