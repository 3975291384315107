# Limitless mode (cluster_scalability_type = "limitless"): a plan has a shard group and no instance, proxy or
# AWS Backup selection; the cluster gets what AWS requires; every combination AWS refuses fails validation on
# the variable that asks for it (expect_failures), and standard mode refuses a shard group.

mock_provider "aws" {
  source = "./tests/mocks/aws"
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
  min_capacity             = 2
  max_capacity             = 12
  cluster_scalability_type = "limitless"
  engine_version           = "16.6-limitless"
  storage_type             = "aurora-iopt1"
  shard_group              = { min_acu = 16, max_acu = 400, compute_redundancy = 1 }
  master_password          = "not-a-real-password-0123456789"
  proxy                    = { enabled = false }
  backup_cross_region_copy = false
}

run "plans_a_shard_group_and_no_instance" {
  command = plan

  assert {
    condition     = length(aws_rds_shard_group.this) == 1 && length(aws_rds_cluster_instance.this) == 0 && length(aws_db_proxy.this) == 0
    error_message = "a Limitless plan has one shard group, no instance and no proxy"
  }
  assert {
    condition = (aws_rds_shard_group.this[0].max_acu == 400 && aws_rds_shard_group.this[0].min_acu == 16 &&
      aws_rds_shard_group.this[0].compute_redundancy == 1 && aws_rds_shard_group.this[0].publicly_accessible == false &&
    aws_rds_shard_group.this[0].db_shard_group_identifier == "mistersmith-test-shard-group")
    error_message = "the shard group carries the caller's ACU range and redundancy and is never public"
  }
  assert {
    condition     = aws_rds_shard_group.this[0].tags["AuroraCluster"] == "mistersmith-test" && aws_rds_shard_group.this[0].tags["Environment"] == "test"
    error_message = "the shard group is tagged like every resource of the module"
  }
  assert {
    condition     = aws_rds_cluster.this.cluster_scalability_type == "limitless" && aws_rds_cluster.this.engine_mode == "" && aws_rds_cluster.this.engine_version == "16.6-limitless" && aws_rds_cluster.this.storage_type == "aurora-iopt1"
    error_message = "the cluster is limitless, with no engine mode, a -limitless version and I/O-Optimized storage"
  }
  assert {
    condition     = length(aws_rds_cluster.this.serverlessv2_scaling_configuration) == 0
    error_message = "no Serverless v2 scaling configuration in Limitless"
  }
  assert {
    condition     = aws_rds_cluster.this.performance_insights_enabled == true && aws_rds_cluster.this.performance_insights_retention_period == 31 && aws_rds_cluster.this.monitoring_interval == 60 && contains(aws_rds_cluster.this.enabled_cloudwatch_logs_exports, "postgresql")
    error_message = "Performance Insights kept 31 days (the default 7 raised), Enhanced Monitoring and the PostgreSQL log export"
  }
  assert {
    condition     = aws_rds_cluster.this.storage_encrypted == true && aws_rds_cluster.this.deletion_protection == true && aws_rds_cluster.this.iam_database_authentication_enabled == true
    error_message = "encryption, deletion protection and IAM authentication stay on"
  }
  assert {
    condition     = aws_rds_cluster.this.manage_master_user_password == null && aws_rds_cluster.this.master_password_wo_version == 1 && length(aws_secretsmanager_secret.master) == 1
    error_message = "no RDS-managed secret (Secrets Manager is not supported): the password goes write-only to the cluster and the module's secret"
  }
  assert {
    condition     = length(aws_backup_selection.this) == 0 && length(aws_backup_vault.dr) == 0 && length(aws_kms_key.dr) == 0
    error_message = "no AWS Backup selection or DR copies in Limitless"
  }
  assert {
    condition     = length(aws_cloudwatch_metric_alarm.capacity) == 0 && length(aws_cloudwatch_metric_alarm.connections) == 0
    error_message = "no Serverless v2 instance alarms in Limitless"
  }
  assert {
    condition = (length(aws_cloudwatch_metric_alarm.shard_group_capacity) == 1 &&
      aws_cloudwatch_metric_alarm.shard_group_capacity[0].metric_name == "DBShardGroupACUUtilization" &&
      aws_cloudwatch_metric_alarm.shard_group_capacity[0].dimensions["DBShardGroupIdentifier"] == "mistersmith-test-shard-group" &&
    aws_cloudwatch_metric_alarm.shard_group_capacity[0].threshold == var.alarms.capacity_threshold_percent)
    error_message = "the shard group's capacity is alarmed on, by its identifier, at the capacity threshold's percent of max ACU"
  }
  assert {
    condition     = output.shard_group_capacity.max_acu == 400 && output.instances == {} && output.cluster_scalability_type == "limitless"
    error_message = "outputs name the shard group and no instance"
  }
}

