# The example plans with mock providers (no AWS): a restore from the snapshot, without database name or user.
mock_provider "aws" {
  source = "../../tests/mocks/aws"
}

mock_provider "aws" {
  alias  = "dr"
  source = "../../tests/mocks/aws-dr"
}

run "plans_a_restore_from_the_snapshot" {
  command = plan

  assert {
    condition     = module.aurora.max_connections == 3360 && module.aurora.sizing.instances == 1
    error_message = "the restored cluster is sized by its own inputs (max 16 ACU)"
  }
}
