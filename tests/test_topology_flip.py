"""The topology's decision states where it flips: the Aurora CPU factor at which the peak passes one writer, and
an uncertain choice (with what to observe) when the required peak's range holds one writer's 256 ACU. The
report, the page and `grow` say so; `grow` names the fleet from which the range's high end passes one writer."""

from __future__ import annotations

import json
import math

import pytest
from click.testing import CliRunner

from generator.cli import main
from generator.growth import series, topology
from generator.inputs import data
from generator.model import result
from generator.model.sized import report_of, size_environment
from generator.outputs import report_html
from tests.conftest import REPO, environment
from tests.test_limitless import PAST_ONE_WRITER, write_sizing

WRITER = 256


def build(agents: int) -> dict:
    env = environment({"environment": "prod", "agents": agents}, {"min": 2, "max": 32})
    return result.build(env, data.prices(), data.limits(), data.calibration(), data.seed(), data.sources())


# ---------------------------------------------------------------------------
# The pure search
# ---------------------------------------------------------------------------
def test_the_flip_factor_is_the_first_factor_past_the_writer():
    # CPU binds: 200 ACU at factor 1 passes 256 just above 1.28, in half-ACU steps as the model rounds
    peak = lambda f: math.ceil(200 * f * 2) / 2  # noqa: E731
    flip = topology.flip_cpu_factor(peak, WRITER)
    assert peak(flip) > WRITER >= peak(flip - 0.01) and flip == pytest.approx(1.29)


def test_memory_past_the_writer_flips_at_any_factor_and_a_small_load_never_flips():
    assert topology.flip_cpu_factor(lambda f: 300 + f, WRITER) == 0.0
    assert topology.flip_cpu_factor(lambda f: 2 * f, WRITER) is None  # 20 ACU even at factor 10


@pytest.mark.parametrize(
    ("peak", "storage", "uncertain"),
    [
        ((142.5, 193.5, 293.0), (100.0, 100.0, 110.0), True),  # the peak's range holds 256
        ((100.0, 150.0, 200.0), (100.0, 100.0, 110.0), False),  # all of it below
        ((260.0, 290.0, 400.0), (100.0, 100.0, 110.0), False),  # all of it above: Limitless for sure
        ((2.0, 2.0, 3.0), (130_000.0, 140_000.0, 150_000.0), True),  # the storage's range holds 128 TiB
        # the storage's range holds 128 TiB, but the peak passes one writer at every end: Limitless for sure
        ((449.5, 611.0, 926.5), (134_856.0, 140_000.0, 141_896.0), False),
    ],
)
def test_uncertain_when_the_ranges_reach_both_topologies(peak, storage, uncertain):
    band = lambda t: dict(zip(("low", "expected", "high"), t, strict=True))  # noqa: E731
    flip = topology.flip("auto", "single", 1.33, {"low": 0.75, "high": 1.5}, band(peak), band(storage), data.limits())
    assert flip["uncertain"] is uncertain
    assert (flip["observe"] is not None) is uncertain
    if uncertain:
        assert "aurora-gen observe --write" in flip["observe"]
        # what to observe is what is in doubt
        assert ("CPUUtilization" in flip["observe"]) is (peak[0] <= WRITER < peak[2])
        assert ("VolumeBytesUsed" in flip["observe"]) is (storage[0] <= 140_737 < storage[2])


def test_an_uncertain_shard_group_is_watched_in_cloudwatch_not_by_observe():
    band = lambda t: dict(zip(("low", "expected", "high"), t, strict=True))  # noqa: E731
    peak, storage = band((213.5, 290, 439.5)), band((100.0, 100.0, 110.0))
    flip = topology.flip("auto", "limitless", 0.89, {"low": 0.75, "high": 1.5}, peak, storage, data.limits())
    assert flip["uncertain"] and "DBShardGroupCapacity" in flip["observe"]
    assert "aurora-gen observe --write" not in flip["observe"] and "observe reads one writer's" in flip["observe"]


# ---------------------------------------------------------------------------
# The result, the report, the page
# ---------------------------------------------------------------------------
def test_prod_today_is_certain_and_says_no_factor_flips_it():
    rep = report_of(size_environment(REPO / "envs/prod/sizing.yaml", "prod").env)
    assert rep["topology"]["flip"] == {"cpu_factor": None, "uncertain": False, "observe": None}
    res = CliRunner(mix_stderr=False).invoke(main, ["--root", str(REPO), "report", "--env", "prod"])
    assert "no Aurora CPU factor up to 10 passes one writer" in " ".join(res.stdout.split())


