#!/usr/bin/env python3
"""Wall time of the HCL policy checks (and checkov, when .venv-checkov exists), one line per figure.

    scripts/bench_policies.py [--envs 100] [--runs 5] [--checkov-generated]

Figures: `python -m policies` as a fresh process (what CI pays: imports, grammar, parsing, rules)
over the repository's environments (goal < 1 s) and over N generated environments (goal < 3 s;
copies of envs/ with varied capacity, pools, retention and budget, in a temporary folder with a
limits.yaml that covers them), the engine alone in-process on the same trees, and checkov on the
repository's tree (and on the generated one with --checkov-generated: slow).
"""

from __future__ import annotations

import argparse
import copy
import os
import random
import re
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import yaml

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))
CHECKOV = REPO / ".venv-checkov" / "bin" / "checkov"
IGNORE = shutil.ignore_patterns(".terraform", "__pycache__", "*.tfstate*", ".terraform.lock.hcl")


def line(name: str, seconds: float, goal: float | None) -> str:
    verdict = "" if goal is None else (f"  goal < {goal:g} s: " + ("ok" if seconds < goal else "MISSED"))
    return f"{name:<48} {seconds:7.3f} s{verdict}"


def median_process(cmd: list[str], runs: int, ok_codes=(0,)) -> float:
    times = []
    for _ in range(runs):
        start = time.perf_counter()
        rc = subprocess.run(cmd, cwd=REPO, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL).returncode
        times.append(time.perf_counter() - start)
        if rc not in ok_codes:
            raise SystemExit(f"bench_policies: {' '.join(cmd)} exited {rc}")
    return statistics.median(times)


def sub(text: str, key: str, literal: str) -> str:
    return re.sub(rf"(?m)^(\s*){re.escape(key)}(\s*)=.*$", rf"\g<1>{key}\g<2>= {literal}", text, count=1)


def generate(root: Path, count: int, seed: int = 7) -> list[str]:
    """`count` environments: copies of dev/staging/prod with varied values that stay within limits."""
    rng = random.Random(seed)
    for part in ("modules", "policies"):
        shutil.copytree(REPO / part, root / part, ignore=IGNORE)
    bases = {"dev": (0.5, [1.5, 2]), "staging": (1, [2, 4, 6, 8]), "prod": (2, [16, 24, 32])}
    limits_path = root / "policies" / "limits.yaml"
    limits = yaml.safe_load(limits_path.read_text())
    names = []
    for i in range(count):
        base = ("dev", "staging", "prod")[i % 3]
        name = f"gen-{i:03d}"
        shutil.copytree(REPO / "envs" / base, root / "envs" / name, ignore=IGNORE)
        tf = root / "envs" / name / "terraform.tfvars"
        text = tf.read_text()
        floor, maxes = bases[base]
        text = sub(text, "environment", f'"{name}"')
        text = sub(text, "max_capacity", str(rng.choice(maxes)))
        text = sub(text, "pooled_connections", str(rng.randint(5, 100)))
        text = sub(text, "proxy_max_connections_percent", str(rng.choice([60, 70, 80, 90])))
        text = sub(text, "backup_retention_period", str(rng.randint(14, 35)))
        text = sub(text, "monthly_budget_usd", str(rng.choice([4500, 5000, 6000]) if base == "prod" else 1000))
        tf.write_text(text)
        limits["environments"][name] = copy.deepcopy(limits["environments"][base])
        names.append(name)
    limits_path.write_text(yaml.safe_dump(limits, sort_keys=False))
    return names


def engine_in_process(root: Path, runs: int) -> float:
    """The engine alone, caches cleared each run (imports and the grammar already loaded)."""
    from policies import engine

    times = []
    for _ in range(runs):
        engine._PARSED.clear(), engine._DECLS.clear(), engine._LIMITS_CACHE.clear()
        start = time.perf_counter()
        found = engine.violations(engine.evaluate_root(root))
        times.append(time.perf_counter() - start)
        if found:
            raise SystemExit("bench_policies: violations in the benchmark tree:\n" + "\n".join(map(str, found[:5])))
    return statistics.median(times)


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--envs", type=int, default=100)
    ap.add_argument("--runs", type=int, default=5)
    ap.add_argument("--checkov-generated", action="store_true", help="also time checkov on the generated tree")
    args = ap.parse_args()
    py = sys.executable
    with tempfile.TemporaryDirectory() as tmp:
        real, gen = Path(tmp) / "repo", Path(tmp) / "generated"
        for part in ("envs", "modules", "policies"):
            shutil.copytree(REPO / part, real / part, ignore=IGNORE)
        n_real = len([p for p in (real / "envs").iterdir() if p.is_dir()])
        generate(gen, args.envs)
        print(
            line(
                f"policy checks, {n_real} environments (process)",
                median_process([py, "-m", "policies", "-q", "--root", str(real)], args.runs),
                1.0,
            )
        )
        print(
            line(
                f"policy checks, {args.envs} generated environments (process)",
                median_process([py, "-m", "policies", "-q", "--root", str(gen)], args.runs),
                3.0,
            )
        )
        print(line(f"policy engine alone, {n_real} environments", engine_in_process(real, args.runs), None))
        print(line(f"policy engine alone, {args.envs} generated environments", engine_in_process(gen, args.runs), None))
        if CHECKOV.exists():
            # As `make checkov` runs it: one checkov run per directory (checkov 3.3.30 given several -d in
            # one run reports the first directory twice and leaves the env roots out), the runs summed.
            env_cmd = [
                str(CHECKOV),
                "--quiet",
                "--compact",
                "-o",
                "cli",
                "--skip-download",
                "--framework",
                "terraform",
                "--external-checks-dir",
                str(REPO / "policies" / "checkov"),
                "--skip-path",
                "examples",
            ]

            def checkov_runs(tree: Path) -> float:
                return sum(
                    median_process([*env_cmd, "-d", str(d)], 1, ok_codes=(0, 1))
                    for d in (tree / "modules" / "aurora-serverless-v2", tree / "envs")
                )

            print(line(f"checkov, module + {n_real} environments (2 runs)", checkov_runs(real), None))
            if args.checkov_generated:
                print(line(f"checkov, module + {args.envs} generated environments (2 runs)", checkov_runs(gen), None))
        else:
            print(f"{'checkov':<48}     n/a   (no .venv-checkov: make checkov-setup)")
    return 0


if __name__ == "__main__":
    os.environ.pop("POLICY_ROOT", None)
    sys.exit(main())
