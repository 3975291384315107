data "aws_caller_identity" "current" {}
data "aws_partition" "current" {}
data "aws_region" "current" {}

locals {
  account_id = data.aws_caller_identity.current.account_id
  partition  = data.aws_partition.current.partition
  region     = data.aws_region.current.id # the region name on 5.x and 6.x (6.x deprecates name)
  port       = coalesce(var.port, local.aws_limits.rds.port.default)
  proxy_port = local.aws_limits.rds.proxy_listener_port

  log_retention_values = local.aws_limits.rds.log_retention_days
  pi_retention         = local.aws_limits.rds.performance_insights_retention_days

  # Private ranges (limits.tf): allowed CIDR blocks must lie inside one.
  private_ipv4_ranges = local.aws_limits.network.private_ipv4_ranges
  private_ipv6_ranges = local.aws_limits.network.private_ipv6_ranges

  tags = merge(var.tags, {
    Environment   = var.environment
    AuroraCluster = var.name
  })

  # --- engine ------------------------------------------------------------------
  # Limitless (cluster_scalability_type): a DB shard group instead of instances (limitless.tf).
  limitless = var.cluster_scalability_type == "limitless"
  # 16.6-limitless is PostgreSQL 16.6: the family and the auto-pause rules read the number.
  engine_version_number = trimsuffix(var.engine_version, local.limitless_limits.cluster.engine_version_suffix)
  engine_major          = tonumber(split(".", local.engine_version_number)[0])
  engine_minor          = tonumber(split(".", local.engine_version_number)[1])

  # --- windows (validated in variables.tf) --------------------------------------
  day_index                  = { mon = 0, tue = 1, wed = 2, thu = 3, fri = 4, sat = 5, sun = 6 }
  backup_window_pattern      = "^([01][0-9]|2[0-3]):([0-5][0-9])-([01][0-9]|2[0-3]):([0-5][0-9])$"
  maintenance_window_pattern = "^(mon|tue|wed|thu|fri|sat|sun):([01][0-9]|2[0-3]):([0-5][0-9])-(mon|tue|wed|thu|fri|sat|sun):([01][0-9]|2[0-3]):([0-5][0-9])$"
  # Parsed here for the backup window's overlap validation (the maintenance window validates itself inline).
  _mw                        = try(regex(local.maintenance_window_pattern, var.preferred_maintenance_window), null)
  maintenance_window_start   = try(local.day_index[local._mw[0]] * 1440 + tonumber(local._mw[1]) * 60 + tonumber(local._mw[2]), null)
  maintenance_window_end     = try(local.day_index[local._mw[3]] * 1440 + tonumber(local._mw[4]) * 60 + tonumber(local._mw[5]), null)
  maintenance_window_minutes = try((local.maintenance_window_end - local.maintenance_window_start + 10080) % 10080, null)

  # --- connections ----------------------------------------------------------------
  # Aurora PostgreSQL: max_connections = LEAST(DBInstanceClassMemory/9531392, 5000), from the memory at
  # the MAXIMUM ACU: local.max_connections (limits.tf) interpolates AWS's documented values.
  # The auto-pause timer sent to AWS (and echoed in output sizing): only with min_capacity 0, never otherwise.
  seconds_until_auto_pause = var.min_capacity == 0 ? var.seconds_until_auto_pause : null

  proxy_max_connections = var.proxy.enabled ? floor(local.max_connections * var.proxy.max_connections_percent / 100) : null

  # --- instances ------------------------------------------------------------------
  # None in a Limitless cluster: its routers and shards are the shard group's.
  instances = local.limitless ? {} : merge(
    { writer = { promotion_tier = 0, reader = false } },
    { for i, tier in var.reader_promotion_tiers : format("reader-%d", i + 1) => { promotion_tier = tier, reader = true } },
  )

  global_enabled = var.global_database.enabled
  # RDS manages the master password in Secrets Manager, except in a global database and in Limitless
  # (neither supports it): there the caller's master_password goes into the module's own secret.
  own_master_secret = local.global_enabled || local.limitless
  create_kms_key    = var.kms_key_arn == null
  kms_key_arn       = local.create_kms_key ? aws_kms_key.this[0].arn : var.kms_key_arn
  needs_dr_key      = var.backup_cross_region_copy || local.global_enabled
  create_dr_kms_key = local.needs_dr_key && var.dr_kms_key_arn == null
  dr_kms_key_arn    = local.needs_dr_key ? (local.create_dr_kms_key ? aws_kms_key.dr[0].arn : var.dr_kms_key_arn) : null

  # The secret RDS Proxy authenticates with: the RDS-managed one, or the module's own in a global database.
  master_secret_arn = local.own_master_secret ? aws_secretsmanager_secret.master[0].arn : try(aws_rds_cluster.this.master_user_secret[0].secret_arn, null)

  log_group_name       = "/aws/rds/cluster/${var.name}/postgresql"
  proxy_log_group_name = "/aws/rds/proxy/${var.name}"

  # A restored cluster keeps the snapshot's (or source cluster's) database name and master user.
  restoring = var.snapshot_identifier != null || var.restore_to_point_in_time != null

  # --- network path -----------------------------------------------------------------
  # Clients (allowed CIDRs, prefix lists, application security groups) reach the proxy when there is one,
  # and only then never the cluster: the proxy's IAM authentication cannot be skipped. The cluster admits
  # the proxy and admin_security_group_ids; without a proxy it admits the clients itself.
  cluster_clients = var.proxy.enabled ? {
    ipv4 = [], ipv6 = [], prefix_lists = [], security_groups = []
    } : {
    ipv4            = var.allowed_cidr_blocks
    ipv6            = var.allowed_ipv6_cidr_blocks
    prefix_lists    = var.allowed_prefix_list_ids
    security_groups = var.allowed_security_group_ids
  }
  cluster_security_group_ids = concat(aws_security_group.cluster[*].id, var.vpc_security_group_ids)
  db_subnet_group_name       = var.create_db_subnet_group ? aws_db_subnet_group.this[0].name : var.db_subnet_group_name
}

