from _common import UNRESOLVED
from _resource import Resource
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
        auths = Resource(self, conf).blocks("auth")
        if auths is UNRESOLVED:
            return CheckResult.UNKNOWN
        if not auths:
            return CheckResult.FAILED  # no auth block: nothing requires IAM authentication
        values = [auth.get("iam_auth") for auth in auths]
        # A block that does not require IAM fails the proxy even when another block is unknown.
        if any(v is not UNRESOLVED and v != "REQUIRED" for v in values):  # unset/null: DISABLED
            return CheckResult.FAILED
        return CheckResult.UNKNOWN if UNRESOLVED in values else CheckResult.PASSED

    def get_evaluated_keys(self):
        return ["auth/[0]/iam_auth", "dynamic/[0]/auth/content/[0]/iam_auth"]


check = RDSProxyIAMAuthRequired()
