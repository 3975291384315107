from _common import UNRESOLVED, aws_limits, number, policy_defaults
from _resource import Resource
from checkov.common.models.enums import CheckCategories, CheckResult
from checkov.terraform.checks.resource.base_resource_check import BaseResourceCheck

# policies/limits.yaml defaults.backup.retention_days_min (the design's 7 days; prod's 14 is checked
# per environment by the HCL policies, which know which environment a cluster belongs to).
MIN_DAYS = policy_defaults()["backup"]["retention_days_min"]
# What AWS keeps when backup_retention_period is unset or null (generator/data/aws-limits-*.yaml).
AWS_DEFAULT_DAYS = aws_limits()["backup"]["retention_days"]["default"]


class RDSClusterBackupRetention7(BaseResourceCheck):
    def __init__(self) -> None:
        super().__init__(
            name=f"Aurora cluster keeps at least {MIN_DAYS} days of continuous backup (backup_retention_period)",
            id="CKV_MSA_1",
            categories=[CheckCategories.BACKUP_AND_RECOVERY],
            supported_resources=["aws_rds_cluster"],
        )

    def scan_resource_conf(self, conf):
        value = Resource(self, conf).attr("backup_retention_period")
        if value is UNRESOLVED:
            return CheckResult.UNKNOWN
        days = AWS_DEFAULT_DAYS if value is None else number(value)
        return CheckResult.PASSED if days is not None and days >= MIN_DAYS else CheckResult.FAILED

    def get_evaluated_keys(self):
        return ["backup_retention_period"]


check = RDSClusterBackupRetention7()