def test_a_hundred_thousand_agents_stay_single_but_the_choice_is_uncertain():
    rep = build(100_000)
    topo, peak = rep["topology"], rep["ranges"]["acu_required_peak"]
    assert topo["kind"] == "single" and peak["expected"] <= WRITER < peak["high"]
    factor = topo["flip"]["cpu_factor"]
    assert data.aurora_cpu_factor()["factor"] < factor <= data.aurora_cpu_factor()["high"]
    assert topo["flip"]["uncertain"] and "CPUUtilization" in topo["flip"]["observe"]
    # The factor found is where the model itself turns Limitless: re-sized at it, auto picks a shard group
    at = lambda f: result.build(  # noqa: E731
        environment({"environment": "prod", "agents": 100_000}, {"min": 2, "max": 32}),
        data.prices(),
        data.limits(),
        data.calibration(),
        data.seed(),
        data.sources(),
        cpu_factor={**data.aurora_cpu_factor(), "factor": f},
    )["topology"]["kind"]
    assert at(factor) == "limitless" and at(factor - 0.01) == "single"


def test_limitless_past_one_writer_is_uncertain_while_its_low_end_fits_one(repo_copy):
    rep = build(PAST_ONE_WRITER)
    assert rep["topology"]["kind"] == "limitless"
    assert rep["ranges"]["acu_required_peak"]["low"] <= WRITER and rep["topology"]["flip"]["uncertain"]
    write_sizing(repo_copy, "prod", f"agents: {PAST_ONE_WRITER}\nbudget_usd: 90000\n")
    res = CliRunner(mix_stderr=False).invoke(main, ["--root", str(repo_copy), "report", "--env", "prod"])
    assert res.exit_code == 0, res.output
    assert "the topology's choice is uncertain" in res.stdout
    html = report_html.page({"prod": size_environment(repo_copy / "envs/prod/sizing.yaml", "prod")}, [])
    assert "limitless topology uncertain" in html


# ---------------------------------------------------------------------------
# grow
# ---------------------------------------------------------------------------
def test_grow_names_where_the_range_first_holds_one_writer():
    res = CliRunner(mix_stderr=False).invoke(
        main, ["--root", str(REPO), "grow", "--env", "prod", "--to", "300000", "--format", "json"]
    )
    rep = json.loads(res.stdout)
    by = {t["name"]: t for t in rep["thresholds"]}
    high, expected = by["one writer's max ACU (high end)"], by["one writer's max ACU"]
    assert high["agents"] < expected["agents"] == rep["limitless_from_agents"]
    assert high["limit"] == expected["limit"] == WRITER
    env = size_environment(REPO / "envs/prod/sizing.yaml", "prod").env
    at = series.sizer(env)
    assert at(high["agents"] - 1)["ranges"]["acu_required_peak"]["high"] <= WRITER
    assert at(high["agents"])["ranges"]["acu_required_peak"]["high"] > WRITER
    # Points between the two crossings are single, and say the choice is uncertain
    between = [p for p in rep["points"] if high["agents"] <= p["agents"] < expected["agents"]]
    assert between and all(p["topology"] == "single" and p["topology_uncertain"] for p in between)
    assert all(not p["topology_uncertain"] for p in rep["points"] if p["agents"] < high["agents"])
    table = CliRunner(mix_stderr=False).invoke(main, ["--root", str(REPO), "grow", "--env", "prod"]).stdout
    assert "single (uncertain)" in table


def test_a_stated_topology_is_never_called_uncertain():
    band = lambda t: dict(zip(("low", "expected", "high"), t, strict=True))  # noqa: E731
    peak, storage = band((142.5, 193.5, 293.0)), band((100.0, 100.0, 110.0))
    for setting, kind in (("single", "single"), ("limitless", "limitless")):
        flip = topology.flip(setting, kind, 1.33, {"low": 0.75, "high": 1.5}, peak, storage, data.limits())
        assert not flip["uncertain"] and flip["observe"] is None and flip["cpu_factor"] == 1.33
    rep = result.build(
        environment({"environment": "prod", "agents": 100_000, "topology": "limitless"}, {"min": 2, "max": 32}),
        data.prices(),
        data.limits(),
        data.calibration(),
        data.seed(),
        data.sources(),
    )
    assert rep["topology"]["kind"] == "limitless" and not rep["topology"]["flip"]["uncertain"]
