"""`make plan` (scripts/tf-run.sh) refuses a tfvars older than its sizing.yaml before Terraform starts."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from tests.conftest import REPO


@pytest.fixture
def root(tmp_path: Path) -> Path:
    root = tmp_path / "tree"
    (root / "scripts").mkdir(parents=True)
    shutil.copy2(REPO / "scripts/tf-run.sh", root / "scripts/tf-run.sh")
    for env in ("dev", "prod"):
        (root / "envs" / env).mkdir(parents=True)
        for name in ("sizing.yaml", "terraform.tfvars"):
            shutil.copy2(REPO / "envs" / env / name, root / "envs" / env / name)
    # A terraform (and tf-cli-config.sh) that only record being started.
    (root / "bin").mkdir()
    for path in (root / "bin/terraform", root / "scripts/tf-cli-config.sh"):
        path.write_text(f"#!/bin/sh\necho started >> {root}/started\nexit 3\n")
        path.chmod(0o755)
    return root


def tf_run(root: Path, *args: str) -> subprocess.CompletedProcess:
    env = {**os.environ, "PATH": f"{root / 'bin'}:{os.environ['PATH']}", "AURORA_GEN_PYTHON": sys.executable}
    return subprocess.run(
        ["bash", str(root / "scripts/tf-run.sh"), *args], capture_output=True, text=True, env=env, timeout=60
    )


@pytest.mark.parametrize("action", ["plan", "apply"])
def test_stale_tfvars_is_refused_before_terraform_starts(root, action):
    sizing = root / "envs/dev/sizing.yaml"
    sizing.write_text(sizing.read_text().replace("agents: 10", "agents: 12"))
    proc = tf_run(root, action, "dev", "moto")
    assert proc.returncode == 2, proc
    assert proc.stderr.splitlines() == [
        "envs/dev/terraform.tfvars is stale (envs/dev/sizing.yaml changed since it was rendered): "
        "run make generate (aurora-gen render --env dev)"
    ]
    assert not (root / "started").exists(), "Terraform started on a stale tfvars"


def test_a_bad_sizing_is_its_one_line(root):
    (root / "envs/dev/sizing.yaml").write_text("agents: many\n")
    proc = tf_run(root, "plan", "dev", "aws")
    assert proc.returncode == 2 and len(proc.stderr.splitlines()) == 1
    assert "envs/dev/sizing.yaml: agents: must be a whole number" in proc.stderr
    assert not (root / "started").exists()


def test_a_current_tfvars_goes_on_to_terraform(root):
    """Only the environment planned is checked: prod's stale file does not stop a dev plan."""
    (root / "envs/prod/terraform.tfvars").write_text("# stale\n")
    proc = tf_run(root, "plan", "dev", "aws")
    assert "stale" not in proc.stderr
    assert (root / "started").exists()
