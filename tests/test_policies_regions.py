"""The cost policy prices each environment in its tfvars' regions (aws_region, and dr_region for the DR copies),
on demand, with the copied rules the tfvars deploy: the same figures as the generator's report."""

from __future__ import annotations

from pathlib import Path

from generator.model.sized import size_environment
from policies import engine
from tests.test_policies_bite import found, only_rule, set_var


def expected_cost(root: Path, env: str) -> float:
    facts = {f.topic: f.value for r in engine.evaluate_root(root) if r.env == env for f in r.facts}
    return float(facts["expected cost / month"].lstrip("$").replace(",", ""))


def test_policies_price_in_the_tfvars_regions(tree):
    us = expected_cost(tree, "prod")
    set_var(tree, "prod", "aws_region", '"eu-west-1"')
    set_var(tree, "prod", "dr_region", '"eu-central-1"')
    eu = expected_cost(tree, "prod")
    assert eu > us
    sizing = tree / "envs/prod/sizing.yaml"
    sizing.write_text(sizing.read_text() + "region: eu-west-1\ndr_region: eu-central-1\n")
    # The report prices the same environment to the cent (its policy figures are on demand, as here).
    assert size_environment(sizing, "prod").report["cost_usd_month"]["total"] == eu


def test_policies_price_only_the_copied_rules(tree):
    every = expected_cost(tree, "prod")
    set_var(tree, "prod", "backup_cross_region_copy_rules", '["monthly"]')
    assert expected_cost(tree, "prod") < every


def test_a_region_without_prices_fails_the_cost_inputs(tree):
    line = set_var(tree, "prod", "aws_region", '"ca-central-1"')
    v = only_rule(found(tree, "prod"), "cost.inputs")
    assert v.line == line and "has no price file (known: ap-northeast-1" in v.message


def test_copy_rules_outside_the_backup_rules_fail_the_cost_inputs(tree):
    set_var(tree, "prod", "backup_cross_region_copy_rules", '["hourly"]')
    v = only_rule(found(tree, "prod"), "cost.inputs")
    assert "is not a list of daily, weekly, monthly" in v.message
