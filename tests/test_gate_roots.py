"""The gate reads the roots' code: each way a root could deploy something other than its terraform.tfvars says
(issue 15, "The gate does not stand alone") makes `python -m policies` exit 1 with a violation naming the file
and line, in a copy of the repository whose prod and staging roots link to envs/dev as the real ones do.
"""

from __future__ import annotations

import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from tests.conftest import REPO, make_copy

MAIN = "envs/dev/main.tf"


@pytest.fixture
def linked(tmp_path: Path) -> Path:
    """envs/, modules/ and policies/ copied, envs/ with its links kept (prod and staging link to envs/dev)."""
    root = make_copy(tmp_path / "root")
    shutil.rmtree(root / "envs")
    shutil.copytree(REPO / "envs", root / "envs", symlinks=True, ignore=shutil.ignore_patterns(".terraform*"))
    assert (root / "envs/prod/main.tf").is_symlink()
    return root


def gate(root: Path) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "-m", "policies", "-q", "--root", str(root)],
        cwd=REPO,
        capture_output=True,
        text=True,
        timeout=120,
    )


def edit(root: Path, rel: str, old: str, new: str) -> int:
    """Replace `old` (once) in a file, through its link if it is one; return the 1-based line of `new`."""
    path = root / rel
    text = path.read_text()
    assert old in text, f"{old!r} not in {rel}"
    text = text.replace(old, new, 1)
    path.write_text(text)
    return text[: text.index(new)].count("\n") + 1 + (1 if new.startswith("\n") else 0)


def lines(proc: subprocess.CompletedProcess) -> list[str]:
    assert proc.returncode == 1, proc.stdout + proc.stderr
    assert "Traceback" not in proc.stderr, proc.stderr
    return proc.stdout.splitlines()


def hit(out: list[str], env: str, where: str, rule: str, text: str = "") -> str:
    found = [ln for ln in out if ln.startswith(f"{env}: {where} ") and ln.endswith(f"[{rule}]") and text in ln]
    assert found, f"no {env}: {where} ... [{rule}] holding {text!r} in:\n" + "\n".join(out)
    return found[0]


def test_the_repository_and_the_linked_copy_pass(linked):
    for root in (REPO, linked):
        proc = gate(root)
        assert proc.returncode == 0, proc.stdout + proc.stderr
        assert proc.stdout == ""


@pytest.mark.parametrize(
    "old,new,text",
    [
        ("= var.max_capacity\n", "= 256\n", "max_capacity = 256: must be var.max_capacity"),
        ("= var.max_capacity\n", "= var.max_capacity * 8\n", "max_capacity = var.max_capacity * 8: must be"),
        (
            "= var.deletion_protection\n",
            '= var.environment == "prod" ? false : var.deletion_protection\n',
            "deletion_protection = var.environment ==",
        ),
        ("= var.max_capacity\n", "= local.cap\n", "max_capacity = local.cap: must be var.max_capacity"),
        ('= "../../modules/aurora-serverless-v2"', '= "../../modules/other"', 'source = "../../modules/other"'),
        ("= var.proxy_max_connections_percent\n", "= 100\n", "proxy.max_connections_percent = 100: must be"),
        ("= data.aws_vpc.this.id\n", '= "vpc-123"\n', 'vpc_id = "vpc-123": must be data.aws_vpc.this.id'),
        ("  source = ", "  count = 0\n  source = ", "count = 0: count is not a variable of the module"),
        # Limitless mode's arguments are held like the others (issue 14).
        ("= var.shard_group\n", "= { max_acu = 6144 }\n", "shard_group = {max_acu = 6144}: must be var.shard_group"),
        (
            "= var.cluster_scalability_type\n",
            '= "limitless"\n',
            'cluster_scalability_type = "limitless": must be var.cluster_scalability_type',
        ),
        ("= var.engine_version\n", '= "16.6-limitless"\n', 'engine_version = "16.6-limitless": must be var.'),
    ],
    ids=[
        "literal",
        "expression",
        "conditional",
        "local",
        "source",
        "proxy-literal",
        "vpc-literal",
        "count",
        "shard-group-literal",
        "scalability-literal",
        "engine-literal",
    ],
)
def test_a_module_argument_that_is_not_the_variable_fails_every_root(linked, old, new, text):
    line = edit(linked, MAIN, old, new)
    out = lines(gate(linked))
    for env in ("dev", "staging", "prod"):  # envs/dev/main.tf is every root's main.tf
        hit(out, env, f"envs/{env}/main.tf:{line}", "roots.source" if "source" in text else "roots.argument", text)


