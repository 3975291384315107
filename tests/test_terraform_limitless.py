"""The module's Limitless mode against AWS's facts (fast: no terraform, no AWS).

modules/aurora-serverless-v2/limits.tf holds the module's copy of generator/data/limitless-2026-12.yaml
(local.limitless_limits: the shard group's ACU bounds and compute redundancy values, the storage type, the
engine version suffix, Performance Insights' minimum retention, the required log export). Here:

- every value of local.limitless_limits equals the data file's, and the data file's date is the module's;
- no other module file writes the shard group's ceiling as a literal in code;
- every validation refusing a feature in Limitless mode names it as not supported and cites AWS's page, and
  each has a terraform test run that expects it to fail (tests/limitless.tftest.hcl);
- an environment root given the tfvars `aurora-gen render` writes for `topology: limitless` (prod's sizing)
  plans with mock providers, and stops on a refused combination with the feature's name.
"""

from __future__ import annotations

import os
import re
import shutil
import subprocess
from pathlib import Path

import hcl2
import pytest
import yaml

from tests.test_terraform_limits import code_lines, leaves, normalise

ROOT = Path(__file__).resolve().parent.parent
MODULE = ROOT / "modules" / "aurora-serverless-v2"
DATA = ROOT / "generator" / "data" / "limitless-2026-12.yaml"


def yaml_facts() -> dict:
    return yaml.safe_load(DATA.read_text())


def module_facts() -> dict:
    with (MODULE / "limits.tf").open() as f:
        parsed = hcl2.load(f)
    for block in parsed["locals"]:
        if "limitless_limits" in block:
            return block["limitless_limits"]
    raise AssertionError("limits.tf defines no local limitless_limits")


def test_effective_date_matches_the_data_file():
    assert module_facts()["effective"] == str(yaml_facts()["effective"])


@pytest.mark.parametrize(
    "path, value",
    [p for p in leaves(module_facts()) if p[0] != ("effective",)],
    ids=lambda x: ".".join(x) if isinstance(x, tuple) else None,
)
def test_module_fact_equals_the_data_file(path, value):
    data = yaml_facts()
    for key in path:
        assert isinstance(data, dict) and key in data, f"{'.'.join(path)}: not in {DATA.relative_to(ROOT)}"
        data = data[key]
    assert normalise(value) == normalise(data), f"limits.tf {'.'.join(path)} = {value!r}, data file says {data!r}"


@pytest.mark.parametrize(
    "path",
    [
        "shard_group.min_acu_floor",
        "shard_group.max_acu_ceiling",
        "shard_group.compute_redundancy_values",
        "cluster.storage_type",
        "cluster.engine_version_suffix",
        "cluster.performance_insights_min_retention_days",
        "cluster.cloudwatch_logs_exports_required",
    ],
)
def test_module_covers_the_facts_it_needs(path):
    node = module_facts()
    for key in path.split("."):
        assert key in node, f"limits.tf limitless_limits lacks {path}"
        node = node[key]


def test_no_shard_group_ceiling_outside_limits_tf():
    ceiling = f"{yaml_facts()['shard_group']['max_acu_ceiling']:g}"
    pattern = re.compile(r"(?<![\w.])" + re.escape(ceiling) + r"(?![\w.])")
    hits = [
        f"{tf.name}:{n}: {code.strip()}"
        for tf in sorted(MODULE.glob("*.tf"))
        if tf.name != "limits.tf"
        for n, code in code_lines(tf)
        if pattern.search(code)
    ]
    assert not hits, "the shard group's bounds belong in limits.tf (local.limitless_limits):\n" + "\n".join(hits)


VALIDATION = re.compile(r"validation \{\n(.*?)\n  \}", re.DOTALL)
VARIABLE = re.compile(r'^variable "([^"]+)" \{\n(.*?)^\}', re.MULTILINE | re.DOTALL)


def refusals() -> list[tuple[str, str]]:
    """(variable, error message) of each validation that refuses a setting in Limitless mode."""
    out = []
    for name, body in VARIABLE.findall((MODULE / "variables.tf").read_text()):
        for v in VALIDATION.findall(body):
            if 'cluster_scalability_type != "limitless"' in v and "Aurora PostgreSQL Limitless Database" in v:
                out.append((name, re.search(r"error_message\s*=\s*(.*)", v).group(1)))
    return out


def test_every_unsupported_feature_is_refused():
    refused = {name for name, _ in refusals()}
    assert refused >= {
        "proxy",
        "reader_promotion_tiers",
        "global_database",
        "backup_cross_region_copy",
        "reader_autoscaling",
        "endpoints",
        "enable_http_endpoint",
        "iam_role_associations",
        "restore_to_point_in_time",
        "master_user_password_rotation",
        "extra_cluster_parameters",
        "storage_type",
        "cluster_scalability_type",
    }


@pytest.mark.parametrize("variable, message", refusals(), ids=lambda x: x if "$" not in x else None)
def test_each_refusal_names_the_feature_and_aws_page(variable, message):
    assert (
        "Aurora PostgreSQL Limitless Database" in message and "local.limitless_limits.sources.requirements" in message
    )
    tests = (MODULE / "tests" / "limitless.tftest.hcl").read_text()
    assert re.search(r"expect_failures = \[var\." + variable + r"\]", tests), (
        f"no run of tests/limitless.tftest.hcl expects var.{variable} to fail"
    )


