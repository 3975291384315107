################################################################################
# KMS (DR region): cross-region backup copies and the global database secondary
################################################################################

data "aws_region" "dr" {
  provider = aws.dr
}

resource "aws_kms_key" "dr" {
  count    = local.create_dr_kms_key ? 1 : 0
  provider = aws.dr

  description             = "Aurora ${var.name}: DR copies and secondary cluster (${data.aws_region.dr.id})"
  enable_key_rotation     = true
  rotation_period_in_days = 365
  deletion_window_in_days = var.kms_key_deletion_window_in_days
  policy = jsonencode({
    Version = "2012-10-17"
    Statement = [{
      Sid       = "AccountAdministration"
      Effect    = "Allow"
      Principal = { AWS = "arn:${local.partition}:iam::${local.account_id}:root" }
      Action    = "kms:*"
      Resource  = "*"
    }]
  })

  tags = local.tags
}

resource "aws_kms_alias" "dr" {
  count    = local.create_dr_kms_key ? 1 : 0
  provider = aws.dr

  name          = "alias/${var.name}-dr"
  target_key_id = aws_kms_key.dr[0].key_id
}

################################################################################
# AWS Backup: vault, DR vault, plan (daily/weekly/monthly, each copied to the DR
# region) and the selection of the cluster
################################################################################

locals {
  backup_rules = concat(
    [{
      name     = "daily"
      schedule = var.snapshot_schedule.daily_schedule
      days     = var.snapshot_schedule.daily_retention_days
    }],
    var.snapshot_schedule.weekly_retention_weeks > 0 ? [{
      name     = "weekly"
      schedule = var.snapshot_schedule.weekly_schedule
      days     = var.snapshot_schedule.weekly_retention_weeks * 7
    }] : [],
    var.snapshot_schedule.monthly_retention_months > 0 ? [{
      name     = "monthly"
      schedule = var.snapshot_schedule.monthly_schedule
      days     = var.snapshot_schedule.monthly_retention_months * 30
    }] : [],
  )
}

resource "aws_backup_vault" "this" {
  name        = var.name
  kms_key_arn = local.kms_key_arn
  tags        = local.tags
}

resource "aws_backup_vault" "dr" {
  count    = var.backup_cross_region_copy ? 1 : 0
  provider = aws.dr

  name        = "${var.name}-dr"
  kms_key_arn = local.dr_kms_key_arn
  tags        = local.tags
}

resource "aws_backup_plan" "this" {
  name = var.name

  dynamic "rule" {
    for_each = local.backup_rules
    content {
      rule_name         = rule.value.name
      target_vault_name = aws_backup_vault.this.name
      schedule          = rule.value.schedule
      start_window      = var.snapshot_schedule.start_window_minutes
      completion_window = var.snapshot_schedule.completion_window_hours * 60

      lifecycle {
        delete_after = rule.value.days
      }

      dynamic "copy_action" {
        for_each = var.backup_cross_region_copy && contains(var.backup_cross_region_copy_rules, rule.value.name) ? [aws_backup_vault.dr[0].arn] : []
        content {
          destination_vault_arn = copy_action.value
          lifecycle {
            delete_after = rule.value.days
          }
        }
      }

      recovery_point_tags = merge(local.tags, { BackupRule = rule.value.name })
    }
  }

  tags = local.tags
}

resource "aws_iam_role" "backup" {
  name_prefix = "${var.name}-backup-"
  description = "AWS Backup of Aurora ${var.name}"
  assume_role_policy = jsonencode({
    Version = "2012-10-17"
    Statement = [{
      Effect    = "Allow"
      Principal = { Service = "backup.amazonaws.com" }
      Action    = "sts:AssumeRole"
      Condition = { StringEquals = { "aws:SourceAccount" = local.account_id } }
    }]
  })
  tags = local.tags
}

resource "aws_iam_role_policy_attachment" "backup" {
  # Taking backups only: restores are an operator's action, under the operator's own role (least privilege).
  role       = aws_iam_role.backup.name
  policy_arn = "arn:${local.partition}:iam::aws:policy/service-role/AWSBackupServiceRolePolicyForBackup"
}

# Not for a Limitless cluster: AWS Backup does not support Aurora PostgreSQL Limitless Database (its backups
# are the cluster's automated backups, backup_retention_period; cross-region copies are refused).
resource "aws_backup_selection" "this" {
  count = var.create_backup_selection && !local.limitless ? 1 : 0

  name         = var.name
  plan_id      = aws_backup_plan.this.id
  iam_role_arn = aws_iam_role.backup.arn
  resources    = [aws_rds_cluster.this.arn]

  depends_on = [aws_iam_role_policy_attachment.backup]
}
