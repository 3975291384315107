"""The pull-request comment (scripts/pr_comment.py), run as the workflow and `make ci-pr` run it: one line per
environment, each violation once, checkov's counts once, short; odd results files are one line, exit 2."""

from __future__ import annotations

import json
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from tests.test_ci_scripts import PLAN, run, write

REPO = Path(__file__).resolve().parents[1]
COMMENT = REPO / "scripts" / "pr_comment.py"
ENVS = ("dev", "staging", "prod")


def _policies(root: Path, out: Path, *args: str) -> None:
    """One leg's policy reports, as `make policy` writes them (every root's HCL, then the leg's plan)."""
    subprocess.run(
        [sys.executable, "-m", "policies", "--root", str(root), "-q", "--sarif", str(out / "policy.sarif")]
        + ["--summary", str(out / "policy-summary.md"), *args],
        capture_output=True,
        timeout=300,
        cwd=REPO,
        check=False,
    )


@pytest.fixture(scope="module")
def one_env_change(tmp_path_factory) -> tuple[Path, Path]:
    """dev grown from 10 to 20 agents (its tfvars rendered), the three legs' results and the diff's JSON."""
    from click.testing import CliRunner

    from generator.cli import main
    from generator.model.sized import size_tree
    from generator.outputs import diff
    from tests.conftest import make_copy

    tmp = tmp_path_factory.mktemp("one-env")
    root = make_copy(tmp / "root")
    sizing = root / "envs/dev/sizing.yaml"
    sizing.write_text(sizing.read_text().replace("agents: 10\n", "agents: 20\n"))
    assert CliRunner().invoke(main, ["--root", str(root), "render", "--env", "dev"]).exit_code == 0
    checkov = write(
        tmp / "checkov.json",
        [
            {
                "check_type": "terraform",
                "results": {"failed_checks": []},
                "summary": {"passed": 101, "failed": 0, "skipped": 6, "parsing_errors": 0},
            }
        ],
    )
    ci = tmp / "ci"
    for env in ENVS:
        write(ci / f"policy-{env}" / "plan.json", PLAN if env == "dev" else {"format_version": "1.2"})
        _policies(root, ci / f"policy-{env}", "--checkov-json", str(checkov))
    doc = {
        "base": {"ref": "origin/main", "commit": "0" * 40},
        "sources": [],
        "notes": [],
        "environments": diff.compare(
            {n: s.report for n, s in size_tree(REPO).items()}, {n: s.report for n, s in size_tree(root).items()}
        ),
    }
    return ci, write(tmp / "cost-diff.json", diff.to_json(doc))


def test_a_one_environment_change_is_one_table_under_40_lines(one_env_change, tmp_path):
    ci, diff = one_env_change
    out = tmp_path / "comment.md"
    r = run(
        COMMENT, ci, "--diff", diff, "--run-url", "https://example.invalid/run/1", "--tests", "success", "--out", out
    )
    assert r.returncode == 0, r.stderr
    text = out.read_text(encoding="utf-8")
    lines = text.splitlines()
    assert len(lines) < 40, text
    assert lines[0] == "## Aurora: plan, policy checks and cost"
    rows = {line.split(" | ")[0].lstrip("| "): line for line in lines if line.startswith("| ") and "---" not in line}
    assert set(rows) >= set(ENVS), text
    assert "| 3 to add, 1 to change, 2 to destroy | ✅ passed | +$" in rows["dev"], rows["dev"]
    assert "| no change |" in rows["prod"] and "| none |" in rows["prod"], rows["prod"]
    assert text.count("checkov") == 1 and "101 passed, 0 failed, 6 skipped" in text  # once, not per leg
    assert "| agents |" not in text and "| storage, steady state |" in text  # the changed figures fold out
    assert "unchanged figure(s) not shown: min ACU;" in text and "| **total** | $" not in text
    assert "unchanged part(s): " in text and "| **total** | \\$" in text  # every cost part, adding up to it
    assert "[this run](https://example.invalid/run/1)" in text


