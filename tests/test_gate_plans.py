"""The gate reads every guarded resource of a plan, whatever its address or module, never falls back to the root
variables for a value unknown until apply, and reads numbers of any size without a traceback (issue 15).

Plans: policies/fixtures/plan-prod.json (trimmed) and plan-dev-moto.json (a `make plan ENV=dev` on the
emulator, trimmed to the resources the gate reads, with their after_unknown and configuration as Terraform
wrote them).
"""

from __future__ import annotations

import copy
import json
import subprocess
import sys
from pathlib import Path

import pytest

from policies import engine
from tests.conftest import REPO

PROD = json.loads((REPO / "policies/fixtures/plan-prod.json").read_text())
MOTO = json.loads((REPO / "policies/fixtures/plan-dev-moto.json").read_text())


def change(plan: dict, address_end: str) -> dict:
    return next(rc for rc in plan["resource_changes"] if rc["address"].endswith(address_end))["change"]


def judge(tmp_path: Path, plan: dict, root: Path = REPO) -> list[engine.Violation]:
    path = tmp_path / "plan.json"
    path.write_text(json.dumps(plan))
    return engine.evaluate_plan(path, root).violations


def only(violations: list[engine.Violation], rule: str, text: str) -> engine.Violation:
    hits = [v for v in violations if v.rule == rule and text in v.message]
    assert hits, f"no {rule} holding {text!r} in:\n" + "\n".join(map(str, violations))
    assert all(v.file.endswith("plan.json") for v in hits)
    return hits[0]


def added(address: str, type_: str, after: dict, unknown: dict | None = None, module: str | None = None) -> dict:
    rc = {"address": address, "mode": "managed", "type": type_, "change": {"actions": ["create"], "after": after}}
    if unknown is not None:
        rc["change"]["after_unknown"] = unknown
    if module is not None:
        rc["module_address"] = module
    return rc


def test_the_fixture_plans_pass():
    for name in ("plan-prod.json", "plan-dev-moto.json"):
        assert engine.evaluate_plan(REPO / "policies/fixtures" / name).violations == [], name


def test_a_second_cluster_in_another_module_is_checked(tmp_path):
    plan = copy.deepcopy(PROD)
    big = copy.deepcopy(change(plan, "aws_rds_cluster.this")["after"])
    big["serverlessv2_scaling_configuration"][0]["max_capacity"] = 256
    plan["resource_changes"].append(
        added("module.other.aws_rds_cluster.big", "aws_rds_cluster", big, {}, "module.other")
    )
    found = judge(tmp_path, plan)
    only(found, "acu.ceiling", "module.other.aws_rds_cluster.big serverlessv2_scaling_configuration.max_capacity = 256")
    only(found, "backups.plan_missing", "module.other.aws_rds_cluster.big")
    assert not [v for v in found if "module.aurora" in v.message], found


def test_a_cluster_named_otherwise_is_checked(tmp_path):
    plan = copy.deepcopy(PROD)
    rc = next(rc for rc in plan["resource_changes"] if rc["type"] == "aws_rds_cluster")
    rc["address"] = "module.aurora.aws_rds_cluster.main"
    rc["change"]["after"]["serverlessv2_scaling_configuration"][0]["max_capacity"] = 64
    only(judge(tmp_path, plan), "acu.ceiling", "module.aurora.aws_rds_cluster.main serverlessv2_scaling_configuration")


def test_a_provisioned_instance_class(tmp_path):
    plan = copy.deepcopy(PROD)
    change(plan, 'aws_rds_cluster_instance.this["reader-1"]')["after"]["instance_class"] = "db.r6g.16xlarge"
    v = only(judge(tmp_path, plan), "cost.instance_class", 'instance_class = "db.r6g.16xlarge"')
    assert "prod allows only db.serverless" in v.message


def test_an_allowed_instance_class_passes(tmp_path, tree):
    limits = tree / "policies/limits.yaml"
    limits.write_text(
        limits.read_text().replace(
            "instance_classes: [db.serverless]", "instance_classes: [db.serverless, db.r6g.large]"
        )
    )
    plan = copy.deepcopy(PROD)
    change(plan, 'aws_rds_cluster_instance.this["reader-1"]')["after"]["instance_class"] = "db.r6g.large"
    assert judge(tmp_path, plan, tree) == []


@pytest.mark.parametrize(
    "address_end,attr,rule",
    [
        ("aws_rds_cluster.this", "deletion_protection", "backups.unknown"),
        ("aws_rds_cluster.this", "backup_retention_period", "backups.unknown"),
        ('aws_rds_cluster_instance.this["writer"]', "instance_class", "cost.unknown"),
        ("aws_db_proxy.this[0]", "require_tls", "connections.unknown"),
    ],
)
def test_an_unknown_guarded_value_is_a_violation_not_the_variable(tmp_path, address_end, attr, rule):
    plan = copy.deepcopy(PROD)
    c = change(plan, address_end)
    del c["after"][attr]
    c["after_unknown"] = {attr: True}
    assert any(v.get("value") is not None for v in plan["variables"].values())  # the variables would have said
    only(judge(tmp_path, plan), rule, f"{attr} is unknown until apply: the gate cannot prove it safe")


