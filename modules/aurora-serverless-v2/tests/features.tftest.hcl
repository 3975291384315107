# Inputs platform teams expect (mock providers): insights and access, upgrades and lifecycle, restores,
# custom endpoints, IAM role associations, reader auto scaling, secret rotation, the proxy's log group.
# Each is off by default (first run) and wired or refused as documented.

mock_provider "aws" {
  source = "./tests/mocks/aws"
}

mock_provider "aws" {
  alias  = "dr"
  source = "./tests/mocks/aws-dr"
}

variables {
  name                   = "mistersmith-test"
  environment            = "test"
  vpc_id                 = "vpc-0123456789abcdef0"
  subnet_ids             = ["subnet-0123456789abcdef0", "subnet-0123456789abcdef1"]
  allowed_cidr_blocks    = ["10.20.0.0/16"]
  min_capacity           = 2
  max_capacity           = 16
  reader_promotion_tiers = [1, 2]
}

run "everything_new_is_off_by_default" {
  command = plan

  assert {
    # (database_insights_mode and engine_lifecycle_support are computed: unset, they stay unknown in a plan.)
    condition     = aws_rds_cluster.this.performance_insights_enabled == null && aws_rds_cluster.this.enable_http_endpoint == false
    error_message = "cluster Performance Insights is not managed and the Data API is off by default"
  }
  assert {
    condition     = aws_rds_cluster.this.allow_major_version_upgrade == false && aws_rds_cluster.this.db_instance_parameter_group_name == null
    error_message = "no major upgrade by default"
  }
  assert {
    condition     = aws_rds_cluster.this.snapshot_identifier == null && length(aws_rds_cluster.this.restore_to_point_in_time) == 0 && aws_rds_cluster.this.database_name == "mistersmith" && aws_rds_cluster.this.master_username == "mistersmith_admin"
    error_message = "no restore by default: the database and master user are the module's"
  }
  assert {
    condition     = length(aws_rds_cluster_endpoint.this) == 0 && length(aws_rds_cluster_role_association.this) == 0 && length(aws_appautoscaling_target.readers) == 0 && length(aws_secretsmanager_secret_rotation.master) == 0
    error_message = "no custom endpoint, role association, reader auto scaling or rotation schedule by default"
  }
  assert {
    condition     = aws_db_parameter_group.this.family == "aurora-postgresql16" && length(aws_db_parameter_group.this.parameter) == 0
    error_message = "the instances' parameter group is of the engine's family, with its defaults"
  }
  assert {
    condition     = aws_cloudwatch_log_group.proxy[0].name == "/aws/rds/proxy/mistersmith-test" && aws_cloudwatch_log_group.proxy[0].retention_in_days == 365 && output.proxy_log_group_name == "/aws/rds/proxy/mistersmith-test"
    error_message = "the proxy has its own log group, kept as long as the cluster's"
  }
  assert {
    condition = contains(jsondecode(aws_kms_key.this[0].policy).Statement[1].Condition.ArnLike["kms:EncryptionContext:aws:logs:arn"],
    "arn:aws:logs:us-east-1:123456789012:log-group:/aws/rds/proxy/mistersmith-test")
    error_message = "the module key admits CloudWatch Logs for the proxy's log group"
  }
}

run "insights_data_api_and_ca" {
  command = plan

  variables {
    database_insights_mode                = "advanced"
    performance_insights_retention_period = 465
    enable_http_endpoint                  = true
    ca_cert_identifier                    = "rds-ca-rsa2048-g1"
    proxy                                 = { log_retention_days = 30 }
  }

  assert {
    condition     = aws_rds_cluster.this.database_insights_mode == "advanced" && aws_rds_cluster.this.performance_insights_enabled && aws_rds_cluster.this.performance_insights_retention_period == 465
    error_message = "advanced Database Insights turns on cluster Performance Insights with 465 days"
  }
  assert {
    condition     = aws_rds_cluster.this.enable_http_endpoint && alltrue([for i in aws_rds_cluster_instance.this : i.ca_cert_identifier == "rds-ca-rsa2048-g1"])
    error_message = "Data API on; every instance uses the given CA"
  }
  assert {
    condition     = aws_cloudwatch_log_group.proxy[0].retention_in_days == 30
    error_message = "proxy.log_retention_days sets the proxy log group's retention"
  }
}

