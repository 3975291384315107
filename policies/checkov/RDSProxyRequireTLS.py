from _common import first, unresolved
from checkov.common.models.enums import CheckCategories, CheckResult
from checkov.terraform.checks.resource.base_resource_check import BaseResourceCheck


class RDSProxyRequireTLS(BaseResourceCheck):
    def __init__(self) -> None:
        super().__init__(
            name="RDS Proxy requires TLS from its clients (require_tls = true)",
            id="CKV_MSA_2",
            categories=[CheckCategories.ENCRYPTION],
            supported_resources=["aws_db_proxy"],
        )

    def scan_resource_conf(self, conf):
        value = first(conf, "require_tls", False)  # the provider's default is false
        if unresolved(value):
            return CheckResult.UNKNOWN
        return CheckResult.PASSED if value is True or value == "true" else CheckResult.FAILED

    def get_evaluated_keys(self):
        return ["require_tls"]


check = RDSProxyRequireTLS()