def test_unknown_capacity_inside_its_block(tmp_path):
    plan = copy.deepcopy(PROD)
    c = change(plan, "aws_rds_cluster.this")
    del c["after"]["serverlessv2_scaling_configuration"][0]["max_capacity"]
    c["after_unknown"] = {"serverlessv2_scaling_configuration": [{"max_capacity": True}]}
    found = judge(tmp_path, plan)
    only(found, "acu.unknown", "serverlessv2_scaling_configuration.max_capacity is unknown until apply")
    assert [v.rule for v in found] == ["acu.unknown"], found  # the rules computed from it wait


def test_unknown_storage_type_is_priced_the_costlier_way(tmp_path):
    plan = copy.deepcopy(PROD)
    c = change(plan, "aws_rds_cluster.this")
    del c["after"]["storage_type"]
    c["after_unknown"] = {"storage_type": True}
    path = tmp_path / "plan.json"
    path.write_text(json.dumps(plan))
    result = engine.evaluate_plan(path, REPO)
    known = engine.evaluate_plan(REPO / "policies/fixtures/plan-prod.json")
    worst = {f.topic: f.value for f in result.facts}["worst-case cost / month"]
    assert result.violations == [] and worst > {f.topic: f.value for f in known.facts}["worst-case cost / month"]


# ---------------------------------------------------------------------------
# Ingress
# ---------------------------------------------------------------------------
def _rule(after: dict, unknown: dict | None = None) -> dict:
    base = {"from_port": 5432, "to_port": 5432, "cidr_ipv4": None, "cidr_ipv6": None, "prefix_list_id": None}
    return added(
        "module.aurora.aws_vpc_security_group_ingress_rule.x",
        "aws_vpc_security_group_ingress_rule",
        {**base, **after},
        unknown or {},
    )


def test_ingress_through_a_prefix_list(tmp_path, tree):
    plan = copy.deepcopy(PROD)
    plan["resource_changes"].append(_rule({"prefix_list_id": "pl-0123456789abcdef0"}))
    only(
        judge(tmp_path, plan),
        "network.prefix_list",
        'prefix_list_id = "pl-0123456789abcdef0": ingress through a prefix list',
    )
    limits = tree / "policies/limits.yaml"
    limits.write_text(
        limits.read_text().replace("allowed_prefix_lists: []", "allowed_prefix_lists: [pl-0123456789abcdef0]")
    )
    assert judge(tmp_path, plan, tree) == []


@pytest.mark.parametrize(
    "rc,rule,text",
    [
        (_rule({}, {"cidr_ipv4": True}), "network.unknown", "cidr_ipv4 is unknown until apply"),
        (_rule({}, {"prefix_list_id": True}), "network.unknown", "prefix_list_id is unknown until apply"),
        (
            added(
                "aws_security_group_rule.open",
                "aws_security_group_rule",
                {"type": "ingress", "cidr_blocks": ["0.0.0.0/0"]},
            ),
            "network.public_cidr",
            'aws_security_group_rule.open cidr_blocks = ["0.0.0.0/0"]: 0.0.0.0/0 is not a private range',
        ),
        (
            added(
                "aws_security_group_rule.pl",
                "aws_security_group_rule",
                {"type": "ingress", "prefix_list_ids": ["pl-1"]},
            ),
            "network.prefix_list",
            'prefix_list_ids = ["pl-1"]',
        ),
        (
            added(
                "module.x.aws_security_group.g",
                "aws_security_group",
                {"ingress": [{"cidr_blocks": [], "prefix_list_ids": ["pl-2"]}]},
            ),
            "network.prefix_list",
            "module.x.aws_security_group.g ingress[0].prefix_list_ids",
        ),
        (
            added("aws_security_group.g", "aws_security_group", {}, {"ingress": True}),
            "network.unknown",
            "aws_security_group.g ingress is unknown until apply",
        ),
    ],
    ids=[
        "cidr-unknown",
        "prefix-list-unknown",
        "sg-rule-public",
        "sg-rule-prefix-list",
        "inline-prefix-list",
        "inline-unknown",
    ],
)
def test_ingress_rules_anywhere(tmp_path, rc, rule, text):
    plan = copy.deepcopy(PROD)
    plan["resource_changes"].append(rc)
    only(judge(tmp_path, plan), rule, text)


def test_unknown_inline_ingress_written_in_the_configuration(tmp_path):
    """The emulator plan's groups have no inline rules: their `ingress` is unknown and passes; written inline, it fails."""
    plan = copy.deepcopy(MOTO)
    assert change(plan, "aws_security_group.cluster[0]")["after_unknown"]["ingress"] is True
    resources = plan["configuration"]["root_module"]["module_calls"]["aurora"]["module"]["resources"]
    entry = next(r for r in resources if r["address"] == "aws_security_group.cluster")
    entry["expressions"]["ingress"] = {"references": ["var.allowed_cidr_blocks"]}
    only(judge(tmp_path, plan), "network.unknown", "module.aurora.aws_security_group.cluster[0] ingress is unknown")
    del plan["configuration"]
    only(judge(tmp_path, plan), "network.unknown", "module.aurora.aws_security_group.proxy[0] ingress is unknown")


