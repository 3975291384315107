# Terraform override file copied by scripts/tf-run.sh into the moto working copy (.moto/work/<env>/)
# only, never into envs/. It changes the module call for the emulator without adding variables to the
# env roots (which declare exactly the generated tfvars' variables):
#   - moto has no CreateBackupSelection: the cluster is not assigned to the backup plan;
#   - moto's CreateDBCluster fails on StorageType aurora/aurora-iopt1: none is sent (Standard);
#   - moto's Budgets lacks ListTagsForResource and DescribeSubscribersForNotification: no budget;
#   - the proxy's READ_ONLY endpoint stays off (no CreateDBProxyEndpoint either);
#   - waiting resources get short timeouts, so nothing waits 40+ minutes on an emulator.
module "aurora" {
  create_backup_selection = false
  storage_type            = null
  monthly_budget_usd      = null

  timeouts = {
    create = "2m"
    update = "2m"
    delete = "2m"
  }
}
