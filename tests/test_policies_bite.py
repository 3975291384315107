"""Proof that each policy bites: break one rule at a time in a copy of the tree and watch it fail.

The copies hold the repository's envs/, modules/ and policies/ in a temporary folder; the policy
engine is called on that root directly, and a few end-to-end runs check the CLI's and the policy
pytest's exit codes against the same kind of copy.
"""

from __future__ import annotations

import json
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from policies import engine

REPO = Path(__file__).resolve().parents[1]


def set_var(root: Path, env: str, key: str, literal: str) -> int:
    """Replace `key = ...` in envs/<env>/terraform.tfvars (first match, nested keys too); return its line."""
    path = root / "envs" / env / "terraform.tfvars"
    lines = path.read_text().splitlines(keepends=True)
    for i, line in enumerate(lines):
        m = re.match(rf"^(\s*){re.escape(key)}(\s*)=", line)
        if m:
            lines[i] = f"{m.group(1)}{key}{m.group(2)}= {literal}\n"
            path.write_text("".join(lines))
            return i + 1
    raise AssertionError(f"{key} not in {path}")


def drop_var(root: Path, env: str, key: str) -> None:
    path = root / "envs" / env / "terraform.tfvars"
    text = path.read_text()
    new = re.sub(rf"(?m)^{re.escape(key)}\s*=.*\n", "", text, count=1)
    assert new != text
    path.write_text(new)


def found(root: Path, env: str) -> list[engine.Violation]:
    return [v for r in engine.evaluate_root(root) for v in r.violations if v.env == env]


def only_rule(violations: list[engine.Violation], rule: str) -> engine.Violation:
    hits = [v for v in violations if v.rule == rule]
    assert hits, f"no {rule} violation in:\n" + "\n".join(map(str, violations))
    return hits[0]


def test_the_copy_is_clean(pristine):
    assert engine.violations(engine.evaluate_root(pristine)) == []


# (env, tfvars key, new literal, rule, text the message must hold)
MUTATIONS = [
    (
        "prod",
        "max_capacity",
        "64",
        "acu.ceiling",
        "max_capacity = 64 exceeds the prod ceiling 32 (policies/limits.yaml)",
    ),
    ("dev", "min_capacity", "0.25", "acu.grid", "min_capacity = 0.25: 0.25 is not a multiple of 0.5 ACU"),
    ("staging", "max_capacity", "7.3", "acu.grid", "max_capacity = 7.3: 7.3 is not a multiple of 0.5 ACU"),
    ("staging", "min_capacity", "0.5", "acu.floor", "min_capacity = 0.5 is below the staging floor 1"),
    (
        "prod",
        "pooled_connections",
        "3500",
        "connections.budget",
        "expected_load.pooled_connections = 3500 exceeds 1608: RDS Proxy's 80% of max_connections 2514 at max ACU 12 is 2011",
    ),
    (
        "staging",
        "proxy_max_connections_percent",
        "100",
        "connections.reserve",
        "proxy_max_connections_percent = 100 leaves 0 of max_connections 823 for direct connections, below the staging reserve 20",
    ),
    (
        "dev",
        "proxy_max_idle_connections_percent",
        "90",
        "connections.proxy",
        "proxy_max_idle_connections_percent = 90: 90 is outside 0..max_connections_percent (80)",
    ),
    (
        "staging",
        "backup_retention_period",
        "3",
        "backups.retention",
        "backup_retention_period = 3 is below the staging minimum 7 days",
    ),
    (
        "prod",
        "backup_retention_period",
        "7",
        "backups.retention",
        "backup_retention_period = 7 is below the prod minimum 14 days",
    ),
    (
        "dev",
        "backup_retention_period",
        "40",
        "backups.retention",
        "backup_retention_period = 40 is outside AWS's 1..35 days",
    ),
    (
        "dev",
        "preferred_backup_window",
        '"03:00-03:20"',
        "backups.window",
        'preferred_backup_window = "03:00-03:20" lasts 20 minutes, below the minimum 30',
    ),
    (
        "staging",
        "preferred_backup_window",
        '"3am"',
        "backups.window",
        'preferred_backup_window = "3am" is not hh24:mi-hh24:mi',
    ),
    (
        "prod",
        "preferred_backup_window",
        '"05:30-06:30"',
        "backups.overlap",
        'preferred_backup_window = "05:30-06:30" overlaps preferred_maintenance_window = "sun:05:00-sun:06:00" '
        "(envs/prod/terraform.tfvars:",
    ),
    (
        "prod",
        "daily_retention_days",
        "3",
        "backups.snapshots",
        "snapshot_schedule.daily_retention_days = 3 is below the daily snapshots required, 7",
    ),
    (
        "prod",
        "backup_cross_region_copy",
        "false",
        "backups.cross_region",
        "backup_cross_region_copy = false: prod must copy every snapshot to the DR region",
    ),
    ("prod", "dr_region", '"us-east-1"', "backups.cross_region", 'dr_region = "us-east-1" is the primary region'),
    (
        "prod",
        "deletion_protection",
        "false",
        "backups.deletion_protection",
        "deletion_protection = false: prod must keep deletion protection on",
    ),
    (
        "prod",
        "skip_final_snapshot",
        "true",
        "backups.final_snapshot",
        "skip_final_snapshot = true: prod must take a final snapshot on delete",
    ),
    (
        "prod",
        "monthly_budget_usd",
        "1000",
        "cost.budget",
        "monthly_budget_usd = 1000 is below the expected monthly cost $1,",
    ),
    ("dev", "monthly_budget_usd", "null", "cost.budget", "monthly_budget_usd is not set: dev needs a budget"),
    ("dev", "storage_type", '"gp3"', "cost.inputs", 'storage_type = "gp3" is not one of aurora, aurora-iopt1'),
    (
        "staging",
        "environment",
        '"prod"',
        "declarations.environment",
        'environment = "prod" does not match the folder envs/staging',
    ),
    (
        "prod",
        "allowed_cidr_blocks",
        '["0.0.0.0/0"]',
        "network.public_cidr",
        'allowed_cidr_blocks = ["0.0.0.0/0"]: 0.0.0.0/0 is not a private range (policies/limits.yaml)',
    ),
    (
        "dev",
        "allowed_cidr_blocks",
        '["10.0.0.0/16", "8.8.8.0/24"]',
        "network.public_cidr",
        'allowed_cidr_blocks = ["10.0.0.0/16", "8.8.8.0/24"]: 8.8.8.0/24 is not a private range',
    ),
    ("staging", "allowed_cidr_blocks", '["0.0.0.0/1"]', "network.public_cidr", "0.0.0.0/1 is not a private range"),
    (
        "staging",
        "allowed_cidr_blocks",
        '["10.10.0.1/16"]',
        "network.cidr",
        "10.10.0.1/16 is not a CIDR block (has host bits set)",
    ),
    ("dev", "allowed_cidr_blocks", '["10.0.0.0"]', "network.cidr", '"10.0.0.0" is not a CIDR block (a.b.c.d/n)'),
]


