# Exactly the variables that generator/templates/terraform.tfvars.j2 writes to terraform.tfvars.
# Values passed straight to the module are validated there, once (ACU rules, windows, retention,
# proxy pool, CIDRs, parameters, budget); only what the module never sees is checked here.

################################################################################
# Environment and regions
################################################################################

variable "environment" {
  description = "Environment name: dev, staging or prod. Names the resources (mistersmith-<environment>)."
  type        = string

  validation {
    condition     = contains(["dev", "staging", "prod"], var.environment)
    error_message = "environment must be dev, staging or prod."
  }
}

variable "aws_region" {
  description = "Primary AWS region of the cluster."
  type        = string

  validation {
    condition     = can(regex("^[a-z]{2}(-gov)?-[a-z]+-[0-9]$", var.aws_region))
    error_message = "aws_region must be an AWS region name such as us-east-1."
  }
}

variable "dr_region" {
  description = "Disaster-recovery region receiving backup copies (provider alias aws.dr); must differ from aws_region."
  type        = string

  validation {
    condition     = can(regex("^[a-z]{2}(-gov)?-[a-z]+-[0-9]$", var.dr_region)) && var.dr_region != var.aws_region
    error_message = "dr_region must be an AWS region name different from aws_region."
  }
}

################################################################################
# Network
################################################################################

variable "vpc_name" {
  description = "Name tag of the VPC the cluster is placed in."
  type        = string

  validation {
    condition     = length(trimspace(var.vpc_name)) > 0
    error_message = "vpc_name must not be empty."
  }
}

variable "subnet_tier" {
  description = "Value of the Tier tag of the VPC's database subnets (at least two, in two Availability Zones)."
  type        = string

  validation {
    condition     = length(trimspace(var.subnet_tier)) > 0
    error_message = "subnet_tier must not be empty."
  }
}

variable "allowed_cidr_blocks" {
  description = "IPv4 CIDR blocks of the applications, allowed to reach PostgreSQL (5432) on the proxy (on the cluster only when the proxy is off); only inside 10.0.0.0/8, 172.16.0.0/12, 192.168.0.0/16 or 100.64.0.0/10."
  type        = list(string)
}

variable "allowed_security_group_ids" {
  description = "Security groups (sg-...) of the applications, whose members may reach PostgreSQL (5432) on the proxy (on the cluster only when the proxy is off)."
  type        = list(string)
}

################################################################################
# Topology: one Serverless v2 writer (standard) or Aurora PostgreSQL Limitless
# Database (limitless). These have defaults, standard mode's, so that a tfvars
# rendered before the topology setting plans as it did.
################################################################################

variable "cluster_scalability_type" {
  description = "standard (a Serverless v2 writer and its readers) or limitless (a DB shard group: needs shard_group, a 16.X-limitless engine_version, storage_type aurora-iopt1, proxy_enabled false, no readers, backup_cross_region_copy false and TF_VAR_master_password)."
  type        = string
  default     = "standard"
}

variable "shard_group" {
  description = "The Limitless DB shard group: max_acu 16-6144, min_acu at least 16 (null: AWS's default), compute_redundancy 0, 1 or 2 standbys per shard. Null in standard mode."
  type = object({
    max_acu            = number
    min_acu            = optional(number)
    compute_redundancy = optional(number, 1)
  })
  default = null
}

variable "engine_version" {
  description = "Aurora PostgreSQL engine version (major.minor, or 16.X-limitless in limitless mode). Null: the module's default."
  type        = string
  default     = null
}

# Never in the tfvars: from a secret store at plan and apply time (TF_VAR_master_password).
variable "master_password" {
  description = "Master password of a limitless cluster, which cannot use the RDS-managed secret (ephemeral: never in state or plan). Null in standard mode, where RDS manages it in Secrets Manager."
  type        = string
  default     = null
  sensitive   = true
  ephemeral   = true
}

################################################################################
# Serverless v2 capacity
################################################################################

