"""The one line `make plan` ends with: environment, resources to add/change/destroy, where the plan JSON is.

    plan_summary.py ENV TARGET PLAN_JSON [DISPLAY_PATH]
    plan_summary.py --changes PLAN_JSON     # prints changes=true|false (a GitHub step output)

Counts as Terraform's own "Plan:" line does: a replacement is one add and one destroy; data-source
reads and no-ops count nothing. A CI log can then be grepped for `^plan ` to see every environment's change.
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


def count_changes(plan: dict) -> tuple[int, int, int]:
    """(add, change, destroy) of the managed resources of a `terraform show -json` plan."""
    add = change = destroy = 0
    for rc in plan.get("resource_changes") or []:
        if rc.get("mode", "managed") != "managed":
            continue
        a, c, d = _COUNTS.get(tuple(rc.get("change", {}).get("actions", [])), (0, 0, 0))
        add, change, destroy = add + a, change + c, destroy + d
    return add, change, destroy


def has_changes(plan: dict) -> bool:
    """Whether applying the plan would do anything: a resource action or an output change."""
    if any(count_changes(plan)):
        return True
    return any((oc or {}).get("actions", ["no-op"]) != ["no-op"] for oc in (plan.get("output_changes") or {}).values())


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
        plan = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, json.JSONDecodeError) as exc:
        print(f"plan_summary: {path}: not a readable plan JSON ({exc.__class__.__name__})", file=sys.stderr)
        return 2
    if not isinstance(plan, dict):
        print(f"plan_summary: {path}: not a plan JSON object", file=sys.stderr)
        return 2
    if changes_only:
        print(f"changes={'true' if has_changes(plan) else 'false'}")
    else:
        print(summary_line(argv[0], argv[1], plan, argv[3] if len(argv) == 4 else str(path)))
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
