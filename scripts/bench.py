#!/usr/bin/env python3
"""make bench: wall times of the commands a pull request waits for, against their goals.

Each figure is the median of several runs of a fresh process (what a user or CI pays), on a
throw-away copy of the environments so the repository is never touched.

    scripts/bench.py [--make-test]

--make-test (make bench TEST=1): instead, one timed `make test` on the warm tree (its installs and terraform
init done first, untimed), against the goal of 180 s, with its CPU time and the load average before and
after: on a shared machine the wall time depends on the load, the CPU time hardly does.
"""

from __future__ import annotations

import argparse
import os
import resource
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
BIN = Path(sys.executable).parent
RUNS = 7
MAKE_TEST_GOAL_S = 180  # issue 15: `make test` on a warm tree, on the 2-core machines CI runs on


def median_seconds(cmd: list[str], cwd: Path, runs: int = RUNS) -> float:
    times = []
    for _ in range(runs):
        start = time.perf_counter()
        subprocess.run(cmd, cwd=cwd, check=True, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        times.append(time.perf_counter() - start)
    return statistics.median(times)


def line(name: str, seconds: float, goal: float | None) -> str:
    verdict = "" if goal is None else (f"  goal < {goal:g} s: " + ("ok" if seconds < goal else "MISSED"))
    return f"{name:<48} {seconds:7.3f} s{verdict}"


def pr_gate_seconds(runs: int = RUNS) -> tuple[float, float]:
    """What a pull request waits for before checkov: `aurora-gen render --check` then `python -m policies`,
    one after the other on a copy of the tree (each a fresh process; generator.outputs.cache warm after the first run)."""
    ignore = shutil.ignore_patterns(".terraform", "__pycache__", "*.tfstate*")
    with tempfile.TemporaryDirectory() as tmp:
        for part in ("envs", "modules", "policies"):
            shutil.copytree(REPO / part, Path(tmp) / part, symlinks=True, ignore=ignore)
        gate = [
            [str(BIN / "aurora-gen"), "--root", tmp, "render", "--check"],
            [sys.executable, "-m", "policies", "-q", "--root", tmp],
        ]
        times, cpus = [], []
        for _ in range(runs + 1):
            start, used = time.perf_counter(), _children_cpu()
            for cmd in gate:
                subprocess.run(cmd, cwd=REPO, check=True, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
            times.append(time.perf_counter() - start)
            cpus.append(_children_cpu() - used)
        # The first run fills the cache, as any earlier run on the machine would have. The CPU time (user +
        # system of the two processes) does not grow with the machine's load, the wall time does.
        return statistics.median(times[1:]), statistics.median(cpus[1:])


def _children_cpu() -> float:
    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    return usage.ru_utime + usage.ru_stime


def make_test() -> int:
    """One timed `make test` (it takes minutes: a median of several would cost a quarter of an hour)."""
    make = ["make", "--no-print-directory", "-C", str(REPO)]
    # What makes a tree warm: the virtual environments, chromium, terraform init. A first run installs them.
    subprocess.run([*make, "setup", "checkov-setup", "browser-setup", "tf-init"], check=True, stdout=subprocess.DEVNULL)
    load_before = os.getloadavg()
    with tempfile.TemporaryFile("w+") as log:
        start, used = time.perf_counter(), _children_cpu()
        rc = subprocess.call([*make, "test"], stdout=log, stderr=subprocess.STDOUT)
        wall, cpu = time.perf_counter() - start, _children_cpu() - used
        if rc != 0:
            log.seek(0)
            sys.stdout.write("".join(log.readlines()[-40:]))
            print(f"make test failed (exit {rc}) after {wall:.0f} s: no figure", file=sys.stderr)
            return 1
    load = " / ".join(f"{a:.2f} {b:.2f} {c:.2f}" for a, b, c in (load_before, os.getloadavg()))
    print(line("make test (warm tree)", wall, MAKE_TEST_GOAL_S))
    print(f"  cpu {cpu:.0f} s on {os.cpu_count()} cores; load average (1, 5, 15 min) before / after: {load}")
    return 0


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--make-test", action="store_true", help="time `make test` on the warm tree instead")
    if parser.parse_args().make_test:
        return make_test()
    with tempfile.TemporaryDirectory() as tmp:
        root = Path(tmp)
        for sizing in (REPO / "envs").glob("*/sizing.yaml"):
            dest = root / "envs" / sizing.parent.name
            dest.mkdir(parents=True)
            shutil.copy2(sizing, dest / "sizing.yaml")
        gen = str(BIN / "aurora-gen")
        envs = len(list((root / "envs").iterdir()))
        print(
            line(f"aurora-gen render ({envs} environments)", median_seconds([gen, "--root", tmp, "render"], root), 0.5)
        )
        print(line("aurora-gen render --check", median_seconds([gen, "--root", tmp, "render", "--check"], root), 0.5))
        print(line("aurora-gen --help", median_seconds([gen, "--help"], root), 0.3))
        print(
            line(
                "aurora-gen report --env prod --format json",
                median_seconds([gen, "--root", tmp, "report", "--env", "prod", "--format", "json"], root),
                None,
            )
        )
    wall, cpu = pr_gate_seconds()
    print(line("PR gate: render --check + HCL policies (3 envs)", wall, 0.5) + f"  (cpu {cpu:.3f} s)")
    policies = REPO / "scripts" / "bench_policies.py"
    if policies.is_file():
        sys.stdout.flush()
        return subprocess.call([sys.executable, str(policies)], cwd=REPO)
    return 0


if __name__ == "__main__":
    sys.exit(main())
