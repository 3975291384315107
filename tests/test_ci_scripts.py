"""The CI helpers: `make plan`'s closing line (scripts/plan_summary.py), run as the Makefile and the workflows
run it: as a script, in a fresh process (the pull-request comment's tests are in test_pr_comment.py)."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
SUMMARY = ROOT / "scripts" / "plan_summary.py"


def run(*args: object) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, *map(str, args)], capture_output=True, text=True, check=False)


def change(address: str, *actions: str, mode: str = "managed") -> dict:
    return {"address": address, "mode": mode, "change": {"actions": list(actions)}}


PLAN = {
    "format_version": "1.2",
    "resource_changes": [
        change("aws_rds_cluster.this", "create"),
        change("aws_kms_key.this", "create"),
        change("aws_db_parameter_group.this", "update"),
        change("aws_rds_cluster_instance.reader", "delete", "create"),  # replace: one add, one destroy
        change("aws_sns_topic.old", "delete"),
        change("aws_iam_role.proxy", "no-op"),
        change("data.aws_vpc.this", "read", mode="data"),
    ],
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
    nothing = {
        "format_version": "1.2",
        "resource_changes": [change("aws_iam_role.proxy", "no-op")],
        "output_changes": {},
    }
    assert run(SUMMARY, "--changes", write(tmp_path / "b.json", nothing)).stdout == "changes=false\n"
    outputs_only = {**nothing, "output_changes": {"endpoint": {"actions": ["update"]}}}
    assert run(SUMMARY, "--changes", write(tmp_path / "c.json", outputs_only)).stdout == "changes=true\n"


ODD_PLANS = {
    "not-json": "{not json",
    "a-list": [PLAN],
    "a-number": 7,
    "no-format-version": {"resource_changes": []},
    "changes-not-a-list": {**PLAN, "resource_changes": {"a": 1}},
    "change-not-an-object": {**PLAN, "resource_changes": ["aws_rds_cluster.this"]},
    "no-actions": {**PLAN, "resource_changes": [{"address": "a", "change": {}}]},
    "unknown-action": {**PLAN, "resource_changes": [change("a", "explode")]},
    "outputs-not-an-object": {**PLAN, "output_changes": []},
    "output-without-actions": {**PLAN, "output_changes": {"endpoint": None}},
    "integer-past-4300-digits": '{"format_version": "1.2", "x": ' + "9" * 5000 + "}",
    "nested-too-deep": "[" * 100_000 + "]" * 100_000,
}


@pytest.mark.parametrize("plan", ODD_PLANS.values(), ids=ODD_PLANS.keys())
def test_summary_odd_plan_is_one_line_exit_2(tmp_path: Path, plan: object) -> None:
    """A list plan or a change without actions once ended in a traceback (in the PR comment too)."""
    for args in (("dev", "aws"), ("--changes",)):
        r = run(SUMMARY, *args, write(tmp_path / "plan.json", plan))
        assert r.returncode == 2, r
        assert r.stdout == ""
        assert r.stderr.count("\n") == 1 and "plan.json" in r.stderr and "Traceback" not in r.stderr


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


def test_summary_refuses_a_plan_past_the_size_cap_without_reading_it_whole(tmp_path: Path) -> None:
    """/dev/zero never ends: read whole it would fill the memory; the cap stops it in one line, exit 2."""
    r = run(SUMMARY, "--changes", "/dev/zero")
    assert r.returncode == 2
    assert "not a regular file" in r.stderr or "larger than" in r.stderr
    big = tmp_path / "big.json"
    with big.open("wb") as fh:  # sparse: 50 MB + 1 of zeros without writing them
        fh.truncate(50_000_001)
    r = run(SUMMARY, "--changes", big)
    assert r.returncode == 2 and "larger than 50,000,000 bytes" in r.stderr
    assert len(r.stderr.strip().splitlines()) == 1


def test_summary_cap_is_the_policies_cap() -> None:
    """The script restates policies/plan.py's cap (it runs without the project's packages): the two agree."""
    import importlib.util

    from policies.plan import MAX_PLAN_BYTES

    spec = importlib.util.spec_from_file_location("plan_summary", SUMMARY)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    assert module.MAX_PLAN_BYTES == MAX_PLAN_BYTES
