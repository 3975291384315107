################################################################################
# Optional Aurora Global Database: the primary cluster joins a global cluster and
# a secondary cluster with instance_count db.serverless instances runs in the DR region (provider aws.dr).
################################################################################

# Secrets Manager-managed master passwords are not supported in a global database: the caller's
# ephemeral master_password is written (write-only, never in state) to the cluster and to the
# module's own secret, which the proxy then reads.
resource "aws_secretsmanager_secret" "master" {
  #checkov:skip=CKV2_AWS_57:No rotation Lambda in this module (global database or Limitless only): rotate by passing a new master_password and raising master_password_version, which rewrites the cluster password and this secret.
  count = local.own_master_secret ? 1 : 0

  name_prefix             = "${var.name}-master-"
  description             = "Master user of Aurora ${var.name} (${local.limitless ? "Limitless" : "global database"})"
  kms_key_id              = local.kms_key_arn
  recovery_window_in_days = 30
  tags                    = local.tags
}

resource "aws_secretsmanager_secret_version" "master" {
  count = local.own_master_secret ? 1 : 0

  secret_id = aws_secretsmanager_secret.master[0].id
  secret_string_wo = jsonencode({
    username = var.master_username
    password = var.master_password
  })
  secret_string_wo_version = var.master_password_version
}

resource "aws_rds_global_cluster" "this" {
  count = local.global_enabled ? 1 : 0

  global_cluster_identifier    = "${var.name}-global"
  source_db_cluster_identifier = aws_rds_cluster.this.arn
  force_destroy                = true
  deletion_protection          = var.deletion_protection
  engine_lifecycle_support     = var.engine_lifecycle_support

  depends_on = [aws_rds_cluster_instance.this]
}

resource "aws_db_subnet_group" "dr" {
  count    = local.global_enabled ? 1 : 0
  provider = aws.dr

  name        = "${var.name}-dr"
  description = "Aurora ${var.name} secondary subnets"
  subnet_ids  = var.global_database.subnet_ids
  tags        = local.tags
}

resource "aws_security_group" "dr" {
  count    = local.global_enabled ? 1 : 0
  provider = aws.dr

  name        = "${var.name}-dr-cluster"
  description = "Aurora ${var.name} secondary: PostgreSQL ${local.port} from allowed clients only"
  vpc_id      = var.global_database.vpc_id
  tags        = merge(local.tags, { Name = "${var.name}-dr-cluster" })
}

resource "aws_vpc_security_group_ingress_rule" "dr_cidr" {
  for_each = local.global_enabled ? toset(var.global_database.allowed_cidr_blocks) : toset([])
  provider = aws.dr

  security_group_id = aws_security_group.dr[0].id
  description       = "PostgreSQL from ${each.value}"
  ip_protocol       = "tcp"
  from_port         = local.port
  to_port           = local.port
  cidr_ipv4         = each.value
  tags              = local.tags
}

# count, not for_each: the groups' IDs may be unknown until apply (main.tf, tests/unknown_ids).
resource "aws_vpc_security_group_ingress_rule" "dr_sg" {
  count    = local.global_enabled ? length(var.global_database.allowed_security_group_ids) : 0
  provider = aws.dr

  security_group_id            = aws_security_group.dr[0].id
  description                  = "PostgreSQL from ${var.global_database.allowed_security_group_ids[count.index]}"
  ip_protocol                  = "tcp"
  from_port                    = local.port
  to_port                      = local.port
  referenced_security_group_id = var.global_database.allowed_security_group_ids[count.index]
  tags                         = local.tags
}

resource "aws_rds_cluster_parameter_group" "dr" {
  count    = local.global_enabled ? 1 : 0
  provider = aws.dr

  name_prefix = "${var.name}-dr-"
  family      = "aurora-postgresql${local.engine_major}"
  description = "Aurora ${var.name} secondary (PostgreSQL ${local.engine_major}) cluster parameters"

  dynamic "parameter" {
    for_each = merge(local.query_log_parameters, local.cluster_parameters)
    content {
      name         = parameter.key
      value        = parameter.value.value
      apply_method = parameter.value.apply_method
    }
  }

  tags = local.tags

  lifecycle {
    create_before_destroy = true
  }
}

