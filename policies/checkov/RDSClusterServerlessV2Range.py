import re

from _common import UNRESOLVED, aws_limits, number, scalar
from _resource import Resource, number_of_instances
from checkov.common.models.enums import CheckCategories, CheckResult
from checkov.terraform.checks.resource.base_resource_check import BaseResourceCheck

# AWS's Serverless v2 range, from generator/data/aws-limits-2025-11.yaml (acu.step, acu.max, acu.max_floor).
_ACU = aws_limits()["acu"]
STEP, TOP, MAX_FLOOR, PAUSE = _ACU["step"], _ACU["max"], _ACU["max_floor"], _ACU["auto_pause_min"]
SERVERLESS_CLASS = "db.serverless"


class RDSClusterServerlessV2Range(BaseResourceCheck):
    def __init__(self) -> None:
        super().__init__(
            name="Aurora Serverless v2 capacity is set, on the 0.5 ACU grid, max 1..256 and at least min",
            id="CKV_MSA_5",
            categories=[CheckCategories.GENERAL_SECURITY],
            supported_resources=["aws_rds_cluster"],
        )

    def scan_resource_conf(self, conf):
        cluster = Resource(self, conf)
        scalings = cluster.blocks("serverlessv2_scaling_configuration")
        if scalings is UNRESOLVED:
            return CheckResult.UNKNOWN
        if not scalings:
            # A cluster of db.serverless instances without a range: AWS refuses to create the instances.
            serverless = _has_serverless_instances(cluster, conf)
            return CheckResult.FAILED if serverless is True else CheckResult.UNKNOWN  # not (known) Serverless v2
        lo, hi = scalings[0].get("min_capacity"), scalings[0].get("max_capacity")
        if lo is UNRESOLVED or hi is UNRESOLVED:
            return CheckResult.UNKNOWN
        lo, hi = number(lo), number(hi)
        if lo is None or hi is None:
            return CheckResult.FAILED  # both are required
        on_grid = all(abs(v / STEP - round(v / STEP)) < 1e-9 for v in (lo, hi))
        ok = on_grid and PAUSE <= lo <= hi and MAX_FLOOR <= hi <= TOP
        return CheckResult.PASSED if ok else CheckResult.FAILED

    def get_evaluated_keys(self):
        return [
            "serverlessv2_scaling_configuration/[0]/min_capacity",
            "serverlessv2_scaling_configuration/[0]/max_capacity",
        ]


def _has_serverless_instances(cluster: Resource, conf: dict):
    """True when an instance of this cluster (same module) is db.serverless, UNRESOLVED when an instance's
    class is unknown, False otherwise."""
    engine_mode = cluster.attr("engine_mode")
    if engine_mode not in (None, "provisioned"):
        return False  # Serverless v1, parallel query...: no Serverless v2 range
    name = conf.get("__address__", "").split(".")[-1].split("[")[0]
    refers = re.compile(rf"\baws_rds_cluster\.{re.escape(name)}(\[[^\]]*\])?\.(id|cluster_identifier)\b")
    answer = False
    for instance in cluster.siblings("aws_rds_cluster_instance"):
        if not refers.search(str(instance.get("cluster_identifier"))):
            continue
        instance_class = scalar(instance.get("instance_class"))
        if instance_class == SERVERLESS_CLASS and number_of_instances(instance) is not UNRESOLVED:
            return True
        if instance_class is UNRESOLVED or number_of_instances(instance) is UNRESOLVED:
            answer = UNRESOLVED
    return answer


check = RDSClusterServerlessV2Range()
