"""The README's example outputs and its growth figures are what the tool prints today: the marked blocks are
rerun by scripts/readme_examples.py (make docs), the prose figures beside them are checked here."""

from __future__ import annotations

import json
import re
import subprocess
import sys

import pytest
from click.testing import CliRunner

from generator.cli import main
from generator.growth.series import sizer
from generator.model.sized import report_of, size_environment
from scripts import readme_examples
from tests.conftest import REPO

README = (REPO / "README.md").read_text(encoding="utf-8")


def test_every_example_block_is_todays_output():
    res = subprocess.run(
        [sys.executable, "scripts/readme_examples.py", "--check"], cwd=REPO, capture_output=True, text=True
    )
    assert res.returncode == 0, res.stderr
    assert {m["name"] for m in readme_examples.BLOCK.finditer(README)} == {"generate", "grow-thresholds", "diff"}


def test_a_stale_block_is_named_and_rewritten():
    readme = "intro\n<!-- BEGIN_EXAMPLE grow-thresholds -->\n```\nold figures\n```\n<!-- END_EXAMPLE -->\nafter\n"
    text, stale = readme_examples.updated(readme, {"grow-thresholds": "new figures\n"})
    assert stale == ["grow-thresholds"] and "new figures\n```" in text and "old figures" not in text
    assert readme_examples.updated(text, {"grow-thresholds": "new figures\n"}) == (text, [])
    with pytest.raises(SystemExit, match="does not know"):
        readme_examples.updated(readme, {"diff": "x\n"})


@pytest.fixture(scope="module")
def prod():
    sized = size_environment(REPO / "envs/prod/sizing.yaml", "prod")
    return sized.env


def _figure(pattern: str) -> list[str]:
    m = re.search(pattern, README)
    assert m, f"README has no match for {pattern}"
    return [g.replace(",", "") for g in m.groups()]


def test_the_limitless_and_single_writer_figures_at_100000_agents(prod):
    grown = prod.model_copy(update={"agents": 100_000})
    limitless = report_of(grown.model_copy(update={"topology": "limitless"}))
    group = limitless["topology"]["shard_group"]
    lo, hi, total, worst = _figure(
        r"is a shard group of ([\d.]+)-([\d.]+) ACU \(2 routers, 2 shards, redundancy 1\) at \$([\d,.]+) a month "
        r"\(worst case\s+\$([\d,.]+)\)"
    )
    assert (float(lo), float(hi)) == (group["min_acu"], group["max_acu"])
    assert (group["routers"], group["shards"], group["compute_redundancy"]) == (2, 2, 1)
    assert float(total) == limitless["cost_usd_month"]["total"]
    assert float(worst) == limitless["cost_usd_month"]["worst_case"]
    single = sizer(prod)(100_000)
    peak, max_acu, single_total = _figure(
        r"stays on one writer \(([\d.]+) of 256 ACU, max ACU raised to ([\d.]+), \$([\d,.]+)\)"
    )
    assert single["topology"]["kind"] == "single"
    assert float(peak) == single["acu"]["required"]["peak"] and float(max_acu) == single["acu"]["max"]
    assert float(single_total) == single["cost_usd_month"]["total"]
    backup, transfer = _figure(r"snapshots \(\$([\d,]+)\) and their cross-region copies' transfer \(\$([\d,]+)\)")
    assert int(backup) == round(single["cost_usd_month"]["backup"])
    assert int(transfer) == round(single["cost_usd_month"]["transfer"])


def test_the_growth_prose_figures(prod):
    at = sizer(prod)
    crossed, before, step = _figure(r"passes the ceiling at ([\d,]+) agents, a step from \$([\d,]+) at ([\d,]+)\.")
    assert int(step) == int(crossed) - 1
    assert at(int(crossed))["cost_usd_month"]["worst_case"] > 9000 >= at(int(step))["cost_usd_month"]["worst_case"]
    assert int(before) == round(at(int(step))["cost_usd_month"]["worst_case"])
    (starved,) = _figure(r"starved cluster \(([\d]+) billion a month at 13,000 agents\)")
    kept = report_of(prod.model_copy(update={"agents": 13_000}))  # today's max ACU, not raised
    assert int(starved) == round(kept["iops"]["billed_million_per_month"] / 1000)


def test_the_crossings_past_100x():
    res = CliRunner().invoke(
        main, ["--root", str(REPO), "grow", "--env", "prod", "--to", "1000000", "--format", "json"]
    )
    assert res.exit_code == 0
    crossed = {t["name"]: t["agents"] for t in json.loads(res.stdout)["thresholds"]}
    writer, storage = _figure(
        r"one writer's 256 ACU is crossed at ([\d,]+) agents, where\s+`auto` turns Limitless, and the 128 TiB at ([\d,]+)\.\)"
    )
    assert int(writer) == crossed["one writer's max ACU"] and int(storage) == crossed["cluster storage limit"]
    (high_end,) = _figure(r"from\s+([\d,]+) agents the range holds 256 ACU")
    assert int(high_end) == crossed["one writer's max ACU (high end)"]


def test_the_topology_flip_at_100000_agents(prod):
    topo = report_of(prod.model_copy(update={"agents": 100_000}))
    low, high, factor = _figure(
        r"but the range is ([\d.]+)-([\d.]+) ACU and one writer is passed from a\s+factor of (\d+\.\d+)"
    )
    peak = topo["ranges"]["acu_required_peak"]
    assert (float(low), float(high)) == (peak["low"], peak["high"])
    assert float(factor) == topo["topology"]["flip"]["cpu_factor"] and topo["topology"]["flip"]["uncertain"]
