"""scripts/tf-shared-provider.sh (make tf-validate, make tf-test): the command gets the running provider to
attach to, its exit code is the script's, the provider is stopped after it, and a provider the lock files do
not agree on, or one that is not installed, is one line and exit 1 before anything runs.

A stand-in provider (a shell script printing the line the real one prints in its debug mode) keeps this fast.
"""

from __future__ import annotations

import os
import subprocess
from pathlib import Path

import pytest

from tests.test_ci_scripts import ROOT, write

SCRIPT = ROOT / "scripts" / "tf-shared-provider.sh"
LOCK = 'provider "registry.terraform.io/hashicorp/aws" {{\n  version     = "{v}"\n  constraints = ">= 5.0"\n}}\n'
FAKE_PROVIDER = """#!/bin/sh
[ "$1" = -debug ] || exit 3
echo "$$" > "$(dirname "$0")/pid"
echo "Provider started. To attach Terraform CLI, set the TF_REATTACH_PROVIDERS environment variable with the following:"
echo
printf "\\tTF_REATTACH_PROVIDERS='{{\\"registry.terraform.io/hashicorp/aws\\":{{\\"Pid\\":%s}}}}'\\n" "$$"
exec sleep 60
"""


def root(tmp_path: Path, versions: dict[str, str], installed: bool = True) -> Path:
    for d, v in versions.items():
        write(tmp_path / d / ".terraform.lock.hcl", LOCK.format(v=v))
    first, v = next(iter(versions.items()))
    if installed:
        binary = tmp_path / first / f".terraform/providers/registry.terraform.io/hashicorp/aws/{v}/linux_amd64"
        write(binary / f"terraform-provider-aws_v{v}_x5", FAKE_PROVIDER.format()).chmod(0o755)
    return tmp_path


def shared(tree: Path, dirs: list[str], *command: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        ["bash", str(SCRIPT), *dirs, "--", *command],
        cwd=tree,
        capture_output=True,
        text=True,
        timeout=60,
        env={k: v for k, v in os.environ.items() if k != "GOGC"},
    )


def provider_pid(tree: Path) -> int:
    return int(next(tree.rglob("linux_amd64/pid")).read_text())


def alive(pid: int) -> bool:
    try:
        return Path(f"/proc/{pid}/stat").read_text().split(") ")[1][0] != "Z"
    except (OSError, IndexError):
        return False


@pytest.mark.parametrize("code", [0, 7])
def test_the_command_attaches_to_one_provider_that_is_stopped_after_it(tmp_path, code):
    tree = root(tmp_path, {"module": "5.100.0", "module/examples/a": "5.100.0"})
    r = shared(tree, ["module", "module/examples/a"], "sh", "-c", f'echo "$TF_REATTACH_PROVIDERS $GOGC"; exit {code}')
    assert r.returncode == code, r.stderr
    pid = provider_pid(tree)
    assert r.stdout == f'{{"registry.terraform.io/hashicorp/aws":{{"Pid":{pid}}}}} 400\n'
    assert not alive(pid), "the shared provider outlived the command"


def test_lock_files_that_pin_other_versions_are_one_line_exit_1(tmp_path):
    tree = root(tmp_path, {"module": "5.100.0", "envs/dev": "6.0.0"})
    r = shared(tree, ["module", "envs/dev"], "touch", "ran")
    assert r.returncode == 1 and not (tree / "ran").exists()
    assert r.stderr == (
        "tf-shared-provider: envs/dev/.terraform.lock.hcl pins hashicorp/aws 6.0.0, module pins 5.100.0: "
        "one shared provider cannot serve both\n"
    )


def test_a_provider_not_installed_asks_for_tf_init(tmp_path):
    tree = root(tmp_path, {"module": "5.100.0"}, installed=False)
    r = shared(tree, ["module"], "touch", "ran")
    assert r.returncode == 1 and not (tree / "ran").exists()
    assert r.stderr == "tf-shared-provider: no hashicorp/aws 5.100.0 in module/.terraform (run make tf-init)\n"
