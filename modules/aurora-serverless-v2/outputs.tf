################################################################################
# Cluster
################################################################################

output "cluster_id" {
  description = "Cluster identifier."
  value       = aws_rds_cluster.this.id
}

output "cluster_arn" {
  description = "Cluster ARN (the AWS Backup selection's resource)."
  value       = aws_rds_cluster.this.arn
}

output "cluster_resource_id" {
  description = "Cluster resource ID (cluster-...), used in rds-db:connect IAM policies."
  value       = aws_rds_cluster.this.cluster_resource_id
}

output "cluster_endpoint" {
  description = "Writer endpoint of the cluster."
  value       = aws_rds_cluster.this.endpoint
}

output "cluster_reader_endpoint" {
  description = "Reader endpoint of the cluster (the writer when there are no readers)."
  value       = aws_rds_cluster.this.reader_endpoint
}

output "port" {
  description = "PostgreSQL port."
  value       = local.port
}

output "database_name" {
  description = "Database created with the cluster."
  value       = aws_rds_cluster.this.database_name
}

output "engine_version" {
  description = "Engine version running (engine_version_actual)."
  value       = aws_rds_cluster.this.engine_version_actual
}

output "master_username" {
  description = "Master user name."
  value       = aws_rds_cluster.this.master_username
}

output "master_user_secret_arn" {
  description = "ARN of the Secrets Manager secret holding the master credentials (RDS-managed, or the module's own in a global database)."
  value       = local.master_secret_arn
}

output "iam_auth_db_user_arn_prefix" {
  description = "rds-db:connect resource prefix for IAM database authentication directly to the cluster; append the database user name."
  value       = "arn:${local.partition}:rds-db:${local.region}:${local.account_id}:dbuser:${aws_rds_cluster.this.cluster_resource_id}/"
}

output "instances" {
  description = "Instances by key (writer, reader-N): identifier, endpoint, promotion tier and whether it was created as a reader."
  value = { for k, v in aws_rds_cluster_instance.this : k => {
    identifier     = v.identifier
    arn            = v.arn
    endpoint       = v.endpoint
    promotion_tier = v.promotion_tier
    reader         = local.instances[k].reader
  } }
}

output "cluster_parameter_group_name" {
  description = "Name of the cluster parameter group."
  value       = aws_rds_cluster_parameter_group.this.name
}

output "cluster_parameters" {
  description = "Parameters set in the cluster parameter group (name => value)."
  value       = { for k, v in merge(local.query_log_parameters, local.cluster_parameters) : k => v.value }
}

output "db_subnet_group_name" {
  description = "DB subnet group of the cluster (the module's, or db_subnet_group_name)."
  value       = local.db_subnet_group_name
}

output "security_group_id" {
  description = "The module's security group of the cluster: admits the proxy and admin_security_group_ids (the clients themselves only without a proxy). Null with create_security_group = false."
  value       = try(aws_security_group.cluster[0].id, null)
}

output "cluster_security_group_ids" {
  description = "Every security group attached to the cluster (the module's and vpc_security_group_ids)."
  value       = local.cluster_security_group_ids
}

output "db_instance_parameter_group_name" {
  description = "Parameter group of the instances (family `aurora-postgresql<major>`)."
  value       = aws_db_parameter_group.this.name
}

output "cluster_endpoints" {
  description = "Custom endpoints by key (var.endpoints): identifier, address and type."
  value = { for k, e in aws_rds_cluster_endpoint.this : k => {
    identifier = e.cluster_endpoint_identifier
    endpoint   = e.endpoint
    type       = e.custom_endpoint_type
  } }
}

output "reader_autoscaling_policy_arn" {
  description = "ARN of the readers' target-tracking policy (null unless reader_autoscaling)."
  value       = try(aws_appautoscaling_policy.readers[0].arn, null)
}

output "proxy_log_group_name" {
  description = "CloudWatch log group of the RDS Proxy (null when disabled)."
  value       = try(aws_cloudwatch_log_group.proxy[0].name, null)
}

output "kms_key_arn" {
  description = "KMS key of the primary region (storage, secret, Performance Insights, logs, backups). Its policy lets CloudWatch alarms and AWS Budgets of this account use it for an encrypted SNS topic (the module's alarm topic)."
  value       = local.kms_key_arn
}

output "dr_kms_key_arn" {
  description = "KMS key of the DR region (null when neither cross-region copy nor the global database is on)."
  value       = local.dr_kms_key_arn
}

output "log_group_name" {
  description = "CloudWatch log group receiving the PostgreSQL log."
  value       = aws_cloudwatch_log_group.postgresql.name
}

output "monitoring_role_arn" {
  description = "IAM role of Enhanced Monitoring."
  value       = aws_iam_role.monitoring.arn
}

################################################################################
# Connections and sizing
################################################################################

output "max_connections" {
  description = "max_connections of every instance, fixed by max ACU (AWS's documented defaults interpolated, capped; lower cap when min ACU is low: limits.tf)."
  value       = local.max_connections
}

