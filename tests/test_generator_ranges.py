"""Stated uncertainty: the ranges of the figures that rest on assumptions, the storage type's flip point, the
cache hit ratio derived from the workload, and write I/O from batched to one log write per commit."""

from __future__ import annotations

import copy
import json
import math

import pytest
from click.testing import CliRunner

from generator.cli import main
from generator.inputs import data
from generator.model import ranges, result, sizing
from tests.conftest import REPO, environment

LIMITS, PRICES, CAL = data.limits(), data.prices(), data.calibration()
BILLING = PRICES["io_billing"]
FIGURES = ("acu_required_peak", "storage_gb", "billed_io_million_per_month", "cost_total_usd_month")


def report(env: str, *extra: str, root=REPO) -> dict:
    res = CliRunner().invoke(main, ["--root", str(root), "report", "--env", env, "--format", "json", *extra])
    assert res.exit_code == 0, res.output
    return json.loads(res.stdout)


def prod_with(tmp_path, fragment: str) -> dict:
    path = tmp_path / "sizing.yaml"
    path.write_text((REPO / "envs/prod/sizing.yaml").read_text() + fragment)
    res = CliRunner().invoke(main, ["report", "--sizing", str(path), "--format", "json"])
    assert res.exit_code == 0, res.output
    return json.loads(res.stdout)


def test_prod_states_the_ranges_of_its_four_figures_and_the_flip_point():
    rep = report("prod")
    for figure in FIGURES:
        r = rep["ranges"][figure]
        assert r["low"] <= r["expected"] <= r["high"], figure
    assert rep["ranges"]["acu_required_peak"]["expected"] == rep["acu"]["required"]["peak"]
    assert rep["ranges"]["cost_total_usd_month"]["expected"] == rep["cost_usd_month"]["total"]
    assert rep["ranges"]["billed_io_million_per_month"]["expected"] == rep["iops"]["billed_million_per_month"]
    # the CPU factor's spread (0.75-1.5) moves the CPU-bound peak both ways; the hit-ratio band moves I/O.
    # Recalibrated in rounds, prod's CPU needs 1.9 ACU (2 expected): at the factor's low end memory (1.66 ACU)
    # keeps the peak on the same 2-ACU grid point, so the low end equals the expected one; the high end rises.
    peak = rep["ranges"]["acu_required_peak"]
    assert rep["acu"]["required"]["binding"] == "cpu"
    assert peak["low"] <= peak["expected"] == 2 < peak["high"]
    assert (
        rep["acu"]["required"]["peak_by_resource"]["cpu"] * 0.75 < rep["acu"]["required"]["peak_by_resource"]["memory"]
    )
    io = rep["ranges"]["billed_io_million_per_month"]
    assert io["high"] > 5 * io["low"]
    flip = rep["recommendation"]["flip"]
    assert set(flip) == {"billed_million_per_month", "cache_hit_ratio"}
    # prod's range holds the flip point: the choice is uncertain and says what to observe
    assert io["low"] < flip["billed_million_per_month"] < io["high"]
    assert rep["recommendation"]["uncertain"] is True
    assert "BufferCacheHitRatio" in rep["recommendation"]["observe"]
    assert "VolumeReadIOPs/VolumeWriteIOPs" in rep["recommendation"]["observe"]
    assert "aurora-gen observe" in rep["recommendation"]["observe"]


def test_a_range_that_misses_the_flip_point_is_a_sure_choice():
    rep = report("dev")  # 10 agents: I/O-Optimized would take ten times the I/O the band's worst end bills
    io, flip = rep["ranges"]["billed_io_million_per_month"], rep["recommendation"]["flip"]
    assert io["high"] < flip["billed_million_per_month"]
    assert rep["recommendation"]["uncertain"] is False and rep["recommendation"]["observe"] is None


