# Exactly the variables that generator/templates/terraform.tfvars.j2 writes to terraform.tfvars.
# Checks here are per value; rules that tie several values together (ACU and auto-pause, windows
# overlapping, proxy with min ACU 0, ...) are enforced by the module's own validation.

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
  description = "IPv4 CIDR blocks allowed to reach PostgreSQL (5432) on the proxy and the cluster; only inside 10.0.0.0/8, 172.16.0.0/12, 192.168.0.0/16 or 100.64.0.0/10."
  type        = list(string)

  validation {
    # Inside a private range r (prefix p): prefix at least p, and the network masked to p bits is r's.
    condition     = alltrue([for c in var.allowed_cidr_blocks : can(cidrnetmask(c)) && try(anytrue([for r in ["10.0.0.0/8", "172.16.0.0/12", "192.168.0.0/16", "100.64.0.0/10"] : tonumber(split("/", c)[1]) >= tonumber(split("/", r)[1]) && cidrsubnet("${cidrhost(c, 0)}/${split("/", r)[1]}", 0, 0) == r]), false)])
    error_message = "allowed_cidr_blocks must be IPv4 CIDR blocks inside the private ranges 10.0.0.0/8, 172.16.0.0/12, 192.168.0.0/16 or 100.64.0.0/10."
  }
}

variable "allowed_security_group_ids" {
  description = "Security groups (sg-...) whose members may reach PostgreSQL (5432) on the proxy and the cluster."
  type        = list(string)

  validation {
    condition     = alltrue([for s in var.allowed_security_group_ids : can(regex("^sg-[0-9a-f]+$", s))])
    error_message = "allowed_security_group_ids must hold security group IDs (sg- followed by hexadecimal digits)."
  }
}

################################################################################
# Serverless v2 capacity
################################################################################

variable "min_capacity" {
  description = "Minimum capacity in ACU (0-256, steps of 0.5; 0 = auto-pause, not with the proxy)."
  type        = number

  validation {
    condition     = var.min_capacity >= 0 && var.min_capacity <= 256 && floor(var.min_capacity * 2) == var.min_capacity * 2
    error_message = "min_capacity must be between 0 and 256 ACU in steps of 0.5."
  }
}

variable "max_capacity" {
  description = "Maximum capacity in ACU (1-256, steps of 0.5, at least min_capacity); fixes max_connections."
  type        = number

  validation {
    condition     = var.max_capacity >= 1 && var.max_capacity <= 256 && floor(var.max_capacity * 2) == var.max_capacity * 2
    error_message = "max_capacity must be between 1 and 256 ACU in steps of 0.5."
  }
}

variable "seconds_until_auto_pause" {
  description = "Idle seconds before pausing (300-86400); used only when min_capacity is 0."
  type        = number
  nullable    = true

  validation {
    condition     = var.seconds_until_auto_pause == null || try(var.seconds_until_auto_pause >= 300 && var.seconds_until_auto_pause <= 86400, false)
    error_message = "seconds_until_auto_pause must be between 300 and 86400 seconds, or null."
  }
}

variable "reader_promotion_tiers" {
  description = "Promotion tier (0-15) of each reader; one db.serverless reader per element, [] for a writer only."
  type        = list(number)

  validation {
    condition     = length(var.reader_promotion_tiers) <= 15 && alltrue([for t in var.reader_promotion_tiers : t >= 0 && t <= 15 && floor(t) == t])
    error_message = "reader_promotion_tiers takes at most 15 whole tiers between 0 and 15."
  }
}

variable "storage_type" {
  description = "aurora (Standard) or aurora-iopt1 (I/O-Optimized)."
  type        = string

  validation {
    condition     = contains(["aurora", "aurora-iopt1"], var.storage_type)
    error_message = "storage_type must be aurora or aurora-iopt1."
  }
}

################################################################################
# Backups and recovery
################################################################################

variable "backup_retention_period" {
  description = "Days of point-in-time recovery (1-35)."
  type        = number

  validation {
    condition     = var.backup_retention_period >= 1 && var.backup_retention_period <= 35 && floor(var.backup_retention_period) == var.backup_retention_period
    error_message = "backup_retention_period must be a whole number of days between 1 and 35."
  }
}

