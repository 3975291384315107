"""The gate holds an Aurora PostgreSQL Limitless environment to its limits (issue 14): its DB shard group inside
AWS's 16-6144 ACU (generator/data/limitless-2026-12.yaml) and the environment's range, with the compute standbys
the environment needs (policies/limits.yaml: prod at least 1), never public; no shard group in a standard
environment. Each rule fails on a violating tfvars and on a violating plan, and passes on a good one.

The Limitless tfvars is written by hand here, as the render will write it (the contract between the module and
the generator): cluster_scalability_type, shard_group, engine_version, storage_type, no readers, no proxy.
"""

from __future__ import annotations

import copy
import json
import re
from pathlib import Path

import pytest

from policies import engine
from policies.limits import LimitsError, validate_limits
from tests.conftest import REPO

PROD_PLAN = json.loads((REPO / "policies/fixtures/plan-prod.json").read_text())
DEV_PLAN = json.loads((REPO / "policies/fixtures/plan-dev-moto.json").read_text())

LIMITLESS = {
    "cluster_scalability_type": '"limitless"',
    "shard_group": "{ min_acu = 16, max_acu = 400, compute_redundancy = 1 }",
    "engine_version": '"16.6-limitless"',
    "storage_type": '"aurora-iopt1"',
    "reader_promotion_tiers": "[]",
    "proxy_enabled": "false",
    "backup_cross_region_copy": "false",
}


def set_vars(root: Path, env: str, values: dict[str, str]) -> None:
    """Set each `key = literal` of envs/<env>/terraform.tfvars: replaced where written, appended otherwise."""
    path = root / "envs" / env / "terraform.tfvars"
    text = path.read_text()
    for key, literal in values.items():
        line = f"{key} = {literal}\n"
        text, n = re.subn(rf"(?m)^{re.escape(key)}\s*=.*\n", line, text, count=1)
        if not n:
            text += line
    path.write_text(text)


def violations(root: Path, env: str, prefix: tuple[str, ...] = ("shard_group.", "acu.")) -> list[engine.Violation]:
    found = [v for r in engine.evaluate_root(root) for v in r.violations if v.env == env]
    return [v for v in found if v.rule.startswith(prefix)]


def the(found: list[engine.Violation], rule: str, text: str) -> engine.Violation:
    hits = [v for v in found if v.rule == rule and text in v.message]
    assert hits, f"no {rule} holding {text!r} in:\n" + "\n".join(map(str, found))
    return hits[0]


# ---------------------------------------------------------------------------
# tfvars
# ---------------------------------------------------------------------------
def test_a_good_limitless_tfvars_passes(tree):
    set_vars(tree, "prod", LIMITLESS)
    assert violations(tree, "prod") == []
    facts = [f for r in engine.evaluate_root(tree) if r.env == "prod" for f in r.facts if f.topic == "Shard group ACU"]
    assert [(f.value, f.limit, f.ok) for f in facts] == [("16-400", "16-400", True)]


def test_a_limitless_environment_is_not_held_to_one_instances_max_connections(tree):
    """Its clients reach the routers: the pooled connections are not weighed against max ACU's max_connections."""
    set_vars(tree, "prod", LIMITLESS)
    tfvars = tree / "envs" / "prod" / "terraform.tfvars"  # 100,000 agents' pools: past any instance's 5,000
    tfvars.write_text(re.sub(r"(?m)^(\s+pooled_connections\s*=).*$", r"\1 39000", tfvars.read_text(), count=1))
    assert violations(tree, "prod", ("connections.",)) == []
    facts = [
        f for r in engine.evaluate_root(tree) if r.env == "prod" for f in r.facts if f.topic == "connection budget"
    ]
    assert [f.value for f in facts] == ["not computable (Limitless: no dated figure for the routers)"]


def test_the_standard_environments_still_pass(pristine):
    assert engine.violations(engine.evaluate_root(pristine)) == []