################################################################################
# KMS (primary region): storage, master secret, Performance Insights, logs,
# backups and the alarm topic
################################################################################

resource "aws_kms_key" "this" {
  count = local.create_kms_key ? 1 : 0

  description             = "Aurora ${var.name}: storage, secrets, Performance Insights, logs, backups"
  enable_key_rotation     = true
  rotation_period_in_days = 365
  deletion_window_in_days = var.kms_key_deletion_window_in_days
  policy = jsonencode({
    Version = "2012-10-17"
    Statement = [
      {
        Sid       = "AccountAdministration"
        Effect    = "Allow"
        Principal = { AWS = "arn:${local.partition}:iam::${local.account_id}:root" }
        Action    = "kms:*"
        Resource  = "*"
      },
      {
        Sid       = "CloudWatchLogsForTheClusterAndProxyLogGroups"
        Effect    = "Allow"
        Principal = { Service = "logs.${local.region}.amazonaws.com" }
        Action    = ["kms:Encrypt*", "kms:Decrypt*", "kms:ReEncrypt*", "kms:GenerateDataKey*", "kms:Describe*"]
        Resource  = "*"
        Condition = {
          ArnLike = { "kms:EncryptionContext:aws:logs:arn" = [
            for g in [local.log_group_name, local.proxy_log_group_name] : "arn:${local.partition}:logs:${local.region}:${local.account_id}:log-group:${g}"
          ] }
        }
      },
      {
        Sid       = "AlarmsAndBudgetsPublishToTheEncryptedTopic"
        Effect    = "Allow"
        Principal = { Service = ["cloudwatch.amazonaws.com", "budgets.amazonaws.com"] }
        Action    = ["kms:Decrypt", "kms:GenerateDataKey*"]
        Resource  = "*"
        Condition = {
          StringEquals = { "aws:SourceAccount" = local.account_id }
        }
      },
    ]
  })

  tags = local.tags
}

resource "aws_kms_alias" "this" {
  count = local.create_kms_key ? 1 : 0

  name          = "alias/${var.name}"
  target_key_id = aws_kms_key.this[0].key_id
}

################################################################################
# Network: subnet group and security groups (5432 only from what is allowed)
################################################################################

resource "aws_db_subnet_group" "this" {
  count = var.create_db_subnet_group ? 1 : 0

  name        = coalesce(var.db_subnet_group_name, var.name)
  description = "Aurora ${var.name} subnets"
  subnet_ids  = var.subnet_ids
  tags        = local.tags
}

