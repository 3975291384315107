"""Proof that each plan rule bites: values resolved inside the module, read from a `terraform show -json` plan
(policies/fixtures/plan-prod.json), broken one at a time; a plan of an unexpected shape is one violation.

Split from test_policies_bite.py (over 400 lines), whose helpers it shares.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from policies import engine
from tests.test_policies_bite import REPO, only_rule, run

# ---------------------------------------------------------------------------
# Plans: values resolved inside the module
# ---------------------------------------------------------------------------
PLAN = REPO / "policies/fixtures/plan-prod.json"


def resource(plan: dict, type_: str) -> dict:
    return next(rc for rc in plan["resource_changes"] if rc["type"] == type_)["change"]["after"]


def plan_violations(tmp_path: Path, mutate) -> list[engine.Violation]:
    plan = json.loads(PLAN.read_text())
    mutate(plan)
    path = tmp_path / "plan.json"
    path.write_text(json.dumps(plan))
    return engine.evaluate_plan(path, REPO).violations


def test_fixture_plan_is_clean():
    assert engine.evaluate_plan(PLAN).violations == []


@pytest.mark.parametrize(
    "rule,mutate,text",
    [
        (
            "acu.ceiling",
            lambda p: resource(p, "aws_rds_cluster")["serverlessv2_scaling_configuration"][0].update(max_capacity=64),
            "module.aurora.aws_rds_cluster.this serverlessv2_scaling_configuration.max_capacity = 64 exceeds the prod ceiling 32",
        ),
        (
            "backups.retention",
            lambda p: resource(p, "aws_rds_cluster").update(backup_retention_period=3),
            "module.aurora.aws_rds_cluster.this backup_retention_period = 3 is below the prod minimum 14 days",
        ),
        (
            "backups.deletion_protection",
            lambda p: resource(p, "aws_rds_cluster").update(deletion_protection=False),
            "deletion_protection = false: prod must keep deletion protection on",
        ),
        (
            "backups.cross_region",
            lambda p: [r.update(copy_action=[]) for r in resource(p, "aws_backup_plan")["rule"]],
            "module.aurora.aws_backup_plan.this rule[*].copy_action = false",
        ),
        (
            "backups.snapshots",
            lambda p: resource(p, "aws_backup_plan")["rule"][1]["lifecycle"][0].update(delete_after=14),
            "rule[weekly].lifecycle.delete_after / 7 = 2 is below the weekly snapshots required, 4",
        ),
        (
            "connections.budget",
            lambda p: resource(p, "aws_db_proxy_default_target_group")["connection_pool_config"][0].update(
                max_connections_percent=5, max_idle_connections_percent=5
            ),
            "RDS Proxy's 5% of max_connections 5000 at max ACU 32 is 250",
        ),
        (
            "connections.proxy_tls",
            lambda p: resource(p, "aws_db_proxy").update(require_tls=False),
            "require_tls = false",
        ),
        (
            "connections.proxy_iam",
            lambda p: resource(p, "aws_db_proxy")["auth"][0].update(iam_auth="DISABLED"),
            'iam_auth = "DISABLED"',
        ),
    ],
)
def test_plan_rules_bite(tmp_path, rule, mutate, text):
    v = only_rule(plan_violations(tmp_path, mutate), rule)
    assert text in v.message and v.file.endswith("plan.json") and v.env == "prod"


def _ingress(cidr: str) -> dict:
    return {
        "address": f'module.aurora.aws_vpc_security_group_ingress_rule.cluster_cidr["{cidr}"]',
        "mode": "managed",
        "type": "aws_vpc_security_group_ingress_rule",
        "change": {"actions": ["create"], "after": {"cidr_ipv4": cidr, "from_port": 5432, "to_port": 5432}},
    }


def test_plan_public_ingress_cidr_bites(tmp_path):
    def mutate(p):
        p["resource_changes"] += [_ingress("10.20.0.0/16"), _ingress("0.0.0.0/0")]
        p["resource_changes"].append(
            {
                "address": "module.aurora.aws_security_group.cluster",
                "mode": "managed",
                "type": "aws_security_group",
                "change": {
                    "actions": ["create"],
                    "after": {"ingress": [{"cidr_blocks": ["192.168.0.0/16", "1.2.3.0/24"]}]},
                },
            }
        )

    hits = [v for v in plan_violations(tmp_path, mutate) if v.concern == "network"]
    assert [v.message for v in hits] == [
        'module.aurora.aws_vpc_security_group_ingress_rule.cluster_cidr["0.0.0.0/0"] cidr_ipv4 = ["0.0.0.0/0"]: '
        "0.0.0.0/0 is not a private range (policies/limits.yaml)",
        'module.aurora.aws_security_group.cluster ingress[0].cidr_blocks = ["192.168.0.0/16", "1.2.3.0/24"]: '
        "1.2.3.0/24 is not a private range (policies/limits.yaml)",
    ]
    assert all(v.rule == "network.public_cidr" and v.file.endswith("plan.json") for v in hits)


def test_plan_public_cidr_variable_bites(tmp_path):
    v = only_rule(
        plan_violations(tmp_path, lambda p: p["variables"]["allowed_cidr_blocks"].update(value=["0.0.0.0/0"])),
        "network.public_cidr",
    )
    assert v.message == 'allowed_cidr_blocks = ["0.0.0.0/0"]: 0.0.0.0/0 is not a private range (policies/limits.yaml)'


def test_unreadable_plan(tmp_path):
    path = tmp_path / "plan.json"
    path.write_text("{not json")
    v = only_rule(engine.evaluate_plan(path, REPO, env="prod").violations, "declarations.plan")
    assert "unreadable plan" in v.message


# ---------------------------------------------------------------------------
# A plan of an unexpected shape: one violation naming the plan file, never a traceback
# ---------------------------------------------------------------------------
def _deep_bad(plan: dict) -> dict:
    resource(plan, "aws_rds_cluster")["serverlessv2_scaling_configuration"] = 5
    resource(plan, "aws_backup_plan")["rule"][0]["lifecycle"] = [{"delete_after": "soon"}]
    return plan


@pytest.mark.parametrize(
    "text,reason",
    [
        ('{"variables": 5}', "variables is a number, not an object"),
        ('{"variables": {"environment": "prod"}}', "variables.environment is a string, not an object with a value"),
        ('{"resource_changes": [5]}', "resource_changes[0] is a number, not an object"),
        ('{"resource_changes": {"a": 1}}', "resource_changes is an object, not a list"),
        (
            '{"resource_changes": [{"type": "aws_rds_cluster", "change": {"after": [1]}}]}',
            "resource_changes[0].change.after is a list, not an object",
        ),
        ('{"resource_changes": [{"type": 7, "change": {}}]}', "resource_changes[0].type is a number, not a string"),
        ("not json", "Expecting value"),
        ("[1, 2]", "the plan is a list, not a JSON object"),
        ("", "Expecting value"),
        (json.dumps(_deep_bad(json.loads(PLAN.read_text()))), "unexpected shape inside a resource: "),
    ],
    ids=[
        "variables-int",
        "variable-not-object",
        "change-int",
        "changes-object",
        "after-list",
        "type-int",
        "not-json",
        "json-list",
        "empty",
        "deep",
    ],
)
def test_plan_of_unexpected_shape_is_one_violation(tmp_path, text, reason):
    path = tmp_path / "plan.json"
    path.write_text(text)
    violations = engine.evaluate_plan(path, REPO, env="prod").violations
    assert len(violations) == 1, violations
    v = violations[0]
    assert v.rule == "declarations.plan" and reason in v.message, str(v)
    assert str(v).startswith(f"prod: {path}: unreadable plan: ") and "\n" not in str(v)


def test_plan_of_unexpected_shape_cli_and_pytest(tmp_path):
    path = tmp_path / "plan.json"
    path.write_text('{"resource_changes": [5]}')
    cli = run("-m", "policies", "--no-hcl", "--plan", str(path), "--plan-env", "prod")
    assert cli.returncode == 1 and "Traceback" not in cli.stderr, cli.stderr
    assert cli.stdout.strip() == (
        f"prod: {path}: unreadable plan: resource_changes[0] is a number, not an object [declarations.plan]"
    )
    out = run(
        "-m",
        "pytest",
        "-q",
        "-p",
        "no:cacheprovider",
        "policies/test_plan.py",
        "--plan",
        str(path),
        "--plan-env",
        "prod",
        cwd=REPO,
    )
    assert (
        out.returncode == 1 and "Traceback" not in out.stdout and "unreadable plan: resource_changes[0]" in out.stdout
    )
