# The example plans with mock providers (no AWS): its secure defaults hold.
mock_provider "aws" {
  source = "../../tests/mocks/aws"
}

mock_provider "aws" {
  alias  = "dr"
  source = "../../tests/mocks/aws-dr"
}

run "plans_with_secure_defaults" {
  command = plan

  assert {
    condition     = module.aurora.max_connections == 823 && module.aurora.sizing.instances == 1
    error_message = "one writer, max_connections 823 at max 4 ACU"
  }
  assert {
    condition     = module.aurora.backup_rules.daily.delete_after_days == 7 && module.aurora.cluster_parameters["rds.force_ssl"] == "1"
    error_message = "daily backups and TLS enforced by default"
  }
}