resource "aws_security_group" "cluster" {
  count = var.create_security_group ? 1 : 0

  name        = "${var.name}-cluster"
  description = "Aurora ${var.name}: PostgreSQL ${local.port} from the proxy and administrators (clients only without a proxy)"
  vpc_id      = var.vpc_id
  tags        = merge(local.tags, { Name = "${var.name}-cluster" })

  lifecycle {
    create_before_destroy = true
  }
}

# Prefix lists are read so that every entry can be held to the private-only rule, as CIDR blocks are.
# count, not for_each, here and on every rule keyed by a caller's ID: IDs of groups or lists created in the
# caller's root are unknown until apply, and for_each over them fails the plan (tests/unknown_ids).
data "aws_ec2_managed_prefix_list" "allowed" {
  count = length(var.allowed_prefix_list_ids)

  id = var.allowed_prefix_list_ids[count.index]

  lifecycle {
    postcondition {
      condition = alltrue([for e in self.entries : can(cidrhost(e.cidr, 0)) && try(anytrue([
        for r in strcontains(e.cidr, ":") ? local.private_ipv6_ranges : local.private_ipv4_ranges :
        tonumber(split("/", e.cidr)[1]) >= tonumber(split("/", r)[1]) && cidrsubnet("${cidrhost(e.cidr, 0)}/${split("/", r)[1]}", 0, 0) == r
      ]), false)])
      error_message = "allowed_prefix_list_ids: ${var.allowed_prefix_list_ids[count.index]} holds entries outside the private ranges ${join(", ", concat(local.private_ipv4_ranges, local.private_ipv6_ranges))}: only private networks may be admitted."
    }
  }
}

resource "aws_vpc_security_group_ingress_rule" "cluster_from_proxy" {
  count = var.proxy.enabled && var.create_security_group ? 1 : 0

  security_group_id            = aws_security_group.cluster[0].id
  description                  = "PostgreSQL from the RDS Proxy"
  ip_protocol                  = "tcp"
  from_port                    = local.port
  to_port                      = local.port
  referenced_security_group_id = aws_security_group.proxy[0].id
  tags                         = local.tags
}

resource "aws_vpc_security_group_ingress_rule" "cluster_admin" {
  count = length(var.admin_security_group_ids)

  security_group_id            = aws_security_group.cluster[0].id
  description                  = "PostgreSQL from administrators ${var.admin_security_group_ids[count.index]}"
  ip_protocol                  = "tcp"
  from_port                    = local.port
  to_port                      = local.port
  referenced_security_group_id = var.admin_security_group_ids[count.index]
  tags                         = local.tags
}

# Clients straight to the cluster: only when there is no proxy (local.cluster_clients).
resource "aws_vpc_security_group_ingress_rule" "cluster_cidr" {
  for_each = var.create_security_group ? toset(local.cluster_clients.ipv4) : toset([])

  security_group_id = aws_security_group.cluster[0].id
  description       = "PostgreSQL from ${each.value}"
  ip_protocol       = "tcp"
  from_port         = local.port
  to_port           = local.port
  cidr_ipv4         = each.value
  tags              = local.tags
}

resource "aws_vpc_security_group_ingress_rule" "cluster_ipv6" {
  for_each = var.create_security_group ? toset(local.cluster_clients.ipv6) : toset([])

  security_group_id = aws_security_group.cluster[0].id
  description       = "PostgreSQL from ${each.value}"
  ip_protocol       = "tcp"
  from_port         = local.port
  to_port           = local.port
  cidr_ipv6         = each.value
  tags              = local.tags
}

resource "aws_vpc_security_group_ingress_rule" "cluster_prefix_list" {
  count = var.create_security_group ? length(local.cluster_clients.prefix_lists) : 0

  security_group_id = aws_security_group.cluster[0].id
  description       = "PostgreSQL from prefix list ${local.cluster_clients.prefix_lists[count.index]}"
  ip_protocol       = "tcp"
  from_port         = local.port
  to_port           = local.port
  prefix_list_id    = data.aws_ec2_managed_prefix_list.allowed[count.index].id
  tags              = local.tags
}