variable "min_capacity" {
  description = "Minimum capacity in ACU (0-256, steps of 0.5; 0 = auto-pause, not with the proxy)."
  type        = number
}

variable "max_capacity" {
  description = "Maximum capacity in ACU (1-256, steps of 0.5, at least min_capacity); fixes max_connections."
  type        = number
}

variable "seconds_until_auto_pause" {
  description = "Idle seconds before pausing (300-86400); used only when min_capacity is 0."
  type        = number
  nullable    = true
}

variable "reader_promotion_tiers" {
  description = "Promotion tier (0-15) of each reader; one db.serverless reader per element, [] for a writer only."
  type        = list(number)
}

variable "storage_type" {
  description = "aurora (Standard) or aurora-iopt1 (I/O-Optimized)."
  type        = string
}

################################################################################
# Backups and recovery
################################################################################

variable "backup_retention_period" {
  description = "Days of point-in-time recovery (1-35)."
  type        = number
}

variable "preferred_backup_window" {
  description = "Daily backup window hh24:mi-hh24:mi (UTC), at least 30 minutes, outside the maintenance window."
  type        = string
}

variable "preferred_maintenance_window" {
  description = "Weekly maintenance window ddd:hh24:mi-ddd:hh24:mi (UTC), at least 30 minutes."
  type        = string
}

variable "snapshot_schedule" {
  description = "AWS Backup snapshot retention: daily snapshots kept N days, weekly N weeks, monthly N months (0 weeks/months: no such rule)."
  type = object({
    daily_retention_days     = number
    weekly_retention_weeks   = number
    monthly_retention_months = number
  })
}

variable "backup_cross_region_copy" {
  description = "Copy each AWS Backup recovery point to a vault in dr_region."
  type        = bool
}

variable "backup_cross_region_copy_rules" {
  description = "Backup rules (daily, weekly, monthly) whose recovery points are copied to dr_region."
  type        = list(string)
}

variable "deletion_protection" {
  description = "Protect the cluster from deletion."
  type        = bool
}

variable "skip_final_snapshot" {
  description = "Delete the cluster without a final snapshot (true only for throw-away environments)."
  type        = bool
}

################################################################################
# RDS Proxy
################################################################################

variable "proxy_enabled" {
  description = "Put an RDS Proxy (IAM auth required, TLS required) in front of the cluster."
  type        = bool
}

variable "proxy_max_connections_percent" {
  description = "Share of max_connections the proxy may open (1-100)."
  type        = number
}

variable "proxy_max_idle_connections_percent" {
  description = "Share of max_connections the proxy keeps idle (0 to proxy_max_connections_percent)."
  type        = number
}

variable "proxy_connection_borrow_timeout" {
  description = "Seconds a client waits for a pooled connection (0-3600)."
  type        = number
}

variable "proxy_session_pinning_filters" {
  description = "Session pinning filters; the only one RDS Proxy has is EXCLUDE_VARIABLE_SETS."
  type        = list(string)
}

################################################################################
# Cluster parameters (PostgreSQL units: ms and kB)
################################################################################

variable "db_parameters" {
  description = "statement_timeout and idle_in_transaction_session_timeout in ms, work_mem and maintenance_work_mem in kB."
  type = object({
    statement_timeout                   = number
    idle_in_transaction_session_timeout = number
    work_mem                            = number
    maintenance_work_mem                = number
  })
}

################################################################################
# Cost guardrails and sizing
################################################################################

variable "monthly_budget_usd" {
  description = "Monthly cost budget in USD (AWS Budgets, on the cluster's cost allocation tag); null for none."
  type        = number
  nullable    = true
}

variable "expected_load" {
  description = "The sizing model's load behind this environment: checked against max_connections and the ACU range, shown in outputs and alarm descriptions."
  type = object({
    agents                         = number
    pooled_connections             = number
    writer_average_acu             = number
    independent_reader_average_acu = number
    storage_gb                     = number
    io_requests_million_per_month  = number
    transfer_gb_per_month          = number
    shard_group_average_acu        = optional(number) # rendered only for a Limitless shard group
  })
}
