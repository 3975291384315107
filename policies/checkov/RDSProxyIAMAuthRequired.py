from _common import first, unresolved
from checkov.common.models.enums import CheckCategories, CheckResult
from checkov.terraform.checks.resource.base_resource_check import BaseResourceCheck


class RDSProxyIAMAuthRequired(BaseResourceCheck):
    def __init__(self) -> None:
        super().__init__(
            name="RDS Proxy requires IAM authentication on every auth block (iam_auth = REQUIRED)",
            id="CKV_MSA_3",
            categories=[CheckCategories.IAM],
            supported_resources=["aws_db_proxy"],
        )

    def scan_resource_conf(self, conf):
        auths = conf.get("auth") or []
        if not auths:
            return CheckResult.FAILED
        for auth in auths:
            if not isinstance(auth, dict):
                return CheckResult.FAILED
            value = first(auth, "iam_auth", "DISABLED")  # the provider's default is DISABLED
            if unresolved(value):
                return CheckResult.UNKNOWN
            if value != "REQUIRED":
                return CheckResult.FAILED
        return CheckResult.PASSED

    def get_evaluated_keys(self):
        return ["auth/[0]/iam_auth"]


check = RDSProxyIAMAuthRequired()