run "rejects_advanced_insights_without_465_days" {
  command = plan

  variables {
    database_insights_mode                = "advanced"
    performance_insights_retention_period = 372
  }

  expect_failures = [var.database_insights_mode]
}

run "rejects_unknown_insights_mode_ca_and_log_retention" {
  command = plan

  variables {
    database_insights_mode = "premium"
    ca_cert_identifier     = "digicert-g2"
    proxy                  = { log_retention_days = 10 }
  }

  expect_failures = [var.database_insights_mode, var.ca_cert_identifier, var.proxy]
}

run "major_upgrade_lifecycle_and_instance_parameters" {
  command = plan

  variables {
    allow_major_version_upgrade = true
    engine_lifecycle_support    = "open-source-rds-extended-support-disabled"
    instance_parameters         = [{ name = "log_min_duration_statement", value = "500", apply_method = "immediate" }]
  }

  assert {
    condition     = aws_rds_cluster.this.allow_major_version_upgrade && aws_rds_cluster.this.engine_lifecycle_support == "open-source-rds-extended-support-disabled"
    error_message = "major upgrades allowed and Extended Support opted out"
  }
  assert {
    condition     = [for p in aws_db_parameter_group.this.parameter : "${p.name}=${p.value}"] == ["log_min_duration_statement=500"]
    error_message = "instance_parameters land in the instances' parameter group"
  }
}

run "rejects_unknown_lifecycle_and_duplicate_instance_parameters" {
  command = plan

  variables {
    engine_lifecycle_support = "extended"
    instance_parameters      = [{ name = "a", value = "1" }, { name = "a", value = "2" }]
  }

  expect_failures = [var.engine_lifecycle_support, var.instance_parameters]
}

run "restore_from_snapshot_keeps_the_snapshot_database_and_user" {
  command = plan

  variables {
    snapshot_identifier = "mistersmith-prod-2026-01-31"
  }

  assert {
    # (database_name and master_username are computed: not sent, they stay unknown in a plan.)
    condition     = aws_rds_cluster.this.snapshot_identifier == "mistersmith-prod-2026-01-31" && length(aws_rds_cluster.this.restore_to_point_in_time) == 0
    error_message = "a snapshot restore sends the snapshot and no point-in-time block"
  }
  assert {
    condition     = aws_rds_cluster.this.storage_encrypted && aws_rds_cluster.this.manage_master_user_password
    error_message = "the restored cluster is encrypted with the module key and its password RDS-managed"
  }
}

run "restore_to_latest_point_in_time" {
  command = plan

  variables {
    restore_to_point_in_time = { source_cluster_identifier = "mistersmith-prod", use_latest_restorable_time = true }
  }

  assert {
    condition     = aws_rds_cluster.this.restore_to_point_in_time[0].source_cluster_identifier == "mistersmith-prod" && aws_rds_cluster.this.restore_to_point_in_time[0].use_latest_restorable_time && aws_rds_cluster.this.restore_to_point_in_time[0].restore_type == "full-copy"
    error_message = "point-in-time restore of the source cluster at its latest restorable time, as a full copy"
  }
}

run "rejects_snapshot_and_point_in_time_together" {
  command = plan

  variables {
    snapshot_identifier      = "mistersmith-prod-2026-01-31"
    restore_to_point_in_time = { source_cluster_identifier = "mistersmith-prod", restore_to_time = "2026-01-31T23:00:00Z" }
  }

  expect_failures = [var.snapshot_identifier]
}

run "rejects_a_time_and_latest_together" {
  command = plan

  variables {
    restore_to_point_in_time = { source_cluster_identifier = "mistersmith-prod", restore_to_time = "2026-01-31T23:00:00Z", use_latest_restorable_time = true }
  }

  expect_failures = [var.restore_to_point_in_time]
}

run "rejects_a_malformed_restore_time" {
  command = plan

  variables {
    restore_to_point_in_time = { source_cluster_identifier = "mistersmith-prod", restore_to_time = "yesterday" }
  }

  expect_failures = [var.restore_to_point_in_time]
}

