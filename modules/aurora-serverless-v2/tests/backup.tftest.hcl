# AWS Backup: vaults, plan rules with retention and cross-region copies, selection (mock providers).

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

run "plan_has_daily_weekly_monthly_rules_copied_to_dr" {
  command = plan

  variables {
    snapshot_schedule = {
      daily_retention_days     = 7
      weekly_retention_weeks   = 4
      monthly_retention_months = 3
    }
  }

  assert {
    condition     = { for r in aws_backup_plan.this.rule : r.rule_name => r.lifecycle[0].delete_after } == { daily = 7, weekly = 28, monthly = 90 }
    error_message = "daily kept 7 days, weekly 4x7, monthly 3x30"
  }
  assert {
    condition     = alltrue([for r in aws_backup_plan.this.rule : length(r.copy_action) == 1 && one(r.copy_action).lifecycle[0].delete_after == r.lifecycle[0].delete_after])
    error_message = "every rule is copied to the DR vault and kept as long there"
  }
  assert {
    condition     = length(aws_backup_vault.dr) == 1 && length(aws_kms_key.dr) == 1 && aws_kms_key.dr[0].enable_key_rotation
    error_message = "the DR vault has its own rotating key in the DR region"
  }
  assert {
    condition     = alltrue([for r in aws_backup_plan.this.rule : r.target_vault_name == "mistersmith-test"]) && aws_backup_vault.this.name == "mistersmith-test"
    error_message = "rules target the primary vault"
  }
  assert {
    condition     = length(aws_backup_selection.this) == 1 && jsondecode(aws_iam_role.backup.assume_role_policy).Statement[0].Principal.Service == "backup.amazonaws.com"
    error_message = "the cluster is selected into the plan with AWS Backup's role"
  }
  assert {
    condition     = output.backup_rules.weekly.schedule == "cron(0 7 ? * SUN *)"
    error_message = "weekly rule runs on Sundays"
  }
}

run "no_copy_without_cross_region" {
  command = plan

  variables {
    backup_cross_region_copy = false
    snapshot_schedule        = { weekly_retention_weeks = 0 }
  }

  assert {
    condition     = alltrue([for r in aws_backup_plan.this.rule : length(r.copy_action) == 0]) && length(aws_backup_vault.dr) == 0 && length(aws_kms_key.dr) == 0
    error_message = "no DR vault, key or copy when cross-region copy is off"
  }
  assert {
    condition     = toset([for r in aws_backup_plan.this.rule : r.rule_name]) == toset(["daily", "monthly"])
    error_message = "0 weeks: no weekly rule"
  }
}

run "only_the_listed_rules_are_copied" {
  command = plan

  variables {
    backup_cross_region_copy_rules = ["monthly"]
  }

  assert {
    condition     = { for r in aws_backup_plan.this.rule : r.rule_name => length(r.copy_action) } == { daily = 0, weekly = 0, monthly = 1 }
    error_message = "backup_cross_region_copy_rules = [monthly]: only the monthly recovery points are copied"
  }
  assert {
    condition     = length(aws_backup_vault.dr) == 1
    error_message = "the DR vault stays for the copies that are made"
  }
}

run "copy_rules_are_backup_rules" {
  command = plan

  variables {
    backup_cross_region_copy_rules = ["hourly"]
  }

  expect_failures = [var.backup_cross_region_copy_rules]
}

run "given_dr_key_is_used" {
  command = plan

  variables {
    dr_kms_key_arn = "arn:aws:kms:us-west-2:123456789012:key/11111111-2222-3333-4444-555555555555"
  }

  assert {
    condition     = length(aws_kms_key.dr) == 0 && aws_backup_vault.dr[0].kms_key_arn == var.dr_kms_key_arn
    error_message = "a given DR key encrypts the DR vault"
  }
}

run "selection_can_be_gated_off_for_emulators" {
  command = plan

  variables {
    create_backup_selection = false
  }

  assert {
    condition     = length(aws_backup_selection.this) == 0 && keys(output.backup_rules) == ["daily", "monthly", "weekly"]
    error_message = "create_backup_selection = false drops the selection only"
  }
}

run "retention_window_settings_reach_the_cluster" {
  command = plan

  variables {
    backup_retention_period      = 14
    preferred_backup_window      = "23:30-00:30"
    preferred_maintenance_window = "sun:05:00-sun:06:00"
    skip_final_snapshot          = true
  }

  assert {
    condition     = aws_rds_cluster.this.backup_retention_period == 14 && aws_rds_cluster.this.preferred_backup_window == "23:30-00:30" && aws_rds_cluster.this.preferred_maintenance_window == "sun:05:00-sun:06:00"
    error_message = "retention and windows reach the cluster"
  }
  assert {
    condition     = aws_rds_cluster.this.skip_final_snapshot && aws_rds_cluster.this.final_snapshot_identifier == null
    error_message = "skip_final_snapshot drops the final snapshot name"
  }
}

run "backup_role_takes_backups_and_cannot_restore" {
  command = plan

  assert {
    condition     = aws_iam_role_policy_attachment.backup.policy_arn == "arn:aws:iam::aws:policy/service-role/AWSBackupServiceRolePolicyForBackup"
    error_message = "the backup role carries AWSBackupServiceRolePolicyForBackup only: restoring is not its job (no AWSBackupServiceRolePolicyForRestores)"
  }
}
