"""What the pricing counts (keys, alarms, secrets, Enhanced Monitoring) is what the module's .tf files create,
and each setting is the module's variable default.

Split from test_module_billing.py (over 400 lines), whose helpers it shares.
"""

from __future__ import annotations

import functools
import json
import re

import hcl2
import pytest
from click.testing import CliRunner

from generator.cli import main
from generator.model.module_billing import module_billing
from tests.test_module_billing import DEFAULTS, MODULE, REPO


# ---------------------------------------------------------------------------
# Pinned to the module: what the pricing counts is what the .tf files create
# ---------------------------------------------------------------------------
@functools.cache  # each file parsed once (python-hcl2 takes ~0.1 s a file); the tests only read the result
def _tf(name: str) -> dict:
    return hcl2.loads((MODULE / name).read_text(encoding="utf-8"))


def _resources(doc: dict, rtype: str) -> dict[str, dict]:
    return {
        name: body
        for block in doc.get("resource", [])
        for t, named in block.items()
        if t == rtype
        for name, body in named.items()
    }


def _locals(*names: str) -> dict[str, str]:
    return {k: v for n in names for block in _tf(n).get("locals", []) for k, v in block.items()}


def _flat(expr: object) -> str:
    return re.sub(r"\s+", " ", str(expr))


def _module_tf() -> list[str]:
    return sorted(p.name for p in MODULE.glob("*.tf"))


def test_alarm_counts_match_monitoring_tf():
    multiplicity = {
        "${var.alarms.enabled ? 1 : 0}": "per_cluster",
        # Per cluster in standard mode; none in Limitless mode (no Serverless v2 capacity to watch).
        "${var.alarms.enabled && !local.limitless ? 1 : 0}": "per_cluster",
        "${local.instance_alarms}": "per_instance",
        "${local.reader_alarms}": "per_reader",
        # Limitless mode only: the shard group's.
        "${var.alarms.enabled && local.limitless ? 1 : 0}": "per_shard_group",
    }
    counted = {"per_cluster": 0, "per_instance": 0, "per_reader": 0, "per_shard_group": 0}
    alarms = {n: b for f in _module_tf() for n, b in _resources(_tf(f), "aws_cloudwatch_metric_alarm").items()}
    assert alarms, "no aws_cloudwatch_metric_alarm in the module"
    for name, body in alarms.items():
        how = _flat(body.get("count", body.get("for_each")))
        assert how in multiplicity, (
            f"alarm {name} is created {how!r} times: count it in "
            "generator/data/module-defaults.yaml and generator/model/module_billing.py"
        )
        counted[multiplicity[how]] += 1
    assert counted == DEFAULTS["alarms"]
    loc = _locals("monitoring.tf", "main.tf")
    assert _flat(loc["instance_alarms"]) == "${var.alarms.enabled ? local.instances : {}}"
    assert _flat(loc["reader_alarms"]) == "${{for k , v in local.instance_alarms : k => v if v.reader}}"
    # One instance for the writer and one per reader_promotion_tiers element.
    assert "writer" in _flat(loc["instances"]) and "var.reader_promotion_tiers" in _flat(loc["instances"])


def test_kms_keys_match_the_module():
    keys = {n: _flat(b.get("count")) for f in _module_tf() for n, b in _resources(_tf(f), "aws_kms_key").items()}
    assert keys == {"this": "${local.create_kms_key ? 1 : 0}", "dr": "${local.create_dr_kms_key ? 1 : 0}"}
    loc = _locals("main.tf")
    assert _flat(loc["create_kms_key"]) == "${var.kms_key_arn == null}"
    assert _flat(loc["needs_dr_key"]) == "${var.backup_cross_region_copy || local.global_enabled}"
    assert _flat(loc["create_dr_kms_key"]) == "${local.needs_dr_key && var.dr_kms_key_arn == null}"
    rotating = [b for f in _module_tf() for b in _resources(_tf(f), "aws_kms_key").values()]
    assert all(b.get("enable_key_rotation") is True for b in rotating)  # the billed rotations


def test_one_master_secret_matches_the_module():
    """RDS manages the master secret, except in a global database or Limitless, where the module creates its own."""
    cluster = _resources(_tf("main.tf"), "aws_rds_cluster")["this"]
    assert _flat(cluster["manage_master_user_password"]) == "${local.own_master_secret ? null : True}"
    assert _flat(_locals("main.tf")["own_master_secret"]) == "${local.global_enabled || local.limitless}"
    secrets = {
        n: _flat(b.get("count"))
        for f in _module_tf()
        for n, b in _resources(_tf(f), "aws_secretsmanager_secret").items()
    }
    assert secrets == {"master": "${local.own_master_secret ? 1 : 0}"} and DEFAULTS["secrets"] == {"master": 1}


