# Aurora PostgreSQL Limitless Database: when one Serverless v2 writer (256 ACU) or one cluster volume is no
# longer enough. The cluster has no instances; a DB shard group of routers and shards scales between
# min_acu and max_acu (max_acu 400 gives 2 routers and 2 shards at creation), with a compute standby per
# shard in another Availability Zone (compute_redundancy 1). Limitless takes only 16.X-limitless engine
# versions and I/O-Optimized storage, needs Performance Insights (31 days or more), Enhanced Monitoring and
# the PostgreSQL log in CloudWatch Logs (the module sets them), and supports neither RDS Proxy, readers,
# AWS Backup nor the RDS-managed master secret: the proxy and cross-region copies are off, and the master
# password comes in as an ephemeral variable that the module writes, write-only, to the cluster and its own
# KMS-encrypted secret.

provider "aws" {
  region = "us-east-2"
}

# Required by the module's interface; nothing is created there (no cross-region copies, no global database).
provider "aws" {
  alias  = "dr"
  region = "us-west-2"
}

# From a secret store at plan and apply time (TF_VAR_master_password), or generated inside the root with
#   ephemeral "aws_secretsmanager_random_password" "master" { password_length = 40, exclude_punctuation = true }
# (terraform test's mock providers cannot mock ephemeral resources, hence the variable here).
variable "master_password" {
  description = "Master password of the Limitless cluster (ephemeral: never stored)."
  type        = string
  sensitive   = true
  ephemeral   = true
}

module "aurora" {
  source = "../.."

  providers = {
    aws    = aws
    aws.dr = aws.dr
  }

  name        = "limitless-aurora"
  environment = "prod"

  vpc_id = "vpc-0123456789abcdef0"
  # Clients reach the shard group's routers through the cluster's security group (no proxy).
  subnet_ids                 = ["subnet-0123456789abcdef0", "subnet-0123456789abcdef1", "subnet-0123456789abcdef2"]
  allowed_security_group_ids = ["sg-0123456789abcdef0"]

  cluster_scalability_type = "limitless"
  engine_version           = "16.6-limitless"
  storage_type             = "aurora-iopt1"
  shard_group = {
    min_acu            = 16
    max_acu            = 400
    compute_redundancy = 1
  }
  master_password = var.master_password

  # The Serverless v2 range is unused without instances, but still validated.
  min_capacity = 2
  max_capacity = 16

  proxy                                 = { enabled = false }
  backup_cross_region_copy              = false
  backup_retention_period               = 14
  performance_insights_retention_period = 31

  monthly_budget_usd = 20000
}

output "shard_group_endpoint" {
  description = "Where clients connect: the shard group's routers (TLS required)."
  value       = module.aurora.shard_group_endpoint
}

output "master_user_secret_arn" {
  description = "The module's secret holding the master credentials."
  value       = module.aurora.master_user_secret_arn
}
