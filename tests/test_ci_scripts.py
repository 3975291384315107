"""The CI helpers: `make plan`'s closing line (scripts/plan_summary.py) and the pull-request comment
(scripts/pr_comment.py), run as the Makefile and the workflows run them: as scripts, in fresh processes."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
SUMMARY = ROOT / "scripts" / "plan_summary.py"
COMMENT = ROOT / "scripts" / "pr_comment.py"


def run(*args: object) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, *map(str, args)], capture_output=True, text=True, check=False)


def change(address: str, *actions: str, mode: str = "managed") -> dict:
    return {"address": address, "mode": mode, "change": {"actions": list(actions)}}


PLAN = {
    "resource_changes": [
        change("aws_rds_cluster.this", "create"),
        change("aws_kms_key.this", "create"),
        change("aws_db_parameter_group.this", "update"),
        change("aws_rds_cluster_instance.reader", "delete", "create"),  # replace: one add, one destroy
        change("aws_sns_topic.old", "delete"),
        change("aws_iam_role.proxy", "no-op"),
        change("data.aws_vpc.this", "read", mode="data"),
    ]
}


def write(path: Path, data: object) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(data if isinstance(data, str) else json.dumps(data), encoding="utf-8")
    return path


def test_summary_line_counts_like_terraform(tmp_path: Path) -> None:
    plan = write(tmp_path / "plan.json", PLAN)
    r = run(SUMMARY, "prod", "moto", plan, ".moto/work/prod/plan.json")
    assert r.returncode == 0, r.stderr
    assert r.stdout == ("plan prod (moto): 3 to add, 1 to change, 2 to destroy; plan JSON .moto/work/prod/plan.json\n")


def test_changes_output_for_the_deploy_workflow(tmp_path: Path) -> None:
    assert run(SUMMARY, "--changes", write(tmp_path / "a.json", PLAN)).stdout == "changes=true\n"
    nothing = {"resource_changes": [change("aws_iam_role.proxy", "no-op")], "output_changes": {}}
    assert run(SUMMARY, "--changes", write(tmp_path / "b.json", nothing)).stdout == "changes=false\n"
    outputs_only = {**nothing, "output_changes": {"endpoint": {"actions": ["update"]}}}
    assert run(SUMMARY, "--changes", write(tmp_path / "c.json", outputs_only)).stdout == "changes=true\n"


def test_summary_bad_plan_is_one_line_exit_2(tmp_path: Path) -> None:
    r = run(SUMMARY, "dev", "aws", write(tmp_path / "plan.json", "{not json"))
    assert r.returncode == 2
    assert r.stdout == ""
    assert r.stderr.count("\n") == 1 and "plan.json" in r.stderr and "Traceback" not in r.stderr


def test_comment_has_one_row_per_environment_and_the_diff(tmp_path: Path) -> None:
    results = tmp_path / "ci"
    write(results / "policy-dev" / "plan.json", PLAN)  # artifact layout: the policy- prefix is dropped
    write(results / "policy-dev" / "policy-summary.md", "## Policy checks: passed\n\nall good\n")
    write(results / "prod" / "plan.json", {"resource_changes": []})
    write(results / "prod" / "policy-summary.md", "## Policy checks: failed\n\nmax_capacity = 64 exceeds 32\n")
    write(results / "staging" / "plan.json", {"resource_changes": []})  # its policy step never ran
    diff = write(tmp_path / "diff.md", "prod: +$412.30/month (+12.9%), worst case +$3,504\n")
    out = tmp_path / "comment.md"
    r = run(COMMENT, results, "--diff", diff, "--run-url", "https://example.invalid/run/1", "--out", out)
    assert r.returncode == 0, r.stderr
    text = out.read_text(encoding="utf-8")
    assert "| dev | 3 to add, 1 to change, 2 to destroy | ✅ passed |" in text
    assert "| prod | 0 to add, 0 to change, 0 to destroy | ❌ failed |" in text
    assert "| staging | 0 to add, 0 to change, 0 to destroy | ❔ not run" in text
    assert "prod: +$412.30/month (+12.9%), worst case +$3,504" in text
    assert "max_capacity = 64 exceeds 32" in text  # the failing environment's details
    assert "[this run](https://example.invalid/run/1)" in text


def test_comment_without_results_or_diff_says_so(tmp_path: Path) -> None:
    r = run(COMMENT, tmp_path / "missing")
    assert r.returncode == 0, r.stderr
    assert "No environment results" in r.stdout and "No cost diff in this run." in r.stdout


def test_comment_says_the_tests_failed_when_no_plan_ran(tmp_path: Path) -> None:
    """The workflow's comment job runs after failed tests too: no policy-* artifact, no reports/ci/ yet."""
    out = tmp_path / "reports/ci/comment.md"
    r = run(COMMENT, tmp_path / "reports/ci", "--tests", "failure", "--out", out)
    assert r.returncode == 0, r.stderr
    text = out.read_text(encoding="utf-8")
    assert "`make test`: ❌ failed: the plans did not run." in text and "No environment results" in text
    r = run(COMMENT, tmp_path / "reports/ci", "--tests", "success")
    assert "`make test`: ✅ passed\n" in r.stdout and "did not run" not in r.stdout


def test_comment_unreadable_diff_is_exit_2_and_writes_nothing(tmp_path: Path) -> None:
    out = tmp_path / "comment.md"
    r = run(COMMENT, tmp_path, "--diff", tmp_path / "nope.md", "--out", out)
    assert r.returncode == 2 and r.stderr.count("\n") == 1 and "nope.md" in r.stderr
    assert not out.exists()


def test_comment_stays_within_githubs_limit(tmp_path: Path) -> None:
    for env in ("dev", "staging", "prod"):
        write(tmp_path / env / "policy-summary.md", "## Policy checks: failed\n\n" + "x" * 30_000)
    r = run(COMMENT, tmp_path)
    assert len(r.stdout) < 65_536
    assert "too long for a comment" in r.stdout


def test_saved_plan_is_checked_before_terraform_starts(tmp_path: Path) -> None:
    """deploy.yml applies `make apply TARGET=aws PLAN_FILE=...`: a wrong file or target stops at once."""
    tf_run = ROOT / "scripts" / "tf-run.sh"
    missing = tmp_path / "plan.tfplan"
    for args, plan_file, message in (
        (("apply", "dev", "aws"), missing, f"TF_PLAN_FILE={missing}: no such saved plan"),
        (("apply", "dev", "aws"), tmp_path, f"TF_PLAN_FILE={tmp_path}: a directory, not a saved plan (plan.tfplan)"),
        (("apply", "dev", "moto"), ROOT / "Makefile", "apply on TARGET=aws only"),
        (("plan", "dev", "aws"), ROOT / "Makefile", "apply on TARGET=aws only"),
    ):
        r = subprocess.run(
            ["bash", str(tf_run), *args],
            capture_output=True,
            text=True,
            check=False,
            env={"PATH": "/usr/bin:/bin", "TF_PLAN_FILE": str(plan_file)},
        )
        assert r.returncode == 2, (args, r.stderr)
        assert r.stderr.strip().endswith(message) and r.stderr.count("\n") == 1, r.stderr
