output "cluster_endpoint" {
  description = "Writer endpoint of the cluster."
  value       = module.aurora.cluster_endpoint
}

output "cluster_reader_endpoint" {
  description = "Reader endpoint of the cluster."
  value       = module.aurora.cluster_reader_endpoint
}

output "proxy_endpoint" {
  description = "RDS Proxy endpoint applications connect to (TLS and IAM authentication required); null without a proxy."
  value       = module.aurora.proxy_endpoint
}

output "master_user_secret_arn" {
  description = "Secrets Manager secret with the master credentials."
  value       = module.aurora.master_user_secret_arn
}

output "iam_auth_db_user_arn_prefix" {
  description = "rds-db:connect resource prefix (proxy when enabled, else cluster); append the database user name."
  value       = coalesce(module.aurora.proxy_iam_auth_db_user_arn_prefix, module.aurora.iam_auth_db_user_arn_prefix)
}

output "security_group_ids" {
  description = "Security groups of the cluster and of the proxy."
  value       = compact([module.aurora.security_group_id, module.aurora.proxy_security_group_id])
}

output "subnet_availability_zones" {
  description = "Availability Zones of the database subnets found by the Tier tag."
  value       = sort(local.subnet_azs)

  precondition {
    condition     = length(local.subnet_azs) >= 2
    error_message = "The subnets tagged Tier=${var.subnet_tier} in ${var.vpc_name} span ${length(local.subnet_azs)} Availability Zone(s); Aurora needs at least two."
  }
}

output "alarm_topic_arn" {
  description = "SNS topic receiving the alarms and budget alerts (subscribe to it)."
  value       = module.aurora.alarm_sns_topic_arn
}

output "backup" {
  description = "Backup vaults, plan and rules."
  value = {
    vault_arn    = module.aurora.backup_vault_arn
    dr_vault_arn = module.aurora.dr_backup_vault_arn
    plan_id      = module.aurora.backup_plan_id
    rules        = module.aurora.backup_rules
  }
}

output "sizing" {
  description = "Capacity, max_connections and the expected load from the sizing model."
  value       = module.aurora.sizing
}

output "shard_group_endpoint" {
  description = "Limitless mode: the DB shard group's endpoint clients connect to (its routers); null in standard mode."
  value       = module.aurora.shard_group_endpoint
}
