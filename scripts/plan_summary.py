"""The one line `make plan` ends with: environment, resources to add/change/destroy, where the plan JSON is.

    plan_summary.py ENV TARGET PLAN_JSON [DISPLAY_PATH]
    plan_summary.py --changes PLAN_JSON     # prints changes=true|false (a GitHub step output)

Counts as Terraform's own "Plan:" line does: a replacement is one add and one destroy; data-source
reads and no-ops count nothing. A CI log can then be grepped for `^plan ` to see every environment's change.
A file that is not such a plan (a list, a change without actions, an unknown action) is one line, exit 2.
Standard library only: tf-run.sh runs it with the system's python3.
"""

from __future__ import annotations

import json
import sys
from pathlib import Path

# Terraform's action lists (`terraform show -json`, resource_changes[].change.actions) -> (add, change, destroy).
_COUNTS = {
    ("create",): (1, 0, 0),
    ("update",): (0, 1, 0),
    ("delete",): (0, 0, 1),
    ("delete", "create"): (1, 0, 1),
    ("create", "delete"): (1, 0, 1),
}


# Every action `terraform show -json` writes (format 1.x): anything else is not a plan this script can count.
ACTIONS = {"no-op", "create", "read", "update", "delete", "forget"}


# The largest plan read (a plan of this module is ~200 kB): policies/plan.py's MAX_PLAN_BYTES, restated here because
# this script runs on the system's python3 without the project's packages (a test keeps the two equal).
MAX_PLAN_BYTES = 50_000_000

JSON_TYPES = {list: "array", str: "string", int: "number", float: "number", bool: "boolean", type(None): "null"}


class PlanError(Exception):
    """Not a readable `terraform show -json` plan: one line naming the file (and the field)."""


def read_plan(path: Path) -> dict:
    """The plan at `path`, its shape checked for count_changes and has_changes (PlanError otherwise)."""
    if path.exists() and not path.is_file():  # a FIFO would block the read
        raise PlanError(f"{path}: not a regular file")
    try:
        with path.open("rb") as fh:
            raw = fh.read(MAX_PLAN_BYTES + 1)
        if len(raw) > MAX_PLAN_BYTES:  # /dev/zero-like or a runaway file: never read it whole
            raise PlanError(f"{path}: larger than {MAX_PLAN_BYTES:,} bytes, not a plan of this module")
        plan = json.loads(raw.decode("utf-8"))
    except (OSError, UnicodeDecodeError, ValueError, RecursionError) as exc:
        # ValueError: bad JSON, or an integer past Python's 4,300 digits
        raise PlanError(f"{path}: not a readable plan JSON ({exc.__class__.__name__})") from None
    problem = shape_problem(plan)
    if problem:
        raise PlanError(f"{path}: {problem}")
    return plan


def _bad_actions(actions: object) -> bool:
    return not isinstance(actions, list) or not actions or not all(isinstance(a, str) and a in ACTIONS for a in actions)


def shape_problem(plan: object) -> str | None:
    """What makes `plan` other than a plan whose changes can be counted, or None."""
    if not isinstance(plan, dict):
        return f"not a plan (a JSON object), found a JSON {JSON_TYPES.get(type(plan), 'value')}"
    if not isinstance(plan.get("format_version"), str):
        return "format_version: missing, so not a `terraform show -json` plan"
    changes = plan.get("resource_changes", [])
    if not isinstance(changes, list):
        return "resource_changes: must be a list"
    for i, rc in enumerate(changes):
        change = rc.get("change") if isinstance(rc, dict) else None
        if not isinstance(change, dict) or not isinstance(rc.get("mode", "managed"), str):
            return f"resource_changes[{i}]: must be an object with a mode and a change"
        if _bad_actions(change.get("actions")):
            return f"resource_changes[{i}].change.actions: must be a list of Terraform's actions"
    outputs = plan.get("output_changes", {})
    if not isinstance(outputs, dict):
        return "output_changes: must be an object"
    for name, oc in outputs.items():
        if not isinstance(oc, dict) or _bad_actions(oc.get("actions")):
            return f"output_changes.{json.dumps(name)[:80]}.actions: must be a list of Terraform's actions"
    return None


def count_changes(plan: dict) -> tuple[int, int, int]:
    """(add, change, destroy) of the managed resources of a `terraform show -json` plan."""
    add = change = destroy = 0
    for rc in plan.get("resource_changes") or []:
        if rc.get("mode", "managed") != "managed":
            continue
        a, c, d = _COUNTS.get(tuple(rc["change"]["actions"]), (0, 0, 0))
        add, change, destroy = add + a, change + c, destroy + d
    return add, change, destroy


def has_changes(plan: dict) -> bool:
    """Whether applying the plan would do anything: a resource action or an output change."""
    if any(count_changes(plan)):
        return True
    return any(oc["actions"] != ["no-op"] for oc in (plan.get("output_changes") or {}).values())


def summary_line(env: str, target: str, plan: dict, display_path: str) -> str:
    add, change, destroy = count_changes(plan)
    return f"plan {env} ({target}): {add} to add, {change} to change, {destroy} to destroy; plan JSON {display_path}"


def main(argv: list[str]) -> int:
    changes_only = argv[:1] == ["--changes"] and len(argv) == 2
    if not changes_only and len(argv) not in (3, 4):
        print("usage: plan_summary.py ENV TARGET PLAN_JSON [DISPLAY_PATH] | --changes PLAN_JSON", file=sys.stderr)
        return 2
    path = Path(argv[-1] if changes_only else argv[2])
    try:
        plan = read_plan(path)
    except PlanError as exc:
        print(f"plan_summary: {exc}", file=sys.stderr)
        return 2
    if changes_only:
        print(f"changes={'true' if has_changes(plan) else 'false'}")
    else:
        print(summary_line(argv[0], argv[1], plan, argv[3] if len(argv) == 4 else str(path)))
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
