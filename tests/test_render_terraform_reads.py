"""Terraform reads every rendered tfvars, and reads back exactly the text the sizing held.

`terraform validate` never reads variable files, so the check is `terraform console -var-file=...` in a
folder holding only the environment root's variables.tf: Terraform parses the file, converts each value
to its declared type and prints it back (no provider, no init: ~0.1 s a run). Strings holding `${` or `%{`
(interpolation and template directives) must arrive as text, not be evaluated or refused.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
from pathlib import Path

import pytest
import yaml
from click.testing import CliRunner

from generator.cli import main
from tests.conftest import REPO

pytestmark = pytest.mark.skipif(shutil.which("terraform") is None, reason="terraform is not installed")


def console(tfvars: Path, expr: str, tmp_path: Path) -> subprocess.CompletedProcess:
    work = tmp_path / "console"
    work.mkdir(exist_ok=True)
    (work / "variables.tf").write_text((REPO / "envs/dev/variables.tf").read_text())
    (work / "none.tfrc").write_text("")
    env = {**os.environ, "TF_CLI_CONFIG_FILE": str(work / "none.tfrc"), "TF_IN_AUTOMATION": "1"}
    return subprocess.run(
        ["terraform", "console", "-no-color", f"-var-file={tfvars}"],
        input=expr + "\n",
        capture_output=True,
        text=True,
        cwd=work,
        env=env,
        timeout=60,
    )


@pytest.mark.parametrize("env", ["dev", "staging", "prod"])
def test_terraform_reads_each_committed_tfvars(env, tmp_path):
    proc = console(
        REPO / "envs" / env / "terraform.tfvars", "jsonencode([var.environment, var.max_capacity])", tmp_path
    )
    assert proc.returncode == 0, proc.stderr
    assert json.loads(json.loads(proc.stdout.strip()))[0] == env


HOSTILE = 'db-${var.environment}-%{ if true }x%{ endif }-$${literal}-"quoted"-back\\slash-\ttab-\u00e9'


def test_interpolation_in_a_sizing_string_reaches_terraform_as_text(repo_copy, tmp_path):
    path = repo_copy / "envs/prod/sizing.yaml"
    doc = yaml.safe_load(path.read_text())
    doc["network"]["vpc_name"] = HOSTILE
    doc["network"]["subnet_tier"] = '${file("/etc/passwd")}'
    path.write_text(yaml.safe_dump(doc, allow_unicode=True))
    result = CliRunner(mix_stderr=False).invoke(main, ["--root", str(repo_copy), "render", "--env", "prod"])
    assert result.exit_code == 0, result.stderr
    tfvars = repo_copy / "envs/prod/terraform.tfvars"
    assert (
        'vpc_name                   = "db-$${var.environment}-%%{ if true }x%%{ endif }-$$${literal}-'
        in tfvars.read_text()
    )
    proc = console(tfvars, "jsonencode([var.vpc_name, var.subnet_tier])", tmp_path)
    assert proc.returncode == 0, proc.stderr
    assert json.loads(json.loads(proc.stdout.strip())) == [HOSTILE, '${file("/etc/passwd")}']


def test_the_policies_read_the_escaped_text_as_a_literal(repo_copy):
    """What Terraform reads as text, the checks read as text: no 'expression' violation for an escaped `${`."""
    from policies.hcl import declarations, parse_hcl
    from policies.rules.declarations import check_types

    text = 'vpc_name = "a$${b}%%{c}"\n'
    decls = declarations((REPO / "envs/dev/variables.tf").read_text())
    failures = []
    values, invalid = check_types(parse_hcl(text), text, "dev", decls, lambda *a: failures.append(a))
    assert failures == [] and values == {"vpc_name": "a${b}%{c}"}