@pytest.mark.parametrize("env,key,literal,rule,text", MUTATIONS, ids=[f"{m[0]}-{m[3]}-{m[1]}" for m in MUTATIONS])
def test_each_rule_bites(tree, env, key, literal, rule, text):
    line = set_var(tree, env, key, literal)
    v = only_rule(found(tree, env), rule)
    assert text in v.message, str(v)
    assert v.file == f"envs/{env}/terraform.tfvars" and v.line == line, str(v)
    assert str(v).startswith(f"{env}: envs/{env}/terraform.tfvars:{line} ")


def test_message_format_names_env_file_line_value_and_limit(tree):
    line = set_var(tree, "prod", "max_capacity", "64")
    v = only_rule(found(tree, "prod"), "acu.ceiling")
    assert str(v) == (
        f"prod: envs/prod/terraform.tfvars:{line} max_capacity = 64 exceeds the prod ceiling 32 "
        "(policies/limits.yaml) [acu.ceiling]"
    )


def test_public_cidr_message(tree):
    line = set_var(tree, "prod", "allowed_cidr_blocks", '["0.0.0.0/0"]')
    v = only_rule(found(tree, "prod"), "network.public_cidr")
    assert str(v) == (
        f'prod: envs/prod/terraform.tfvars:{line} allowed_cidr_blocks = ["0.0.0.0/0"]: 0.0.0.0/0 is not a '
        "private range (policies/limits.yaml) [network.public_cidr]"
    )


def test_public_cidr_allowed_only_when_limits_say_so(tree):
    set_var(tree, "dev", "allowed_cidr_blocks", '["0.0.0.0/0", "bogus"]')
    path = tree / "policies/limits.yaml"
    path.write_text(path.read_text().replace("private_cidrs_only: true", "private_cidrs_only: false"))
    rules = [v.rule for v in found(tree, "dev")]
    assert rules == ["network.cidr"], rules  # a malformed block is still reported


def test_min_above_max(tree):
    set_var(tree, "staging", "min_capacity", "8")
    line = set_var(tree, "staging", "max_capacity", "4")
    v = only_rule(found(tree, "staging"), "acu.order")
    assert v.line == line and "max_capacity = 4: 4 is below min_capacity 8" in v.message


def test_auto_pause_with_proxy(tree):
    set_var(tree, "dev", "min_capacity", "0")
    v = only_rule(found(tree, "dev"), "acu.aws")
    assert "incompatible with RDS Proxy" in v.message


def test_worst_case_over_the_ceiling_points_at_max_capacity(tree):
    line = set_var(tree, "prod", "max_capacity", "64")
    v = only_rule(found(tree, "prod"), "cost.ceiling")
    assert v.line == line and "above the prod ceiling $9,000.00" in v.message


def test_more_readers_push_the_worst_case_over_the_ceiling(tree):
    set_var(tree, "staging", "reader_promotion_tiers", "[1, 1]")
    v = only_rule(found(tree, "staging"), "cost.ceiling")
    # staging is on Standard: its cache holds its hot set (hit ratio 0.995, derived), so I/O costs little
    assert (
        "max_capacity = 4: the worst case, 3 instance(s) (the writer + reader_promotion_tiers = [1, 1]) at 4 ACU "
        "all month on aurora, costs $1,"
    ) in v.message and "above the staging ceiling $1,200.00" in v.message