run "analytics_endpoint_and_role_associations" {
  command = plan

  variables {
    endpoints             = { analytics = { static_members = ["reader-2"] } }
    iam_role_associations = { s3Import = "arn:aws:iam::123456789012:role/aurora-s3-import" }
  }

  assert {
    condition     = aws_rds_cluster_endpoint.this["analytics"].cluster_endpoint_identifier == "mistersmith-test-analytics" && aws_rds_cluster_endpoint.this["analytics"].custom_endpoint_type == "READER" && aws_rds_cluster_endpoint.this["analytics"].excluded_members == null
    error_message = "the analytics endpoint is a READER endpoint with static members"
  }
  assert {
    condition     = aws_rds_cluster_role_association.this["s3Import"].feature_name == "s3Import" && aws_rds_cluster_role_association.this["s3Import"].role_arn == "arn:aws:iam::123456789012:role/aurora-s3-import"
    error_message = "the role is associated for its feature"
  }
}

run "rejects_endpoint_members_that_are_not_instances" {
  command = plan

  variables {
    endpoints = { analytics = { static_members = ["reader-3"] } }
  }

  expect_failures = [var.endpoints]
}

run "rejects_unknown_feature_and_non_role_arn" {
  command = plan

  variables {
    iam_role_associations = { s3 = "arn:aws:iam::123456789012:user/someone" }
  }

  expect_failures = [var.iam_role_associations]
}

run "reader_autoscaling_on_connections" {
  command = plan

  variables {
    reader_autoscaling = { min_capacity = 2, max_capacity = 6, metric = "connections", target_value = 2000 }
  }

  assert {
    condition     = aws_appautoscaling_target.readers[0].scalable_dimension == "rds:cluster:ReadReplicaCount" && aws_appautoscaling_target.readers[0].min_capacity == 2 && aws_appautoscaling_target.readers[0].max_capacity == 6
    error_message = "the readers scale between 2 and 6"
  }
  assert {
    condition = (aws_appautoscaling_policy.readers[0].target_tracking_scaling_policy_configuration[0].predefined_metric_specification[0].predefined_metric_type == "RDSReaderAverageDatabaseConnections"
    && aws_appautoscaling_policy.readers[0].target_tracking_scaling_policy_configuration[0].target_value == 2000)
    error_message = "target tracking on average reader connections"
  }
}

run "rejects_a_connections_target_above_max_connections" {
  command = plan

  variables {
    # max_connections at max 16 ACU is 3360.
    reader_autoscaling = { max_capacity = 6, metric = "connections", target_value = 4000 }
  }

  expect_failures = [var.reader_autoscaling]
}

run "rejects_fewer_autoscaled_readers_than_the_module_has" {
  command = plan

  variables {
    reader_autoscaling = { min_capacity = 0, max_capacity = 1, target_value = 70 }
  }

  expect_failures = [var.reader_autoscaling]
}

run "master_secret_rotation_schedule" {
  command = plan

  variables {
    master_user_password_rotation = { automatically_after_days = 30, duration = "3h" }
  }

  assert {
    condition     = aws_secretsmanager_secret_rotation.master[0].rotation_rules[0].automatically_after_days == 30 && aws_secretsmanager_secret_rotation.master[0].rotation_rules[0].duration == "3h" && aws_secretsmanager_secret_rotation.master[0].rotate_immediately == false
    error_message = "the RDS-managed secret rotates every 30 days in a 3-hour window"
  }
}

run "rejects_rotation_with_days_and_schedule" {
  command = plan

  variables {
    master_user_password_rotation = { automatically_after_days = 30, schedule_expression = "rate(10 days)" }
  }

  expect_failures = [var.master_user_password_rotation]
}

run "rejects_rotation_in_a_global_database" {
  command = plan

  variables {
    master_user_password_rotation = { schedule_expression = "rate(10 days)" }
    master_password               = "correct-horse-battery-staple-0123456789"
    global_database = {
      enabled    = true
      vpc_id     = "vpc-0fedcba9876543210"
      subnet_ids = ["subnet-0fedcba9876543210", "subnet-0fedcba9876543211"]
    }
  }

  expect_failures = [var.master_user_password_rotation]
}
