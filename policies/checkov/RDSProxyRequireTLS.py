from _common import UNRESOLVED, boolean
from _resource import Resource
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
        value = Resource(self, conf).attr("require_tls")
        if value is UNRESOLVED:
            return CheckResult.UNKNOWN
        # Unset or null: the provider's default, false.
        return CheckResult.PASSED if boolean(value) is True else CheckResult.FAILED

    def get_evaluated_keys(self):
        return ["require_tls"]


check = RDSProxyRequireTLS()
