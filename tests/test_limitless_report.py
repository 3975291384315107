"""A Limitless report shows the shard group's figures, not the single writer's: the module's billed resources in
Limitless mode (the shard group's one alarm, Performance Insights' 31 days), no storage-type choice or flip
point, no max_connections of a writer it does not have, and no Savings Plan priced on compute it does not run."""

from __future__ import annotations

import json

import boto3
import pytest
from botocore.stub import Stubber
from click.testing import CliRunner

from generator.cli import main
from generator.errors import InputError
from generator.inputs import data
from generator.model import result
from generator.observe import cloudwatch
from tests.conftest import environment, snapshot
from tests.observe_series import cli_json
from tests.test_limitless import PAST_ONE_WRITER, write_sizing


def build(**overrides) -> dict:
    env = environment({"environment": "prod", **overrides}, {"min": 2, "max": 32})
    return result.build(env, data.prices(), data.limits(), data.calibration(), data.seed(), data.sources())


def report(root, *args: str):
    return CliRunner(mix_stderr=False).invoke(main, ["--root", str(root), "report", "--env", "prod", *args])


def test_the_module_bills_the_shard_groups_alarm_and_31_days_of_insights():
    rep = build(agents=PAST_ONE_WRITER)
    billed = rep["billed_resources"]
    assert rep["topology"]["kind"] == "limitless"
    assert billed["alarms"] == data.module_defaults()["alarms"]["per_shard_group"] == 1
    assert billed["insights"]["performance_insights_retention_days"] == 31
    single = build(agents=1000)["billed_resources"]
    assert single["alarms"] == 4  # no reader here: per cluster 2, the writer's 2
    assert single["insights"]["performance_insights_retention_days"] == 7


def test_no_storage_type_choice_or_flip_point_for_a_shard_group():
    rec = build(agents=PAST_ONE_WRITER)["recommendation"]
    assert rec["storage_type"] == "aurora-iopt1"
    assert rec["flip"] == {"billed_million_per_month": None, "cache_hit_ratio": None} and not rec["uncertain"]


def test_the_table_names_what_a_shard_group_has_instead(repo_copy):
    write_sizing(repo_copy, "prod", f"agents: {PAST_ONE_WRITER}\nbudget_usd: 90000\n")
    res = report(repo_copy)
    assert res.exit_code == 0, res.output
    out = " ".join(res.stdout.split())
    assert "max_connections not computed: clients reach the shard group's routers" in out
    assert "storage type aurora-iopt1 only (Limitless)" in out
    assert "storage type flip point" not in out and "Standard $" not in out and "proxy may open" not in out
    assert "1 alarm(s)" in out and "31 days" in out


def test_a_savings_plan_is_not_priced_on_a_shard_group(repo_copy):
    rep = build(agents=PAST_ONE_WRITER, savings_plan={"coverage": 1.0})
    assert rep["cost_usd_month_savings_plan"] is None and "UNCONFIRMED" in rep["savings_plan_not_priced"]
    single = build(agents=1000, savings_plan={"coverage": 1.0})
    assert single["cost_usd_month_savings_plan"] is not None and "savings_plan_not_priced" not in single
    write_sizing(repo_copy, "prod", f"agents: {PAST_ONE_WRITER}\nbudget_usd: 90000\nsavings_plan: {{coverage: 1.0}}\n")
    out = " ".join(report(repo_copy).stdout.split())
    assert "Savings Plan savings_plan is not priced for a Limitless shard group" in out
    assert "cost/month with the Savings Plan" not in out


# ---------------------------------------------------------------------------
# observe reads one writer's metrics: a Limitless environment or cluster is one line, nothing written
# ---------------------------------------------------------------------------
def test_observe_refuses_a_limitless_environment_in_one_line(tree, tmp_path):
    write_sizing(tree, "prod", f"agents: {PAST_ONE_WRITER}\nbudget_usd: 90000\n")
    metrics = tmp_path / "normal.json"
    metrics.write_text(json.dumps(cli_json("normal")))
    before = snapshot(tree)
    res = CliRunner(mix_stderr=False).invoke(
        main, ["--root", str(tree), "observe", "--env", "prod", "--from", str(metrics), "--write"]
    )
    assert res.exit_code == 2 and res.stderr.count("\n") == 1, res.stderr
    assert "envs/prod/sizing.yaml: topology: the environment runs an Aurora PostgreSQL Limitless" in res.stderr
    assert "DBShardGroupCapacity" in res.stderr and snapshot(tree) == before


def test_observe_refuses_a_limitless_cluster_it_describes():
    rds = boto3.client("rds", region_name="us-east-1", aws_access_key_id="x", aws_secret_access_key="x")
    stub = Stubber(rds)
    cluster = {"DBClusterIdentifier": "big", "ClusterScalabilityType": "limitless", "DBClusterMembers": []}
    stub.add_response("describe_db_clusters", {"DBClusters": [cluster]}, {"DBClusterIdentifier": "big"})
    with stub, pytest.raises(InputError) as err:
        cloudwatch._cluster(rds, "big", "cloudwatch: big")
    assert "cluster 'big': the environment runs an Aurora PostgreSQL Limitless" in err.value.line()


def test_a_shard_group_past_aws_ceiling_is_warned_in_the_report_and_refused_by_render(repo_copy):
    rep = build(agents=10_000_000)
    assert rep["topology"]["shard_group"]["over_ceiling"]
    assert "topology.shard_group_over_ceiling" in {w["code"] for w in rep["warnings"]}
    write_sizing(repo_copy, "prod", "agents: 10000000\nbudget_usd: 90000\n")
    res = CliRunner(mix_stderr=False).invoke(main, ["--root", str(repo_copy), "render", "--env", "prod"])
    assert res.exit_code == 2 and "above AWS's 6,144 ACU" in res.stderr


def test_standard_storage_asked_of_a_shard_group_is_named_as_unused():
    codes = {w["code"] for w in build(agents=PAST_ONE_WRITER, storage_type="aurora")["warnings"]}
    assert "topology.limitless_storage_type" in codes and "storage_type.forced_costlier" not in codes
    dearer = {"aurora": "aurora-iopt1", "aurora-iopt1": "aurora"}[build(agents=1000)["recommendation"]["storage_type"]]
    single = {w["code"] for w in build(agents=1000, storage_type=dearer)["warnings"]}
    assert "storage_type.forced_costlier" in single and "topology.limitless_storage_type" not in single


def test_no_standard_month_is_claimed_for_a_shard_group(repo_copy):
    from generator.model.sized import size_environment
    from generator.outputs import report_html

    rep = build(agents=PAST_ONE_WRITER)
    assert rep["cost_usd_month_standard"] is None and rep["recommendation"]["io_share_of_aurora_bill"] is None
    write_sizing(repo_copy, "prod", f"agents: {PAST_ONE_WRITER}\nbudget_usd: 90000\n")
    sized = {"prod": size_environment(repo_copy / "envs/prod/sizing.yaml", "prod")}
    html = report_html.page(sized, [])
    assert "<tr><td>total on Aurora Standard</td><td>not offered (Limitless)</td></tr>" in html
    from generator.outputs.chart_storage_type import storage_type_chart

    ax = storage_type_chart(sized).axes[0]
    labels = [line.get_label() for line in ax.get_lines()]
    assert "Aurora Standard (I/O billed per request)" not in labels  # no Standard line drawn for a shard group
    assert "I/O-Optimized (I/O included)" in labels
