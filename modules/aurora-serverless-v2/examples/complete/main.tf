# Every feature of the module on one cluster (the global database has its own example): readers on both
# kinds of promotion tier, an analytics endpoint on the independent reader, reader auto scaling, RDS Proxy
# with a READ_ONLY endpoint and its own log group, Database Insights advanced, the Data API, IAM role
# associations, a rotation schedule for the master secret, an instance parameter group, IPv6 and prefix
# lists under the private-only rule, administrator security groups, AWS Backup with cross-region copies,
# alarms and a budget.

provider "aws" {
  region = "us-east-1"
}

provider "aws" {
  alias  = "dr"
  region = "us-west-2"
}

module "aurora" {
  source = "../.."

  providers = {
    aws    = aws
    aws.dr = aws.dr
  }

  name        = "example-aurora"
  environment = "example"
  tags        = { Team = "platform" }

  # Network: clients reach the proxy only; the cluster admits the proxy and the administrators.
  vpc_id                     = "vpc-0123456789abcdef0"
  subnet_ids                 = ["subnet-0123456789abcdef0", "subnet-0123456789abcdef1"]
  network_type               = "DUAL"
  allowed_cidr_blocks        = ["10.0.0.0/16"]
  allowed_ipv6_cidr_blocks   = ["fd00:10::/56"]
  allowed_prefix_list_ids    = ["pl-0123456789abcdef0"] # every entry must be private (checked at plan)
  allowed_security_group_ids = ["sg-0123456789abcdef0"]
  admin_security_group_ids   = ["sg-0abcdef0123456789"]

  engine_version           = "16.6"
  engine_lifecycle_support = "open-source-rds-extended-support-disabled"
  instance_parameters      = [{ name = "log_min_duration_statement", value = "500", apply_method = "immediate" }]
  ca_cert_identifier       = "rds-ca-rsa2048-g1"

  min_capacity           = 2
  max_capacity           = 16
  reader_promotion_tiers = [1, 2] # reader-1 follows the writer's capacity, reader-2 scales on its own
  storage_type           = "aurora-iopt1"

  endpoints = {
    analytics = { type = "READER", static_members = ["reader-2"] }
  }
  reader_autoscaling = { min_capacity = 2, max_capacity = 5, metric = "cpu", target_value = 70 }

  database_insights_mode                = "advanced"
  performance_insights_retention_period = 465
  enable_http_endpoint                  = true
  iam_role_associations                 = { s3Import = "arn:aws:iam::123456789012:role/example-aurora-s3-import" }
  master_user_password_rotation         = { automatically_after_days = 30, duration = "2h" }

  backup_retention_period      = 14
  preferred_backup_window      = "03:00-04:00"
  preferred_maintenance_window = "sun:05:00-sun:06:00"
  snapshot_schedule = {
    daily_retention_days     = 7
    weekly_retention_weeks   = 4
    monthly_retention_months = 12
  }

  proxy = {
    max_connections_percent      = 80
    max_idle_connections_percent = 50
    connection_borrow_timeout    = 120
    session_pinning_filters      = ["EXCLUDE_VARIABLE_SETS"]
    read_only_endpoint_enabled   = true
    log_retention_days           = 731
  }
  proxy_user_secret_arns = ["arn:aws:secretsmanager:us-east-1:123456789012:secret:example-aurora-app-AbCdEf"]

  db_parameters = {
    statement_timeout                   = 30000
    idle_in_transaction_session_timeout = 60000
    work_mem                            = 8192 # 8 MB x 390 pooled connections fits the 4 GiB at min 2 ACU
  }

  # The alarm topic is the module's own (create_alarm_topic defaults to true): output alarm_topic_arn.
  monthly_budget_usd         = 1500
  budget_notification_emails = ["dba@example.com"]
  expected_load              = { pooled_connections = 390, writer_average_acu = 6 }
}

output "proxy_endpoint" {
  description = "Where applications connect (TLS, IAM auth)."
  value       = module.aurora.proxy_endpoint
}

output "cluster_endpoints" {
  description = "Custom endpoints (analytics)."
  value       = module.aurora.cluster_endpoints
}

output "alarm_topic_arn" {
  description = "SNS topic of the alarms and budget alerts, encrypted with the module's key: subscribe to it."
  value       = module.aurora.alarm_sns_topic_arn
}
