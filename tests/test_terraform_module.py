"""The module's shape against issue 9's promises (fast: no terraform, no AWS).

- the provider constraint admits 5.100+ and 6.x, the module's lock file agrees, and nothing in the module
  reads what 6.x deprecates or removed (data.aws_region's name: the module reads its id);
- every example is a root of its own: versions.tf with the module's constraint, a README with the
  terraform-docs markers (filled by `make docs`), and a mock-provider plan test that `make tf-test` runs;
- the network path: no client source (CIDRs, prefix lists, application security groups) is written into a
  rule of the cluster's security group unless it is gated on the proxy being off.
"""

from __future__ import annotations

import re
from pathlib import Path

import hcl2
import pytest

ROOT = Path(__file__).resolve().parent.parent
MODULE = ROOT / "modules" / "aurora-serverless-v2"
EXAMPLES = sorted(p for p in (MODULE / "examples").iterdir() if (p / "main.tf").exists())
CONSTRAINT = ">= 5.100.0, < 7.0.0"
# Provider 6.0: attributes deprecated or removed that this module could be tempted to read.
V6_GONE = [re.compile(r"data\.aws_region\.[a-z_]+\.name\b")]


def aws_constraint(path: Path) -> str:
    with path.open() as f:
        parsed = hcl2.load(f)
    return parsed["terraform"][0]["required_providers"][0]["aws"]["version"]


def test_module_admits_5_100_and_6_x():
    assert aws_constraint(MODULE / "versions.tf") == CONSTRAINT
    lock = (MODULE / ".terraform.lock.hcl").read_text()
    assert f'constraints = "{CONSTRAINT}"' in lock and 'version     = "5.100.0"' in lock


def test_nothing_that_provider_6_deprecates_or_removed():
    hits = [
        f"{tf.relative_to(ROOT)}:{n}: {line.strip()}"
        for tf in sorted(MODULE.rglob("*.tf"))
        if ".terraform" not in tf.parts
        for n, line in enumerate(tf.read_text().splitlines(), 1)
        if not line.lstrip().startswith("#") and any(p.search(line) for p in V6_GONE)
    ]
    assert not hits, "provider 6.x deprecates these (use data.aws_region's id):\n" + "\n".join(hits)


def test_the_five_examples_exist():
    assert {p.name for p in EXAMPLES} >= {
        "complete",
        "minimal",
        "global-database",
        "scale-to-zero",
        "restore-from-snapshot",
    }


@pytest.mark.parametrize("example", EXAMPLES, ids=lambda p: p.name)
def test_example_is_a_documented_tested_root(example):
    assert aws_constraint(example / "versions.tf") == CONSTRAINT
    readme = (example / "README.md").read_text()
    assert readme.startswith("# ") and "<!-- BEGIN_TF_DOCS -->" in readme and "<!-- END_TF_DOCS -->" in readme
    tests = list((example / "tests").glob("*.tftest.hcl"))
    assert tests, f"{example.relative_to(ROOT)} has no tests/*.tftest.hcl"
    for t in tests:
        text = t.read_text()
        assert 'source = "../../tests/mocks/aws"' in text and re.search(r"^run \"", text, re.MULTILINE), t


RULE = re.compile(
    r'^resource "aws_vpc_security_group_ingress_rule" "(cluster_[a-z0-9_]+)" \{\n(.*?)^\}', re.MULTILINE | re.DOTALL
)


def test_clients_reach_the_cluster_only_without_a_proxy():
    rules = dict(RULE.findall((MODULE / "main.tf").read_text()))
    assert {"cluster_from_proxy", "cluster_admin", "cluster_cidr", "cluster_sg"} <= set(rules)
    for name, body in rules.items():
        for source in (
            "allowed_cidr_blocks",
            "allowed_ipv6_cidr_blocks",
            "allowed_prefix_list_ids",
            "allowed_security_group_ids",
        ):
            assert f"var.{source}" not in body, f"{name} admits var.{source} on the cluster directly"
    clients = re.search(
        r"cluster_clients = var\.proxy\.enabled \? \{(.*?)\} : \{", (MODULE / "main.tf").read_text(), re.DOTALL
    )
    assert clients and "var." not in clients.group(1), "with a proxy, local.cluster_clients must be empty"
