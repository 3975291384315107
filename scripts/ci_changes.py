"""What a pull request changes, and so what CI must run: the toolkit's tests, and which environments' plans.

    ci_changes.py --base REF [--head REF] [--format json|github]
    ci_changes.py --all [--head REF]          (no base to compare with: everything runs)

Paths changed from the merge base of REF and HEAD (`git diff --name-only REF...HEAD`), by class:

- sizing: `envs/<env>/sizing.yaml`, `envs/<env>/terraform.tfvars`, its observation `envs/<env>/observed.yaml`
  and an environment's README: that environment's plan and policies only (the fast path of a platform engineer's one-line change);
- data: `generator/data/**` (prices, AWS limits, calibration): every environment renders from them, so every
  environment's plan, but not the toolkit's tests (they pin no data value that a render --check misses);
- toolkit: everything else (generator/*.py, policies/, modules/, scripts/, tests/, .github/, Makefile,
  pyproject.toml, constraints.txt, the env roots' .tf and lock files, this README...): the whole suite and
  every environment. Anything not named above is the toolkit's: an unknown path runs more, never less.

`rules` lists the changed paths that decide a verdict (policies/, .checkov.yaml, scripts/emulator/): CI judges
the pull request with the base's copies, and the comment names them (reports/ci/changes.json).
Environments are the directories of envs/ holding a sizing.yaml at HEAD; a name that is not
`[a-z0-9][a-z0-9_-]*` is bad input (it becomes a make argument and a job name).

Prints {"base", "toolkit", "data", "envs", "rules"} as JSON, or with --format github the `key=value` lines
of a GitHub step output (envs and rules as JSON arrays). Exit 2 with one line: no such ref, not a git tree.
"""

from __future__ import annotations

import argparse
import json
import re
import subprocess
import sys
from pathlib import Path

ENV_NAME = re.compile(r"^[a-z0-9][a-z0-9_-]*$")
SIZING_FILES = ("sizing.yaml", "terraform.tfvars", "observed.yaml", "README.md")
RULES_PREFIXES = ("policies/", "scripts/emulator/", ".checkov.yaml")
# generator.inputs.files.PROMOTION_ORDER's order, restated: this script runs from the base branch's copy, outside the
# repository's packages (importing the pull request's generator would let it steer CI). A test holds the two equal.
PROMOTION_ORDER = ("dev", "staging", "prod")


def promotion_order(names: list[str] | set[str]) -> list[str]:
    """dev, staging, prod, then the rest by name: the matrix's and the comment's order."""
    return sorted(names, key=lambda name: (PROMOTION_ORDER.index(name) if name in PROMOTION_ORDER else 3, name))


class BadInput(Exception):
    """One line for stderr, exit 2."""


def git(root: Path, *args: str) -> str:
    r = subprocess.run(["git", "-C", str(root), *args], capture_output=True, text=True, check=False)
    if r.returncode != 0:
        lines = r.stderr.strip().splitlines()
        raise BadInput(f"git {' '.join(args)}: {lines[-1] if lines else f'exit {r.returncode}'}")
    return r.stdout


def environments(root: Path, head: str) -> list[str]:
    """The environments at `head`: envs/<name>/sizing.yaml."""
    files = git(root, "ls-tree", "-r", "-z", "--name-only", head, "--", "envs/").split("\0")
    names = promotion_order([f.split("/")[1] for f in files if re.fullmatch(r"envs/[^/]+/sizing\.yaml", f)])
    for name in names:
        if not ENV_NAME.match(name):
            raise BadInput(f"envs/{name}: not an environment name ([a-z0-9][a-z0-9_-]*)")
    return names


def classify(paths: list[str], envs: list[str]) -> dict:
    toolkit = data = False
    changed: set[str] = set()
    for path in paths:
        parts = path.split("/")
        if parts[0] == "envs" and len(parts) == 3 and parts[2] in SIZING_FILES:
            if parts[1] in envs:  # a removed environment has nothing left to plan
                changed.add(parts[1])
        elif path.startswith("generator/data/"):
            data = True
        else:
            toolkit = True
    return {
        "toolkit": toolkit,
        "data": data,
        "envs": list(envs) if toolkit or data else promotion_order(changed),
        "rules": sorted(p for p in paths if p.startswith(RULES_PREFIXES)),
    }


def changes(root: Path, base: str, head: str) -> dict:
    for ref in (base, head):
        if ref.startswith("-"):
            raise BadInput(f"--base/--head {ref!r}: not a ref")
        try:
            git(root, "rev-parse", "-q", "--verify", f"{ref}^{{commit}}")
        except BadInput:
            raise BadInput(f"no commit {ref!r} in {root} (fetch it: git fetch origin)") from None
    paths = git(root, "diff", "--no-renames", "--name-only", "-z", f"{base}...{head}").split("\0")
    return {"base": base, **classify([p for p in paths if p], environments(root, head))}


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(prog="ci_changes.py", description=__doc__.split("\n")[0])
    which = ap.add_mutually_exclusive_group(required=True)
    which.add_argument("--base", help="the ref the pull request merges into (origin/main)")
    which.add_argument("--all", action="store_true", help="no base: the toolkit and every environment")
    ap.add_argument("--head", default="HEAD", help="the pull request's commit (default HEAD)")
    ap.add_argument("--root", type=Path, default=Path.cwd(), help="the git tree (default: the current directory)")
    ap.add_argument("--format", choices=("json", "github"), default="json")
    args = ap.parse_args(argv)
    try:
        if args.all:
            result = {
                "base": None,
                "toolkit": True,
                "data": False,
                "envs": environments(args.root, args.head),
                "rules": [],
            }
        else:
            result = changes(args.root, args.base, args.head)
    except BadInput as exc:
        print(f"ci_changes: {exc}", file=sys.stderr)
        return 2
    if args.format == "github":
        print(f"json={json.dumps(result)}")
        for key in ("toolkit", "data"):
            print(f"{key}={str(result[key]).lower()}")
        print(f"envs={json.dumps(result['envs'])}")
        print(f"rules={json.dumps(result['rules'])}")
    else:
        print(json.dumps(result))
    return 0


if __name__ == "__main__":
    sys.exit(main())