def test_a_local_feeding_the_module_is_held_to_its_expression(linked):
    line = edit(linked, MAIN, '  name = "mistersmith-${var.environment}"', '  name = "shared"')
    hit(lines(gate(linked)), "prod", f"envs/prod/main.tf:{line}", "roots.local", 'local.name = "shared"')


def test_a_dropped_argument_is_not_the_module_default(linked):
    # Aligned by terraform fmt to backup_cross_region_copy_rules, the block's longest argument.
    edit(linked, MAIN, "  deletion_protection            = var.deletion_protection\n", "")
    module_line = edit(linked, MAIN, 'module "aurora" {', 'module "aurora" {')
    hit(
        lines(gate(linked)),
        "prod",
        f"envs/prod/main.tf:{module_line}",
        "roots.argument",
        "deletion_protection is not passed",
    )


def test_a_real_file_replacing_the_prod_link(linked):
    prod = linked / "envs/prod/main.tf"
    text = prod.read_text().replace("= var.max_capacity\n", "= 256\n")
    prod.unlink()
    prod.write_text(text)
    line = text[: text.index("= 256\n")].count("\n") + 1
    out = lines(gate(linked))
    hit(out, "prod", f"envs/prod/main.tf:{line}", "roots.argument", "max_capacity = 256")
    hit(out, "prod", f"envs/prod/main.tf:{line}", "roots.drift", "differs from envs/dev/main.tf")
    assert not [ln for ln in out if ln.startswith(("dev:", "staging:"))], out


def test_a_real_file_identical_to_the_link_is_no_drift(linked):
    prod = linked / "envs/prod/main.tf"
    text = prod.read_text()
    prod.unlink()
    prod.write_text(text)
    assert gate(linked).returncode == 0


@pytest.mark.parametrize(
    "file,text,rule,message",
    [
        (
            "main.tf",
            '\nmodule "aurora2" {\n  source = "../../modules/aurora-serverless-v2"\n}\n',
            "roots.module",
            'module "aurora2"',
        ),
        (
            "extra.tf",
            'module "aurora" {\n  source = "../../modules/aurora-serverless-v2"\n}\n',
            "roots.module",
            'a second module "aurora"',
        ),
        ("main.tf", '\nresource "aws_rds_cluster" "more" {\n}\n', "roots.block", "a resource block"),
        ("main.tf", '\ndata "external" "x" {\n  program = ["sh"]\n}\n', "roots.data", 'data "external"'),
        (
            "providers.tf",
            '\nprovider "aws" {\n  alias  = "other"\n  region = "eu-west-1"\n}\n',
            "roots.provider",
            'provider "aws" {alias = "other"',
        ),
        ("main.tf", "\nremoved {\n  from = module.aurora\n}\n", "roots.block", "a removed block"),
    ],
    ids=["second-module", "second-aurora-block", "resource", "data-external", "provider", "removed"],
)
def test_more_code_in_the_root(linked, file, text, rule, message):
    path = linked / "envs/dev" / file
    before = path.read_text() if path.exists() else ""
    path.write_text(before + text)
    header = text.strip().splitlines()[0]
    line = (before + text)[: len(before) + text.index(header)].count("\n") + 1
    out = lines(gate(linked))
    hit(out, "dev", f"envs/dev/{file}:{line}", rule, message)
    if file == "extra.tf":  # a new file in envs/dev only: the other roots no longer match it
        hit(out, "prod", "envs/prod/extra.tf:", "roots.drift", "missing: envs/dev has it")


def test_a_provider_override_of_the_expected_one(linked):
    line = edit(
        linked, "envs/dev/providers.tf", "  region = var.aws_region\n", '  region = var.aws_region\n  profile = "x"\n'
    )
    hit(
        lines(gate(linked)), "prod", f"envs/prod/providers.tf:{line - 1}", "roots.provider", "is not one of the allowed"
    )