resource "aws_vpc_security_group_ingress_rule" "cluster_sg" {
  count = var.create_security_group ? length(local.cluster_clients.security_groups) : 0

  security_group_id            = aws_security_group.cluster[0].id
  description                  = "PostgreSQL from ${local.cluster_clients.security_groups[count.index]}"
  ip_protocol                  = "tcp"
  from_port                    = local.port
  to_port                      = local.port
  referenced_security_group_id = local.cluster_clients.security_groups[count.index]
  tags                         = local.tags
}

################################################################################
# Logs
################################################################################

resource "aws_cloudwatch_log_group" "postgresql" {
  name              = local.log_group_name
  retention_in_days = var.cloudwatch_log_retention_days
  kms_key_id        = local.kms_key_arn
  tags              = local.tags
}

################################################################################
# Cluster parameter group (design settings with AUDIT.md's corrections)
################################################################################

locals {
  # Never shared_buffers (Serverless v2 sizes it), never effective_cache_size (defaults from max ACU).
  # idle_in_transaction_session_timeout is the real name of the design's idle_in_transaction_timeout.
  managed_parameters = { for k, v in {
    "rds.force_ssl"                       = { value = "1", apply_method = "immediate" }
    "ssl_min_protocol_version"            = { value = "TLSv1.2", apply_method = "immediate" }
    "statement_timeout"                   = { value = var.db_parameters.statement_timeout, apply_method = "immediate" }
    "idle_in_transaction_session_timeout" = { value = var.db_parameters.idle_in_transaction_session_timeout, apply_method = "immediate" }
    "work_mem"                            = { value = var.db_parameters.work_mem, apply_method = "immediate" }
    "maintenance_work_mem"                = { value = var.db_parameters.maintenance_work_mem, apply_method = "immediate" }
    "log_connections"                     = { value = "1", apply_method = "immediate" }
    "log_disconnections"                  = { value = "1", apply_method = "immediate" }
    "log_lock_waits"                      = { value = "1", apply_method = "immediate" }
    "log_temp_files"                      = { value = "10240", apply_method = "immediate" }
    "log_autovacuum_min_duration"         = { value = "10000", apply_method = "immediate" }
  } : k => { value = tostring(v.value), apply_method = v.apply_method } if v.value != null }

  # log_statement and log_min_duration_statement are written out in the parameter group itself.
  query_log_parameters = {
    "log_statement"              = { value = "ddl", apply_method = "immediate" }
    "log_min_duration_statement" = { value = tostring(var.log_min_duration_statement), apply_method = "immediate" }
  }

  cluster_parameters = merge(
    local.managed_parameters,
    { for p in var.extra_cluster_parameters : p.name => { value = p.value, apply_method = p.apply_method } },
  )
}

resource "aws_rds_cluster_parameter_group" "this" {
  name_prefix = "${var.name}-"
  family      = "aurora-postgresql${local.engine_major}"
  description = "Aurora ${var.name} (PostgreSQL ${local.engine_major}) cluster parameters"

  # Query logging, written out (not in the dynamic block) so scanners see it.
  parameter {
    name         = "log_statement"
    value        = "ddl"
    apply_method = "immediate"
  }

  parameter {
    name         = "log_min_duration_statement"
    value        = tostring(var.log_min_duration_statement)
    apply_method = "immediate"
  }

  dynamic "parameter" {
    for_each = local.cluster_parameters
    content {
      name         = parameter.key
      value        = parameter.value.value
      apply_method = parameter.value.apply_method
    }
  }

  tags = local.tags

  lifecycle {
    create_before_destroy = true

    precondition {
      condition     = length(setintersection(concat(keys(local.managed_parameters), keys(local.query_log_parameters)), [for p in var.extra_cluster_parameters : p.name])) == 0
      error_message = "extra_cluster_parameters repeats a parameter the module already sets (${join(", ", concat(keys(local.managed_parameters), keys(local.query_log_parameters)))})."
    }
  }
}

################################################################################
# Cluster
################################################################################