def test_the_flip_point_is_where_the_other_storage_type_becomes_cheaper(tmp_path):
    flip = report("prod")["recommendation"]["flip"]["cache_hit_ratio"]
    above = prod_with(tmp_path, f"io: {{buffer_cache_hit_ratio: {flip + 0.002:.4f}}}\n")
    below = prod_with(tmp_path, f"io: {{buffer_cache_hit_ratio: {flip - 0.002:.4f}}}\n")
    assert above["recommendation"]["storage_type"] == "aurora"
    assert below["recommendation"]["storage_type"] == "aurora-iopt1"
    for rep in (above, below):  # the flip point does not move with the hit ratio that is assumed
        assert rep["recommendation"]["flip"]["cache_hit_ratio"] == pytest.approx(flip, abs=1e-4)


def test_an_observed_hit_ratio_of_0_99_gives_standard_with_the_flip_point_stated(tmp_path):
    rep = prod_with(tmp_path, "io: {buffer_cache_hit_ratio: 0.99}\n")
    assert rep["iops"]["cache_hit_ratio"] == 0.99 and rep["iops"]["cache_hit_ratio_from"] == "override"
    assert rep["assumptions"]["buffer_cache_hit_ratio_from"] == "override"
    assert rep["recommendation"]["storage_type"] == "aurora"
    assert rep["recommendation"]["flip"]["cache_hit_ratio"] < 0.99
    table = CliRunner().invoke(main, ["report", "--sizing", str(tmp_path / "sizing.yaml")]).stdout
    billed = rep["recommendation"]["flip"]["billed_million_per_month"]
    assert f"I/O-Optimized becomes cheaper at {billed:,} M billed I/O a month" in table
    assert "override: io.buffer_cache_hit_ratio" in table


def test_the_hit_ratio_is_derived_from_the_hot_set_against_the_cache():
    assert sizing.buffer_cache_bytes(4, 2, 0.75, 100, 2**20) == 6 * 2**30 - 100 * 2**20
    assert sizing.buffer_cache_bytes(0.5, 2, 0.75, 10_000, 2**20) == 0  # the connections take it all
    assert sizing.expected_hit_ratio(3 * 2**30, 4 * 2**30, 0.995) == 0.75  # a quarter of the hot set misses
    assert sizing.expected_hit_ratio(8 * 2**30, 4 * 2**30, 0.995) == 0.995  # it all fits: the band's top
    # prod: 1.55 GB hot at peak against 4 ACU of cache: every point gets the band's top
    rep = report("prod")
    assert rep["iops"]["cache_hit_ratio_from"] == "workload"
    assert {p["cache_hit_ratio"] for p in rep["iops"]["profile"]} == {0.995}
    # ten times the metrics writes: memory binds, sized to cache the band's low end (0.9) of the peak's hot set
    env = environment({"tables": {"metrics": {"writes_per_agent": 100}}}, {"min": 2, "max": 12})
    busy = result.build(env, PRICES, LIMITS, CAL, data.seed(), [])
    assert busy["acu"]["required"]["binding"] == "memory"
    peak = busy["iops"]["profile"][0]["cache_hit_ratio"]
    assert 0.9 <= peak < 0.995 and busy["iops"]["cache_hit_ratio"] < 0.995


def test_write_io_runs_from_batched_to_one_per_commit():
    cal = {"wal_bytes_per_write": 1500.0, "wal_bytes_per_write_statement": 1300.0}
    # batched: 1,500 bytes of log is 0.37 of a 4 KB unit; alone, the statement's 1,300 bytes take a whole
    # unit and retention's 200 bytes (batched) come on top
    assert sizing.write_ios_per_write(cal, 1.0, BILLING, math.inf) == pytest.approx(1500 / 4096)
    assert sizing.write_ios_per_write(cal, 1.0, BILLING, 1) == pytest.approx(1 + 200 / 4096)
    assert sizing.write_ios_per_write(cal, 1.0, BILLING, 2) == pytest.approx((1 + 200 / 4096) / 2)
    assert sizing.write_ios_per_write(cal, 1.0, BILLING, 100) == pytest.approx(1500 / 4096)  # never below batched
    big = {"wal_bytes_per_write": 6300.0, "wal_bytes_per_write_statement": 6100.0}  # 2 units alone
    assert sizing.write_ios_per_write(big, 1.0, BILLING, 1) == pytest.approx(2 + 200 / 4096)
    # commits per log write: the one that starts it and those arriving during it, at most one per connection
    assert sizing.commits_per_flush(500, 0.002, 390) == 2.0
    assert sizing.commits_per_flush(500, 0.002, 1.5) == 1.5
    assert sizing.commits_per_flush(0, 0.002, 390) == 1.0
    rep = report("prod")
    w = rep["ranges"]["billed_write_io_million_per_month"]
    assert w["low"] < w["expected"] < w["high"]
    batched = sum(
        sizing.writes_per_second(t, 1000) * sizing.calibrated(n, t, CAL)["wal_bytes_per_write"] / 4096
        for n, t in environment({}, {"min": 2, "max": 12}).tables.items()
    )
    assert w["low"] == pytest.approx(sizing.per_month_million(batched, 730), abs=0.1)
    assert [p["commits_per_log_write"] for p in rep["iops"]["profile"]][0] > 1
    table = CliRunner().invoke(main, ["--root", str(REPO), "report", "--env", "prod"]).stdout
    assert f"{w['low']:,}-{w['high']:,} M/month, from batched to one log write per commit" in table


