# Cluster, parameters and instances, planned against mock providers (no AWS, no network).

# Mock data shared by every test file: tests/mocks/<provider>/*.tfmock.hcl.
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
  max_capacity           = 32
  reader_promotion_tiers = [1, 2]
}

run "cluster_is_serverless_v2_postgresql" {
  command = plan

  assert {
    condition     = aws_rds_cluster.this.engine == "aurora-postgresql" && aws_rds_cluster.this.engine_mode == "provisioned"
    error_message = "engine must be aurora-postgresql in provisioned mode (Serverless v2)"
  }
  assert {
    condition     = aws_rds_cluster.this.engine_version == "16.6"
    error_message = "engine_version must default to a current PostgreSQL 16 minor"
  }
  assert {
    condition     = aws_rds_cluster.this.serverlessv2_scaling_configuration[0].min_capacity == 2 && aws_rds_cluster.this.serverlessv2_scaling_configuration[0].max_capacity == 32
    error_message = "scaling configuration must carry min and max ACU"
  }
  assert {
    condition     = output.sizing.seconds_until_auto_pause == null
    error_message = "seconds_until_auto_pause must only be sent when min_capacity is 0"
  }
  assert {
    condition     = aws_rds_cluster.this.storage_encrypted && aws_rds_cluster.this.storage_type == "aurora" && length(aws_kms_key.this) == 1 && aws_kms_key.this[0].enable_key_rotation
    error_message = "storage must be encrypted with a module-created, rotating CMK"
  }
  assert {
    condition     = aws_rds_cluster.this.manage_master_user_password == true && aws_rds_cluster.this.iam_database_authentication_enabled
    error_message = "master password must be RDS-managed and IAM database authentication on"
  }
  assert {
    condition     = aws_rds_cluster.this.deletion_protection && !aws_rds_cluster.this.skip_final_snapshot && aws_rds_cluster.this.final_snapshot_identifier == "mistersmith-test-final"
    error_message = "deletion protection and a final snapshot must be on by default"
  }
  assert {
    condition     = aws_rds_cluster.this.copy_tags_to_snapshot && aws_rds_cluster.this.enabled_cloudwatch_logs_exports == toset(["postgresql"])
    error_message = "tags must be copied to snapshots and the PostgreSQL log exported"
  }
  assert {
    condition     = aws_cloudwatch_log_group.postgresql.name == "/aws/rds/cluster/mistersmith-test/postgresql" && aws_cloudwatch_log_group.postgresql.retention_in_days == 365
    error_message = "the export log group must be the cluster's, with a retention"
  }
  assert {
    condition     = aws_rds_cluster.this.apply_immediately == false && aws_rds_cluster.this.port == 5432
    error_message = "changes must wait for the maintenance window; port 5432"
  }
}

run "auto_pause_at_zero_acu" {
  command = plan

  variables {
    min_capacity             = 0
    max_capacity             = 4
    seconds_until_auto_pause = 600
    proxy                    = { enabled = false }
  }

  assert {
    condition     = aws_rds_cluster.this.serverlessv2_scaling_configuration[0].seconds_until_auto_pause == 600
    error_message = "seconds_until_auto_pause must be sent when min_capacity is 0"
  }
  assert {
    condition     = length(aws_db_proxy.this) == 0 && length(aws_security_group.proxy) == 0
    error_message = "no proxy when disabled"
  }
  assert {
    condition     = output.max_connections == 823
    error_message = "max_connections at max 4 ACU is 823 (the 2000 cap does not bite)"
  }
}