@pytest.mark.parametrize(
    "env, shard_group, rule, text",
    [
        (
            "prod",
            "{ min_acu = 16, max_acu = 500, compute_redundancy = 1 }",
            "shard_group.ceiling",
            "exceeds the prod ceiling 400",
        ),
        ("staging", "{ min_acu = 16, max_acu = 128 }", "shard_group.ceiling", "exceeds the staging ceiling 64"),
        ("prod", "{ max_acu = 7000 }", "shard_group.aws", "outside AWS's 16-6144 ACU"),
        ("prod", "{ max_acu = 8 }", "shard_group.aws", "outside AWS's 16-6144 ACU"),
        ("prod", "{ min_acu = 8, max_acu = 400 }", "shard_group.aws", "below AWS's minimum 16 ACU"),
        ("prod", "{ min_acu = 300, max_acu = 200 }", "shard_group.aws", "above max_acu"),
        ("prod", "{ max_acu = 400, compute_redundancy = 3 }", "shard_group.aws", "not one of AWS's 0, 1, 2"),
        (
            "prod",
            "{ max_acu = 400, compute_redundancy = 0 }",
            "shard_group.redundancy",
            "prod needs at least 1 compute standby",
        ),
    ],
)
def test_each_shard_group_rule_bites_on_a_tfvars(tree, env, shard_group, rule, text):
    set_vars(tree, env, {**LIMITLESS, "shard_group": shard_group})
    v = the(violations(tree, env), rule, text)
    assert v.file == f"envs/{env}/terraform.tfvars" and v.line is not None


def test_redundancy_0_is_allowed_outside_prod(tree):
    set_vars(tree, "staging", {**LIMITLESS, "shard_group": "{ max_acu = 64, compute_redundancy = 0 }"})
    assert violations(tree, "staging") == []


def test_compute_redundancy_left_out_is_the_module_default_1(tree):
    set_vars(tree, "prod", {**LIMITLESS, "shard_group": "{ max_acu = 400 }"})
    assert violations(tree, "prod") == []


def test_a_shard_group_in_a_standard_environment(tree):
    set_vars(tree, "dev", {"shard_group": "{ max_acu = 16 }"})
    the(violations(tree, "dev"), "shard_group.mode", "exists only in a Limitless cluster")


def test_an_unknown_scalability_type(tree):
    set_vars(tree, "dev", {"cluster_scalability_type": '"serverless"'})
    the(violations(tree, "dev"), "shard_group.mode", "neither standard nor limitless")


def test_limitless_without_a_shard_group(tree):
    set_vars(tree, "prod", {**LIMITLESS, "shard_group": "null"})
    the(violations(tree, "prod"), "shard_group.value", "shard_group.max_acu is not set")


def test_the_floor_holds_aws_default_min(tree):
    """min_acu left unset is AWS's default for the max (its capacity table: 40 ACU for a max of 1000)."""
    limits = tree / "policies" / "limits.yaml"
    limits.write_text(
        limits.read_text().replace(
            "shard_group: {min_floor: 16, max_ceiling: 400, compute_redundancy_min: 1}",
            "shard_group: {min_floor: 48, max_ceiling: 1200, compute_redundancy_min: 1}",
        )
    )
    set_vars(tree, "prod", {**LIMITLESS, "shard_group": "{ max_acu = 1000 }"})
    the(
        violations(tree, "prod"),
        "shard_group.floor",
        "= 40 (AWS's default for max_acu 1000) is below the prod floor 48",
    )
    set_vars(tree, "prod", {**LIMITLESS, "shard_group": "{ max_acu = 1200 }"})
    assert violations(tree, "prod") == []  # AWS's default min for 1200 is 48


@pytest.mark.parametrize(
    "shard_group, field, text",
    [
        ({"min_floor": 8, "max_ceiling": 400}, "min_floor", "outside AWS's 16-6144 ACU"),
        ({"min_floor": 16, "max_ceiling": 8000}, "max_ceiling", "outside AWS's 16-6144 ACU"),
        ({"min_floor": 500, "max_ceiling": 400}, "shard_group", "is above max_ceiling"),
        (
            {"min_floor": 16, "max_ceiling": 400, "compute_redundancy_min": 3},
            "compute_redundancy_min",
            "above AWS's most, 2",
        ),
    ],
)
def test_limits_outside_aws_are_refused(shard_group, field, text):
    import yaml

    from generator.inputs import data as gdata

    doc = yaml.safe_load((REPO / "policies" / "limits.yaml").read_text())
    doc["environments"]["prod"]["shard_group"] = shard_group
    with pytest.raises(LimitsError) as exc:
        validate_limits(doc, gdata.limits())
    assert (
        "environments.prod.shard_group" in exc.value.field
        and exc.value.field.endswith(field)
        and text in str(exc.value)
    )


