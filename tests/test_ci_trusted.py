"""A pull request is judged by rules it cannot change, and make's arguments never run as shell.

- The gate step of make ci-pr (scripts/ci-trusted.sh BASE reports/trusted, then make policy-hcl
  TRUSTED=reports/trusted) judges a pull request that raises prod's ceiling in policies/limits.yaml with the
  base's limits, on a throw-away git repository holding this tree.
- The emulator override holds only the emulator's switches (scripts/emulator/check_override.py), and
  make plan TRUSTED=DIR plans with DIR's.
- ENV, PLAN, ROOT, PLAN_FILE, BASE with shell or make syntax in them create no marker file.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
OVERRIDE = ROOT / "scripts" / "emulator" / "emulator_override.tf"
CHECK = ROOT / "scripts" / "emulator" / "check_override.py"
GIT_ENV = {"GIT_AUTHOR_NAME": "t", "GIT_AUTHOR_EMAIL": "t@t", "GIT_COMMITTER_NAME": "t", "GIT_COMMITTER_EMAIL": "t@t"}


def run(cmd: list[str], cwd: Path = ROOT, **env: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(cmd, cwd=cwd, capture_output=True, text=True, check=False, env={**os.environ, **env})


def git(repo: Path, *args: str) -> None:
    subprocess.run(["git", "-C", str(repo), *args], check=True, capture_output=True, env={**os.environ, **GIT_ENV})


def edit(path: Path, old: str, new: str) -> None:
    text = path.read_text(encoding="utf-8")
    assert old in text, f"{path}: {old!r} not found"
    path.write_text(text.replace(old, new), encoding="utf-8")


@pytest.fixture(scope="module")
def pr_repo(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """This tree (its files as they are) committed as the base, then a pull request that raises prod's ACU and
    cost ceilings in policies/limits.yaml together with its sizing and tfvars."""
    repo = tmp_path_factory.mktemp("pr") / "repo"
    files = run(["git", "ls-files", "-z", "--cached", "--others", "--exclude-standard"]).stdout.split("\0")
    repo.mkdir()
    for rel in filter(None, files):
        src, dest = ROOT / rel, repo / rel
        if not os.path.lexists(src):
            continue
        dest.parent.mkdir(parents=True, exist_ok=True)
        if src.is_symlink():
            dest.symlink_to(os.readlink(src))
        else:
            shutil.copy2(src, dest)
    (repo / ".venv").symlink_to(ROOT / ".venv")
    for name in ("pyproject.toml", "constraints.txt"):  # older than .venv/.installed: make setup has nothing to do
        os.utime(repo / name, (0, 0))
    git(repo, "init", "-q", "-b", "main")
    git(repo, "add", "-A")
    git(repo, "commit", "-qm", "base")

    limits = repo / "policies" / "limits.yaml"
    edit(limits, "acu: {min_floor: 2, max_ceiling: 32}", "acu: {min_floor: 2, max_ceiling: 64}")
    edit(limits, "worst_case_ceiling_usd: 9000", "worst_case_ceiling_usd: 20000")
    edit(repo / "envs" / "prod" / "sizing.yaml", "\n  max: 12\n", "\n  max: 64\n")
    r = run([str(ROOT / ".venv/bin/python"), "-m", "generator", "--root", str(repo), "render", "--env", "prod"])
    assert r.returncode == 0, r.stderr
    git(repo, "commit", "-qam", "prod: max 64 ACU, and the ceilings raised to let it pass")
    return repo


def test_the_pull_request_would_pass_its_own_raised_limits(pr_repo: Path) -> None:
    """What the trusted gate prevents: judged by its own policies/limits.yaml, the pull request passes."""
    r = run(["make", "--no-print-directory", "policy-hcl"], cwd=pr_repo)
    assert r.returncode == 0, r.stdout + r.stderr
    assert "0 violation(s)" in r.stderr


def test_the_gate_step_of_ci_pr_judges_it_by_the_base_limits(pr_repo: Path) -> None:
    r = run(["scripts/ci-trusted.sh", "main~1", "reports/trusted"], cwd=pr_repo)
    assert r.returncode == 0, r.stderr
    r = run(["make", "--no-print-directory", "policy-hcl", "TRUSTED=reports/trusted"], cwd=pr_repo)
    assert r.returncode == 2, r.stdout + r.stderr  # make's code for a failed recipe
    line = next(
        i
        for i, t in enumerate((pr_repo / "envs/prod/terraform.tfvars").read_text().splitlines(), 1)
        if t.startswith("max_capacity")
    )
    assert (
        f"prod: envs/prod/terraform.tfvars:{line} max_capacity = 64 exceeds the prod ceiling 32 (policies/limits.yaml) [acu.ceiling]"
        in r.stdout
    )
    assert "above the prod ceiling $9,000.00" in r.stdout


def test_ci_trusted_never_empties_a_directory_outside_reports(pr_repo: Path, tmp_path: Path) -> None:
    keep = tmp_path / "keep"
    keep.mkdir()
    (keep / "file").write_text("x")
    for target in (str(keep), "reports/../envs", "envs", ""):
        r = run(["scripts/ci-trusted.sh", "main", target], cwd=pr_repo)
        assert r.returncode == 2 and "must be a directory directly under reports/" in r.stderr
    assert (keep / "file").exists() and (pr_repo / "envs" / "prod" / "sizing.yaml").exists()


# ---------------------------------------------------------------------------
# The emulator override
# ---------------------------------------------------------------------------
def check(text: str, tmp_path: Path) -> subprocess.CompletedProcess[str]:
    path = tmp_path / "emulator_override.tf"
    path.write_text(text, encoding="utf-8")
    return run([sys.executable, str(CHECK), str(path)])


def test_the_repository_override_is_allowed() -> None:
    assert run([sys.executable, str(CHECK), str(OVERRIDE)]).returncode == 0


HIDING = {
    "an argument the gate guards": (
        "  storage_type            = null\n",
        "  storage_type = null\n  max_capacity = 256\n",
    ),
    "another value": ("  storage_type            = null\n", '  storage_type = "aurora-iopt1"\n'),
    "a resource": ('module "aurora" {', 'resource "aws_rds_cluster" "x" {}\nmodule "aurora" {'),
    "a variable": ('module "aurora" {', 'variable "max_capacity" {\n  default = 256\n}\nmodule "aurora" {'),
    "locals": ('module "aurora" {', 'locals {\n  x = 1\n}\nmodule "aurora" {'),
    "an output": ('module "aurora" {', 'output "x" {\n  value = 1\n}\nmodule "aurora" {'),
    "a second module block": ("}\n}\n", '}\n}\nmodule "aurora" {\n  deletion_protection = false\n}\n'),
    "another module": ('module "aurora" {', 'module "other" {'),
    "a heredoc": ("  storage_type            = null\n", "  storage_type = <<EOT\nx\nEOT\n"),
    "a block comment": ('module "aurora" {', '/* hidden */ module "aurora" {'),
    "a source": ('module "aurora" {\n', 'module "aurora" {\n  source = "./other"\n'),
    "a provider": ('module "aurora" {', 'provider "aws" {\n  region = "x"\n}\nmodule "aurora" {'),
}


@pytest.mark.parametrize("what", list(HIDING))
def test_an_override_that_could_hide_main_tf_is_refused(what: str, tmp_path: Path) -> None:
    old, new = HIDING[what]
    text = OVERRIDE.read_text(encoding="utf-8")
    assert old in text
    r = check(text.replace(old, new, 1), tmp_path)
    assert r.returncode == 2, what
    assert r.stderr.startswith(f"{tmp_path / 'emulator_override.tf'}: line ") and r.stderr.count("\n") == 1


def test_make_plan_uses_the_trusted_override_and_checks_it(tmp_path: Path) -> None:
    """TRUSTED=DIR: tf-run.sh copies DIR's override (refused here, before terraform starts), not this tree's."""
    trusted = tmp_path / "trusted" / "scripts" / "emulator"
    trusted.mkdir(parents=True)
    (trusted / "emulator_override.tf").write_text('module "aurora" {\n  max_capacity = 256\n}\n', encoding="utf-8")
    r = run(["make", "--no-print-directory", "plan", "ENV=dev", f"TRUSTED={tmp_path / 'trusted'}"])
    assert r.returncode == 2, r.stdout + r.stderr
    assert f"{trusted / 'emulator_override.tf'}: line 2: in the module block: only the emulator's switches" in r.stderr
    assert "moto emulator at" not in r.stderr


# ---------------------------------------------------------------------------
# make's arguments are data
# ---------------------------------------------------------------------------
def injections(marker: Path) -> list[str]:
    return [f"x' || touch {marker} #", f'x" || touch {marker} #', f"x; touch {marker}", f"$(shell touch {marker})"]


@pytest.mark.parametrize(
    ("target", "var", "refusal"),
    [
        ("plan", "ENV", "is not an environment name"),
        ("apply", "PLAN_FILE", "applies a saved plan: apply on TARGET=aws only"),
        ("policy-hcl", "PLAN", "no such plan file"),
        ("policy-hcl", "ROOT", "no envs/ folder"),
        ("ci-collect", "ENV", "is not an environment"),
        ("ci-changes", "BASE", "ci_changes: no commit"),
        ("report", "ENV", ""),
    ],
)
def test_an_injected_command_never_runs(target: str, var: str, refusal: str, tmp_path: Path) -> None:
    for n, value in enumerate(injections(tmp_path / "pwned")):
        r = run(["make", "--no-print-directory", target, f"{var}={value}"])
        assert r.returncode != 0, (target, value)
        assert refusal in r.stderr, (value, r.stderr)
        assert not (tmp_path / "pwned").exists(), (target, var, value, n)


def test_make_policy_passes_plan_as_data(tmp_path: Path) -> None:
    """make policy (checkov replaced by a command that does not exist: only the argument passing is tested)."""
    for value in injections(tmp_path / "pwned"):
        r = run(["make", "--no-print-directory", "policy", f"PLAN={value}", "CHECKOV=/nonexistent"])
        assert r.returncode != 0 and "no such plan file" in r.stderr
        assert not (tmp_path / "pwned").exists(), value