def test_enhanced_monitoring_on_every_instance_and_secondary():
    for f, rtype in (("main.tf", "aws_rds_cluster_instance"), ("global.tf", "aws_rds_cluster_instance")):
        for name, body in _resources(_tf(f), rtype).items():
            assert _flat(body["monitoring_interval"]) == "${var.monitoring_interval}", (f, name)
            assert body["performance_insights_enabled"] is True, (f, name)
    secondary = _resources(_tf("global.tf"), "aws_rds_cluster_instance")["secondary"]
    assert "var.global_database.instance_count" in _flat(secondary["count"])


def test_module_defaults_equal_the_modules_variables():
    variables = {k: b for block in _tf("variables.tf")["variable"] for k, b in block.items()}
    s = DEFAULTS["settings"]
    for name in (
        "kms_key_arn",
        "dr_kms_key_arn",
        "performance_insights_retention_period",
        "monitoring_interval",
        "engine_version",
    ):
        assert variables[name]["default"] == s[name], name
    # Inputs a module without them does not send: AWS's default, as null is.
    for name in ("database_insights_mode", "engine_lifecycle_support"):
        assert variables.get(name, {"default": None})["default"] == s[name], name
    alarms = _flat(variables["alarms"]["type"])
    assert (
        re.search(r'"enabled": "\$\{optional\(bool, (true|false)\)\}"', alarms).group(1)
        == str(s["alarms_enabled"]).lower()
    )
    g = _flat(variables["global_database"]["type"])
    assert (
        re.search(r'"enabled": "\$\{optional\(bool, (true|false)\)\}"', g).group(1)
        == str(s["global_database_enabled"]).lower()
    )
    assert (
        int(re.search(r'"instance_count": "\$\{optional\(number, (\d+)\)\}"', g).group(1))
        == s["global_database_instance_count"]
    )


def test_env_roots_leave_the_billed_settings_at_the_module_defaults():
    """The pricing reads these from module-defaults.yaml: a root that passes one must price it from its tfvars."""
    root = hcl2.loads((REPO / "envs" / "dev" / "main.tf").read_text(encoding="utf-8"))
    args = {k for block in root["module"] for body in block.values() for k in body}
    # reader_autoscaling adds readers (instances, monitoring) and enable_http_endpoint bills Data API calls:
    # off by default, not priced.
    passed = args & (
        set(DEFAULTS["settings"]) | {"alarms", "global_database", "reader_autoscaling", "enable_http_endpoint"}
    )
    # engine_version: passed for Limitless's -limitless versions, from a root variable defaulting to null (the
    # module's default, which module-defaults.yaml holds): priced right while no tfvars sets it.
    set_in_a_tfvars = {
        "engine_version"
        for tfvars in (REPO / "envs").glob("*/terraform.tfvars")
        if "engine_version" in hcl2.loads(tfvars.read_text(encoding="utf-8"))
    }
    passed -= {"engine_version"} - set_in_a_tfvars
    assert not passed, f"envs/*/main.tf passes {sorted(passed)}: price them from the tfvars, not module-defaults.yaml"


def test_module_billing_defaults_are_the_environments():
    b = module_billing(DEFAULTS, readers=0, cross_region_copy=False, independent_reader_average_acu=0.5)
    assert (b.kms_keys, b.alarms, b.monitored_instances, b.secondary_instances, b.insights_mode) == (
        1,
        4,
        1,
        0,
        "standard",
    )


@pytest.mark.parametrize("env", ["dev", "prod"])
def test_policy_checks_price_the_module_parts_like_the_report(env):
    """The policies recompute cost from the tfvars through the same functions: the new parts included."""
    from policies import engine

    rep = json.loads(CliRunner().invoke(main, ["--root", str(REPO), "report", "--env", env, "--format", "json"]).stdout)
    fact = next(f for f in engine.evaluate_root(REPO, [env])[0].facts if f.topic == "expected cost / month")
    assert fact.value == f"${rep['cost_usd_month']['total']:,.2f}"
    assert rep["cost_usd_month"]["kms"] > 0 and rep["cost_usd_month"]["monitoring"] > 0