# ---------------------------------------------------------------------------
# plans
# ---------------------------------------------------------------------------
def judge(tmp_path: Path, plan: dict) -> list[engine.Violation]:
    path = tmp_path / "plan.json"
    path.write_text(json.dumps(plan))
    return engine.evaluate_plan(path, REPO).violations


def with_shard_group(plan: dict, after: dict, unknown: dict | None = None) -> dict:
    plan = copy.deepcopy(plan)
    good = {"max_acu": 400, "min_acu": 16, "compute_redundancy": 1, "publicly_accessible": False}
    plan["resource_changes"].append(
        {
            "address": "module.aurora.aws_rds_shard_group.this[0]",
            "module_address": "module.aurora",
            "mode": "managed",
            "type": "aws_rds_shard_group",
            "change": {"actions": ["create"], "after": {**good, **after}, "after_unknown": unknown or {}},
        }
    )
    return plan


def test_a_good_shard_group_passes_in_a_plan(tmp_path):
    assert [v for v in judge(tmp_path, with_shard_group(PROD_PLAN, {})) if v.rule.startswith("shard_group")] == []


@pytest.mark.parametrize(
    "after, unknown, rule, text",
    [
        ({"max_acu": 768}, {}, "shard_group.ceiling", "max_acu = 768 exceeds the prod ceiling 400"),
        ({"max_acu": 6145}, {}, "shard_group.aws", "max_acu = 6145 is outside AWS's 16-6144 ACU"),
        ({"min_acu": 8}, {}, "shard_group.aws", "min_acu = 8 is below AWS's minimum 16 ACU"),
        ({"compute_redundancy": 3}, {}, "shard_group.aws", "compute_redundancy = 3 is not one of AWS's 0, 1, 2"),
        ({"compute_redundancy": 0}, {}, "shard_group.redundancy", "prod needs at least 1 compute standby"),
        ({"compute_redundancy": None}, {}, "shard_group.redundancy", "compute_redundancy = 0"),
        ({"publicly_accessible": True}, {}, "shard_group.public", "publicly_accessible = true"),
        (
            {"publicly_accessible": None},
            {"publicly_accessible": True},
            "shard_group.unknown",
            "publicly_accessible is unknown",
        ),
        ({"max_acu": None}, {"max_acu": True}, "shard_group.unknown", "max_acu is unknown"),
        ({"max_acu": "lots"}, {}, "shard_group.value", 'max_acu = "lots" is not a number'),
    ],
)
def test_each_shard_group_rule_bites_on_a_plan(tmp_path, after, unknown, rule, text):
    v = the(judge(tmp_path, with_shard_group(PROD_PLAN, after, unknown)), rule, text)
    assert v.file.endswith("plan.json") and "module.aurora.aws_rds_shard_group.this[0]" in v.message


def test_a_plan_min_acu_left_to_aws_is_its_default(tmp_path):
    plan = with_shard_group(PROD_PLAN, {"min_acu": None}, {"min_acu": True})
    assert [v for v in judge(tmp_path, plan) if v.rule.startswith("shard_group")] == []


def test_redundancy_0_passes_in_a_dev_plan(tmp_path):
    plan = with_shard_group(DEV_PLAN, {"max_acu": 16, "compute_redundancy": 0})
    assert [v for v in judge(tmp_path, plan) if v.rule.startswith("shard_group")] == []


