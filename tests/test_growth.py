"""`aurora-gen grow`: the fleet sized along a series through the one result, the thresholds crossed at the
agents count bisection finds (checked against the result on both sides of it), and its hostile inputs."""

from __future__ import annotations

import json
import time
from pathlib import Path

import pytest
from click.testing import CliRunner

from generator.cli import main
from generator.growth import grow as growth
from generator.growth import series
from generator.inputs import data
from generator.model.sized import report_of, size_environment

REPO = Path(__file__).resolve().parents[1]


def run(*args: str, root: Path = REPO):
    return CliRunner(mix_stderr=False).invoke(main, ["--root", str(root), "grow", *args])


@pytest.fixture(scope="module")
def prod() -> dict:
    res = run("--env", "prod", "--format", "json")
    assert res.exit_code == 0, res.output
    return json.loads(res.stdout)


def test_prod_lists_its_thresholds_in_the_order_the_fleet_meets_them(prod):
    crossed = [t for t in prod["thresholds"] if t["agents"] is not None]
    assert [t["name"] for t in crossed][:5] == [
        "headroom (acu.peak_near_max)",
        "budget",
        "max ACU",
        "worst-case ceiling",
        "policy ACU ceiling",
    ]
    assert [t["agents"] for t in crossed] == sorted(t["agents"] for t in crossed)
    assert all({"name", "agents", "figure", "limit"} <= set(t) for t in prod["thresholds"])
    assert prod["to"] == 100 * prod["agents_today"]
    assert prod["points"][0]["agents"] == 1000 and prod["points"][-1]["agents"] == 100_000


def test_each_crossing_is_the_first_agents_count_above_the_limit(prod):
    """Bisection, not the series' points: one agent fewer is within the limit, the count itself is above it (each
    fleet sized as grow sizes it: max ACU raised to hold its peak)."""
    sized = size_environment(REPO / "envs/prod/sizing.yaml", "prod")
    at = series.sizer(sized.env)
    figure = {
        "headroom (acu.peak_near_max)": lambda r: (r["acu"]["required"]["peak"], 0.8 * sized.env.acu.max),
        "max ACU": lambda r: (r["acu"]["required"]["peak"], sized.env.acu.max),
        "budget": lambda r: (r["cost_usd_month"]["total"], sized.env.budget_usd),
        "worst-case ceiling": lambda r: (r["cost_usd_month"]["worst_case"], 9000),
        "policy ACU ceiling": lambda r: (r["acu"]["required"]["peak"], 32),
    }
    points = {p["agents"] for p in prod["points"]}
    for t in prod["thresholds"]:
        if t["name"] not in figure:
            continue
        n = t["agents"]
        assert n not in points  # found between the series' points
        below, limit = figure[t["name"]](at(n - 1))
        above, _ = figure[t["name"]](at(n))
        assert below <= limit < above, t
        assert t["limit"] == pytest.approx(limit) and t["figure"] == round(above, 2)
        # the warning fires exactly from the headroom threshold's count
        if t["name"].startswith("headroom"):
            codes = lambda k: {w["code"] for w in report_of(sized.env.model_copy(update={"agents": k}))["warnings"]}  # noqa: E731
            assert "acu.peak_near_max" in codes(n) and "acu.peak_near_max" not in codes(n - 1)


def test_past_one_writer_auto_turns_limitless_and_says_from_where():
    res = run("--env", "prod", "--to", "1000000", "--format", "json")
    rep = json.loads(res.stdout)
    writer = next(t for t in rep["thresholds"] if t["name"] == "one writer's max ACU")
    assert writer["limit"] == data.limits()["acu"]["max"] and rep["limitless_from_agents"] == writer["agents"]
    last = rep["points"][-1]
    assert last["topology"] == "limitless" and "above one writer's 256 ACU" in last["topology_reason"]
    group = last["shard_group"]
    assert 16 <= group["min_acu"] <= group["max_acu"] <= 6144
    assert (group["routers"], group["shards"]) == (8, 16)  # AWS's table: 2,301-6,144 ACU


def test_the_table_names_the_thresholds_and_the_data():
    res = run("--env", "prod", "--to", "20000")
    assert res.exit_code == 0
    assert "thresholds, in the order the fleet meets them:" in res.stdout
    assert "policies/limits.yaml" in res.stdout and data.source_path(data.LIMITLESS_FILE) in res.stdout


@pytest.mark.parametrize(
    ("to", "says"),
    [
        ("500", "is not above today's 1,000"),
        ("1000", "is not above today's 1,000"),
        ("0", "give a fleet above 0"),
        ("-5", "give a fleet above 0"),
        ("1e12", "above the largest fleet grow sizes"),
        ("1" + "0" * 400, "above the largest fleet grow sizes"),
        ("abc", "is not a number of agents"),
        ("nan", "is not a whole number"),
        ("inf", "above the largest fleet grow sizes"),
        ("-inf", "is not a whole number"),
        ("2.5", "is not a whole number"),
        ("", "is not a number of agents"),
        ("\x1b[31m", "is not a number of agents"),
    ],
)
def test_hostile_to_is_one_line_and_exit_2(to, says):
    res = run("--env", "prod", "--to", to)
    assert res.exit_code == 2 and res.stdout == ""
    assert says in res.stderr and res.stderr.count("\n") == 1 and "Traceback" not in res.stderr
    assert "\x1b" not in res.stderr


def test_an_unknown_environment_is_one_line():
    res = run("--env", "nope")
    assert res.exit_code == 2 and "unknown environment" in res.stderr


