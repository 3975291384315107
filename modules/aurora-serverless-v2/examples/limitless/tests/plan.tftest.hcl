# The example plans with mock providers (no AWS): a Limitless cluster, its shard group, no instance or proxy.
mock_provider "aws" {
  source = "../../tests/mocks/aws"
}

mock_provider "aws" {
  alias  = "dr"
  source = "../../tests/mocks/aws-dr"
}

variables {
  master_password = "correct-horse-battery-staple-0123456789"
}

run "plans_a_shard_group_without_instances" {
  command = plan

  assert {
    condition     = module.aurora.cluster_scalability_type == "limitless" && module.aurora.sizing.instances == 0
    error_message = "a Limitless cluster with no instances"
  }
  assert {
    condition     = module.aurora.shard_group_capacity.max_acu == 400 && module.aurora.proxy_arn == null && module.aurora.dr_backup_vault_arn == null
    error_message = "a shard group of max 400 ACU, no proxy, nothing in the DR region"
  }
}