# A shard group's own checks (AWS's bounds, the environment's range, standbys, public access):
# tests/test_gate_shard_group.py.

# ---------------------------------------------------------------------------
# Numbers of any size: one violation or one line, never a traceback
# ---------------------------------------------------------------------------
HUGE = 10**400


def _numbers(node, path=()):
    if isinstance(node, bool):
        return
    if isinstance(node, (int, float)):
        yield path
    elif isinstance(node, dict):
        for k, v in node.items():
            yield from _numbers(v, (*path, k))
    elif isinstance(node, list):
        for i, v in enumerate(node):
            yield from _numbers(v, (*path, i))


def _set(node, path, value):
    for part in path[:-1]:
        node = node[part]
    node[path[-1]] = value


def test_every_number_of_a_plan_at_400_digits_is_one_violation(tmp_path):
    paths = list(_numbers(PROD))
    assert len(paths) > 40
    for path in paths:
        plan = copy.deepcopy(PROD)
        _set(plan, path, HUGE)
        found = judge(tmp_path, plan)
        numbers = [v for v in found if v.rule == "declarations.number"]
        where = next(p for p in reversed(path) if isinstance(p, str) and p != "value")
        assert len(numbers) == 1 and str(where) in numbers[0].message, (path, [str(v) for v in found])


def run(*args: str) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "-m", "policies", *args], cwd=REPO, capture_output=True, text=True, timeout=120
    )


@pytest.mark.parametrize("number,rule", [(str(HUGE), "declarations.number"), ("1e400", "declarations.number")])
def test_a_huge_number_in_a_plan_cli(tmp_path, number, rule):
    plan = copy.deepcopy(PROD)
    change(plan, "aws_rds_cluster.this")["after"]["backup_retention_period"] = "@@"
    path = tmp_path / "plan.json"
    path.write_text(json.dumps(plan).replace('"@@"', number))
    proc = run("--no-hcl", "--plan", str(path))
    assert proc.returncode == 1 and "Traceback" not in proc.stderr, proc.stderr
    assert proc.stdout.count(f"[{rule}]") == 1 and "backup_retention_period" in proc.stdout, proc.stdout


@pytest.mark.parametrize("levels", [65, 700, 5000])
def test_a_plan_nested_too_deep_is_one_line(tmp_path, levels):
    """The checks walk values recursively: at 700 levels a variable's value ended in a RecursionError traceback."""
    plan = copy.deepcopy(PROD)
    plan["variables"]["deep"] = {"value": "@@"}
    path = tmp_path / "plan.json"
    path.write_text(json.dumps(plan).replace('"@@"', "[" * (levels - 2) + "]" * (levels - 2)))
    proc = run("--no-hcl", "--plan", str(path))
    assert proc.returncode == 1 and "Traceback" not in proc.stderr, proc.stderr
    assert proc.stdout.count("\n") == 1 and "unreadable plan:" in proc.stdout and "nested" in proc.stdout, proc.stdout


def test_a_number_python_cannot_read_in_a_plan_is_one_line(tmp_path):
    path = tmp_path / "plan.json"
    path.write_text(
        json.dumps(PROD).replace('"backup_retention_period": 14', '"backup_retention_period": 1' + "0" * 5000)
    )
    proc = run("--no-hcl", "--plan", str(path))
    assert proc.returncode == 1 and "Traceback" not in proc.stderr, proc.stderr
    assert proc.stdout.count("\n") == 1 and "unreadable plan" in proc.stdout, proc.stdout


TFVARS_NUMBERS = [
    "max_capacity",
    "backup_retention_period",
    "proxy_max_connections_percent",
    "monthly_budget_usd",
    "pooled_connections",
    "reader_promotion_tiers",
    "preferred_backup_window",
]


@pytest.mark.parametrize("key", TFVARS_NUMBERS)
def test_a_400_digit_number_in_tfvars(tree, key):
    from tests.test_policies_bite import set_var

    literal = f"[{HUGE}]" if key == "reader_promotion_tiers" else str(HUGE)
    line = set_var(tree, "prod", key, literal)
    proc = run("--root", str(tree), "--env", "prod")
    assert proc.returncode == 1 and "Traceback" not in proc.stderr, proc.stderr
    out = proc.stdout.splitlines()
    assert any(ln.startswith(f"prod: envs/prod/terraform.tfvars:{line} ") for ln in out), out
    if key != "preferred_backup_window":  # a string variable: 1000... is a string, refused as a window
        assert sum("[declarations.number]" in ln for ln in out) == 1, out


def test_a_number_python_cannot_read_in_tfvars_is_one_line(tree):
    from tests.test_policies_bite import set_var

    set_var(tree, "prod", "max_capacity", "1" + "0" * 5000)
    proc = run("--root", str(tree), "--env", "prod")
    assert proc.returncode == 1 and "Traceback" not in proc.stderr, proc.stderr
    assert proc.stdout.startswith("prod: envs/prod/terraform.tfvars") and proc.stdout.count("\n") == 1, proc.stdout
