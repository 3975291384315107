"""The pull-request comment: each environment's plan and policy result, the cost diff, the policy details.

    pr_comment.py RESULTS_DIR [--diff FILE] [--run-url URL] [--tests RESULT] [--out FILE]

RESULTS_DIR holds one directory per environment with plan.json and policy-summary.md: `make ci-collect
ENV=<env>` writes reports/ci/<env>/ (what `make ci-pr` reads), and the pull-request workflow downloads its
matrix jobs' artifacts as reports/ci/policy-<env>/, so both build the comment the same way.
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

from plan_summary import count_changes

# GitHub rejects comments over 65,536 characters; the policy details are cut first.
MAX_CHARS = 60_000


def env_name(env_dir: Path) -> str:
    """reports/ci/<env> locally; the workflow downloads its artifacts as reports/ci/policy-<env>."""
    return env_dir.name.removeprefix("policy-")


def plan_cell(env_dir: Path) -> str:
    try:
        plan = json.loads((env_dir / "plan.json").read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return "no plan (see the job log)"
    add, change, destroy = count_changes(plan)
    return f"{add} to add, {change} to change, {destroy} to destroy"


def policy_cell(summary: str | None) -> str:
    if summary is None:
        return "❔ not run (see the job log)"
    first = summary.lstrip().splitlines()[0] if summary.strip() else ""
    if first.rstrip().endswith("passed"):
        return "✅ passed"
    if first.rstrip().endswith("failed"):
        return "❌ failed"
    return "❔ unknown result"


def read_summary(env_dir: Path) -> str | None:
    try:
        return (env_dir / "policy-summary.md").read_text(encoding="utf-8")
    except OSError:
        return None


# The test job's result (needs.test.result): when it did not succeed the plans were skipped, and the comment
# must say why the table is empty rather than look like a run with nothing to report.
TESTS = {"success": "✅ passed", "failure": "❌ failed", "cancelled": "❔ cancelled", "skipped": "❔ skipped"}


def build(results: Path, diff: str | None, run_url: str | None, tests: str | None = None) -> str:
    envs = sorted(p for p in results.iterdir() if p.is_dir()) if results.is_dir() else []
    lines = ["## Aurora: plan, policy checks and cost", ""]
    if tests is not None:
        lines += [
            f"`make test`: {TESTS.get(tests, tests)}" + ("" if tests == "success" else ": the plans did not run."),
            "",
        ]
    if not envs:
        lines += [f"No environment results in `{results}`.", ""]
    else:
        lines += ["| environment | plan (emulator) | policy checks |", "| --- | --- | --- |"]
        lines += [f"| {env_name(d)} | {plan_cell(d)} | {policy_cell(read_summary(d))} |" for d in envs]
        lines.append("")
    lines += ["### Cost and capacity", "", diff.strip() if diff else "No cost diff in this run.", ""]
    if run_url:
        lines += [f"Sizing report with charts, SARIF and JUnit files: the artifacts of [this run]({run_url}).", ""]
    details = []
    for d in envs:
        summary = read_summary(d)
        if summary is not None:
            details += [
                f"<details><summary>Policy details ({env_name(d)} plan)</summary>",
                "",
                summary.strip(),
                "",
                "</details>",
            ]
    body = "\n".join(lines)
    rest = "\n".join(details)
    if len(body) + len(rest) > MAX_CHARS:
        rest = "Policy details are too long for a comment: see the `policy-*` artifacts of the run."
    return body + "\n" + rest + "\n"


def main(argv: list[str]) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("results", type=Path)
    ap.add_argument("--diff", type=Path, help="the cost diff in markdown (aurora-gen diff --format markdown)")
    ap.add_argument("--run-url")
    ap.add_argument("--tests", help="the test job's result (success, failure, cancelled, skipped)")
    ap.add_argument("--out", type=Path, help="write here (default: stdout)")
    args = ap.parse_args(argv)
    diff = None
    if args.diff is not None:
        try:
            diff = args.diff.read_text(encoding="utf-8")
        except (OSError, UnicodeDecodeError) as exc:
            print(f"pr_comment: {args.diff}: cannot read the cost diff ({exc.__class__.__name__})", file=sys.stderr)
            return 2
    text = build(args.results, diff, args.run_url, args.tests)
    if args.out is None:
        sys.stdout.write(text)
    else:
        args.out.parent.mkdir(parents=True, exist_ok=True)
        tmp = args.out.with_name(args.out.name + ".tmp")
        tmp.write_text(text, encoding="utf-8")
        tmp.replace(args.out)
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