run "parameter_group_carries_corrected_settings" {
  command = plan

  variables {
    db_parameters = {
      statement_timeout                   = 30000
      idle_in_transaction_session_timeout = 60000
      work_mem                            = 65536
      maintenance_work_mem                = 1048576
    }
  }

  assert {
    condition     = aws_rds_cluster_parameter_group.this.family == "aurora-postgresql16"
    error_message = "the parameter group family follows the engine major version"
  }
  assert {
    condition = alltrue([for n, v in {
      "idle_in_transaction_session_timeout" = "60000"
      "statement_timeout"                   = "30000"
      "work_mem"                            = "65536"
      "maintenance_work_mem"                = "1048576"
      "rds.force_ssl"                       = "1"
      "log_statement"                       = "ddl"
      "log_min_duration_statement"          = "1000"
    } : contains([for p in aws_rds_cluster_parameter_group.this.parameter : "${p.name}=${p.value}"], "${n}=${v}")])
    error_message = "the parameter group must carry the db_parameters, force SSL and the log settings"
  }
  assert {
    condition     = length(setintersection([for p in aws_rds_cluster_parameter_group.this.parameter : p.name], ["shared_buffers", "idle_in_transaction_timeout", "effective_cache_size"])) == 0
    error_message = "shared_buffers, effective_cache_size and the non-existent idle_in_transaction_timeout must never be set"
  }
}

run "maintenance_work_mem_left_to_aurora_when_null" {
  command = plan

  assert {
    condition     = !contains([for p in aws_rds_cluster_parameter_group.this.parameter : p.name], "maintenance_work_mem")
    error_message = "maintenance_work_mem defaults from max ACU when not given"
  }
}

run "writer_and_readers_are_db_serverless_with_tiers" {
  command = plan

  assert {
    condition     = keys(aws_rds_cluster_instance.this) == ["reader-1", "reader-2", "writer"]
    error_message = "one writer and one reader per promotion tier"
  }
  assert {
    condition     = alltrue([for i in aws_rds_cluster_instance.this : i.instance_class == "db.serverless"])
    error_message = "every instance must be db.serverless"
  }
  assert {
    condition     = aws_rds_cluster_instance.this["writer"].promotion_tier == 0 && aws_rds_cluster_instance.this["reader-1"].promotion_tier == 1 && aws_rds_cluster_instance.this["reader-2"].promotion_tier == 2
    error_message = "readers take their promotion tiers from reader_promotion_tiers"
  }
  assert {
    condition     = alltrue([for i in aws_rds_cluster_instance.this : i.performance_insights_enabled && i.monitoring_interval == 60 && i.auto_minor_version_upgrade && !i.apply_immediately && !i.publicly_accessible])
    error_message = "instances need Performance Insights, Enhanced Monitoring, minor upgrades in the window, and no public access"
  }
  assert {
    condition     = alltrue([for k, i in aws_rds_cluster_instance.this : i.identifier_prefix == "mistersmith-test-${k}-"])
    error_message = "instances get generated identifiers (so create_before_destroy can bring a replacement up first)"
  }
}

run "writer_only_without_readers" {
  command = plan

  variables {
    reader_promotion_tiers = []
  }

  assert {
    condition     = keys(aws_rds_cluster_instance.this) == ["writer"]
    error_message = "no reader_promotion_tiers: writer only"
  }
}

run "given_kms_key_is_used_and_none_created" {
  command = plan

  variables {
    kms_key_arn = "arn:aws:kms:us-east-1:123456789012:key/11111111-2222-3333-4444-555555555555"
  }

  assert {
    condition     = length(aws_kms_key.this) == 0 && aws_rds_cluster.this.kms_key_id == var.kms_key_arn && aws_rds_cluster.this.master_user_secret_kms_key_id == var.kms_key_arn
    error_message = "a given key encrypts storage and the master secret; none is created"
  }
  assert {
    condition     = alltrue([for i in aws_rds_cluster_instance.this : i.performance_insights_kms_key_id == var.kms_key_arn]) && aws_cloudwatch_log_group.postgresql.kms_key_id == var.kms_key_arn
    error_message = "a given key encrypts Performance Insights and the log group"
  }
}

