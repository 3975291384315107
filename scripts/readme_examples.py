"""The README's example outputs, rerun from the tool: `python scripts/readme_examples.py [--check]` (`make docs`).

Each block between `<!-- BEGIN_EXAMPLE name -->` and `<!-- END_EXAMPLE -->` is the output of a command on a
copy of this tree (its tracked files, in a git repository of its own), so the README's examples are today's
model, prices and calibration, never figures someone once pasted. The scenario is the README's: prod raised
from 1,000 to 3,000 agents with a budget of $4,000. `--check` writes nothing and exits 1 naming the stale
blocks (tests/test_readme_examples.py).
"""

from __future__ import annotations

import argparse
import re
import shutil
import subprocess
import sys
import tempfile
from collections.abc import Callable
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))

from generator.outputs.writer import write_all  # noqa: E402 - the repository's own package, after its path

README = REPO / "README.md"
BLOCK = re.compile(r"(<!-- BEGIN_EXAMPLE (?P<name>[\w-]+) -->\n```\n)(?P<body>.*?)(```\n<!-- END_EXAMPLE -->)", re.S)
AURORA_GEN = [sys.executable, "-m", "generator.cli"]


def _run(root: Path, *args: str) -> str:
    res = subprocess.run(
        [*AURORA_GEN, "--root", str(root), *args], cwd=root, capture_output=True, text=True, check=False
    )
    if res.returncode not in (0, 1):
        raise SystemExit(f"readme_examples: aurora-gen {' '.join(args)} failed: {res.stderr.strip()}")
    return res.stdout


def _git(root: Path, *args: str) -> None:
    subprocess.run(
        ["git", "-c", "user.email=readme@example.invalid", "-c", "user.name=readme", *args],
        cwd=root,
        check=True,
        capture_output=True,
    )


def _copy_tree(dest: Path) -> None:
    """The tracked files as they are in the working tree (uncommitted edits included), committed as the base."""
    listed = subprocess.run(["git", "ls-files", "-z"], cwd=REPO, capture_output=True, check=True).stdout
    for name in filter(None, listed.decode().split("\0")):
        src = REPO / name
        if src.is_file() and not src.is_symlink():
            (dest / name).parent.mkdir(parents=True, exist_ok=True)
            shutil.copy2(src, dest / name)
    _git(dest, "init", "-q")
    _git(dest, "add", "-A")
    _git(dest, "commit", "-qm", "base")


def _raise_prod(root: Path) -> None:
    """The README's scenario: prod at 3,000 agents with a budget of $4,000 (two lines of its sizing.yaml)."""
    path = root / "envs/prod/sizing.yaml"
    text, n_agents = re.subn(r"(?m)^agents: \d+$", "agents: 3000", path.read_text())
    text, n_budget = re.subn(r"(?m)^budget_usd: [\d.]+$", "budget_usd: 4000", text)
    if (n_agents, n_budget) != (1, 1):
        raise SystemExit("readme_examples: envs/prod/sizing.yaml has no top-level agents/budget_usd line to edit")
    path.write_text(text)


def _between(text: str, first: str, last: str | None) -> str:
    """The lines from the one starting `first` to the one starting `last` (included), or to the end."""
    lines = text.splitlines()
    start = next(i for i, line in enumerate(lines) if line.startswith(first))
    end = next((i for i in range(start, len(lines)) if last and lines[i].startswith(last)), len(lines) - 1)
    return "\n".join(lines[start : end + 1]) + "\n"


def examples() -> dict[str, str]:
    """Every example's output, by block name."""
    with tempfile.TemporaryDirectory(prefix="readme-examples-") as tmp:
        root = Path(tmp)
        _copy_tree(root)
        grow = _between(_run(root, "grow", "--env", "prod"), "threshold ", "Limitless shard group")
        _raise_prod(root)
        diff = _between(_run(root, "diff", "--base", "HEAD"), "- **prod**", "- new warning")
        generate = _run(root, "render")
    return {"generate": generate, "grow-thresholds": grow, "diff": diff}


def updated(readme: str, outputs: dict[str, str]) -> tuple[str, list[str]]:
    """The README with each block replaced by its output, and the names of the blocks that changed."""
    stale: list[str] = []
    unknown = [m["name"] for m in BLOCK.finditer(readme) if m["name"] not in outputs]
    if unknown:
        raise SystemExit(f"readme_examples: README.md names examples this script does not know: {unknown}")

    def replace(m: re.Match) -> str:
        if m["body"] != outputs[m["name"]]:
            stale.append(m["name"])
        return m.group(1) + outputs[m["name"]] + m.group(4)

    return BLOCK.sub(replace, readme), stale


def main(argv: list[str] | None = None, produce: Callable[[], dict[str, str]] = examples) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--check", action="store_true", help="write nothing; exit 1 naming the stale examples")
    args = parser.parse_args(argv)
    readme = README.read_text(encoding="utf-8")
    text, stale = updated(readme, produce())
    if not stale:
        return 0
    if args.check:
        print(f"README.md: stale example(s): {', '.join(stale)} (run: make docs)", file=sys.stderr)
        return 1
    write_all([(README, text)])
    print(f"README.md: example(s) rerun: {', '.join(stale)}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
