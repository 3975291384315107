"""The pull-request comment: one line per environment, the violations, checkov's counts once, the sizing changes.

    pr_comment.py RESULTS_DIR [--diff FILE] [--changes FILE] [--run-url URL] [--tests RESULT] [--out FILE]

RESULTS_DIR holds one directory per environment with plan.json and policy.sarif: `make ci-collect ENV=<env>`
writes reports/ci/<env>/ (what `make ci-pr` reads), and the pull-request workflow downloads its matrix jobs'
artifacts as reports/ci/policy-<env>/, so both build the comment the same way. --diff is `aurora-gen diff`'s
output: with `--format json` the table shows each environment's cost change and new warnings, and the changed
figures fold out below it; its markdown is folded out as it stands.

Every leg checks every root's HCL, so a violation is listed once (by environment, rule and text), and checkov,
which scans the same tree in every leg, is counted once. The full reports are the run's artifacts.
--changes is scripts/ci_changes.py's answer (default RESULTS_DIR/changes.json when there): a pull request that
changes the rules (policies/, .checkov.yaml, the emulator override) says so first, since the base branch's rules
judged it; a sizing-only change says its tests were skipped on purpose.
An odd results file (a plan that is a list, a SARIF without runs) is one line, exit 2, nothing written.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path
from typing import Any

from ci_results import EnvRun, Finding, ResultsError, read_changes, read_diff, read_env

from generator.inputs.files import promotion_order
from generator.outputs.diff import cost_lines, figure_lines, input_lines, usd
from generator.outputs.escape import md

HEADER = "## Aurora: plan, policy checks and cost"
# GitHub rejects comments over 65,536 characters: the sizing changes fold away first.
MAX_CHARS = 60_000
# The violations table stops here (the rest are in the policy-* artifacts): the comment stays readable.
MAX_VIOLATION_ROWS = 15
# The test job's result (needs.test.result): when it did not succeed the plans were skipped, and the comment
# must say why the table is empty rather than look like a run with nothing to report.
TESTS = {"success": "✅ passed", "failure": "❌ failed", "cancelled": "❔ cancelled", "skipped": "❔ skipped"}


def _plan_cell(run: EnvRun | None) -> str:
    if run is None or run.plan is None:
        return "not run"
    add, change, destroy = run.plan
    return f"{add} to add, {change} to change, {destroy} to destroy"


def _policy_cell(run: EnvRun | None, findings: list[Finding]) -> str:
    if run is None or not run.policy_ran:
        return "❔ not run"
    return f"❌ {len(findings)} violation(s)" if findings else "✅ passed"


def _cost_cells(e: dict[str, Any] | None) -> tuple[str, str]:
    if e is None:
        return "-", "-"
    total, worst = e["figures"]["cost_total"], e["figures"].get("cost_worst_case")
    if e["status"] == "added":
        cost = f"new: {usd(total['head'])}"
    elif e["status"] == "removed":
        cost = f"removed (was {usd(total['base'])})"
    else:
        cost = "no change" if not total["changed"] else usd(total["delta"], sign=True)
        cost += f" ({total['percent']:+.1f}%)" if total["changed"] and total["percent"] else ""
        if worst and worst["changed"] and worst["delta"] is not None:
            cost += f"; worst case {usd(worst['delta'], sign=True)}"
    added = e["warnings"]["added"]
    return cost, ", ".join(md(w["code"]) for w in added) or "none"


def _summary_table(runs: dict[str, EnvRun], diff: dict | None, findings: list[Finding]) -> list[str]:
    diff_envs = {e["env"]: e for e in diff["environments"]} if diff else {}
    # Environments that ran, and those the diff changes (a plan that never started is news too).
    names = promotion_order(set(runs) | {n for n, e in diff_envs.items() if e["status"] != "unchanged"})
    lines = [
        "| environment | plan (emulator) | policy checks | cost / month | new warnings |",
        "| --- | --- | --- | --- | --- |",
    ]
    for name in names:
        run, mine = runs.get(name), [f for f in findings if f.env == name]
        cost, warnings = _cost_cells(diff_envs.get(name)) if diff else ("see below", "see below")
        lines.append(f"| {md(name)} | {_plan_cell(run)} | {_policy_cell(run, mine)} | {cost} | {warnings} |")
    return lines


def _violations(findings: list[Finding], checkov_failures: list[dict]) -> list[str]:
    rows = [f"| {md(f.rule)} | {md(f.text)} |" for f in findings]
    rows += [
        f"| checkov {md(c['check_id'])} | {md(c['check_name'])}: {md(c['resource'])} in {md(c['file'])}:{c['line']} |"
        for c in checkov_failures
    ]
    if not rows:
        return []
    more = len(rows) - MAX_VIOLATION_ROWS
    lines = ["", "### Violations", "", "| rule | violation |", "| --- | --- |", *rows[:MAX_VIOLATION_ROWS]]
    return lines + (["", f"… and {more} more: see the `policy-*` artifacts of the run."] if more > 0 else [])


def _checkov_line(runs: dict[str, EnvRun]) -> tuple[list[str], list[dict]]:
    counts = {
        tuple(r.checkov[k] for k in ("passed", "failed", "skipped", "parsing_errors"))
        for r in runs.values()
        if r.checkov
    }
    failures = {
        (f["check_id"], f["file"], f["line"], f["resource"]): f
        for r in runs.values()
        if r.checkov
        for f in r.checkov["failures"]
    }
    if not counts:
        return ["", "checkov: did not run (see the job log)."], []
    if len(counts) > 1:
        return ["", "checkov: the legs' counts differ (see the `policy-*` artifacts)."], list(failures.values())
    passed, failed, skipped, unparsed = counts.pop()
    line = f"checkov (module and `envs/`, once for every leg): {passed} passed, {failed} failed, {skipped} skipped"
    return ["", line + (f", {unparsed} file(s) it could not parse." if unparsed else ".")], list(failures.values())


def _diff_details(diff: dict[str, Any] | str | None) -> list[str]:
    if diff is None:
        return ["", "No cost diff in this run."]
    if isinstance(diff, str):
        return ["", "<details><summary>Cost and capacity</summary>", "", diff.strip(), "", "</details>"]
    moved = [e for e in diff["environments"] if e["status"] != "unchanged"]
    if not moved and not diff.get("notes"):
        return ["", f"No sizing change in {len(diff['environments'])} environment(s)."]
    lines = ["", "<details><summary>Sizing changes (aurora-gen diff)</summary>", ""]
    for e in moved:
        # As the diff's markdown shows it: the changed inputs, every cost part, the changed figures.
        inputs = input_lines(e)
        lines += [f"**{md(e['env'])}** ({e['status']})", "", *inputs, *([""] if inputs else [])]
        lines += [*cost_lines(e), "", *figure_lines(e), ""]
    lines += [f"Note: {md(n)}." for n in diff.get("notes", [])]
    return lines + ([""] if diff.get("notes") else []) + ["</details>"]


def _rules_changed(changes: dict[str, Any] | None) -> list[str]:
    if not changes or not changes["rules"]:
        return []
    shown = ", ".join(md(p) for p in changes["rules"][:10])  # escaped, not in code spans (no escape works there)
    more = f" and {len(changes['rules']) - 10} more" if len(changes["rules"]) > 10 else ""
    return [
        f"**⚠️ This pull request changes the rules:** {shown}{more}. It was judged by the base branch's rules; "
        "the new ones apply once the code owners have reviewed and merged them.",
        "",
    ]


def _tests_line(tests: str, changes: dict[str, Any] | None) -> str:
    if tests == "skipped" and changes is not None and not changes["toolkit"]:
        return "`make test`: skipped on purpose: only sizing or data changed (`render --check` and the policies ran)."
    return f"`make test`: {TESTS.get(tests, md(tests))}" + ("" if tests == "success" else ": the plans did not run.")


def build(
    results: Path,
    diff: dict[str, Any] | str | None,
    run_url: str | None,
    tests: str | None = None,
    changes: dict[str, Any] | None = None,
) -> str:
    dirs = sorted(p for p in results.iterdir() if p.is_dir()) if results.is_dir() else []
    runs = {r.env: r for r in map(read_env, dirs)}
    findings = list(dict.fromkeys(f for r in runs.values() for f in r.findings))  # once, in the order found
    lines = [HEADER, "", *_rules_changed(changes)]
    if tests is not None:
        lines.append(_tests_line(tests, changes))
    if not runs and not diff:
        lines += ["", f"No environment results in {md(results)}."]
    else:
        lines += ["", *_summary_table(runs, diff if isinstance(diff, dict) else None, findings)]
    checkov, checkov_failures = _checkov_line(runs) if runs else ([], [])
    lines += checkov + _violations(findings, checkov_failures)
    tail = ["", f"Policy summaries, SARIF, JUnit and the sizing report: the artifacts of [this run]({run_url})."]
    tail = tail if run_url else []
    details = _diff_details(diff)
    if sum(len(line) + 1 for line in lines + details + tail) > MAX_CHARS:
        details = ["", "The sizing changes are too long for a comment: run `aurora-gen diff` (or see the job log)."]
    return "\n".join(lines + details + tail) + "\n"


def main(argv: list[str]) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("results", type=Path)
    ap.add_argument("--diff", type=Path, help="the cost diff: aurora-gen diff --format json (or markdown)")
    ap.add_argument("--changes", type=Path, help="scripts/ci_changes.py's JSON (default: RESULTS_DIR/changes.json)")
    ap.add_argument("--run-url")
    ap.add_argument("--tests", help="the test job's result (success, failure, cancelled, skipped)")
    ap.add_argument("--out", type=Path, help="write here (default: stdout)")
    args = ap.parse_args(argv)
    try:
        diff = read_diff(args.diff) if args.diff is not None else None
        changes_file = args.changes or args.results / "changes.json"
        changes = read_changes(changes_file) if args.changes or changes_file.is_file() else None
        text = build(args.results, diff, args.run_url, args.tests, changes)
    except ResultsError as exc:
        print(f"pr_comment: {exc}", file=sys.stderr)
        return 2
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
