"""python -m policies: run the pull-request policy checks and print one line per violation.

    python -m policies [--root DIR] [--limits FILE] [--env ENV ...] [--plan PLAN.json ...] [--plan-env ENV]
                       [--summary reports/policy-summary.md] [--sarif reports/policy.sarif]
                       [--junit reports/policy-junit.xml]
                       [--checkov-json reports/checkov/results_json.json]

Exit codes: 0 no violation, 1 violations, 2 bad input (no such root, environment or plan file; a
policies/limits.yaml or policies/roots.yaml that does not validate). `make policy` prints each violation once, from here.
"""

from __future__ import annotations

import argparse
import json
import os
import sys
import time
from pathlib import Path

from generator.errors import one_line
from generator.outputs.freshness import page_staleness
from policies import checkov_json, engine, report, sizing_view


def main(argv: list[str] | None = None) -> int:
    """One run; `--limits` holds for this run only (an in-process caller's next run reads its own root's)."""
    saved = os.environ.get("POLICY_LIMITS")
    try:
        return _run(argv)
    finally:
        if saved is None:
            os.environ.pop("POLICY_LIMITS", None)
        else:
            os.environ["POLICY_LIMITS"] = saved


def _run(argv: list[str] | None) -> int:
    ap = argparse.ArgumentParser(prog="python -m policies", description=__doc__.split("\n")[0])
    ap.add_argument(
        "--root",
        type=Path,
        default=Path(os.environ.get("POLICY_ROOT") or engine.REPO),
        help="tree holding envs/, modules/ and policies/limits.yaml (default: the repository)",
    )
    ap.add_argument(
        "--limits",
        type=Path,
        help="the limits file, and roots.yaml beside it (default: <root>/policies/); make ci-pr passes the base's",
    )
    ap.add_argument("--env", action="append", dest="envs", help="only this environment (repeatable)")
    ap.add_argument("--plan", action="append", default=[], help="a `terraform show -json` plan to check (repeatable)")
    ap.add_argument("--plan-env", help="environment of the plan(s) when its `environment` variable does not say")
    ap.add_argument("--no-hcl", action="store_true", help="check only the plan(s), not the environments' HCL")
    ap.add_argument("--summary", type=Path, help="write the pull-request markdown summary here")
    ap.add_argument("--sarif", type=Path, help="write the violations as SARIF 2.1.0 here")
    ap.add_argument("--junit", type=Path, help="write JUnit XML here (one test case per environment and concern)")
    ap.add_argument(
        "--checkov-json", type=Path, help="checkov's -o json output, summarised in --summary and --sarif's properties"
    )
    ap.add_argument("-q", "--quiet", action="store_true", help="print only the violations")
    args = ap.parse_args(argv)

    root = args.root.resolve()
    if not (root / "envs").is_dir() and not args.plan:
        print(f"policies: {root}: no envs/ folder", file=sys.stderr)
        return 2
    known = engine.discover_envs(root)
    for env in args.envs or []:
        if env not in known:
            print(
                f"policies: unknown environment '{one_line(env)}' (known: {', '.join(known) or 'none'})",
                file=sys.stderr,
            )
            return 2
    for plan in args.plan:
        if not Path(plan).is_file():
            print(f"policies: {one_line(plan)}: no such plan file", file=sys.stderr)
            return 2

    if args.limits is not None:
        if not args.limits.is_file():
            print(f"policies: {one_line(str(args.limits))}: no such limits file", file=sys.stderr)
            return 2
        os.environ["POLICY_LIMITS"] = str(args.limits.resolve())  # read by policies.limits.load_limits

    try:
        checkov = checkov_json.read(args.checkov_json) if args.checkov_json and (args.summary or args.sarif) else None
    except checkov_json.CheckovError as exc:
        print(f"policies: {exc}", file=sys.stderr)
        return 2
    try:  # validated before anything is checked: a bad limits or roots file is one line, exit 2
        engine.load_limits(root)
        engine.load_roots_spec(root)
    except (engine.LimitsError, engine.RootsError) as exc:
        print(f"policies: {exc}", file=sys.stderr)
        return 2

    started = time.perf_counter()
    results = [] if args.no_hcl else engine.evaluate_root(root, args.envs)
    results += [engine.evaluate_plan(p, root, args.plan_env) for p in args.plan]
    elapsed = time.perf_counter() - started
    found = engine.violations(results)

    for v in found:
        print(v)
    if not args.quiet:
        names = ", ".join(r.env if r.source == "hcl" else f"{r.env} (plan {r.source})" for r in results)
        print(
            f"policies: {len(found)} violation(s) in {len(results)} check(s) [{names}] in {elapsed:.2f} s",
            file=sys.stderr,
        )

    files: list[tuple[Path, str]] = []
    if args.summary:
        sizing = sizing_view.collect(root, [r.env for r in results], engine.load_limits(root))
        summary = report.markdown(results, checkov, sizing)
        warned = [f"{env}: {', '.join(w['code'] for w in v.warnings)}" for env, v in sizing.items() if v.warnings]
        if warned and not args.quiet:
            print(f"policies: sizing warnings (aurora-gen report): {'; '.join(warned)}", file=sys.stderr)
        page = args.summary.parent / "sizing.html"
        if page.is_file():  # written by `make report-html`
            stale = page_staleness(page, root)
            summary += report.page_link(stale)
            if stale and not args.quiet:
                print(
                    f"policies: {one_line(str(page), limit=None)} is stale: {'; '.join(stale)} (make report-html)",
                    file=sys.stderr,
                )
        files.append((args.summary, summary))
    if args.sarif:
        files.append((args.sarif, json.dumps(report.sarif(found, checkov), indent=2) + "\n"))
    if args.junit:
        files.append((args.junit, report.junit(results)))
    try:
        _write_all(files)
    except OSError as exc:
        print(
            f"policies: {one_line(str(exc.filename or ''))}: cannot write the report: {exc.strerror or exc}",
            file=sys.stderr,
        )
        return 2
    return 1 if found else 0


def _write_all(files: list[tuple[Path, str]]) -> None:
    """Every report or none, each atomically (an unwritable --sarif no longer leaves a fresh summary beside it)."""
    from generator.outputs.writer import write_all

    for path, _ in files:
        path.parent.mkdir(parents=True, exist_ok=True)
    write_all(files)


if __name__ == "__main__":
    # `python -m policies | head`: a reader that stops early ends the output quietly, like other filters
    # (the exit code stays the checks' own when the pipe stays open).
    import signal

    signal.signal(signal.SIGPIPE, signal.SIG_DFL)
    sys.exit(main())