resource "aws_rds_cluster" "this" {
  #checkov:skip=CKV_AWS_139:deletion_protection is chosen per environment (off in the throw-away dev); policies/limits.yaml requires it where it matters (prod: backups.deletion_protection in make policy).
  cluster_identifier = var.name
  engine             = "aurora-postgresql"
  engine_mode        = local.limitless ? "" : "provisioned" # Limitless: no engine mode (AWS's API)
  engine_version     = var.engine_version
  # Fixed at creation. Null (not "standard") in standard mode: the provider's default, as before this setting.
  cluster_scalability_type = local.limitless ? var.cluster_scalability_type : null
  database_name            = local.restoring ? null : var.database_name
  port                     = local.port
  network_type             = var.network_type

  # Restores (at creation): from a snapshot, or a point-in-time copy of another cluster.
  snapshot_identifier = var.snapshot_identifier
  dynamic "restore_to_point_in_time" {
    for_each = var.restore_to_point_in_time[*] # (a splat, not a conditional: checkov renders the latter wrongly)
    content {
      source_cluster_identifier  = restore_to_point_in_time.value.source_cluster_identifier
      restore_to_time            = restore_to_point_in_time.value.restore_to_time
      use_latest_restorable_time = restore_to_point_in_time.value.use_latest_restorable_time ? true : null
      restore_type               = restore_to_point_in_time.value.restore_type
    }
  }

  master_username = local.restoring ? null : var.master_username
  # RDS manages and rotates the password in Secrets Manager, except in a global database or Limitless (not
  # supported there): then the caller's ephemeral master_password is written once, never stored in state.
  manage_master_user_password   = local.own_master_secret ? null : true
  master_user_secret_kms_key_id = local.own_master_secret ? null : local.kms_key_arn
  master_password_wo            = local.own_master_secret ? var.master_password : null
  master_password_wo_version    = local.own_master_secret ? var.master_password_version : null

  iam_database_authentication_enabled = true

  db_subnet_group_name            = local.db_subnet_group_name
  vpc_security_group_ids          = local.cluster_security_group_ids
  db_cluster_parameter_group_name = aws_rds_cluster_parameter_group.this.name
  enable_http_endpoint            = var.enable_http_endpoint

  # Database Insights (cluster level) with Performance Insights on the module's key, when managed. Limitless
  # requires Performance Insights kept at least 31 days and Enhanced Monitoring, at the cluster (no instances).
  database_insights_mode                = var.database_insights_mode
  performance_insights_enabled          = var.database_insights_mode == null && !local.limitless ? null : true
  performance_insights_kms_key_id       = var.database_insights_mode == null && !local.limitless ? null : local.kms_key_arn
  performance_insights_retention_period = local.limitless ? max(local.limitless_limits.cluster.performance_insights_min_retention_days, var.performance_insights_retention_period) : (var.database_insights_mode == null ? null : var.performance_insights_retention_period)
  monitoring_interval                   = local.limitless ? var.monitoring_interval : null
  monitoring_role_arn                   = local.limitless ? aws_iam_role.monitoring.arn : null

  storage_type      = var.storage_type
  storage_encrypted = true
  kms_key_id        = local.kms_key_arn

  # Serverless v2 instances' range; none in Limitless, whose capacity is the shard group's (limitless.tf).
  dynamic "serverlessv2_scaling_configuration" {
    for_each = var.cluster_scalability_type == "limitless" ? [] : ["serverless-v2"]
    content {
      min_capacity = var.min_capacity
      max_capacity = var.max_capacity
      # Only at 0 ACU: AWS refuses a timer with a positive minimum ("SecondsUntilAutoPause can only be
      # specified when minimum capacity is 0") and drops it from the cluster (#41551: tests/auto_pause_regression).
      seconds_until_auto_pause = local.seconds_until_auto_pause
    }
  }

  backup_retention_period      = var.backup_retention_period
  preferred_backup_window      = var.preferred_backup_window
  preferred_maintenance_window = var.preferred_maintenance_window
  copy_tags_to_snapshot        = true
  deletion_protection          = var.deletion_protection
  skip_final_snapshot          = var.skip_final_snapshot
  final_snapshot_identifier    = var.skip_final_snapshot ? null : "${var.name}-final"

  # Limitless requires the PostgreSQL log in CloudWatch Logs (limits.tf); the module exports it in every mode.
  enabled_cloudwatch_logs_exports = local.limitless_limits.cluster.cloudwatch_logs_exports_required

  apply_immediately           = var.apply_immediately
  allow_major_version_upgrade = var.allow_major_version_upgrade
  # During a major upgrade RDS applies this instance parameter group (of the new family) to every instance.
  db_instance_parameter_group_name = var.allow_major_version_upgrade ? aws_db_parameter_group.this.name : null
  engine_lifecycle_support         = var.engine_lifecycle_support

  tags = local.tags

  timeouts {
    create = var.timeouts.create
    update = var.timeouts.update
    delete = var.timeouts.delete
  }

  lifecycle {
    # Set by aws_rds_global_cluster (source_db_cluster_identifier) when the global database is enabled.
    ignore_changes = [global_cluster_identifier]
  }

  # The log group must exist (with its retention and key) before RDS starts exporting to it; the
  # monitoring role must hold its policy before a Limitless cluster's Enhanced Monitoring starts.
  depends_on = [aws_cloudwatch_log_group.postgresql, aws_iam_role_policy_attachment.monitoring]
}