run "global_database_adds_a_dr_secondary" {
  command = plan

  variables {
    master_password = "not-a-real-password-0123456789"
    global_database = {
      enabled    = true
      vpc_id     = "vpc-0fedcba9876543210"
      subnet_ids = ["subnet-0fedcba9876543210", "subnet-0fedcba9876543211"]
    }
  }

  assert {
    condition     = length(aws_rds_global_cluster.this) == 1 && length(aws_rds_cluster.secondary) == 1 && length(aws_rds_cluster_instance.secondary) == 1
    error_message = "the global database adds a global cluster and a secondary cluster with one instance"
  }
  assert {
    condition     = aws_rds_cluster.this.manage_master_user_password == null && length(aws_secretsmanager_secret.master) == 1
    error_message = "a global database cannot use the RDS-managed secret: the module's own secret replaces it"
  }
  assert {
    condition     = aws_rds_cluster.secondary[0].storage_encrypted && length(aws_kms_key.dr) == 1
    error_message = "the secondary is encrypted with a DR-region key"
  }
  assert {
    condition     = aws_rds_cluster.this.master_password_wo_version == 1 && aws_secretsmanager_secret_version.master[0].secret_string_wo_version == 1
    error_message = "the password is written at version 1 by default"
  }
}

run "instance_parameters_reach_the_secondary_instances" {
  command = plan

  variables {
    master_password     = "not-a-real-password-0123456789"
    instance_parameters = [{ name = "log_min_duration_statement", value = "500", apply_method = "immediate" }]
    global_database = {
      enabled    = true
      vpc_id     = "vpc-0fedcba9876543210"
      subnet_ids = ["subnet-0fedcba9876543210", "subnet-0fedcba9876543211"]
    }
  }

  assert {
    condition     = [for p in aws_db_parameter_group.dr[0].parameter : p.value if p.name == "log_min_duration_statement"] == ["500"] && aws_db_parameter_group.dr[0].family == aws_db_parameter_group.this.family
    error_message = "the DR region has the instances' parameter group, with instance_parameters, of the same family"
  }
  override_resource {
    target          = aws_db_parameter_group.dr
    override_during = plan
    values          = { name = "mistersmith-test-dr-instance-1" }
  }

  assert {
    condition     = alltrue([for i in aws_rds_cluster_instance.secondary : i.db_parameter_group_name == "mistersmith-test-dr-instance-1"])
    error_message = "the secondary's instances use it (instance_parameters apply to every instance)"
  }
}

run "global_database_password_rotates_with_master_password_version" {
  command = plan

  variables {
    master_password         = "another-not-real-password-0123456789"
    master_password_version = 2
    global_database = {
      enabled    = true
      vpc_id     = "vpc-0fedcba9876543210"
      subnet_ids = ["subnet-0fedcba9876543210", "subnet-0fedcba9876543211"]
    }
  }

  assert {
    condition     = aws_rds_cluster.this.master_password_wo_version == 2 && aws_secretsmanager_secret_version.master[0].secret_string_wo_version == 2
    error_message = "raising master_password_version rewrites the cluster password and the secret"
  }
}

run "rejects_master_password_version_below_1" {
  command = plan

  variables {
    master_password_version = 0
  }

  expect_failures = [var.master_password_version]
}

run "global_database_off_by_default" {
  command = plan

  assert {
    condition     = length(aws_rds_global_cluster.this) == 0 && length(aws_rds_cluster.secondary) == 0 && length(aws_secretsmanager_secret.master) == 0
    error_message = "no global database unless enabled"
  }
}

# A caller passing null (e.g. `deletion_protection = var.x` with x unset, or `proxy = local.on ? {...} : null`)
# gets the module's secure default, never the provider's: no deletion protection, no final snapshot, no proxy.
run "null_inputs_take_the_secure_defaults" {
  command = plan

  variables {
    deletion_protection      = null
    skip_final_snapshot      = null
    backup_cross_region_copy = null
    proxy                    = null
    alarms                   = null
    timeouts                 = null
    tags                     = null
    reader_promotion_tiers   = null
  }

  assert {
    condition     = aws_rds_cluster.this.deletion_protection == true && aws_rds_cluster.this.skip_final_snapshot == false && aws_rds_cluster.this.final_snapshot_identifier == "mistersmith-test-final"
    error_message = "null deletion_protection and skip_final_snapshot mean the defaults: protected, with a final snapshot"
  }
  assert {
    condition     = length(aws_db_proxy.this) == 1 && length(aws_backup_vault.dr) == 1 && length(aws_cloudwatch_metric_alarm.capacity) == 1
    error_message = "null proxy, backup_cross_region_copy and alarms mean the defaults: a proxy, cross-region copies, alarms"
  }
}