@pytest.mark.parametrize("name", ["override.tf", "aurora_override.tf", "backend_override.tf"])
def test_override_files(linked, name):
    body = 'module "aurora" {\n  max_capacity = 256\n}\n'
    if name == "backend_override.tf":  # the marker scripts/tf-run.sh writes does not make the rest acceptable
        body = '# generated by scripts/tf-run.sh\nterraform {\n  backend "s3" {}\n}\n' + body
    (linked / "envs/prod" / name).write_text(body)
    rule = "roots.override" if name == "backend_override.tf" else "declarations.variable_file"
    hit(lines(gate(linked)), "prod", f"envs/prod/{name}:", rule)


def test_the_generated_backend_override_is_accepted(linked):
    (linked / "envs/prod/backend_override.tf").write_text(
        '# generated by scripts/tf-run.sh from backend-s3.hcl\nterraform {\n  backend "s3" {}\n}\n'
    )
    assert gate(linked).returncode == 0


@pytest.mark.parametrize(
    "old,new,field",
    [
        ("reference_root: dev", "reference_root: [dev]", "reference_root"),
        ("vpc_id: data.aws_vpc.this.id", "vpc_id: data.aws_vpc.this.id +", "module.arguments.vpc_id"),
        ("blocks: [", "blokcs: [", "blokcs"),
        ('required_version = ">= 1.11.0"', "required_version = ", "terraform"),
    ],
)
def test_a_bad_roots_file_is_one_line_exit_2(linked, old, new, field):
    edit(linked, "policies/roots.yaml", old, new)
    proc = gate(linked)
    assert proc.returncode == 2 and proc.stdout == "", proc.stdout + proc.stderr
    assert re.fullmatch(rf"policies: policies/roots\.yaml: {re.escape(field)}: [^\n]+\n", proc.stderr), proc.stderr


def test_trusted_limits_bring_their_own_roots_file(linked, tmp_path):
    """`--limits FILE` (the base branch's rules judging a pull request): roots.yaml comes from beside FILE, so a
    pull request that widens its own allow-list together with main.tf is judged by the base's."""
    trusted = tmp_path / "trusted"
    shutil.copytree(REPO / "policies", trusted, ignore=shutil.ignore_patterns("__pycache__"))
    edit(linked, "policies/roots.yaml", "vpc_id: data.aws_vpc.this.id", "vpc_id: '\"vpc-0123\"'")
    line = edit(
        linked, MAIN, "vpc_id                     = data.aws_vpc.this.id", 'vpc_id                     = "vpc-0123"'
    )
    assert gate(linked).returncode == 0  # judged by its own widened roots.yaml, it passes
    proc = subprocess.run(
        [sys.executable, "-m", "policies", "-q", "--root", str(linked), "--limits", str(trusted / "limits.yaml")],
        cwd=REPO,
        capture_output=True,
        text=True,
        timeout=120,
    )
    hit(lines(proc), "prod", f"envs/prod/main.tf:{line}", "roots.argument", "must be data.aws_vpc.this.id")


@pytest.mark.parametrize(
    "file,old,new",
    [
        ("envs/dev/versions.tf", 'source  = "hashicorp/aws"', 'source  = "evil/aws"'),
        ("envs/dev/versions.tf", 'version = "~> 5.100"', 'version = ">= 1.0"'),
        ("envs/dev/versions.tf", "\n}\n", '\n}\nterraform {\n  backend "http" {}\n}\n'),
        ("envs/dev/versions.tf", 'required_version = ">= 1.11.0"', 'required_version = ">= 1.11.0"\n  cloud {}'),
    ],
    ids=["provider-source", "provider-version", "a-second-terraform-block-with-a-backend", "cloud"],
)
def test_the_terraform_block_is_the_one_in_roots_yaml(linked, file, old, new):
    """Another provider source (or backend) is other code run with the plan role's credentials."""
    text = (linked / file).read_text()
    edit(linked, file, old, new)
    out = lines(gate(linked))
    line = text.count("\n") + 1 if new.startswith("\n}\nterraform") else 1
    for env in ("dev", "prod", "staging"):
        hit(out, env, f"envs/{env}/versions.tf:{line}", "roots.terraform", "must be exactly the one")
    assert len([ln for ln in out if ln.startswith("dev: ")]) == 1, out