run "keeps_a_longer_performance_insights_retention" {
  command = plan

  variables {
    performance_insights_retention_period = 93
  }

  assert {
    condition     = aws_rds_cluster.this.performance_insights_retention_period == 93
    error_message = "a retention above the 31-day minimum is kept"
  }
}

run "accepts_the_bounds_16_and_6144_and_redundancy_0" {
  command = plan

  variables {
    shard_group = { min_acu = 16, max_acu = 6144, compute_redundancy = 0 }
  }

  assert {
    condition     = aws_rds_shard_group.this[0].max_acu == 6144 && aws_rds_shard_group.this[0].compute_redundancy == 0
    error_message = "6144 ACU and no standby are allowed"
  }
}

run "defaults_redundancy_to_1_and_min_acu_to_aws" {
  command = plan

  variables {
    shard_group = { max_acu = 800 }
  }

  assert {
    condition     = aws_rds_shard_group.this[0].compute_redundancy == 1 && output.shard_group_capacity.min_acu == null
    error_message = "compute_redundancy defaults to 1 (a standby per shard); min_acu left to AWS"
  }
}

run "accepts_redundancy_2_with_three_subnets" {
  command = plan

  variables {
    subnet_ids  = ["subnet-0123456789abcdef0", "subnet-0123456789abcdef1", "subnet-0123456789abcdef2"]
    shard_group = { max_acu = 400, compute_redundancy = 2 }
  }

  assert {
    condition     = aws_rds_shard_group.this[0].compute_redundancy == 2
    error_message = "two standbys with three subnets"
  }
}

run "standard_mode_has_no_shard_group" {
  command = plan

  variables {
    cluster_scalability_type = "standard"
    engine_version           = "16.6"
    storage_type             = "aurora"
    shard_group              = null
  }

  assert {
    condition     = length(aws_rds_shard_group.this) == 0 && length(aws_rds_cluster_instance.this) == 1 && aws_rds_cluster.this.engine_mode == "provisioned" && length(aws_rds_cluster.this.serverlessv2_scaling_configuration) == 1
    error_message = "standard mode: a writer and its Serverless v2 range, no shard group"
  }
  assert {
    condition     = output.shard_group_id == null && output.shard_group_endpoint == null && output.shard_group_capacity == null
    error_message = "the shard group outputs are null in standard mode"
  }
  assert {
    condition     = length(data.aws_subnet.limitless) == 0
    error_message = "a standard cluster reads no subnet for the Limitless zone check"
  }
}

run "rejects_limitless_without_shard_group" {
  command = plan

  variables {
    shard_group = null
  }

  expect_failures = [var.shard_group]
}

run "rejects_shard_group_in_standard_mode" {
  command = plan

  variables {
    cluster_scalability_type = "standard"
    engine_version           = "16.6"
    storage_type             = "aurora"
  }

  expect_failures = [var.shard_group]
}

run "rejects_max_acu_below_16" {
  command = plan

  variables {
    shard_group = { max_acu = 15 }
  }

  expect_failures = [var.shard_group]
}

run "rejects_max_acu_above_6144" {
  command = plan

  variables {
    shard_group = { max_acu = 6145 }
  }

  expect_failures = [var.shard_group]
}

run "rejects_min_acu_below_16" {
  command = plan

  variables {
    shard_group = { min_acu = 8, max_acu = 400 }
  }

  expect_failures = [var.shard_group]
}

run "rejects_min_acu_above_max_acu" {
  command = plan

  variables {
    shard_group = { min_acu = 500, max_acu = 400 }
  }

  expect_failures = [var.shard_group]
}

run "rejects_compute_redundancy_3" {
  command = plan

  variables {
    shard_group = { max_acu = 400, compute_redundancy = 3 }
  }

  expect_failures = [var.shard_group]
}

run "rejects_redundancy_2_with_two_subnets" {
  command = plan

  variables {
    shard_group = { max_acu = 400, compute_redundancy = 2 }
  }

  expect_failures = [var.shard_group]
}

run "rejects_unknown_scalability_type" {
  command = plan

  variables {
    cluster_scalability_type = "serverless"
  }

  expect_failures = [var.cluster_scalability_type]
}

run "rejects_limitless_without_master_password" {
  command = plan

  variables {
    master_password = null
  }

  expect_failures = [var.cluster_scalability_type]
}

run "rejects_a_standard_engine_version" {
  command = plan

  variables {
    engine_version = "16.6"
  }

  expect_failures = [var.engine_version]
}

run "rejects_a_limitless_version_in_standard_mode" {
  command = plan

  variables {
    cluster_scalability_type = "standard"
    shard_group              = null
    storage_type             = "aurora"
  }

  expect_failures = [var.engine_version]
}

