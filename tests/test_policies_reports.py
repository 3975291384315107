"""The report and the policy summary price the same figures; the policy report files are written all or none, and a
bad checkov file is an error, not a silently missing section.

Split from test_policies_inputs.py (over 400 lines), whose helpers it shares.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys

import pytest

from policies import engine
from tests.test_policies_bite import REPO, found
from tests.test_policies_inputs import rules


# ---------------------------------------------------------------------------
# The report and the policy summary price the same figures
# ---------------------------------------------------------------------------
@pytest.mark.parametrize("env", ["dev", "staging", "prod"])
def test_policy_expected_cost_equals_the_report_to_the_cent(env):
    """The tfvars carries the figures the report prices (not its 0.1 GB display rounding): once dev was
    $182.73 in the report and $182.74 in the policy summary."""

    from click.testing import CliRunner

    from generator.cli import main

    rep = json.loads(CliRunner().invoke(main, ["--root", str(REPO), "report", "--env", env, "--format", "json"]).stdout)
    result = engine.evaluate_root(REPO, [env])[0]
    fact = next(f for f in result.facts if f.topic == "expected cost / month")
    assert fact.value == f"${rep['cost_usd_month']['total']:,.2f}"


def test_a_fifo_in_the_root_never_blocks_the_checks(tree):
    for name in ("backend_override.tf", "x.auto.tfvars", "extra.tf"):
        os.mkfifo(tree / "envs/prod" / name)
    got = {(v.file, v.rule) for v in found(tree, "prod")}
    assert got == {
        ("envs/prod/backend_override.tf", "declarations.variable_file"),
        ("envs/prod/x.auto.tfvars", "declarations.variable_file"),
        ("envs/prod/extra.tf", "declarations.unreadable"),
        ("envs/prod/extra.tf", "roots.drift"),  # a .tf file envs/dev does not have
    }, got


@pytest.mark.parametrize(
    "make,text",
    [
        (
            lambda p: p.write_bytes(b'{"variables": "\xff"}'),
            "unreadable plan: not UTF-8 text: byte 0xff at line 1, column 16",
        ),
        (lambda p: p.write_text("[" * 100_000 + "]" * 100_000), "unreadable plan: JSON nested too deep to read"),
        (lambda p: os.mkfifo(p), "unreadable plan: is a FIFO, not a regular file"),
    ],
    ids=["non-utf8", "deep", "fifo"],
)
def test_an_unreadable_plan_is_one_violation(tmp_path, make, text):
    path = tmp_path / "plan.json"
    make(path)
    violations = engine.evaluate_plan(path, REPO, env="prod").violations
    assert len(violations) == 1 and text in violations[0].message, violations


# ---------------------------------------------------------------------------
# The report files: a bad checkov file is an error, not a silently missing section; all or none written
# ---------------------------------------------------------------------------
def _policies(*args: str) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "-m", "policies", "--root", str(REPO), "-q", *args],
        capture_output=True,
        text=True,
        timeout=120,
        cwd=REPO,
    )


def _checkov(summary: dict | None = None, **results: object) -> str:
    """A report of checkov's shape (`-o json`, checkov 3.3): one failed check unless told otherwise."""
    failed = {
        "check_id": "CKV_AWS_162",
        "check_name": "Ensure RDS cluster has IAM authentication enabled",
        "resource": "module.aurora.aws_rds_cluster.this",
        "file_path": "/main.tf",
        "file_line_range": [1, 40],
    }
    results = {"failed_checks": [failed], "passed_checks": [], "skipped_checks": [], **results}
    summary = {"passed": 0, "failed": 1, "skipped": 0, "parsing_errors": 0, **(summary or {})}
    return json.dumps({"check_type": "terraform", "results": results, "summary": summary})


