#!/usr/bin/env python3
"""make bench: wall times of the commands a pull request waits for, against their goals.

Each figure is the median of several runs of a fresh process (what a user or CI pays), on a
throw-away copy of the environments so the repository is never touched.
"""

from __future__ import annotations

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


def main() -> int:
    with tempfile.TemporaryDirectory() as tmp:
        root = Path(tmp)
        for sizing in (REPO / "envs").glob("*/sizing.yaml"):
            dest = root / "envs" / sizing.parent.name
            dest.mkdir(parents=True)
            shutil.copy2(sizing, dest / "sizing.yaml")
        gen = str(BIN / "aurora-gen")
        envs = len(list((root / "envs").iterdir()))
        print(line(f"aurora-gen render ({envs} environments)", median_seconds([gen, "--root", tmp, "render"], root), 0.5))
        print(line("aurora-gen render --check", median_seconds([gen, "--root", tmp, "render", "--check"], root), 0.5))
        print(line("aurora-gen --help", median_seconds([gen, "--help"], root), 0.3))
        print(line("aurora-gen report --env prod --format json",
                   median_seconds([gen, "--root", tmp, "report", "--env", "prod", "--format", "json"], root), None))
    policies = REPO / "scripts" / "bench_policies.py"
    if policies.is_file():
        sys.stdout.flush()
        return subprocess.call([sys.executable, str(policies)], cwd=REPO)
    return 0


if __name__ == "__main__":
    sys.exit(main())