run "rejects_standard_storage" {
  command = plan

  variables {
    storage_type = "aurora"
  }

  expect_failures = [var.storage_type]
}

run "rejects_rds_proxy" {
  command = plan

  variables {
    proxy = { enabled = true }
  }

  expect_failures = [var.proxy]
}

run "rejects_readers" {
  command = plan

  variables {
    reader_promotion_tiers = [1]
  }

  expect_failures = [var.reader_promotion_tiers]
}

run "rejects_global_database" {
  command = plan

  variables {
    global_database = { enabled = true, vpc_id = "vpc-0fedcba9876543210", subnet_ids = ["subnet-0fedcba9876543210", "subnet-0fedcba9876543211"] }
  }

  expect_failures = [var.global_database]
}

run "rejects_aws_backup_cross_region_copy" {
  command = plan

  variables {
    backup_cross_region_copy = true
  }

  expect_failures = [var.backup_cross_region_copy]
}

run "rejects_auto_pause" {
  command = plan

  variables {
    min_capacity             = 0
    seconds_until_auto_pause = 300
  }

  expect_failures = [var.min_capacity]
}

run "rejects_reader_auto_scaling" {
  command = plan

  variables {
    reader_autoscaling = { max_capacity = 2, target_value = 70 }
  }

  expect_failures = [var.reader_autoscaling]
}

run "rejects_custom_endpoints" {
  command = plan

  variables {
    endpoints = { analytics = { type = "ANY" } }
  }

  expect_failures = [var.endpoints]
}

run "rejects_data_api" {
  command = plan

  variables {
    enable_http_endpoint = true
  }

  expect_failures = [var.enable_http_endpoint]
}

run "rejects_lambda_integration" {
  command = plan

  variables {
    iam_role_associations = { Lambda = "arn:aws:iam::123456789012:role/lambda" }
  }

  expect_failures = [var.iam_role_associations]
}

run "rejects_machine_learning" {
  command = plan

  variables {
    iam_role_associations = { SageMaker = "arn:aws:iam::123456789012:role/ml" }
  }

  expect_failures = [var.iam_role_associations]
}

run "rejects_cloning" {
  command = plan

  variables {
    restore_to_point_in_time = { source_cluster_identifier = "other", use_latest_restorable_time = true, restore_type = "copy-on-write" }
  }

  expect_failures = [var.restore_to_point_in_time]
}

run "rejects_secrets_manager_rotation" {
  command = plan

  variables {
    master_user_password_rotation = { automatically_after_days = 7 }
  }

  expect_failures = [var.master_user_password_rotation]
}

run "rejects_babelfish" {
  command = plan

  variables {
    extra_cluster_parameters = [{ name = "rds.babelfish_status", value = "on" }]
  }

  expect_failures = [var.extra_cluster_parameters]
}

# What a caller can type: fractions, negatives, a doubled or bare suffix.
run "rejects_fractional_compute_redundancy" {
  command = plan

  variables {
    shard_group = { max_acu = 400, compute_redundancy = 1.5 }
  }

  expect_failures = [var.shard_group]
}

run "rejects_negative_min_acu" {
  command = plan

  variables {
    shard_group = { min_acu = -16, max_acu = 400 }
  }

  expect_failures = [var.shard_group]
}

run "rejects_a_doubled_limitless_suffix" {
  command = plan

  variables {
    engine_version = "16.6-limitless-limitless"
  }

  expect_failures = [var.engine_version]
}

run "rejects_a_major_only_limitless_version" {
  command = plan

  variables {
    engine_version = "16-limitless"
  }

  expect_failures = [var.engine_version]
}

run "accepts_a_three_part_limitless_version" {
  command = plan

  variables {
    engine_version = "16.6.8-limitless"
  }

  assert {
    condition     = aws_rds_cluster.this.engine_version == "16.6.8-limitless" && aws_rds_cluster_parameter_group.this.family == "aurora-postgresql16"
    error_message = "16.6.8-limitless is PostgreSQL 16: family aurora-postgresql16"
  }
}

run "alarms_off_means_no_shard_group_alarm" {
  command = plan

  variables {
    alarms = { enabled = false }
  }

  assert {
    condition     = length(aws_cloudwatch_metric_alarm.shard_group_capacity) == 0
    error_message = "alarms.enabled = false creates no shard group alarm"
  }
}

run "refuses_a_subnet_in_a_zone_limitless_is_not_offered_in" {
  command = plan

  override_data {
    target = data.aws_subnet.limitless
    values = { availability_zone_id = "use1-az3" }
  }

  expect_failures = [aws_rds_shard_group.this]
}