BAD_CHECKOV = {
    "deep": (lambda p: p.write_text("[" * 100_000 + "]" * 100_000), "nested too deep"),
    "utf16": (lambda p: p.write_bytes(b"\xff\xfe{\x00}\x00"), "is UTF-16 text (byte-order mark): save it as UTF-8"),
    "truncated": (lambda p: p.write_text('{"summary": {"failed": 3'), "not JSON"),
    "fifo": (lambda p: os.mkfifo(p), "is a FIFO, not a regular file"),
    "empty-object": (lambda p: p.write_text("{}"), "check_type: missing"),
    "empty-list": (lambda p: p.write_text("[]"), "an empty list"),
    "list-of-numbers": (lambda p: p.write_text("[1, 2]"), "[0]: not a checkov report"),
    "summary-only": (lambda p: p.write_text('{"passed": 0, "failed": 0, "skipped": 0}'), "check_type: missing"),
    "no-results": (lambda p: p.write_text('{"check_type": "terraform", "summary": {}}'), "results: missing"),
    "summary-list": (
        lambda p: p.write_text(_checkov().replace('"summary": {', '"summary": [{').replace("}}", "}]}")),
        "summary",
    ),
    "count-text": (lambda p: p.write_text(_checkov({"failed": "many"})), "summary.failed: must be a count"),
    "count-negative": (lambda p: p.write_text(_checkov({"passed": -1})), "summary.passed: must be a count"),
    "failed-not-a-list": (lambda p: p.write_text(_checkov(failed_checks={})), "results.failed_checks: must be a list"),
    "summary-says-0-failed": (
        lambda p: p.write_text(_checkov({"failed": 0})),
        "summary.failed is 0 but results.failed_checks holds 1",
    ),
    "summary-says-more-passed": (
        lambda p: p.write_text(_checkov({"passed": 5})),
        "summary.passed is 5 but results.passed_checks holds 0",
    ),
    "failed-check-without-name": (
        lambda p: p.write_text(_checkov().replace('"check_name": "Ensure', '"name": "Ensure')),
        "results.failed_checks[0].check_name: must be str",
    ),
    "second-report-bad": (lambda p: p.write_text(f"[{_checkov()}, {{}}]"), "[1].check_type: missing"),
}


@pytest.mark.parametrize("make,text", BAD_CHECKOV.values(), ids=BAD_CHECKOV.keys())
def test_a_bad_checkov_file_is_one_line_exit_2_nothing_written(tmp_path, make, text):
    """Once a traceback (deep), a hang (FIFO, /dev/zero) or a summary that said "passed" without checkov's
    failures (unreadable counted as absent). An absent file still means checkov did not run."""
    checkov = tmp_path / "results.json"
    make(checkov)
    summary = tmp_path / "out" / "policy-summary.md"
    proc = _policies("--summary", str(summary), "--checkov-json", str(checkov))
    assert proc.returncode == 2, proc
    lines = proc.stderr.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith(f"policies: {checkov}: ") and text in lines[0], proc.stderr
    assert not summary.exists()


def test_a_real_shaped_checkov_report_is_summarised(tmp_path):
    """A --quiet report lists only the failed checks: its other counts are taken from the summary."""
    checkov = tmp_path / "results.json"
    quiet = json.loads(_checkov({"passed": 138, "skipped": 12}))
    del quiet["results"]["passed_checks"], quiet["results"]["skipped_checks"]
    checkov.write_text(json.dumps([json.loads(_checkov()), quiet]))
    summary = tmp_path / "policy-summary.md"
    proc = _policies("--summary", str(summary), "--checkov-json", str(checkov))
    assert proc.returncode == 0, proc.stderr
    text = summary.read_text()
    assert text.startswith("## Policy checks: FAILED") and "checkov: 138 passed, 2 failed, 12 skipped." in text


def test_an_absent_checkov_file_is_checkov_not_run(tmp_path):
    summary = tmp_path / "policy-summary.md"
    proc = _policies("--summary", str(summary), "--checkov-json", str(tmp_path / "none.json"))
    assert proc.returncode == 0, proc
    assert "checkov:" not in summary.read_text()


def test_one_unwritable_report_writes_none(tmp_path):
    """--sarif cannot be written: the summary beside it is not written either (it was, before the error)."""
    summary, junit = tmp_path / "policy-summary.md", tmp_path / "junit.xml"
    (tmp_path / "a").write_text("a file where the folder should be")
    proc = _policies("--summary", str(summary), "--junit", str(junit), "--sarif", str(tmp_path / "a" / "b.sarif"))
    assert proc.returncode == 2, proc
    assert proc.stderr.count("\n") == 1 and "cannot write the report" in proc.stderr
    assert not summary.exists() and not junit.exists()


@pytest.mark.parametrize("worker_max,fails", [(127, True), (120, False)])
def test_the_report_warns_where_the_gate_fails_on_the_proxy_share(tree, worker_max, fails):
    """Pools at 84% of the proxy's share passed `render` and `report` without a word (the warning was at 90%)
    and failed the pull-request gate (20% headroom): both now draw the line at the same place."""

    from click.testing import CliRunner

    from generator.cli import main

    sizing = tree / "envs/dev/sizing.yaml"
    sizing.write_text(
        sizing.read_text().replace(
            "worker: {min: 1, max: 5, replicas: 2}", f"worker: {{min: 1, max: {worker_max}, replicas: 2}}"
        )
    )
    runner = CliRunner(mix_stderr=False)
    assert runner.invoke(main, ["--root", str(tree), "render", "--env", "dev"]).exit_code == 0
    rep = json.loads(runner.invoke(main, ["--root", str(tree), "report", "--env", "dev", "--format", "json"]).stdout)
    warned = any(w["code"] == "connections.proxy_share_full" for w in rep["warnings"])
    failed = "connections.budget" in rules(found(tree, "dev"))
    assert warned == failed == fails, (rep["connections"], warned, failed)
