from _common import aws_limits, first, number, unresolved
from checkov.common.models.enums import CheckCategories, CheckResult
from checkov.terraform.checks.resource.base_resource_check import BaseResourceCheck

# AWS's Serverless v2 range, from generator/data/aws-limits-2025-11.yaml (acu.step, acu.max, acu.max_floor).
_ACU = aws_limits()["acu"]
STEP, TOP, MAX_FLOOR, PAUSE = _ACU["step"], _ACU["max"], _ACU["max_floor"], _ACU["auto_pause_min"]


class RDSClusterServerlessV2Range(BaseResourceCheck):
    def __init__(self) -> None:
        super().__init__(
            name="Aurora Serverless v2 capacity is on the 0.5 ACU grid, max 1..256 and at least min",
            id="CKV_MSA_5",
            categories=[CheckCategories.GENERAL_SECURITY],
            supported_resources=["aws_rds_cluster"],
        )

    def scan_resource_conf(self, conf):
        scaling = first(conf, "serverlessv2_scaling_configuration", None)
        if scaling is None:
            return CheckResult.UNKNOWN  # not a Serverless v2 cluster
        if not isinstance(scaling, dict):
            return CheckResult.FAILED
        lo, hi = first(scaling, "min_capacity"), first(scaling, "max_capacity")
        if unresolved(lo) or unresolved(hi):
            return CheckResult.UNKNOWN
        lo, hi = number(lo), number(hi)
        if lo is None or hi is None:
            return CheckResult.FAILED
        on_grid = all(abs(v / STEP - round(v / STEP)) < 1e-9 for v in (lo, hi))
        ok = on_grid and PAUSE <= lo <= hi and MAX_FLOOR <= hi <= TOP
        return CheckResult.PASSED if ok else CheckResult.FAILED

    def get_evaluated_keys(self):
        return [
            "serverlessv2_scaling_configuration/[0]/min_capacity",
            "serverlessv2_scaling_configuration/[0]/max_capacity",
        ]


check = RDSClusterServerlessV2Range()