variable "preferred_backup_window" {
  description = "Daily backup window hh24:mi-hh24:mi (UTC), at least 30 minutes, outside the maintenance window."
  type        = string

  validation {
    condition     = can(regex("^([01][0-9]|2[0-3]):[0-5][0-9]-([01][0-9]|2[0-3]):[0-5][0-9]$", var.preferred_backup_window))
    error_message = "preferred_backup_window must look like hh24:mi-hh24:mi, e.g. 03:00-04:00."
  }
}

variable "preferred_maintenance_window" {
  description = "Weekly maintenance window ddd:hh24:mi-ddd:hh24:mi (UTC), at least 30 minutes."
  type        = string

  validation {
    condition     = can(regex("^(mon|tue|wed|thu|fri|sat|sun):([01][0-9]|2[0-3]):[0-5][0-9]-(mon|tue|wed|thu|fri|sat|sun):([01][0-9]|2[0-3]):[0-5][0-9]$", var.preferred_maintenance_window))
    error_message = "preferred_maintenance_window must look like ddd:hh24:mi-ddd:hh24:mi, e.g. sun:05:00-sun:06:00."
  }
}

variable "snapshot_schedule" {
  description = "AWS Backup snapshot retention: daily snapshots kept N days, weekly N weeks, monthly N months (0 weeks/months: no such rule)."
  type = object({
    daily_retention_days     = number
    weekly_retention_weeks   = number
    monthly_retention_months = number
  })

  validation {
    condition = (var.snapshot_schedule.daily_retention_days >= 1 &&
      var.snapshot_schedule.weekly_retention_weeks >= 0 &&
      var.snapshot_schedule.monthly_retention_months >= 0 &&
    alltrue([for v in values(var.snapshot_schedule) : floor(v) == v]))
    error_message = "snapshot_schedule needs whole numbers: daily_retention_days at least 1, weeks and months 0 or more."
  }
}

variable "backup_cross_region_copy" {
  description = "Copy each AWS Backup recovery point to a vault in dr_region."
  type        = bool
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

  validation {
    condition     = var.proxy_max_connections_percent >= 1 && var.proxy_max_connections_percent <= 100
    error_message = "proxy_max_connections_percent must be between 1 and 100."
  }
}

variable "proxy_max_idle_connections_percent" {
  description = "Share of max_connections the proxy keeps idle (0 to proxy_max_connections_percent)."
  type        = number

  validation {
    condition     = var.proxy_max_idle_connections_percent >= 0 && var.proxy_max_idle_connections_percent <= var.proxy_max_connections_percent
    error_message = "proxy_max_idle_connections_percent must be between 0 and proxy_max_connections_percent."
  }
}

variable "proxy_connection_borrow_timeout" {
  description = "Seconds a client waits for a pooled connection (0-3600)."
  type        = number

  validation {
    condition     = var.proxy_connection_borrow_timeout >= 0 && var.proxy_connection_borrow_timeout <= 3600
    error_message = "proxy_connection_borrow_timeout must be between 0 and 3600 seconds."
  }
}

variable "proxy_session_pinning_filters" {
  description = "Session pinning filters; the only one RDS Proxy has is EXCLUDE_VARIABLE_SETS."
  type        = list(string)

  validation {
    condition     = alltrue([for f in var.proxy_session_pinning_filters : f == "EXCLUDE_VARIABLE_SETS"])
    error_message = "proxy_session_pinning_filters may only contain EXCLUDE_VARIABLE_SETS."
  }
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

  validation {
    condition = (var.db_parameters.statement_timeout >= 0 &&
      var.db_parameters.idle_in_transaction_session_timeout >= 0 &&
      var.db_parameters.work_mem >= 64 &&
    var.db_parameters.maintenance_work_mem >= 1024)
    error_message = "db_parameters: timeouts 0 or more (ms), work_mem at least 64 kB, maintenance_work_mem at least 1024 kB."
  }
}

################################################################################
# Cost guardrails and sizing
################################################################################

variable "monthly_budget_usd" {
  description = "Monthly cost budget in USD (AWS Budgets, on the cluster's cost allocation tag); null for none."
  type        = number
  nullable    = true

  validation {
    condition     = var.monthly_budget_usd == null || try(var.monthly_budget_usd > 0, false)
    error_message = "monthly_budget_usd must be positive or null."
  }
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
  })

  validation {
    condition     = alltrue([for v in values(var.expected_load) : v >= 0])
    error_message = "expected_load values must be 0 or more."
  }
}