# ---------------------------------------------------------------------------
# An environment root with a Limitless tfvars, planned with mock providers
# ---------------------------------------------------------------------------
# The generator's own render of prod with `topology: limitless` (shard group 16-16 ACU at prod's load), with
# max_acu raised to 400 by the test's lines: the contract is what render writes, not a copy of it.
LIMITLESS_TFVARS = """
shard_group = { min_acu = 16, max_acu = 400, compute_redundancy = 1 }
"""


def rendered_limitless(env: str) -> str:
    """envs/<env>'s tfvars as `aurora-gen render` writes it when its sizing.yaml says `topology: limitless`."""
    from generator.model.sized import size_environment
    from generator.outputs.render import render_tfvars

    path = ROOT / "envs" / env / "sizing.yaml"
    sized = size_environment(path, env, text=path.read_text() + "\ntopology: limitless\n")
    return render_tfvars(sized.env, sized.report, f"envs/{env}/sizing.yaml")


ROOT_TEST = """
mock_provider "aws" {
  source = "./tests/mocks/aws"
  mock_data "aws_vpc" {
    defaults = { id = "vpc-0123456789abcdef0" }
  }
  mock_data "aws_subnets" {
    defaults = { ids = ["subnet-0123456789abcdef0", "subnet-0123456789abcdef1"] }
  }
}

mock_provider "aws" {
  alias  = "dr"
  source = "./tests/mocks/aws-dr"
}

variables {
  master_password = "not-a-real-password-0123456789"
}

run "plans_the_limitless_environment" {
  command = plan

  assert {
    condition     = length(module.aurora.instances) == 0 && module.aurora.shard_group_capacity.max_acu == 400
    error_message = "a shard group of max 400 ACU and no instance"
  }
  assert {
    condition     = output.proxy_endpoint == null && module.aurora.cluster_scalability_type == "limitless"
    error_message = "Limitless, without a proxy"
  }
}
"""


def limitless_root(tmp_path: Path, env: str = "prod", extra: str = "") -> Path:
    """envs/<env> with its rendered Limitless tfvars (and `extra` lines over it), beside the module, in tmp_path."""
    root = tmp_path / "envs" / env
    root.mkdir(parents=True)
    (tmp_path / "modules").symlink_to(ROOT / "modules")
    for tf in (ROOT / "envs" / env).glob("*.tf"):
        (root / tf.name).write_text(tf.read_text())
    shutil.copy(ROOT / "envs" / env / ".terraform.lock.hcl", root / ".terraform.lock.hcl")
    tfvars = rendered_limitless(env)
    assert 'cluster_scalability_type = "limitless"' in tfvars and "backup_cross_region_copy       = false" in tfvars
    for line in filter(None, (LIMITLESS_TFVARS + extra).splitlines()):
        key = line.split("=", 1)[0].strip()
        # a rendered object spans lines (`key = {` ... `}`): the line given replaces all of it
        tfvars, n = re.subn(rf"(?ms)^{key}\s*=\s*\{{$.*?^\}}$|^{key}\s*=[^\n]*$", line, tfvars)
        if not n:
            tfvars += line + "\n"
    (root / "terraform.tfvars").write_text(tfvars)
    (root / "tests").mkdir()
    (root / "tests" / "limitless.tftest.hcl").write_text(ROOT_TEST)
    shutil.copytree(MODULE / "tests" / "mocks", root / "tests" / "mocks")
    return root


def terraform(root: Path, *args: str) -> subprocess.CompletedProcess:
    rc = ROOT / ".terraformrc.local"
    if not rc.exists():
        subprocess.run([str(ROOT / "scripts" / "tf-cli-config.sh"), str(rc)], check=True, capture_output=True)
    env = {**os.environ, "TF_CLI_CONFIG_FILE": str(rc), "TF_IN_AUTOMATION": "1"}
    env.pop("TF_REATTACH_PROVIDERS", None)
    return subprocess.run(
        ["terraform", f"-chdir={root}", *args, "-no-color"], capture_output=True, text=True, env=env, timeout=300
    )


needs_terraform = pytest.mark.skipif(shutil.which("terraform") is None, reason="terraform is not installed")


@needs_terraform
@pytest.mark.xdist_group(name="terraform-limitless-root")
def test_an_env_root_plans_a_limitless_tfvars(tmp_path):
    root = limitless_root(tmp_path)
    init = terraform(root, "init", "-backend=false", "-input=false")
    assert init.returncode == 0, init.stderr[-2000:]
    test = terraform(root, "test")
    assert test.returncode == 0 and "1 passed, 0 failed" in test.stdout, test.stdout[-3000:] + test.stderr[-3000:]


@needs_terraform
@pytest.mark.xdist_group(name="terraform-limitless-root")
def test_an_env_root_refuses_rds_proxy_in_limitless(tmp_path):
    """A Limitless tfvars with the proxy turned back on: the plan stops on the module's refusal, naming RDS Proxy."""
    root = limitless_root(tmp_path, extra="proxy_enabled = true\n")
    assert terraform(root, "init", "-backend=false", "-input=false").returncode == 0
    test = terraform(root, "test")
    out = " ".join((test.stdout + test.stderr).split())
    assert (
        test.returncode != 0 and "Amazon RDS Proxy is not supported in Aurora PostgreSQL Limitless Database" in out
    ), out[-3000:]
