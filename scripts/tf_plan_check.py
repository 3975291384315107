#!/usr/bin/env python3
"""Fail when a Terraform plan (terraform show -json) changes anything but documented emulator quirks.

    tf_plan_check.py PLAN.json

Used by `make e2e` on the plan made right after applying to moto: a correct configuration re-plans
clean, so any change is a bug in the module (a perpetual diff) or an emulator quirk. The quirks are
listed in EMULATOR_QUIRKS below (resource type => attributes moto does not round-trip, with the
reason); a change confined to them is reported and allowed, anything else fails.
"""

from __future__ import annotations

import json
import sys

# resource type => {attribute: why moto shows a change there}
_TAGS = "moto's Backup API does not return the tags it was given"
_SG_DESC = "moto drops the description of rules that reference a security group"
EMULATOR_QUIRKS: dict[str, dict[str, str]] = {
    "aws_backup_plan": {"tags": _TAGS, "tags_all": _TAGS},
    "aws_backup_vault": {"tags": _TAGS, "tags_all": _TAGS},
    "aws_kms_key": {"rotation_period_in_days": "moto's GetKeyRotationStatus has no RotationPeriodInDays"},
    "aws_rds_cluster": {
        "scaling_configuration": "moto returns an empty Serverless v1 ScalingConfigurationInfo for every cluster",
    },
    "aws_rds_cluster_instance": {
        a: "moto ignores Performance Insights on cluster instances"
        for a in (
            "performance_insights_enabled",
            "performance_insights_kms_key_id",
            "performance_insights_retention_period",
        )
    },
    "aws_vpc_security_group_ingress_rule": {"description": _SG_DESC},
    "aws_vpc_security_group_egress_rule": {"description": _SG_DESC},
}


def changed_attributes(change: dict) -> set[str]:
    before = change.get("before") or {}
    after = change.get("after") or {}
    unknown = change.get("after_unknown") or {}
    keys = set(before) | set(after) | set(unknown)
    return {k for k in keys if before.get(k) != after.get(k) or unknown.get(k) not in (None, False)}


def main(path: str) -> int:
    with open(path) as f:
        plan = json.load(f)
    bad, quirks = [], []
    for rc in plan.get("resource_changes", []):
        actions = rc["change"]["actions"]
        if actions in (["no-op"], ["read"]):
            continue
        attrs = changed_attributes(rc["change"])
        allowed = EMULATOR_QUIRKS.get(rc["type"], {})
        line = f"{rc['address']}: {'/'.join(actions)} {sorted(attrs)}"
        if actions == ["update"] and attrs and attrs <= set(allowed):
            quirks.append(line + "  (emulator quirk: " + "; ".join(sorted({allowed[a] for a in attrs})) + ")")
        else:
            bad.append(line)
    for q in quirks:
        print("allowed  " + q)
    for b in bad:
        print("CHANGE   " + b)
    if bad:
        print(f"re-plan after apply is not clean: {len(bad)} unexpected change(s)")
        return 1
    print(f"re-plan after apply is clean ({len(quirks)} documented emulator quirk(s))")
    return 0


if __name__ == "__main__":
    if len(sys.argv) != 2:
        sys.exit(__doc__)
    sys.exit(main(sys.argv[1]))