def test_storage_high_end_is_the_payload_uncompressed():
    cal = copy.deepcopy(CAL)
    cal["payload"]["compression"] = {1000: 0.8, 2000: 0.5, 5000: 0.45}
    assert ranges.compression_ratio(cal, 500) == 0.8  # below the sizes measured: the nearest
    assert ranges.compression_ratio(cal, 1500) == pytest.approx(0.65)
    assert ranges.compression_ratio(cal, 9000) == 0.45
    env = environment({}, {"min": 2, "max": 12})
    saved = 0.0
    for name, t in env.tables.items():
        c = sizing.calibrated(name, t, cal)
        saved += (
            sizing.table_rows(t, 1000) * t.row_bytes * (1 - ranges.compression_ratio(cal, t.row_bytes)) * c["bloat"]
        )
    rep = result.build(env, PRICES, LIMITS, cal, data.seed(), [])
    s = rep["ranges"]["storage_gb"]
    assert s["low"] == s["expected"] == rep["storage_gb"]["steady_state"]
    assert s["high"] == pytest.approx(rep["storage_gb"]["steady_state"] + saved / 1e9, abs=0.1)
    assert rep["ranges"]["cost_total_usd_month"]["high"] > rep["cost_usd_month"]["total"]
    # a payload that does not compress (ratio 1 or more) has no higher end
    cal["payload"]["compression"] = {1000: 1.04}
    flat = result.build(env, PRICES, LIMITS, cal, data.seed(), [])["ranges"]["storage_gb"]
    assert flat["high"] == flat["expected"]


def test_the_cpu_range_comes_from_the_calibrations_spread_and_the_factor():
    env = environment({}, {"min": 2, "max": 64})
    cal = copy.deepcopy(CAL)
    for figures in cal["tables"].values():
        for kind in ("read", "write"):
            median = figures[f"cpu_us_per_{kind}"]
            figures[f"cpu_us_per_{kind}_range"] = [median * 0.5, median * 2]
    factor = {"factor": 1.0, "low": 1.0, "high": 1.0}
    rep = result.build(env, PRICES, LIMITS, cal, data.seed(), [], cpu_factor=factor)
    by = rep["acu"]["required"]["peak_by_resource"]
    r = rep["ranges"]["acu_required_peak"]
    assert r["low"] == sizing.round_up_to_grid(max(by["cpu"] / 2, by["memory"], 0.5), 0.5)
    assert r["high"] == sizing.round_up_to_grid(by["cpu"] * 2, 0.5)
    # the factor multiplies the CPU: twice the factor is twice the CPU-bound ACU
    doubled = result.build(
        env, PRICES, LIMITS, cal, data.seed(), [], cpu_factor={"factor": 2.0, "low": 2.0, "high": 2.0}
    )
    assert doubled["acu"]["required"]["peak_by_resource"]["cpu"] == pytest.approx(2 * by["cpu"], abs=0.01)
    assert doubled["assumptions"]["aurora_cpu_factor"] == 2.0
