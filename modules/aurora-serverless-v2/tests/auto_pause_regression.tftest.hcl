# Regression test for hashicorp/terraform-provider-aws#41551: changing min_capacity from 0 to a positive
# value, with seconds_until_auto_pause omitted, was planned with the old timer kept in state and was not
# applied. The first run applies (mock provider) a paused-capable cluster; the second plans the change on
# that state: the module must send the new minimum with an explicit timer, never the stale one.

# An apply checks ARNs the mock would otherwise invent: valid ones for what other resources reference.
mock_provider "aws" {
  source = "./tests/mocks/aws"

  mock_resource "aws_kms_key" {
    defaults = { arn = "arn:aws:kms:us-east-1:123456789012:key/11111111-2222-3333-4444-555555555555" }
  }
  mock_resource "aws_sns_topic" {
    defaults = { arn = "arn:aws:sns:us-east-1:123456789012:mistersmith-test-db-alarms" }
  }
  mock_resource "aws_iam_role" {
    defaults = { arn = "arn:aws:iam::123456789012:role/mistersmith-test-mock" }
  }
  mock_resource "aws_rds_cluster" {
    defaults = { arn = "arn:aws:rds:us-east-1:123456789012:cluster:mistersmith-test" }
  }
}

mock_provider "aws" {
  alias  = "dr"
  source = "./tests/mocks/aws-dr"
}

variables {
  name                     = "mistersmith-test"
  environment              = "test"
  vpc_id                   = "vpc-0123456789abcdef0"
  subnet_ids               = ["subnet-0123456789abcdef0", "subnet-0123456789abcdef1"]
  allowed_cidr_blocks      = ["10.20.0.0/16"]
  max_capacity             = 4
  proxy                    = { enabled = false }
  backup_cross_region_copy = false
  # Ignored without a global database; set because terraform test's apply wants every ephemeral input it planned.
  master_password = "unused-without-a-global-database"
}

run "cluster_at_zero_acu" {
  command = apply

  variables {
    min_capacity             = 0
    seconds_until_auto_pause = 1800
  }

  assert {
    condition     = aws_rds_cluster.this.serverlessv2_scaling_configuration[0].min_capacity == 0 && aws_rds_cluster.this.serverlessv2_scaling_configuration[0].seconds_until_auto_pause == 1800
    error_message = "the starting cluster pauses after 1800 idle seconds"
  }
}

run "min_capacity_0_to_positive_without_timer_is_planned_right" {
  command = plan

  variables {
    min_capacity = 1
  }

  assert {
    condition     = aws_rds_cluster.this.serverlessv2_scaling_configuration[0].min_capacity == 1 && aws_rds_cluster.this.serverlessv2_scaling_configuration[0].max_capacity == 4
    error_message = "the new minimum is planned"
  }
  assert {
    condition     = aws_rds_cluster.this.serverlessv2_scaling_configuration[0].seconds_until_auto_pause == 300
    error_message = "the timer is sent explicitly (AWS's default, 300), not left to the provider, which keeps 1800 from state and does not apply the change (#41551)"
  }
  assert {
    condition     = output.sizing.seconds_until_auto_pause == null
    error_message = "the cluster no longer auto-pauses"
  }
}