output "sizing" {
  description = "Capacity, connection limits and the expected load they were sized for."
  value = {
    min_capacity             = var.min_capacity
    max_capacity             = var.max_capacity
    seconds_until_auto_pause = local.seconds_until_auto_pause # what the cluster is sent
    instances                = length(local.instances)
    max_connections          = local.max_connections
    proxy_max_connections    = local.proxy_max_connections
    expected_load            = var.expected_load
    connection_headroom = var.expected_load.pooled_connections == null ? null : (
      (var.proxy.enabled ? local.proxy_max_connections : local.max_connections) - var.expected_load.pooled_connections
    )
    memory_gib_at_min_acu = local.memory_gib_at_min_acu
    # work_mem x pooled connections (null without both): check work_mem_fits_memory warns above memory_gib_at_min_acu.
    work_mem_exposure_gib = local.work_mem_exposure_gib
  }
}

################################################################################
# RDS Proxy
################################################################################

output "proxy_arn" {
  description = "ARN of the RDS Proxy (null when disabled)."
  value       = try(aws_db_proxy.this[0].arn, null)
}

output "proxy_endpoint" {
  description = "Read/write endpoint of the RDS Proxy (TLS and IAM authentication required; null when disabled)."
  value       = try(aws_db_proxy.this[0].endpoint, null)
}

output "proxy_read_only_endpoint" {
  description = "READ_ONLY endpoint of the RDS Proxy (null unless enabled)."
  value       = try(aws_db_proxy_endpoint.read_only[0].endpoint, null)
}

output "proxy_iam_auth_db_user_arn_prefix" {
  description = "rds-db:connect resource prefix for IAM authentication through the proxy; append the database user name (null when disabled)."
  value       = try("arn:${local.partition}:rds-db:${local.region}:${local.account_id}:dbuser:${element(split(":", aws_db_proxy.this[0].arn), 6)}/", null)
}

output "proxy_role_arn" {
  description = "IAM role the proxy uses to read the master secret."
  value       = try(aws_iam_role.proxy[0].arn, null)
}

output "proxy_security_group_id" {
  description = "Security group of the proxy, the clients' way in (list them in allowed_security_group_ids, allowed_cidr_blocks, allowed_ipv6_cidr_blocks or allowed_prefix_list_ids)."
  value       = try(aws_security_group.proxy[0].id, null)
}

################################################################################
# Backups and DR
################################################################################

output "backup_vault_arn" {
  description = "AWS Backup vault of the primary region."
  value       = aws_backup_vault.this.arn
}

output "dr_backup_vault_arn" {
  description = "AWS Backup vault in the DR region receiving the copies (null when cross-region copy is off)."
  value       = try(aws_backup_vault.dr[0].arn, null)
}

output "backup_plan_id" {
  description = "AWS Backup plan ID."
  value       = aws_backup_plan.this.id
}

output "backup_plan_arn" {
  description = "AWS Backup plan ARN."
  value       = aws_backup_plan.this.arn
}

output "backup_rules" {
  description = "Backup rules: name => schedule and days kept (in both regions when copying)."
  value       = { for r in local.backup_rules : r.name => { schedule = r.schedule, delete_after_days = r.days } }
}

output "backup_role_arn" {
  description = "IAM role AWS Backup uses for the cluster."
  value       = aws_iam_role.backup.arn
}

output "global_cluster_id" {
  description = "Global cluster identifier (null unless the global database is enabled)."
  value       = try(aws_rds_global_cluster.this[0].id, null)
}

output "secondary_cluster_endpoint" {
  description = "Endpoint of the DR-region secondary cluster (null unless the global database is enabled)."
  value       = try(aws_rds_cluster.secondary[0].endpoint, null)
}

################################################################################
# Monitoring and cost
################################################################################

output "alarm_arns" {
  description = "CloudWatch alarm ARNs by name."
  value = merge(
    { for a in concat(aws_cloudwatch_metric_alarm.capacity, aws_cloudwatch_metric_alarm.acu_utilization, aws_cloudwatch_metric_alarm.shard_group_capacity) : a.alarm_name => a.arn },
    { for a in values(aws_cloudwatch_metric_alarm.connections) : a.alarm_name => a.arn },
    { for a in values(aws_cloudwatch_metric_alarm.freeable_memory) : a.alarm_name => a.arn },
    { for a in values(aws_cloudwatch_metric_alarm.replica_lag) : a.alarm_name => a.arn },
  )
}

output "alarm_sns_topic_arn" {
  description = "SNS topic receiving the alarms (and OK) and budget alerts: the module's own (create_alarm_topic) or the one passed in; null when there is none. Subscribe to it."
  value       = local.alarm_topic_arn
}

output "budget_name" {
  description = "Name of the monthly cost budget (null when monthly_budget_usd is null)."
  value       = try(aws_budgets_budget.this[0].name, null)
}

################################################################################
# Limitless
################################################################################

output "cluster_scalability_type" {
  description = "standard (Serverless v2 instances) or limitless (a DB shard group)."
  value       = var.cluster_scalability_type
}

output "shard_group_id" {
  description = "Identifier of the Limitless DB shard group (null in standard mode)."
  value       = try(aws_rds_shard_group.this[0].db_shard_group_identifier, null)
}

output "shard_group_arn" {
  description = "ARN of the Limitless DB shard group (null in standard mode)."
  value       = try(aws_rds_shard_group.this[0].arn, null)
}

output "shard_group_endpoint" {
  description = "Endpoint of the Limitless DB shard group, where clients connect (its routers; TLS, IAM or password authentication). Null in standard mode."
  value       = try(aws_rds_shard_group.this[0].endpoint, null)
}

output "shard_group_capacity" {
  description = "The shard group's ACU range and compute redundancy as configured (null in standard mode)."
  value       = var.shard_group
}