################################################################################
# Instances: a db.serverless writer and one reader per promotion tier. Each is its
# own resource with a generated identifier and create_before_destroy, so a
# replacement comes up before the instance it replaces goes away.
################################################################################

resource "aws_iam_role" "monitoring" {
  name_prefix = "${var.name}-monitoring-"
  description = "Enhanced Monitoring of Aurora ${var.name}"
  assume_role_policy = jsonencode({
    Version = "2012-10-17"
    Statement = [{
      Effect    = "Allow"
      Principal = { Service = "monitoring.rds.amazonaws.com" }
      Action    = "sts:AssumeRole"
      Condition = { StringEquals = { "aws:SourceAccount" = local.account_id } }
    }]
  })
  tags = local.tags
}

resource "aws_iam_role_policy_attachment" "monitoring" {
  role       = aws_iam_role.monitoring.name
  policy_arn = "arn:${local.partition}:iam::aws:policy/service-role/AmazonRDSEnhancedMonitoringRole"
}

# The instances' own parameter group, of the engine's family: a major upgrade creates the new family's
# group first (name_prefix, create_before_destroy) and the cluster applies it (db_instance_parameter_group_name).
resource "aws_db_parameter_group" "this" {
  name_prefix = "${var.name}-instance-"
  family      = "aurora-postgresql${local.engine_major}"
  description = "Aurora ${var.name} (PostgreSQL ${local.engine_major}) instance parameters"

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

resource "aws_rds_cluster_instance" "this" {
  for_each = local.instances

  identifier_prefix  = "${var.name}-${each.key}-"
  cluster_identifier = aws_rds_cluster.this.id
  engine             = aws_rds_cluster.this.engine
  instance_class     = "db.serverless"
  promotion_tier     = each.value.promotion_tier

  db_subnet_group_name    = local.db_subnet_group_name
  db_parameter_group_name = aws_db_parameter_group.this.name
  ca_cert_identifier      = var.ca_cert_identifier
  publicly_accessible     = false
  copy_tags_to_snapshot   = true

  performance_insights_enabled          = true
  performance_insights_kms_key_id       = local.kms_key_arn
  performance_insights_retention_period = var.performance_insights_retention_period

  monitoring_interval = var.monitoring_interval
  monitoring_role_arn = aws_iam_role.monitoring.arn

  auto_minor_version_upgrade = var.auto_minor_version_upgrade
  apply_immediately          = var.apply_immediately

  tags = merge(local.tags, { Role = each.value.reader ? "reader" : "writer" })

  timeouts {
    create = var.timeouts.create
    update = var.timeouts.update
    delete = var.timeouts.delete
  }

  lifecycle {
    create_before_destroy = true
  }

  depends_on = [aws_iam_role_policy_attachment.monitoring]
}

################################################################################
# Rotation schedule of the RDS-managed master secret (RDS rotates it every 7 days
# unless told otherwise); not in a global database (the secret is the module's own)
################################################################################

resource "aws_secretsmanager_secret_rotation" "master" {
  #checkov:skip=CKV_AWS_304:Optional schedule of the RDS-managed secret, which RDS rotates every 7 days unless this resource exists; checkov cannot resolve the caller's schedule (validated in variables.tf).
  count = var.master_user_password_rotation != null && !local.own_master_secret ? 1 : 0

  secret_id          = aws_rds_cluster.this.master_user_secret[0].secret_arn
  rotate_immediately = var.master_user_password_rotation.rotate_immediately

  rotation_rules {
    automatically_after_days = var.master_user_password_rotation.automatically_after_days
    schedule_expression      = var.master_user_password_rotation.schedule_expression
    duration                 = var.master_user_password_rotation.duration
  }
}
