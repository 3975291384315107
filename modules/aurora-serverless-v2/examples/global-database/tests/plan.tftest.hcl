# The example plans with mock providers (no AWS): a global cluster and a secondary in the DR region.
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

run "plans_a_primary_and_a_secondary" {
  command = plan

  assert {
    condition     = module.aurora.sizing.instances == 2 && module.aurora.max_connections == 5000
    error_message = "writer and one reader in the primary region; max_connections 5000 (the cap) at max 32 ACU"
  }
}