def test_a_broken_limits_file_is_one_line_naming_the_field(repo_copy):
    root = repo_copy
    limits = root / "policies/limits.yaml"
    limits.parent.mkdir()
    limits.write_text(
        (REPO / "policies/limits.yaml")
        .read_text()
        .replace("worst_case_ceiling_usd: 9000", "worst_case_ceiling_usd: lots")
    )
    res = run("--env", "prod", root=root)
    assert res.exit_code == 2
    assert (
        "environments.prod.cost.worst_case_ceiling_usd" in res.stderr
        and "must be a number >= 0, not 'lots'" in res.stderr
    )


def test_the_series_is_fast():
    """Sizing and bisecting 100x prod's fleet in process: well under two seconds (each point is ~3 ms)."""
    sized = size_environment(REPO / "envs/prod/sizing.yaml", "prod")
    start = time.perf_counter()
    growth.grow(sized, REPO, 100_000, "prod")
    assert time.perf_counter() - start < 2.0


def test_fleet_sizes_are_log_spaced_whole_and_end_at_to():
    sizes = series.fleet_sizes(1000, 100_000)
    assert sizes[0] == 1000 and sizes[-1] == 100_000 and sizes == sorted(set(sizes))
    ratios = [b / a for a, b in zip(sizes, sizes[1:], strict=False)]
    assert max(ratios) / min(ratios) < 1.01
    assert series.fleet_sizes(0, 10)[0] == 1


def test_without_a_limits_file_the_policies_thresholds_are_not_set(repo_copy):
    rep = json.loads(run("--env", "prod", "--format", "json", root=repo_copy).stdout)
    policy = [t for t in rep["thresholds"] if "policies/limits.yaml" in t["set_in"]]
    assert len(policy) == 2 and all(t["limit"] is None and t["agents"] is None for t in policy)


def test_a_grown_fleet_is_sized_with_room_not_starved_at_todays_max(prod):
    """Past the headroom share of today's max, each fleet runs with max ACU raised to hold its peak: its billed
    I/O grows with the fleet instead of exploding as a cache capped at today's 12 ACU starves (24 billion I/O a
    month at 13,000 agents before), and max ACU never passes one writer's 256."""
    points = prod["points"]
    for p in points:
        assert p["acu_required_peak"] <= 0.8 * p["acu_max"] + 0.5 or p["acu_max"] == 256
        assert p["acu_max"] >= 12
    ratios = [
        b["billed_io_million_per_month"] / a["billed_io_million_per_month"]
        for a, b in zip(points, points[1:], strict=False)
    ]
    growth = [b["agents"] / a["agents"] for a, b in zip(points, points[1:], strict=False)]
    assert all(
        r <= 1.1 * g for r, g in zip(ratios, growth, strict=True)
    )  # I/O grows no faster than the fleet (with slack)
    assert series.resized_max(5, 12, 0.8, 0.5, 256) == 12
    assert series.resized_max(11, 12, 0.8, 0.5, 256) == 14  # 11 / 0.8 = 13.75, up to the next half ACU
    assert series.resized_max(300, 12, 0.8, 0.5, 256) == 256


def _write_prod(root: Path, extra: str) -> None:
    sizing = root / "envs/prod/sizing.yaml"
    sizing.write_text(sizing.read_text() + extra)


def test_a_fleet_past_the_largest_grow_sizes_is_one_line(repo_copy):
    sizing = repo_copy / "envs/prod/sizing.yaml"
    sizing.write_text(sizing.read_text().replace("agents: 1000\n", "agents: 1000000001\n"))
    res = run("--env", "prod", root=repo_copy)
    assert res.exit_code == 2 and res.stderr.count("\n") == 1
    assert "agents: 1,000,000,001 agents: grow sizes fleets up to 1,000,000,000, and today's is already" in res.stderr


def test_points_say_what_render_refuses_and_never_print_an_exponent(repo_copy):
    table = run("--env", "prod", "--to", "10000000", root=repo_copy).stdout
    assert "e+0" not in table and "19,318" in table  # the peak ACU at 10 million agents, written out
    assert "(over AWS's ceiling: render refuses)" in table
    rep = json.loads(run("--env", "prod", "--to", "10000000", "--format", "json", root=repo_copy).stdout)
    over = [p for p in rep["points"] if p["shard_group"] and p["shard_group"]["over_ceiling"]]
    assert over and all(p["shard_group"]["max_acu"] > 6144 for p in over)
    limitless_rows = [line for line in table.splitlines() if " limitless " in line]
    assert limitless_rows and all(line.split()[3] == "-" for line in limitless_rows)  # no writer's max ACU
    headroom = next(t for t in rep["thresholds"] if t["name"].startswith("headroom"))
    assert headroom["limit"] == 9.6  # 80% of 12, rounded: not 9.600000000000001
    _write_prod(repo_copy, "topology: single\n")
    single = json.loads(run("--env", "prod", "--to", "300000", "--format", "json", root=repo_copy).stdout)
    refused = [p for p in single["points"] if p["beyond_one_writer"]]
    assert refused and all(p["acu_required_peak"] > 256 for p in refused)
    assert "(beyond one writer: render refuses)" in run("--env", "prod", "--to", "300000", root=repo_copy).stdout


def test_the_data_files_are_named_once_when_today_is_limitless(repo_copy):
    sizing = repo_copy / "envs/prod/sizing.yaml"
    sizing.write_text(sizing.read_text().replace("agents: 1000\n", "agents: 150000\n"))
    rep = json.loads(run("--env", "prod", "--format", "json", root=repo_copy).stdout)
    paths = [s["path"] for s in rep["sources"]]
    assert len(paths) == len(set(paths)) and data.source_path(data.LIMITLESS_FILE) in paths
