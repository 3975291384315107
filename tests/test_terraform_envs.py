"""The Terraform environment roots against the generator's contract (fast: no terraform, no AWS).

- envs/dev, envs/staging and envs/prod differ only in terraform.tfvars: every .tf file and the lock
  file are byte-identical; the .tf files live in envs/dev, the other roots link to them (relative
  symlinks), while lock files stay regular files (terraform init replaces them);
- each root's variables.tf declares exactly the variables generator/templates/terraform.tfvars.j2
  writes, each typed and described;
- each generated terraform.tfvars sets exactly those variables.
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
ENVS = ("dev", "staging", "prod")
TEMPLATE = ROOT / "generator" / "templates" / "terraform.tfvars.j2"
TOP_LEVEL_ASSIGNMENT = re.compile(r"^([a-z_][a-z0-9_]*)\s*=", re.MULTILINE)


# Declared with standard mode's value as default, so that a tfvars without them plans as before (whether or not
# the template writes them); master_password never comes from a file (TF_VAR_master_password).
DEFAULTED = {
    "cluster_scalability_type": '"standard"',
    "shard_group": "null",
    "engine_version": "null",
    "master_password": "null",
}


def contract_variables() -> set[str]:
    return set(TOP_LEVEL_ASSIGNMENT.findall(TEMPLATE.read_text()))


def declared_variables(env: str) -> dict[str, str]:
    """variable name => its block's text, from envs/<env>/*.tf."""
    blocks: dict[str, str] = {}
    for tf in sorted((ROOT / "envs" / env).glob("*.tf")):
        text = tf.read_text()
        for m in re.finditer(r'^variable "([^"]+)" \{\n(.*?)^\}', text, re.MULTILINE | re.DOTALL):
            blocks[m.group(1)] = m.group(2)
    return blocks


def root_files(env: str) -> dict[str, bytes]:
    d = ROOT / "envs" / env
    files = [p for p in d.glob("*.tf") if not p.name.endswith("_override.tf")]
    files.append(d / ".terraform.lock.hcl")
    return {p.name: p.read_bytes() for p in files if p.exists()}


def test_contract_is_not_empty():
    assert {"environment", "aws_region", "dr_region", "min_capacity", "max_capacity"} <= contract_variables()


def test_env_roots_are_identical_but_for_tfvars():
    reference = root_files(ENVS[0])
    assert {"main.tf", "variables.tf", "versions.tf", ".terraform.lock.hcl"} <= set(reference)
    for env in ENVS[1:]:
        files = root_files(env)
        assert set(files) == set(reference), f"envs/{env} has other .tf files than envs/{ENVS[0]}"
        differing = sorted(name for name in files if files[name] != reference[name])
        assert not differing, f"envs/{env} differs from envs/{ENVS[0]} in {differing}: only terraform.tfvars may"


@pytest.mark.parametrize("env", ENVS[1:])
def test_other_roots_link_to_the_first(env):
    d = ROOT / "envs" / env
    for tf in sorted((ROOT / "envs" / ENVS[0]).glob("*.tf")):
        if tf.name.endswith("_override.tf"):
            continue
        link = d / tf.name
        assert link.is_symlink(), f"envs/{env}/{tf.name} must be a symlink to ../{ENVS[0]}/{tf.name}"
        assert str(link.readlink()) == f"../{ENVS[0]}/{tf.name}", f"envs/{env}/{tf.name} -> {link.readlink()}"
    assert not any(p.is_symlink() for p in (d / ".terraform.lock.hcl", d / "terraform.tfvars")), (
        f"envs/{env}: lock file and tfvars are the root's own files"
    )


@pytest.mark.parametrize("env", ENVS)
def test_variables_are_exactly_the_contract(env):
    declared = declared_variables(env)
    contract = contract_variables()
    assert set(declared) - set(DEFAULTED) == contract - set(DEFAULTED) and set(DEFAULTED) <= set(declared), (
        f"envs/{env}: missing {sorted((contract | set(DEFAULTED)) - set(declared))}, "
        f"extra {sorted(set(declared) - contract - set(DEFAULTED))}"
    )
    for name, body in declared.items():
        assert re.search(r"^\s*type\s*=", body, re.MULTILINE), f"{name} has no type"
        assert re.search(r'^\s*description\s*=\s*"\S', body, re.MULTILINE), f"{name} has no description"
        default = re.search(r"^\s*default\s*=\s*(.+)$", body, re.MULTILINE)
        if name in DEFAULTED:
            assert default and default.group(1).strip() == DEFAULTED[name], f"{name} must default to {DEFAULTED[name]}"
        else:
            assert not default, f"{name} has a default: the generated tfvars must set every contract variable"


@pytest.mark.parametrize("env", ENVS)
def test_generated_tfvars_set_exactly_the_contract(env):
    tfvars = ROOT / "envs" / env / "terraform.tfvars"
    assert tfvars.exists(), f"{tfvars.relative_to(ROOT)} is missing: generate it (make generate) and commit it"
    written = set(TOP_LEVEL_ASSIGNMENT.findall(tfvars.read_text()))
    # a single-writer environment leaves the Limitless variables at their defaults (a Limitless render writes
    # them: tests/test_terraform_limitless.py plans that render)
    assert written == contract_variables() - set(DEFAULTED)
    assert "master_password" not in written, "a password never goes into a tfvars"


def test_emulator_override_touches_only_the_module_call():
    override = (ROOT / "scripts" / "emulator" / "emulator_override.tf").read_text()
    blocks = re.findall(r'^(\w+)(?: "([^"]+)")* \{', override, re.MULTILINE)
    assert blocks == [("module", "aurora")], 'the emulator override may only adjust module "aurora"'
