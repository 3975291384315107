"""One definition of a private network: the generator, the policy checks and the module agree on every CIDR.

The definition is generator/data/aws-limits-2025-11.yaml network.private_ipv4_ranges (10/8, 172.16/12,
192.168/16, 100.64/10; fc00::/7 for IPv6), which the module copies into limits.tf (pinned by
tests/test_terraform_limits.py). The table holds the ranges that once split the three: loopback,
link-local and documentation blocks (accepted by Python's is_private, refused by the module), RFC 6598's
100.64.0.0/10 (the reverse) and IPv6 unique local addresses (allowed_cidr_blocks is IPv4 in the module).
The module's side is its own validation condition, read from variables.tf and evaluated by one
`terraform console` run (no provider, no init: ~0.1 s).
"""

from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
from pathlib import Path

import pytest
import yaml

from generator.errors import InputError
from generator.inputs import data
from generator.inputs.loader import load_environment
from policies.results import Config, EnvResult, Setting
from policies.rules.context import Ctx
from policies.rules.network import check_network
from tests.conftest import REPO

MODULE = REPO / "modules/aurora-serverless-v2"

# CIDR -> accepted in allowed_cidr_blocks
TABLE = {
    "10.0.0.0/16": True,
    "10.0.0.0/8": True,
    "172.16.5.0/24": True,
    "172.31.255.0/24": True,
    "192.168.1.0/24": True,
    "100.64.0.0/16": True,
    "100.127.0.0/16": True,
    "10.1.2.3/32": True,
    "127.0.0.0/8": False,
    "169.254.0.0/16": False,
    "192.0.2.0/24": False,
    "198.51.100.0/24": False,
    "0.0.0.0/0": False,
    "8.8.8.0/24": False,
    "11.0.0.0/8": False,
    "10.0.0.0/7": False,
    "172.32.0.0/16": False,
    "100.128.0.0/16": False,
    "100.0.0.0/8": False,
    "192.169.0.0/16": False,
    "fd00::/8": False,
    "fc00::/7": False,
    "2001:db8::/32": False,
    "::/0": False,
}


def generator_accepts(cidr: str, tmp_path: Path) -> bool:
    doc = yaml.safe_load((REPO / "envs/prod/sizing.yaml").read_text())
    doc["network"]["allowed_cidr_blocks"] = [cidr]
    path = tmp_path / "prod.yaml"
    path.write_text(yaml.safe_dump(doc))
    try:
        load_environment(path, "prod")
    except InputError as exc:
        assert exc.field == "network.allowed_cidr_blocks[0]", exc.line()
        return False
    return True


def policies_accept(cidr: str) -> bool:
    setting = Setting("allowed_cidr_blocks", [cidr], "envs/prod/terraform.tfvars", 14, "tfvars")
    result = EnvResult("prod", "hcl")
    lim = {"network": {"private_cidrs_only": True}}
    check_network(Ctx(Config("prod", {"allowed_cidr_blocks": setting}), lim, data.limits(), data.prices(), result))
    return not result.violations


def module_verdicts(cidrs: list[str], tmp_path: Path) -> dict[str, bool]:
    """The module's allowed_cidr_blocks validation, evaluated per CIDR with its own limits.tf and locals."""
    variables = (MODULE / "variables.tf").read_text()
    block = variables[variables.index('variable "allowed_cidr_blocks"') :]
    condition = re.search(r"^\s*condition\s*=\s*(.+)$", block, re.M).group(1)
    assert "local.private_ipv4_ranges" in condition and "var.allowed_cidr_blocks" in condition
    ranges = re.search(r"^\s*private_ipv4_ranges\s*=\s*(.+)$", (MODULE / "main.tf").read_text(), re.M).group(1)
    limits_tf = (MODULE / "limits.tf").read_text()
    work = tmp_path / "console"
    work.mkdir()
    (work / "limits.tf").write_text(limits_tf)
    decls = "".join(
        f'variable "{v}" {{\n  default = 1\n}}\n' for v in sorted(set(re.findall(r"var\.(\w+)", limits_tf)))
    )
    (work / "context.tf").write_text(decls + f"locals {{\n  private_ipv4_ranges = {ranges}\n}}\n")
    expr = f"jsonencode({{for c in {json.dumps(cidrs)} : c => {condition.replace('var.allowed_cidr_blocks', '[c]')}}})"
    env = {**os.environ, "TF_CLI_CONFIG_FILE": str(work / "none.tfrc"), "TF_IN_AUTOMATION": "1"}
    (work / "none.tfrc").write_text("")
    proc = subprocess.run(
        ["terraform", "console"], input=expr + "\n", capture_output=True, text=True, cwd=work, env=env, timeout=60
    )
    assert proc.returncode == 0, proc.stderr
    return json.loads(json.loads(proc.stdout.strip().splitlines()[-1]))


@pytest.mark.skipif(shutil.which("terraform") is None, reason="terraform is not installed")
def test_generator_policies_and_module_agree_on_every_cidr(tmp_path):
    module = module_verdicts(list(TABLE), tmp_path)
    rows = []
    for cidr, expected in TABLE.items():
        got = (generator_accepts(cidr, tmp_path), policies_accept(cidr), module[cidr])
        if got != (expected,) * 3:
            rows.append(f"{cidr}: generator {got[0]}, policies {got[1]}, module {got[2]}; expected {expected}")
    assert not rows, "\n".join(rows)


def test_the_definition_is_the_data_file():
    """The ranges are data: widening the file's list widens what the generator and the policies accept."""
    limits = {
        **data.limits(),
        "network": {"private_ipv4_ranges": ["10.0.0.0/8", "127.0.0.0/8"], "private_ipv6_ranges": []},
    }
    from generator.inputs.validate import cidr_problem

    assert cidr_problem("127.0.0.0/8", limits) is None
    assert cidr_problem("127.0.0.0/8", data.limits())[0] == "public"
    assert cidr_problem("fd00::/8", data.limits(), family=6) is None
