"""Topology and Aurora PostgreSQL Limitless Database: past one writer, `auto` sizes a shard group (AWS's table,
the data's redundancy), `render` writes the Limitless tfvars of the module contract, the cost policy prices it
to the cent as the report does, and `single` refuses it in one line. A sizing of 150,000 agents needs 290 ACU
at peak (above one writer's 256); 100,000 (193.5 ACU) still fits one writer, so it is Limitless only when asked."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from click.testing import CliRunner

from generator.cli import main
from generator.growth import shard_group
from generator.inputs import data
from generator.model import result
from generator.model.sized import size_environment
from policies import engine
from tests.conftest import environment, snapshot

PAST_ONE_WRITER = 150_000


def build(overrides: dict) -> dict:
    env = environment({"environment": "prod", **overrides}, {"min": 2, "max": 32})
    return result.build(env, data.prices(), data.limits(), data.calibration(), data.seed(), data.sources())


def write_sizing(root: Path, env: str, extra: str) -> Path:
    sizing = root / "envs" / env / "sizing.yaml"
    text = re.sub(r"^(agents|budget_usd): .*$", "", sizing.read_text(), flags=re.MULTILINE)
    sizing.write_text(text + extra)
    return sizing


def render(root: Path, env: str):
    return CliRunner(mix_stderr=False).invoke(main, ["--root", str(root), "render", "--env", env])


def test_auto_sizes_a_shard_group_past_one_writer():
    rep = build({"agents": PAST_ONE_WRITER})
    topo, facts = rep["topology"], data.limitless()
    assert topo["kind"] == "limitless" and "above one writer's 256 ACU" in topo["reason"]
    group = topo["shard_group"]
    assert 16 <= group["min_acu"] <= group["max_acu"] <= 6144
    assert group["max_acu"] >= rep["acu"]["required"]["peak"] / data.headroom()["peak_share_of_max"]
    row = shard_group.capacity_row(group["max_acu"], facts)
    assert (group["routers"], group["shards"]) == (row["routers"], row["shards"])
    assert group["compute_redundancy"] == 1 and group["standby_shards"] == group["shards"]  # prod: the data's 1
    assert group["shard_key"] == "agent_id" and set(group["tables"].values()) == {"sharded"}
    assert rep["cost_usd_month"]["storage_type"] == "aurora-iopt1" and rep["cost_usd_month"]["proxy"] == 0
    assert rep["expected_load"]["shard_group_average_acu"] == group["average_acu"]
    assert data.source_path(data.LIMITLESS_FILE) in [s["path"] for s in rep["sources"]]
    # The total's range is the shard group's, around the Limitless total (not the single writer's)
    spread = rep["ranges"]["cost_total_usd_month"]
    assert spread["low"] <= spread["expected"] == rep["cost_usd_month"]["total"] <= spread["high"]
    assert spread["low"] < spread["high"] and "shard group" in spread["from"]
    # The cache is the shard group's memory: each profile point runs within the group's range
    assert all(group["min_acu"] <= p["acu"] <= group["max_acu"] for p in rep["acu"]["required"]["profile"])
    io = rep["ranges"]["billed_io_million_per_month"]
    assert io["low"] <= io["expected"] == rep["iops"]["billed_million_per_month"] <= io["high"]


def test_one_writer_that_holds_the_peak_stays_single_under_auto():
    rep = build({"agents": 100_000})
    assert rep["topology"]["kind"] == "single" and "shard_group" not in rep["topology"]
    assert "one writer holds the peak (193.5 of 256 ACU)" in rep["topology"]["reason"]


def test_the_table_rows_and_the_standbys_bill():
    facts = data.limitless()
    assert shard_group.capacity_row(400, facts)["shards"] == 2 and shard_group.capacity_row(401, facts)["shards"] == 3
    assert shard_group.capacity_row(6144, facts)["routers"] == 8
    assert shard_group.billed_factor(2, 2, 0) == 1 and shard_group.billed_factor(2, 2, 1) == 1.5
    assert shard_group.billed_factor(8, 16, 2) == (8 + 48) / 24
    costs = [build({"agents": PAST_ONE_WRITER, "limitless": {"compute_redundancy": r}}) for r in (0, 1, 2)]
    totals = [c["cost_usd_month"]["compute"] for c in costs]
    assert totals[0] < totals[1] < totals[2]
    staging = environment({"environment": "staging", "agents": PAST_ONE_WRITER}, {"min": 2, "max": 32})
    rep = result.build(staging, data.prices(), data.limits(), data.calibration(), data.seed(), data.sources())
    assert rep["topology"]["shard_group"]["compute_redundancy"] == 0


def test_a_shard_group_past_aws_ceiling_is_refused(repo_copy):
    write_sizing(repo_copy, "prod", "agents: 4000000\nbudget_usd: 4500\n")
    before = snapshot(repo_copy)
    res = render(repo_copy, "prod")
    assert res.exit_code == 2 and "above AWS's 6,144 ACU for a Limitless shard group" in res.stderr
    assert snapshot(repo_copy) == before


def test_single_refuses_past_one_writer_in_one_line(repo_copy):
    write_sizing(repo_copy, "prod", f"agents: {PAST_ONE_WRITER}\nbudget_usd: 4500\ntopology: single\n")
    before = snapshot(repo_copy)
    res = render(repo_copy, "prod")
    assert res.exit_code == 2 and res.stderr.count("\n") == 1
    assert "topology: single: the peak needs 290 ACU, above one writer's 256 ACU" in res.stderr
    assert snapshot(repo_copy) == before


def test_render_writes_the_limitless_contract(repo_copy):
    write_sizing(repo_copy, "prod", f"agents: {PAST_ONE_WRITER}\nbudget_usd: 4500\n")
    assert render(repo_copy, "prod").exit_code == 0
    text = (repo_copy / "envs/prod/terraform.tfvars").read_text()
    group = size_environment(repo_copy / "envs/prod/sizing.yaml", "prod").report["topology"]["shard_group"]
    assert 'cluster_scalability_type = "limitless"' in text
    assert 'engine_version           = "16.6-limitless"' in text
    assert f"  max_acu            = {group['max_acu']:g}\n" in text and "  compute_redundancy = 1\n" in text
    assert 'storage_type             = "aurora-iopt1"' in text and "reader_promotion_tiers   = []" in text
    assert re.search(r"^proxy_enabled\s+= false$", text, re.MULTILINE)
    assert f"shard_group_average_acu        = {group['average_acu']:g}" in text


def test_single_writer_tfvars_do_not_name_limitless():
    for env in ("dev", "staging", "prod"):
        text = (Path(__file__).resolve().parents[1] / "envs" / env / "terraform.tfvars").read_text()
        assert "cluster_scalability_type" not in text and "shard_group" not in text


# The env roots' variables of the Limitless contract (the module helper's branch declares them in envs/dev/*.tf);
# added to the copy only where missing, so the cost rule reads the tfvars as Terraform would.


def facts_of(root: Path, env: str) -> dict[str, str]:
    return {f.topic: f.value for r in engine.evaluate_root(root) if r.env == env for f in r.facts}


def dollars(text: str) -> float:
    return float(text.lstrip("$").replace(",", ""))


def test_the_cost_policy_prices_a_limitless_tfvars_as_the_report_does(tree):
    sizing = write_sizing(tree, "prod", f"agents: {PAST_ONE_WRITER}\nbudget_usd: 200000\n")
    assert render(tree, "prod").exit_code == 0
    cost = size_environment(sizing, "prod").report["cost_usd_month"]
    found = facts_of(tree, "prod")
    assert dollars(found["expected cost / month"]) == cost["total"]
    assert dollars(found["worst-case cost / month"]) == cost["worst_case"]
    violations = [v for r in engine.evaluate_root(tree) for v in r.violations if v.env == "prod"]
    ceiling = next(v for v in violations if v.rule == "cost.ceiling")
    assert "shard_group.max_acu" in ceiling.message and "compute redundancy 1's standbys" in ceiling.message
    assert not [v for v in violations if v.rule in ("cost.budget", "cost.inputs")]


def test_the_cost_policy_reads_a_redundancy_aws_refuses_as_bad_input(tree):
    write_sizing(tree, "prod", f"agents: {PAST_ONE_WRITER}\nbudget_usd: 4500\n")
    assert render(tree, "prod").exit_code == 0
    tfvars = tree / "envs/prod/terraform.tfvars"
    tfvars.write_text(tfvars.read_text().replace("compute_redundancy = 1", "compute_redundancy = 3"))
    violations = [v for r in engine.evaluate_root(tree) for v in r.violations]
    # reported once, on its line, by the shard group's rule (the cost rule's own "3 is not 0, 1 or 2" on the same
    # line is the same finding), and no cost is priced from it
    on_line = [v for v in violations if "compute_redundancy = 3" in v.message or "3 is not 0, 1 or 2" in v.message]
    assert on_line and on_line[0].rule in ("shard_group.aws", "cost.inputs")
    assert not [v for v in violations if v.rule in ("cost.ceiling", "cost.budget")]


@pytest.mark.parametrize(
    ("setting", "says"),
    [
        ("topology: multi\n", "topology: must be one of auto, single or limitless"),
        ("topology: [auto]\n", "topology:"),
        ("limitless: {compute_redundancy: 3}\n", "limitless.compute_redundancy"),
        ("limitless: {compute_redundancy: '1'}\n", "limitless.compute_redundancy"),
        ("limitless: {compute_redundancy: true}\n", "limitless.compute_redundancy"),
        ("limitless: {shards: 4}\n", "limitless.shards: unknown key"),
        ("limitless: 2\n", "limitless: must be a mapping"),
    ],
)
def test_hostile_topology_settings_are_one_line(repo_copy, setting, says):
    write_sizing(repo_copy, "prod", "agents: 1000\nbudget_usd: 4500\n" + setting)
    before = snapshot(repo_copy)
    res = render(repo_copy, "prod")
    assert res.exit_code == 2 and res.stderr.count("\n") == 1 and says in res.stderr, res.stderr
    assert "Traceback" not in res.stderr and snapshot(repo_copy) == before


def test_the_diff_shows_the_move_to_limitless(tmp_path):
    import json
    import shutil
    import subprocess

    if shutil.which("git") is None:
        pytest.skip("git is not installed")
    from tests.test_diff import GIT, diff

    repo_root = Path(__file__).resolve().parents[1]
    for sizing in sorted((repo_root / "envs").glob("*/sizing.yaml")):
        (tmp_path / "envs" / sizing.parent.name).mkdir(parents=True)
        shutil.copy2(sizing, tmp_path / "envs" / sizing.parent.name / "sizing.yaml")
    (tmp_path / "generator/data").mkdir(parents=True)
    shutil.copy2(repo_root / "generator/data/defaults.yaml", tmp_path / "generator/data/defaults.yaml")
    for args in (["init", "-q"], ["add", "."], ["commit", "-qm", "base"]):
        subprocess.run([*GIT, *args], cwd=tmp_path, check=True, capture_output=True)
    write_sizing(tmp_path, "prod", f"agents: {PAST_ONE_WRITER}\nbudget_usd: 4500\n")
    prod = next(
        e
        for e in json.loads(diff(tmp_path, "--base", "HEAD", "--format", "json").stdout)["environments"]
        if e["env"] == "prod"
    )
    f = prod["figures"]
    assert (f["topology"]["base"], f["topology"]["head"]) == ("single", "limitless")
    assert f["shard_group_max_acu"]["base"] is None and f["shard_group_max_acu"]["head"] >= 16
    assert "topology.limitless" in [w["code"] for w in prod["warnings"]["added"]]


def test_the_pages_summary_shows_the_shard_group(repo_copy):
    from generator.model.sized import size_tree
    from generator.outputs.report_html import page

    write_sizing(repo_copy, "prod", f"agents: {PAST_ONE_WRITER}\nbudget_usd: 4500\n")
    sized = size_tree(repo_copy)
    group = sized["prod"].report["topology"]["shard_group"]
    html = page(sized, [], "")
    assert (
        f"{group['min_acu']:g}-{group['max_acu']:g} ({group['average_acu']:g})<br><small>Limitless shard group" in html
    )
    assert "<code>topology.limitless</code>" in html