def test_a_violation_every_leg_finds_is_listed_once(tmp_path):
    """Each leg checks every root's HCL: prod's violation was in all three legs' details (about 12 tables)."""
    from tests.conftest import make_copy

    root = make_copy(tmp_path / "root")
    tfvars = root / "envs/prod/terraform.tfvars"
    tfvars.write_text(tfvars.read_text().replace("deletion_protection", "deletion_protection = false #", 1))
    ci = tmp_path / "ci"
    for env in ENVS:
        write(ci / env / "plan.json", {"format_version": "1.2"})
        _policies(root, ci / env)
    r = run(COMMENT, ci)
    assert r.returncode == 0, r.stderr
    rows = [line for line in r.stdout.splitlines() if "backups.deletion\\_protection" in line]
    assert len(rows) == 1, r.stdout
    assert "| prod | 0 to add, 0 to change, 0 to destroy | ❌ 1 violation(s) |" in r.stdout
    assert "| dev | 0 to add, 0 to change, 0 to destroy | ✅ passed |" in r.stdout
    assert "checkov: did not run" in r.stdout


def test_steps_that_did_not_run_are_said_so(tmp_path):
    write(tmp_path / "ci/staging/plan.json", {"format_version": "1.2"})  # its policy step never ran
    (tmp_path / "ci/prod").mkdir()  # neither did its plan
    r = run(COMMENT, tmp_path / "ci", "--diff", write(tmp_path / "diff.md", "## Sizing diff\n\n- **prod**: +$1\n"))
    assert r.returncode == 0, r.stderr
    assert "| staging | 0 to add, 0 to change, 0 to destroy | ❔ not run |" in r.stdout
    assert "| prod | not run | ❔ not run |" in r.stdout
    assert "<details><summary>Cost and capacity</summary>\n\n## Sizing diff\n\n- **prod**: +$1\n" in r.stdout


def test_no_results_and_failed_tests_are_said_so(tmp_path):
    """The workflow's comment job runs after failed tests too: no policy-* artifact, no reports/ci/ yet."""
    out = tmp_path / "reports/ci/comment.md"
    r = run(COMMENT, tmp_path / "reports/ci", "--tests", "failure", "--out", out)
    assert r.returncode == 0, r.stderr
    text = out.read_text(encoding="utf-8")
    assert "`make test`: ❌ failed: the plans did not run." in text and "No environment results" in text
    assert "No cost diff in this run." in text


def _sarif(results: object = (), **run: object) -> dict:
    return {"version": "2.1.0", "runs": [{"tool": {}, "results": list(results) if results != "x" else "x", **run}]}


ODD = {
    "plan-a-list": ("plan.json", [PLAN]),
    "plan-a-string": ("plan.json", '"plan"'),
    "plan-without-actions": ("plan.json", {**PLAN, "resource_changes": [{"address": "a", "change": {}}]}),
    "plan-huge-integer": ("plan.json", '{"format_version": "1.2", "n": ' + "9" * 5000 + "}"),
    "sarif-a-list": ("policy.sarif", []),
    "sarif-without-runs": ("policy.sarif", {"version": "2.1.0"}),
    "sarif-results-not-a-list": ("policy.sarif", _sarif("x")),
    "sarif-result-without-environment": ("policy.sarif", _sarif([{"ruleId": "acu.max", "message": {"text": "t"}}])),
    "sarif-checkov-counts-text": ("policy.sarif", _sarif(properties={"checkov": {"passed": "all"}})),
    "diff-huge-number": ("cost-diff.json", None),
    "diff-environments-not-a-list": ("cost-diff.json", {"environments": {"dev": 1}}),
    "diff-flag-as-text": (
        "cost-diff.json",
        {
            "environments": [
                {
                    "env": "prod",
                    "status": "changed",
                    "figures": {
                        "cost_total": {"label": "t", "unit": "usd", "changed": False, "base": 1, "head": 1},
                        "topology_uncertain": {"label": "u", "unit": "flag", "changed": True, "base": "no", "head": 1},
                    },
                    "warnings": {"added": []},
                }
            ]
        },
    ),
    "diff-input-without-key": (
        "cost-diff.json",
        {
            "environments": [
                {
                    "env": "dev",
                    "status": "changed",
                    "figures": {"cost_total": {"label": "t", "unit": "usd", "changed": False, "base": 1, "head": 1}},
                    "inputs": [{"base": 1}],
                    "warnings": {"added": []},
                }
            ]
        },
    ),
}


