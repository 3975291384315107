from _common import first, number, policy_defaults, unresolved
from checkov.common.models.enums import CheckCategories, CheckResult
from checkov.terraform.checks.resource.base_resource_check import BaseResourceCheck

# policies/limits.yaml defaults.backup.retention_days_min (the design's 7 days; prod's 14 is checked
# per environment by the HCL policies, which know which environment a cluster belongs to).
MIN_DAYS = policy_defaults()["backup"]["retention_days_min"]


class RDSClusterBackupRetention7(BaseResourceCheck):
    def __init__(self) -> None:
        super().__init__(
            name=f"Aurora cluster keeps at least {MIN_DAYS} days of continuous backup (backup_retention_period)",
            id="CKV_MSA_1",
            categories=[CheckCategories.BACKUP_AND_RECOVERY],
            supported_resources=["aws_rds_cluster"],
        )

    def scan_resource_conf(self, conf):
        value = first(conf, "backup_retention_period", 1)  # AWS's default when unset is 1 day
        if unresolved(value):
            return CheckResult.UNKNOWN
        days = number(value)
        return CheckResult.PASSED if days is not None and days >= MIN_DAYS else CheckResult.FAILED

    def get_evaluated_keys(self):
        return ["backup_retention_period"]


check = RDSClusterBackupRetention7()