def test_malformed_hcl_is_reported_not_raised(tree):
    path = tree / "envs/prod/terraform.tfvars"
    path.write_text(path.read_text() + "max_capacity = = 3\n")
    violations = found(tree, "prod")
    v = only_rule(violations, "declarations.malformed_hcl")
    assert str(v).startswith("prod: envs/prod/terraform.tfvars: malformed HCL: ")
    assert len(violations) == 1, "nothing else is checked in a file that does not parse"


def test_malformed_env_variables_tf(tree):
    path = tree / "envs/dev/variables.tf"
    path.write_text(path.read_text() + '\nvariable "broken" {\n')
    v = only_rule(found(tree, "dev"), "declarations.malformed_hcl")
    assert v.file == "envs/dev/variables.tf"


def test_undeclared_variable(tree):
    path = tree / "envs/staging/terraform.tfvars"
    text = path.read_text()
    path.write_text(text + "surprise = 1\n")
    v = only_rule(found(tree, "staging"), "declarations.undeclared")
    assert str(v).startswith(
        f"staging: envs/staging/terraform.tfvars:{text.count(chr(10)) + 1} surprise is set but not declared"
    )


def test_unset_variable_falls_back_to_the_module_default(tree):
    """Without a value in the tfvars, the variable is required (declarations) and the module's
    default (7 days) is what the retention rule sees: the message names the module's file and line."""
    drop_var(tree, "prod", "backup_retention_period")
    violations = found(tree, "prod")
    only_rule(violations, "declarations.required")
    v = only_rule(violations, "backups.retention")
    assert v.file == engine.MODULE_VARS_REL and v.line
    assert "backup_retention_period = 7 (module default) is below the prod minimum 14 days" in v.message
    assert re.match(
        r'\s*variable "backup_retention_period"', (tree / engine.MODULE_VARS_REL).read_text().splitlines()[v.line - 1]
    )


def test_environment_without_limits(tree):
    shutil.copytree(tree / "envs/staging", tree / "envs/qa")
    set_var(tree, "qa", "environment", '"qa"')
    v = only_rule(found(tree, "qa"), "declarations.limits")
    assert "no limits for environment qa" in v.message


def test_limits_are_read_from_the_root_checked(tree):
    path = tree / "policies/limits.yaml"
    path.write_text(
        path.read_text().replace("acu: {min_floor: 2, max_ceiling: 32}", "acu: {min_floor: 2, max_ceiling: 8}")
    )
    v = only_rule(found(tree, "prod"), "acu.ceiling")
    assert "exceeds the prod ceiling 8" in v.message


# ---------------------------------------------------------------------------
# End to end: exit codes of the CLI and of the policy pytest on a broken copy
# ---------------------------------------------------------------------------
def run(*args: str, cwd: Path = REPO) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, *args], cwd=cwd, capture_output=True, text=True, timeout=120)


def test_cli_exit_codes_and_reports(tree, tmp_path):
    ok = run(
        "-m", "policies", "--root", str(tree), "--summary", str(tmp_path / "s.md"), "--sarif", str(tmp_path / "s.sarif")
    )
    assert ok.returncode == 0, ok.stdout + ok.stderr
    assert "## Policy checks: passed" in (tmp_path / "s.md").read_text()
    line = set_var(tree, "prod", "max_capacity", "64")
    bad = run(
        "-m", "policies", "--root", str(tree), "--summary", str(tmp_path / "s.md"), "--sarif", str(tmp_path / "s.sarif")
    )
    assert bad.returncode == 1
    assert f"prod: envs/prod/terraform.tfvars:{line} max_capacity = 64 exceeds the prod ceiling 32" in bad.stdout
    summary = (tmp_path / "s.md").read_text()
    assert "## Policy checks: FAILED" in summary and "| ACU range | 2-64 | 2-32 | **fail** |" in summary
    sarif = json.loads((tmp_path / "s.sarif").read_text())
    results = sarif["runs"][0]["results"]
    assert {"acu.ceiling", "cost.ceiling"} <= {r["ruleId"] for r in results}
    loc = results[0]["locations"][0]["physicalLocation"]
    assert loc["artifactLocation"]["uri"] == "envs/prod/terraform.tfvars" and loc["region"]["startLine"] == line
    assert run("-m", "policies", "--root", str(tmp_path / "nowhere")).returncode == 2


def test_policy_pytest_fails_on_a_broken_copy(tree):
    line = set_var(tree, "staging", "backup_retention_period", "3")
    out = run("-m", "pytest", "-q", "-p", "no:cacheprovider", "policies", "--root", str(tree), cwd=REPO)
    assert out.returncode == 1, out.stdout
    assert (
        f"staging: envs/staging/terraform.tfvars:{line} backup_retention_period = 3 is below the staging minimum 7 days"
        in out.stdout
    )
    assert (
        "test_backups.py::test_backups[staging] FAILED" in out.stdout
        or "FAILED policies/test_backups.py::test_backups[staging]" in out.stdout
    )
