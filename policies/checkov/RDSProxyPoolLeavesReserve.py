from _common import UNRESOLVED, aws_limits, number
from _resource import Resource
from checkov.common.models.enums import CheckCategories, CheckResult
from checkov.terraform.checks.resource.base_resource_check import BaseResourceCheck

# The whole pool, which the provider sends when max_connections_percent is unset (aws-limits-*.yaml).
WHOLE_POOL = aws_limits()["proxy"]["max_connections_percent"]["max"]


class RDSProxyPoolLeavesReserve(BaseResourceCheck):
    def __init__(self) -> None:
        super().__init__(
            name="RDS Proxy leaves direct connections for administrators (max_connections_percent below 100)",
            id="CKV_MSA_4",
            categories=[CheckCategories.GENERAL_SECURITY],
            supported_resources=["aws_db_proxy_default_target_group"],
        )

    def scan_resource_conf(self, conf):
        pools = Resource(self, conf).blocks("connection_pool_config")
        if pools is UNRESOLVED:
            return CheckResult.UNKNOWN
        if not pools:
            return CheckResult.FAILED  # no connection_pool_config: the whole pool
        value = pools[0].get("max_connections_percent")
        if value is UNRESOLVED:
            return CheckResult.UNKNOWN
        pct = WHOLE_POOL if value is None else number(value)
        return CheckResult.PASSED if pct is not None and pct < WHOLE_POOL else CheckResult.FAILED

    def get_evaluated_keys(self):
        return ["connection_pool_config/[0]/max_connections_percent"]


check = RDSProxyPoolLeavesReserve()
