# A complete call of the module with literal network IDs: `terraform validate` here validates the
# module with both provider configurations (a module with configuration_aliases can't be validated alone).

terraform {
  required_version = ">= 1.11.0"

  required_providers {
    aws = {
      source  = "hashicorp/aws"
      version = "~> 5.100"
    }
  }
}

provider "aws" {
  region = "us-east-1"
}

provider "aws" {
  alias  = "dr"
  region = "us-west-2"
}

# A global database cannot use the RDS-managed master secret: generate the password ephemerally.
ephemeral "aws_secretsmanager_random_password" "master" {
  password_length     = 40
  exclude_punctuation = true
}

module "aurora" {
  source = "../.."

  providers = {
    aws    = aws
    aws.dr = aws.dr
  }

  name        = "example-aurora"
  environment = "example"

  vpc_id                     = "vpc-0123456789abcdef0"
  subnet_ids                 = ["subnet-0123456789abcdef0", "subnet-0123456789abcdef1"]
  allowed_cidr_blocks        = ["10.0.0.0/16"]
  allowed_security_group_ids = ["sg-0123456789abcdef0"]

  min_capacity           = 2
  max_capacity           = 16
  reader_promotion_tiers = [1, 2]
  storage_type           = "aurora-iopt1"

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
  }

  db_parameters = {
    statement_timeout                   = 30000
    idle_in_transaction_session_timeout = 60000
    work_mem                            = 65536
  }

  # The alarm topic is the module's own (create_alarm_topic defaults to true): output alarm_topic_arn.
  monthly_budget_usd         = 1500
  budget_notification_emails = ["dba@example.com"]
  expected_load              = { pooled_connections = 390, writer_average_acu = 6 }

  master_password = ephemeral.aws_secretsmanager_random_password.master.random_password
  global_database = {
    enabled             = true
    vpc_id              = "vpc-0fedcba9876543210"
    subnet_ids          = ["subnet-0fedcba9876543210", "subnet-0fedcba9876543211"]
    allowed_cidr_blocks = ["10.1.0.0/16"]
  }
}

output "proxy_endpoint" {
  description = "Where applications connect (TLS, IAM auth)."
  value       = module.aurora.proxy_endpoint
}

output "alarm_topic_arn" {
  description = "SNS topic of the alarms and budget alerts, encrypted with the module's key: subscribe to it."
  value       = module.aurora.alarm_sns_topic_arn
}
