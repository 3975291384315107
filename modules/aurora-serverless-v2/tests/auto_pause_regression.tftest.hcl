# Regression test for hashicorp/terraform-provider-aws#41551 (and #40637): changing min_capacity from 0 to
# a positive value with seconds_until_auto_pause omitted. AWS refuses a timer with a positive minimum
# ("SecondsUntilAutoPause can only be specified when minimum capacity is 0") and removes it from the
# cluster; provider 5.100.0 (the module's floor) includes PR #41180, which leaves out of ModifyDBCluster a
# timer the configuration no longer sets. The module's part: plan the new minimum in place and send no
# timer above 0 ACU, even when the caller passes one (the env roots always do). The timer is
# Optional+Computed, so the plan keeps the old value in state whatever is sent: output sizing echoes
# local.seconds_until_auto_pause, the very value the cluster argument is given.
#
# The first run applies (mock provider) a cluster at 0 ACU; the next ones plan the change on that state.

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
    error_message = "the new minimum is planned on the existing cluster"
  }
  assert {
    condition     = aws_rds_cluster.this.cluster_identifier == "mistersmith-test" && aws_rds_cluster.this.engine_mode == "provisioned"
    error_message = "the same cluster is changed in place"
  }
  assert {
    condition     = output.sizing.seconds_until_auto_pause == null
    error_message = "no auto-pause timer is sent with a positive minimum (AWS refuses it: #41551, #40637)"
  }
}

run "a_timer_passed_with_a_positive_minimum_is_not_sent" {
  command = plan

  variables {
    min_capacity             = 1
    seconds_until_auto_pause = 1200 # as the generated tfvars always pass one
  }

  assert {
    condition     = aws_rds_cluster.this.serverlessv2_scaling_configuration[0].min_capacity == 1 && output.sizing.seconds_until_auto_pause == null
    error_message = "the module drops the caller's timer above 0 ACU instead of sending what AWS refuses"
  }
  assert {
    # Not sent, the computed timer keeps its value in state (1800); sent, it would be planned as 1200.
    condition     = aws_rds_cluster.this.serverlessv2_scaling_configuration[0].seconds_until_auto_pause != 1200
    error_message = "the cluster is given no timer above 0 ACU"
  }
}

run "back_to_zero_sends_the_timer_again" {
  command = plan

  variables {
    min_capacity             = 0
    seconds_until_auto_pause = 900
  }

  assert {
    condition     = aws_rds_cluster.this.serverlessv2_scaling_configuration[0].seconds_until_auto_pause == 900 && output.sizing.seconds_until_auto_pause == 900
    error_message = "at 0 ACU the caller's timer is sent"
  }
}