def test_a_limitless_cluster_plan_is_not_held_to_serverless_v2(tmp_path):
    """No serverlessv2_scaling_configuration in a Limitless cluster: the ACU rules wait for the shard group's."""
    plan = with_shard_group(PROD_PLAN, {})
    cluster = next(rc for rc in plan["resource_changes"] if rc["address"].endswith("aws_rds_cluster.this"))
    cluster["change"]["after"]["cluster_scalability_type"] = "limitless"
    cluster["change"]["after"]["serverlessv2_scaling_configuration"] = []
    found = judge(tmp_path, plan)
    assert [v for v in found if v.rule.startswith(("acu.", "shard_group."))] == []
    plan = with_shard_group(plan, {"max_acu": 800})
    the(judge(tmp_path, plan), "shard_group.ceiling", "max_acu = 800 exceeds the prod ceiling 400")


# ---------------------------------------------------------------------------
# What a user can type: wrong types, numbers as text, numbers past any limit
# ---------------------------------------------------------------------------
@pytest.mark.parametrize(
    "values, rule, text",
    [
        ({"shard_group": '"big"'}, "declarations.type", "shard_group"),
        ({"shard_group": "{ max_acu = [400] }"}, "declarations.type", "shard_group.max_acu"),
        ({"shard_group": "{ min_acu = 16 }"}, "declarations.type", "max_acu"),
        ({"shard_group": "{ max_acu = 1" + "0" * 400 + " }"}, "declarations.number", "shard_group.max_acu"),
        ({"cluster_scalability_type": "[1]"}, "declarations.type", "cluster_scalability_type"),
    ],
)
def test_malformed_limitless_values_are_one_violation_each(tree, values, rule, text):
    set_vars(tree, "prod", {**LIMITLESS, **values})
    found = [v for r in engine.evaluate_root(tree) for v in r.violations if v.env == "prod"]
    the(found, rule, text)
    assert not [v for v in found if v.rule.startswith("shard_group.") and text in v.message], "reported once"


def test_numbers_written_as_text_are_converted_as_terraform_does(tree):
    set_vars(tree, "prod", {**LIMITLESS, "shard_group": '{ max_acu = "500", compute_redundancy = "1" }'})
    the(violations(tree, "prod"), "shard_group.ceiling", "shard_group.max_acu = 500 exceeds the prod ceiling 400")


def test_a_huge_plan_value_is_one_violation_not_a_traceback(tmp_path):
    plan = with_shard_group(PROD_PLAN, {"max_acu": 10**400})
    found = judge(tmp_path, plan)
    assert [v for v in found if v.rule == "declarations.number" and "aws_rds_shard_group" in v.message]
    assert not [v for v in found if v.rule.startswith("shard_group.") and "max_acu" in v.message]


# ---------------------------------------------------------------------------
# Backups: the snapshot schedule and DR copies rest on AWS Backup, which Limitless lacks
# ---------------------------------------------------------------------------
def test_a_limitless_environment_cannot_meet_a_snapshot_schedule(tree):
    set_vars(tree, "staging", {**LIMITLESS, "shard_group": "{ max_acu = 64 }"})
    v = the(violations(tree, "staging", ("backups.",)), "backups.snapshots", "AWS Backup is not supported")
    assert "cannot be met" in v.message and "limitless-reqs-limits.html" in v.message


def test_prod_limitless_says_why_the_dr_copy_is_missing(tree):
    set_vars(tree, "prod", LIMITLESS)
    the(
        violations(tree, "prod", ("backups.",)),
        "backups.cross_region",
        "AWS Backup, which copies them, is not supported",
    )


def test_a_limitless_plan_is_held_to_the_same_backup_rules(tmp_path):
    plan = with_shard_group(PROD_PLAN, {})
    cluster = next(rc for rc in plan["resource_changes"] if rc["address"].endswith("aws_rds_cluster.this"))
    cluster["change"]["after"]["cluster_scalability_type"] = "limitless"
    the(judge(tmp_path, plan), "backups.snapshots", "AWS Backup is not supported")


def test_a_schedule_of_no_snapshots_is_met(tree):
    limits = tree / "policies" / "limits.yaml"
    text = limits.read_text().replace(
        "snapshots: {daily: 7, weekly: 4, monthly: 3}", "snapshots: {daily: 0, weekly: 0, monthly: 0}"
    )
    limits.write_text(text)
    set_vars(tree, "staging", {**LIMITLESS, "shard_group": "{ max_acu = 64 }"})
    assert violations(tree, "staging", ("backups.",)) == []