@pytest.mark.parametrize("name,content", ODD.values(), ids=ODD.keys())
def test_an_odd_results_file_is_one_line_exit_2_nothing_written(tmp_path, one_env_change, name, content):
    ci, diff = one_env_change
    mine = tmp_path / "ci"
    shutil.copytree(ci, mine)
    diff_file = tmp_path / "cost-diff.json"
    shutil.copy(diff, diff_file)
    if name == "cost-diff.json":
        doc = json.loads(diff.read_text())
        doc["environments"][0]["figures"]["cost_total"]["delta"] = 10**400
        write(diff_file, content if content is not None else json.dumps(doc))
    else:
        write(mine / "policy-dev" / name, content)
    out = tmp_path / "comment.md"
    r = run(COMMENT, mine, "--diff", diff_file, "--out", out)
    assert r.returncode == 2, r
    assert r.stderr.count("\n") == 1 and r.stderr.startswith("pr_comment: ") and "Traceback" not in r.stderr
    assert name in r.stderr, r.stderr
    assert not out.exists()


def test_an_unreadable_diff_is_exit_2_and_writes_nothing(tmp_path):
    out = tmp_path / "comment.md"
    r = run(COMMENT, tmp_path, "--diff", tmp_path / "nope.md", "--out", out)
    assert r.returncode == 2 and r.stderr.count("\n") == 1 and "nope.md" in r.stderr
    assert not out.exists()


def test_the_comment_stays_within_githubs_limit(tmp_path):
    write(tmp_path / "ci/dev/plan.json", {"format_version": "1.2"})
    r = run(COMMENT, tmp_path / "ci", "--diff", write(tmp_path / "diff.md", "x" * 70_000))
    assert r.returncode == 0, r.stderr
    assert len(r.stdout) < 65_536 and "too long for a comment" in r.stdout


def test_a_rules_change_opens_the_comment_and_a_sizing_only_change_skips_tests_on_purpose(tmp_path):
    """reports/ci/changes.json (scripts/ci_changes.py): the rules a pull request touches are named first, escaped."""
    ci = tmp_path / "ci"
    write(ci / "prod" / "plan.json", {"format_version": "1.2"})
    changes = {"toolkit": True, "data": False, "envs": ["prod"], "rules": ["policies/limits.yaml", "[x](http://e)"]}
    write(ci / "changes.json", changes)
    r = run(COMMENT, ci, "--tests", "success")
    assert r.returncode == 0, r.stderr
    first = r.stdout.splitlines()[2]
    assert first.startswith("**⚠️ This pull request changes the rules:** policies/limits.yaml, "), r.stdout
    assert "judged by the base branch's rules" in first and "\\[x\\](http:&#8203;//e)" in first  # no link
    write(ci / "changes.json", {**changes, "toolkit": False, "rules": []})
    r = run(COMMENT, ci, "--tests", "skipped")
    assert "changes the rules" not in r.stdout
    assert "`make test`: skipped on purpose: only sizing or data changed" in r.stdout
    assert "the plans did not run" not in r.stdout
    write(ci / "changes.json", {**changes, "toolkit": True, "rules": []})  # skipped although the toolkit changed
    assert "`make test`: ❔ skipped: the plans did not run." in run(COMMENT, ci, "--tests", "skipped").stdout


@pytest.mark.parametrize(
    "content",
    ["[]", '{"toolkit": "yes", "data": false, "envs": [], "rules": []}', '{"toolkit": true, "data": false}', "{"],
)
def test_an_odd_changes_file_is_one_line_exit_2(tmp_path, content):
    write(tmp_path / "ci" / "changes.json", content)
    out = tmp_path / "comment.md"
    r = run(COMMENT, tmp_path / "ci", "--out", out)
    assert r.returncode == 2 and r.stderr.count("\n") == 1 and "changes.json" in r.stderr, r
    assert not out.exists()


@pytest.mark.parametrize(
    "status,side", [("added", "head"), ("removed", "base"), ("changed", "delta"), ("unchanged", "head")]
)
def test_a_cost_the_comment_computes_with_missing_is_one_line_exit_2(tmp_path, one_env_change, status, side):
    """null is a number's absence the diff writes for an added or removed environment's other side only: where
    the comment prices it (abs(None)), it was a TypeError traceback."""
    ci, diff = one_env_change
    doc = json.loads(diff.read_text())
    env = doc["environments"][0]
    env["status"] = status
    env["figures"]["cost_total"][side] = None
    out = tmp_path / "comment.md"
    r = run(COMMENT, ci, "--diff", write(tmp_path / "cost-diff.json", doc), "--out", out)
    assert r.returncode == 2 and r.stderr.count("\n") == 1 and "Traceback" not in r.stderr, r
    assert f"figures.cost_total.{side}: must be a number ({status})" in r.stderr and not out.exists()
