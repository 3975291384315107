#!/usr/bin/env python3
"""make bench: wall times of the commands a pull request waits for, against their goals.

Each figure is the median of several runs of a fresh process (what a user or CI pays), on a
throw-away copy of the environments so the repository is never touched.
"""

from __future__ import annotations

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
    one after the other on a copy of the tree (each a fresh process; generator.cache warm after the first run)."""
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


def main() -> int:
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
