"""scripts/ci_changes.py: what a pull request changed decides what CI runs (the fast path for sizing changes),
and scripts/ci-pr.sh (make ci-pr) follows it: a sizing-only change plans only its environment, skips the
toolkit's tests, and is judged by the base's rules. Both run on throw-away git repositories."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
CHANGES = ROOT / "scripts" / "ci_changes.py"


def git(repo: Path, *args: str) -> str:
    env = {**os.environ, "GIT_AUTHOR_NAME": "t", "GIT_AUTHOR_EMAIL": "t@t", "GIT_COMMITTER_NAME": "t"}
    env["GIT_COMMITTER_EMAIL"] = "t@t"
    return subprocess.run(["git", "-C", str(repo), *args], check=True, capture_output=True, text=True, env=env).stdout


def write(repo: Path, rel: str, text: str = "x\n") -> None:
    path = repo / rel
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")


@pytest.fixture
def repo(tmp_path: Path) -> Path:
    """A base commit with three environments, the generator, its data and the policies."""
    repo = tmp_path / "repo"
    repo.mkdir()
    git(repo, "init", "-q", "-b", "main")
    for env in ("dev", "prod", "staging"):
        write(repo, f"envs/{env}/sizing.yaml", f"agents: 1 # {env}\n")
        write(repo, f"envs/{env}/terraform.tfvars")
    write(repo, "envs/dev/main.tf")
    for rel in ("generator/inputs/model.py", "generator/data/prices/2025.yaml", "policies/limits.yaml", "Makefile"):
        write(repo, rel)
    git(repo, "add", "-A")
    git(repo, "commit", "-qm", "base")
    return repo


def changed(repo: Path, edits: dict[str, str | None], *extra: str) -> subprocess.CompletedProcess[str]:
    """Commit `edits` (None removes the file) on top of main, then classify HEAD against main."""
    for rel, text in edits.items():
        if text is None:
            git(repo, "rm", "-q", rel)
        else:
            write(repo, rel, text)
    git(repo, "add", "-A")
    git(repo, "commit", "-qm", "change")
    return subprocess.run(
        [sys.executable, str(CHANGES), "--base", "main~1", "--root", str(repo), *extra],
        capture_output=True,
        text=True,
        check=False,
    )


def verdict(r: subprocess.CompletedProcess[str]) -> dict:
    assert r.returncode == 0, r.stderr
    return json.loads(r.stdout)


def test_a_sizing_change_plans_only_its_environment_and_skips_the_tests(repo: Path) -> None:
    got = verdict(changed(repo, {"envs/prod/sizing.yaml": "agents: 2\n", "envs/prod/terraform.tfvars": "y\n"}))
    assert got == {"base": "main~1", "toolkit": False, "data": False, "envs": ["prod"], "rules": []}


def test_two_sizing_changes_plan_both(repo: Path) -> None:
    got = verdict(changed(repo, {"envs/prod/sizing.yaml": "agents: 2\n", "envs/dev/sizing.yaml": "agents: 3\n"}))
    assert (got["toolkit"], got["envs"]) == (False, ["dev", "prod"])


def test_a_data_change_plans_every_environment_without_the_tests(repo: Path) -> None:
    got = verdict(changed(repo, {"generator/data/prices/2025.yaml": "y\n"}))
    assert (got["toolkit"], got["data"], got["envs"]) == (False, True, ["dev", "staging", "prod"])


@pytest.mark.parametrize(
    "path",
    [
        "generator/inputs/model.py",
        "Makefile",
        "envs/dev/main.tf",
        "modules/aurora/main.tf",
        ".github/workflows/x.yml",
        "a",
    ],
)
def test_a_toolkit_change_runs_everything(repo: Path, path: str) -> None:
    got = verdict(changed(repo, {path: "changed\n", "envs/prod/sizing.yaml": "agents: 2\n"}))
    assert (got["toolkit"], got["envs"]) == (True, ["dev", "staging", "prod"])


def test_a_rules_change_is_named(repo: Path) -> None:
    got = verdict(changed(repo, {"policies/limits.yaml": "raised\n", "envs/prod/sizing.yaml": "agents: 2\n"}))
    assert got["rules"] == ["policies/limits.yaml"] and got["toolkit"] is True


def test_a_removed_environment_has_nothing_to_plan(repo: Path) -> None:
    got = verdict(changed(repo, {"envs/staging/sizing.yaml": None, "envs/staging/terraform.tfvars": None}))
    assert (got["toolkit"], got["envs"]) == (False, [])


def test_github_output_lines_for_the_workflow(repo: Path) -> None:
    r = changed(repo, {"envs/dev/sizing.yaml": "agents: 2\n"}, "--format", "github")
    lines = dict(line.split("=", 1) for line in r.stdout.splitlines())
    assert (lines["toolkit"], lines["data"], json.loads(lines["envs"])) == ("false", "false", ["dev"])
    assert json.loads(lines["json"])["envs"] == ["dev"]


def test_an_environment_name_that_is_not_a_name_is_refused(repo: Path) -> None:
    r = changed(repo, {"envs/x$(id)/sizing.yaml": "agents: 2\n"})
    assert (r.returncode, r.stdout) == (2, "")
    assert r.stderr == "ci_changes: envs/x$(id): not an environment name ([a-z0-9][a-z0-9_-]*)\n"


@pytest.mark.parametrize("base", ["origin/nope", "--output=/tmp/x"])
def test_an_unknown_base_is_one_line_exit_2(repo: Path, base: str) -> None:
    r = subprocess.run(
        [sys.executable, str(CHANGES), "--base=" + base, "--root", str(repo)], capture_output=True, text=True
    )
    assert (r.returncode, r.stdout) == (2, "")
    assert r.stderr.count("\n") == 1 and base in r.stderr and "Traceback" not in r.stderr


# ---------------------------------------------------------------------------
# make ci-pr (scripts/ci-pr.sh) takes the same path: make and the CLI replaced by stand-ins that log their calls
# ---------------------------------------------------------------------------
STAND_IN = """#!/usr/bin/env bash
echo "$(basename "$0") $*" >>"$CALLS"
"""


@pytest.fixture
def ci_tree(repo: Path, tmp_path: Path) -> tuple[Path, dict]:
    (repo / "scripts").mkdir()
    for name in ("ci-pr.sh", "ci-trusted.sh", "ci_changes.py", "pr_comment.py", "ci_results.py", "plan_summary.py"):
        shutil.copy2(ROOT / "scripts" / name, repo / "scripts" / name)
    write(repo, "policies/__main__.py")
    git(repo, "add", "-A")
    git(repo, "commit", "-qm", "the CI scripts")
    bin_dir = tmp_path / "bin"
    bin_dir.mkdir()
    for name in ("make", "aurora-gen"):
        (bin_dir / name).write_text(STAND_IN, encoding="utf-8")
        (bin_dir / name).chmod(0o755)
    (bin_dir / "python").symlink_to(sys.executable)
    calls = tmp_path / "calls"
    # The comment's scripts import the generator (its escaping) from this repository: the tree has none.
    env = {
        **os.environ,
        "MAKE": str(bin_dir / "make"),
        "BIN": str(bin_dir),
        "CALLS": str(calls),
        "PYTHONPATH": str(ROOT),
    }
    return repo, env


def ci_pr(repo: Path, env: dict, base: str) -> tuple[subprocess.CompletedProcess[str], list[str]]:
    r = subprocess.run(
        ["bash", "scripts/ci-pr.sh"], cwd=repo, env={**env, "ARG_BASE": base}, capture_output=True, text=True
    )
    calls = Path(env["CALLS"]).read_text(encoding="utf-8").splitlines() if Path(env["CALLS"]).exists() else []
    return r, calls


def test_ci_pr_fast_path_for_a_sizing_change(ci_tree: tuple[Path, dict]) -> None:
    repo, env = ci_tree
    write(repo, "envs/prod/sizing.yaml", "agents: 2\n")
    git(repo, "commit", "-qam", "prod: more agents")
    r, calls = ci_pr(repo, env, "main~1")
    assert r.returncode == 0, r.stdout + r.stderr
    trusted = "TRUSTED=reports/trusted"
    assert calls == [
        "aurora-gen render --check",
        f"make --no-print-directory plan ENV=prod {trusted}",
        f"make --no-print-directory policy {trusted}",  # the stand-in make wrote no plan.json
        "make --no-print-directory ci-collect ENV=prod",
        "aurora-gen diff --base main~1 --format json",
        "make --no-print-directory report-html",
    ]
    assert json.loads((repo / "reports/ci/changes.json").read_text())["envs"] == ["prod"]
    assert (repo / "reports/trusted/policies/limits.yaml").is_file()
    assert "`make test`: skipped on purpose" in (repo / "reports/ci/comment.md").read_text(encoding="utf-8")


def test_ci_pr_runs_the_suite_and_every_plan_for_a_toolkit_change(ci_tree: tuple[Path, dict]) -> None:
    repo, env = ci_tree
    write(repo, "generator/inputs/model.py", "changed\n")
    git(repo, "commit", "-qam", "generator: a change")
    r, calls = ci_pr(repo, env, "main~1")
    assert r.returncode == 0, r.stdout + r.stderr
    assert calls[0] == "make --no-print-directory test"
    assert [c.split()[3] for c in calls if " plan " in c] == ["ENV=dev", "ENV=staging", "ENV=prod"]


def test_ci_pr_without_its_base_says_so_and_runs_everything(ci_tree: tuple[Path, dict]) -> None:
    repo, env = ci_tree
    r, calls = ci_pr(repo, env, "origin/main")
    assert r.returncode == 0, r.stdout + r.stderr
    assert "no commit 'origin/main' here: the whole suite, judged by this tree's own rules" in r.stdout
    assert calls[0] == "make --no-print-directory test"
    assert not any("TRUSTED=" in c for c in calls)
    assert "aurora-gen diff --base HEAD --format json" in calls


def test_environments_come_in_promotion_order(repo: Path) -> None:
    """dev, staging, prod, then the rest by name: the generator's order (generator.inputs.files.promotion_order),
    restated in the script because it runs outside the repository's packages."""
    from generator.inputs.files import PROMOTION_ORDER

    sys.path.insert(0, str(CHANGES.parent))
    try:
        import ci_changes
    finally:
        sys.path.remove(str(CHANGES.parent))
    assert ci_changes.PROMOTION_ORDER == PROMOTION_ORDER
    edits = {f"envs/{e}/sizing.yaml": "agents: 2\n" for e in ("qa", "prod", "dev", "staging", "alpha")}
    assert verdict(changed(repo, edits))["envs"] == ["dev", "staging", "prod", "alpha", "qa"]
    assert verdict(changed(repo, {"generator/inputs/model.py": "y\n"}))["envs"] == [
        "dev",
        "staging",
        "prod",
        "alpha",
        "qa",
    ]


def test_an_observation_plans_only_its_environment_and_skips_the_tests(repo: Path) -> None:
    got = verdict(changed(repo, {"envs/prod/observed.yaml": "effective: '2026-12-04'\n"}))
    assert got == {"base": "main~1", "toolkit": False, "data": False, "envs": ["prod"], "rules": []}