# The instances' parameter group in the DR region (instance_parameters apply to every instance, the
# secondary's too), of the engine's family like aws_db_parameter_group.this.
resource "aws_db_parameter_group" "dr" {
  count    = local.global_enabled ? 1 : 0
  provider = aws.dr

  name_prefix = "${var.name}-dr-instance-"
  family      = "aurora-postgresql${local.engine_major}"
  description = "Aurora ${var.name} secondary (PostgreSQL ${local.engine_major}) instance parameters"

  dynamic "parameter" {
    for_each = var.instance_parameters
    content {
      name         = parameter.value.name
      value        = parameter.value.value
      apply_method = parameter.value.apply_method
    }
  }

  tags = local.tags

  lifecycle {
    create_before_destroy = true
  }
}

resource "aws_cloudwatch_log_group" "dr" {
  count    = local.global_enabled ? 1 : 0
  provider = aws.dr

  name              = "/aws/rds/cluster/${var.name}-dr/postgresql"
  retention_in_days = var.cloudwatch_log_retention_days
  kms_key_id        = local.dr_kms_key_arn
  tags              = local.tags
}

resource "aws_rds_cluster" "secondary" {
  #checkov:skip=CKV_AWS_139:deletion_protection is chosen per environment (off in the throw-away dev); policies/limits.yaml requires it where it matters (prod: backups.deletion_protection in make policy).
  #checkov:skip=CKV2_AWS_8:A global database secondary replicates the primary, which the AWS Backup plan covers (with its own cross-region copies).
  count    = local.global_enabled ? 1 : 0
  provider = aws.dr

  cluster_identifier        = "${var.name}-dr"
  global_cluster_identifier = aws_rds_global_cluster.this[0].id
  engine                    = aws_rds_global_cluster.this[0].engine
  engine_version            = aws_rds_global_cluster.this[0].engine_version
  engine_mode               = "provisioned"
  port                      = local.port

  iam_database_authentication_enabled = true

  db_subnet_group_name            = aws_db_subnet_group.dr[0].name
  vpc_security_group_ids          = [aws_security_group.dr[0].id]
  db_cluster_parameter_group_name = aws_rds_cluster_parameter_group.dr[0].name

  storage_type      = var.storage_type
  storage_encrypted = true
  kms_key_id        = local.dr_kms_key_arn

  serverlessv2_scaling_configuration {
    min_capacity = max(var.min_capacity, local.aws_limits.acu.min)
    max_capacity = var.max_capacity
  }

  backup_retention_period      = var.backup_retention_period
  preferred_backup_window      = var.preferred_backup_window
  preferred_maintenance_window = var.preferred_maintenance_window
  copy_tags_to_snapshot        = true
  deletion_protection          = var.deletion_protection
  skip_final_snapshot          = true # a secondary holds no data of its own to snapshot

  enabled_cloudwatch_logs_exports = ["postgresql"]
  apply_immediately               = var.apply_immediately

  tags = local.tags

  timeouts {
    create = var.timeouts.create
    update = var.timeouts.update
    delete = var.timeouts.delete
  }

  lifecycle {
    ignore_changes = [replication_source_identifier]
  }

  depends_on = [aws_cloudwatch_log_group.dr]
}

resource "aws_rds_cluster_instance" "secondary" {
  count    = local.global_enabled ? var.global_database.instance_count : 0
  provider = aws.dr

  identifier_prefix  = "${var.name}-dr-${count.index + 1}-"
  cluster_identifier = aws_rds_cluster.secondary[0].id
  engine             = aws_rds_cluster.secondary[0].engine
  instance_class     = "db.serverless"
  promotion_tier     = count.index == 0 ? 0 : 1

  db_subnet_group_name    = aws_db_subnet_group.dr[0].name
  db_parameter_group_name = aws_db_parameter_group.dr[0].name
  ca_cert_identifier      = var.ca_cert_identifier
  publicly_accessible     = false
  copy_tags_to_snapshot   = true

  performance_insights_enabled          = true
  performance_insights_kms_key_id       = local.dr_kms_key_arn
  performance_insights_retention_period = var.performance_insights_retention_period

  monitoring_interval = var.monitoring_interval
  monitoring_role_arn = aws_iam_role.monitoring.arn

  auto_minor_version_upgrade = var.auto_minor_version_upgrade
  apply_immediately          = var.apply_immediately

  tags = local.tags

  lifecycle {
    create_before_destroy = true
  }
}
