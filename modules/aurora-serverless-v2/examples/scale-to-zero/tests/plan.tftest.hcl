# The example plans with mock providers (no AWS): min 0 ACU with a timer, no proxy, nothing in the DR region.
mock_provider "aws" {
  source = "../../tests/mocks/aws"
}

mock_provider "aws" {
  alias  = "dr"
  source = "../../tests/mocks/aws-dr"
}

run "plans_a_pausing_cluster_without_proxy" {
  command = plan

  assert {
    condition     = module.aurora.sizing.min_capacity == 0 && module.aurora.sizing.seconds_until_auto_pause == 600
    error_message = "min 0 ACU, pausing after 600 idle seconds"
  }
  assert {
    condition     = module.aurora.proxy_arn == null && module.aurora.dr_kms_key_arn == null && module.aurora.dr_backup_vault_arn == null
    error_message = "no proxy and nothing in the DR region"
  }
}
