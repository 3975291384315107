from _common import first, number, unresolved
from checkov.common.models.enums import CheckCategories, CheckResult
from checkov.terraform.checks.resource.base_resource_check import BaseResourceCheck


class RDSProxyPoolLeavesReserve(BaseResourceCheck):
    def __init__(self) -> None:
        super().__init__(
            name="RDS Proxy leaves direct connections for administrators (max_connections_percent below 100)",
            id="CKV_MSA_4",
            categories=[CheckCategories.GENERAL_SECURITY],
            supported_resources=["aws_db_proxy_default_target_group"],
        )

    def scan_resource_conf(self, conf):
        pool = first(conf, "connection_pool_config", None)
        if not isinstance(pool, dict):
            return CheckResult.FAILED  # the provider's default pool is 100% of max_connections
        value = first(pool, "max_connections_percent", 100)
        if unresolved(value):
            return CheckResult.UNKNOWN
        pct = number(value)
        return CheckResult.PASSED if pct is not None and pct < 100 else CheckResult.FAILED

    def get_evaluated_keys(self):
        return ["connection_pool_config/[0]/max_connections_percent"]


check = RDSProxyPoolLeavesReserve()
