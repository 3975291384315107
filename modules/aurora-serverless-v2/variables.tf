################################################################################
# Naming and tagging
################################################################################

variable "name" {
  description = "Name of the cluster and prefix of every resource the module creates (cluster identifier, proxy, vault, alarms, ...). Lower-case letters, digits and hyphens, at most 24 characters so instance identifier prefixes stay within RDS's 63-character limit."
  type        = string

  validation {
    condition     = can(regex("^[a-z][a-z0-9-]{0,22}[a-z0-9]$", var.name)) && !strcontains(var.name, "--")
    error_message = "name must be 2-24 characters of lower-case letters, digits and single hyphens, start with a letter and not end with a hyphen."
  }
}

variable "environment" {
  description = "Environment the cluster belongs to (dev, staging, prod, ...): tagged on every resource and shown in alarm and budget names."
  type        = string

  validation {
    condition     = can(regex("^[a-z][a-z0-9-]{0,15}$", var.environment))
    error_message = "environment must be 1-16 lower-case letters, digits or hyphens, starting with a letter."
  }
}

variable "tags" {
  description = "Tags added to every resource (the module adds Environment and AuroraCluster)."
  type        = map(string)
  default     = {}
  nullable    = false
}

################################################################################
# Network
################################################################################

variable "vpc_id" {
  description = "ID of the VPC the cluster, its security groups and the proxy live in."
  type        = string

  validation {
    condition     = can(regex("^vpc-[0-9a-f]+$", var.vpc_id))
    error_message = "vpc_id must look like vpc-0123456789abcdef0."
  }
}

variable "subnet_ids" {
  description = "Private subnets (in at least two Availability Zones) for the module's DB subnet group and the RDS Proxy. May be empty only with create_db_subnet_group = false and no proxy."
  type        = list(string)
  default     = []
  nullable    = false

  validation {
    condition     = alltrue([for s in var.subnet_ids : can(regex("^subnet-[0-9a-f]+$", s))])
    error_message = "subnet_ids must hold subnet IDs (subnet-...)."
  }

  validation {
    condition     = length(distinct(var.subnet_ids)) >= 2 || (!var.create_db_subnet_group && !var.proxy.enabled)
    error_message = "subnet_ids needs at least two distinct subnet IDs, in at least two Availability Zones (for the module's DB subnet group and the proxy)."
  }
}

variable "create_db_subnet_group" {
  description = "Create the DB subnet group from subnet_ids. Set false to use an existing one (db_subnet_group_name)."
  type        = bool
  default     = true
  nullable    = false
}

variable "db_subnet_group_name" {
  description = "Name of an existing DB subnet group (with create_db_subnet_group = false), or the name of the one the module creates (null: the cluster name)."
  type        = string
  default     = null

  validation {
    condition     = var.db_subnet_group_name == null ? var.create_db_subnet_group : can(regex("^[a-z0-9][a-z0-9 ._-]{0,254}$", var.db_subnet_group_name))
    error_message = "db_subnet_group_name must be a DB subnet group name (lower-case letters, digits, spaces, dots, underscores, hyphens), and is required with create_db_subnet_group = false."
  }
}

variable "create_security_group" {
  description = "Create the cluster's security group (it admits the proxy and admin_security_group_ids, or the clients when there is no proxy). Set false to attach only vpc_security_group_ids: admitting the proxy (output proxy_security_group_id), or the clients without a proxy, is then yours (allowed_* must then be empty)."
  type        = bool
  default     = true
  nullable    = false

  validation {
    # Without the module's group and without a proxy, no rule of the module would admit them.
    condition = var.create_security_group || var.proxy.enabled || length(concat(
      var.allowed_cidr_blocks, var.allowed_ipv6_cidr_blocks, var.allowed_prefix_list_ids, var.allowed_security_group_ids,
    )) == 0
    error_message = "create_security_group = false without a proxy leaves allowed_cidr_blocks, allowed_ipv6_cidr_blocks, allowed_prefix_list_ids and allowed_security_group_ids unused: admit the clients in your vpc_security_group_ids and leave them empty, or keep create_security_group = true."
  }
}

variable "vpc_security_group_ids" {
  description = "Existing security groups attached to the cluster, besides the module's own (or instead of it, with create_security_group = false)."
  type        = list(string)
  default     = []
  nullable    = false

  validation {
    condition     = alltrue([for s in var.vpc_security_group_ids : can(regex("^sg-[0-9a-f]+$", s))])
    error_message = "vpc_security_group_ids must hold security group IDs (sg-...)."
  }

  validation {
    condition     = var.create_security_group || length(var.vpc_security_group_ids) > 0
    error_message = "create_security_group = false needs at least one security group in vpc_security_group_ids."
  }
}

variable "allowed_security_group_ids" {
  description = "Security groups of the applications: admitted by the RDS Proxy when it is enabled (and then never by the cluster itself, so clients cannot skip the proxy's IAM authentication), by the cluster otherwise."
  type        = list(string)
  default     = []
  nullable    = false

  validation {
    condition     = alltrue([for s in var.allowed_security_group_ids : can(regex("^sg-[0-9a-f]+$", s))])
    error_message = "allowed_security_group_ids must hold security group IDs (sg-...)."
  }
}

variable "admin_security_group_ids" {
  description = "Security groups of administrators (bastions, migration runners) the cluster's security group admits directly on its port, besides the proxy. Explicit and empty by default: applications go through the proxy."
  type        = list(string)
  default     = []
  nullable    = false

  validation {
    condition     = alltrue([for s in var.admin_security_group_ids : can(regex("^sg-[0-9a-f]+$", s))])
    error_message = "admin_security_group_ids must hold security group IDs (sg-...)."
  }

  validation {
    condition     = var.create_security_group || length(var.admin_security_group_ids) == 0
    error_message = "admin_security_group_ids needs create_security_group = true (the rules go into the module's security group)."
  }
}

variable "allowed_cidr_blocks" {
  description = "IPv4 CIDR blocks of clients: admitted by the RDS Proxy when it is enabled, by the cluster otherwise. Only blocks inside the private ranges (10.0.0.0/8, 172.16.0.0/12, 192.168.0.0/16, 100.64.0.0/10) are accepted."
  type        = list(string)
  default     = []
  nullable    = false

  validation {
    # c lies inside the private range r (prefix p) when its prefix is at least p and its network address,
    # masked to p bits (cidrsubnet of a.b.c.d/p returns the network), is r's.
    condition     = alltrue([for c in var.allowed_cidr_blocks : can(cidrnetmask(c)) && try(anytrue([for r in local.private_ipv4_ranges : tonumber(split("/", c)[1]) >= tonumber(split("/", r)[1]) && cidrsubnet("${cidrhost(c, 0)}/${split("/", r)[1]}", 0, 0) == r]), false)])
    error_message = "allowed_cidr_blocks must be IPv4 CIDR blocks (a.b.c.d/n) inside the private ranges ${join(", ", local.private_ipv4_ranges)}: public addresses (0.0.0.0/0, 8.8.8.0/24, ...) are refused."
  }
}

variable "allowed_ipv6_cidr_blocks" {
  description = "IPv6 CIDR blocks of clients (network_type DUAL), admitted like allowed_cidr_blocks. Only blocks inside the unique local range (fc00::/7) are accepted."
  type        = list(string)
  default     = []
  nullable    = false

  validation {
    # As for IPv4: inside r when the prefix is at least r's and the address masked to r's prefix is r.
    condition     = alltrue([for c in var.allowed_ipv6_cidr_blocks : strcontains(c, ":") && can(cidrhost(c, 0)) && try(anytrue([for r in local.private_ipv6_ranges : tonumber(split("/", c)[1]) >= tonumber(split("/", r)[1]) && cidrsubnet("${cidrhost(c, 0)}/${split("/", r)[1]}", 0, 0) == r]), false)])
    error_message = "allowed_ipv6_cidr_blocks must be IPv6 CIDR blocks inside ${join(", ", local.private_ipv6_ranges)}: public addresses (::/0, 2001:db8::/32, ...) are refused."
  }

  validation {
    condition     = length(var.allowed_ipv6_cidr_blocks) == 0 || var.network_type == "DUAL"
    error_message = "allowed_ipv6_cidr_blocks needs network_type = \"DUAL\"."
  }
}

variable "allowed_prefix_list_ids" {
  description = "Managed prefix lists (pl-...) of clients, admitted like allowed_cidr_blocks. Every entry must lie inside the private ranges: the module reads each list and fails the plan otherwise."
  type        = list(string)
  default     = []
  nullable    = false

  validation {
    condition     = alltrue([for p in var.allowed_prefix_list_ids : can(regex("^pl-[0-9a-f]+$", p))])
    error_message = "allowed_prefix_list_ids must hold managed prefix list IDs (pl-...)."
  }
}

variable "network_type" {
  description = "Network type of the cluster: IPV4 or DUAL (IPv4 and IPv6; the subnets need IPv6 CIDRs). Null: the provider's default (IPV4)."
  type        = string
  default     = null

  validation {
    condition     = var.network_type == null || contains(["IPV4", "DUAL"], coalesce(var.network_type, "-"))
    error_message = "network_type must be IPV4, DUAL or null."
  }
}

variable "port" {
  description = "Port the cluster listens on (1150-65535). Null: 5432. RDS Proxy for PostgreSQL always listens on 5432 and reaches the cluster on this port."
  type        = number
  default     = null

  validation {
    condition     = var.port == null || try(var.port >= local.aws_limits.rds.port.min && var.port <= local.aws_limits.rds.port.max && floor(var.port) == var.port, false)
    error_message = "port must be a whole number between ${local.aws_limits.rds.port.min} and ${local.aws_limits.rds.port.max}, or null (${local.aws_limits.rds.port.default})."
  }
}

################################################################################
# Engine and capacity
################################################################################

variable "engine_version" {
  description = "Aurora PostgreSQL engine version, major.minor. Minimum capacity 0 (auto-pause) needs 13.15+, 14.12+, 15.7+ or 16.3+."
  type        = string
  default     = "16.6"
  nullable    = false

  validation {
    condition     = can(regex("^(1[3-9]|[2-9][0-9])\\.[0-9]+$", var.engine_version)) || can(regex(local.limitless_engine_version_pattern, var.engine_version))
    error_message = "engine_version must be major.minor with major 13 or later, e.g. 16.6 (or a Limitless version such as 16.6-limitless)."
  }

  validation {
    # Aurora PostgreSQL Limitless Database runs only its own 16.X-limitless versions, and they run nothing else.
    condition     = can(regex(local.limitless_engine_version_pattern, var.engine_version)) == (var.cluster_scalability_type == "limitless")
    error_message = var.cluster_scalability_type == "limitless" ? "engine_version ${var.engine_version} is not a Limitless version: Aurora PostgreSQL Limitless Database runs only its 16.X${local.limitless_limits.cluster.engine_version_suffix} versions, e.g. 16.6${local.limitless_limits.cluster.engine_version_suffix} (${local.limitless_limits.sources.requirements})." : "engine_version ${var.engine_version} is a Limitless version: it needs cluster_scalability_type = \"limitless\" (and a shard_group)."
  }
}

variable "cluster_scalability_type" {
  description = "standard: a Serverless v2 writer with its readers (db.serverless instances). limitless: Aurora PostgreSQL Limitless Database, a DB shard group of routers and shards (shard_group) and no instances; it needs a 16.X-limitless engine_version, storage_type aurora-iopt1 and master_password, and refuses what Limitless does not support (RDS Proxy, readers, global database, AWS Backup copies, custom endpoints, Data API, ...: README, Limitless mode). Fixed at creation: changing it replaces the cluster."
  type        = string
  default     = "standard"
  nullable    = false

  validation {
    condition     = contains(["standard", "limitless"], var.cluster_scalability_type)
    error_message = "cluster_scalability_type must be standard or limitless."
  }

  validation {
    # AWS Secrets Manager (the RDS-managed master password) is not supported in Limitless: the password
    # comes in as in a global database, write-only, and the module keeps it in its own secret.
    condition     = var.cluster_scalability_type != "limitless" || var.master_password != null
    error_message = "cluster_scalability_type limitless needs master_password: AWS Secrets Manager (the RDS-managed master password) is not supported in Aurora PostgreSQL Limitless Database (${local.limitless_limits.sources.requirements}), so the module writes the password (write-only, never in state) to the cluster and to its own KMS-encrypted secret."
  }
}

variable "shard_group" {
  description = "The DB shard group of a Limitless cluster (cluster_scalability_type = \"limitless\"; null otherwise): max_acu 16-6144 (it also fixes the initial routers and shards), min_acu at least 16 and at most max_acu (null: AWS's default for max_acu), compute_redundancy 0 (no standby), 1 (a standby per shard in another AZ) or 2 (two standbys: a subnet group in at least three AZs). Standbys double or triple the shards' cost."
  type = object({
    max_acu            = number
    min_acu            = optional(number)
    compute_redundancy = optional(number, 1)
  })
  default = null

  validation {
    condition     = (var.shard_group != null) == (var.cluster_scalability_type == "limitless")
    error_message = var.cluster_scalability_type == "limitless" ? "cluster_scalability_type limitless needs a shard_group (max_acu, min_acu, compute_redundancy): a Limitless cluster's capacity is its DB shard group's." : "shard_group is set but cluster_scalability_type is standard: a DB shard group exists only in a Limitless cluster (cluster_scalability_type = \"limitless\")."
  }

  validation {
    condition     = var.shard_group == null || try(var.shard_group.max_acu >= local.limitless_limits.shard_group.min_acu_floor && var.shard_group.max_acu <= local.limitless_limits.shard_group.max_acu_ceiling, false)
    error_message = "shard_group.max_acu must be between ${local.limitless_limits.shard_group.min_acu_floor} and ${local.limitless_limits.shard_group.max_acu_ceiling} ACU (AWS: larger limits only on request)."
  }

  validation {
    # (HCL's || evaluates both sides: a null min_acu stands for the floor, which the max_acu rule holds.)
    condition     = var.shard_group == null || try(coalesce(var.shard_group.min_acu, local.limitless_limits.shard_group.min_acu_floor) >= local.limitless_limits.shard_group.min_acu_floor && coalesce(var.shard_group.min_acu, local.limitless_limits.shard_group.min_acu_floor) <= var.shard_group.max_acu, false)
    error_message = "shard_group.min_acu must be at least ${local.limitless_limits.shard_group.min_acu_floor} ACU and at most shard_group.max_acu, or null (AWS's default for the max)."
  }

  validation {
    condition     = var.shard_group == null || try(contains(local.limitless_limits.shard_group.compute_redundancy_values, var.shard_group.compute_redundancy), false)
    error_message = "shard_group.compute_redundancy must be ${join(", ", local.limitless_limits.shard_group.compute_redundancy_values)} (no standby, one or two compute standbys per shard)."
  }

  validation {
    # AWS: compute redundancy 2 places two standbys in two other AZs.
    condition     = var.shard_group == null || try(var.shard_group.compute_redundancy != 2 || !var.create_db_subnet_group || length(distinct(var.subnet_ids)) >= 3, false)
    error_message = "shard_group.compute_redundancy 2 needs a DB subnet group in at least three Availability Zones: give at least three subnet_ids (one per AZ)."
  }
}

variable "database_name" {
  description = "Name of the database created with the cluster."
  type        = string
  default     = "mistersmith"
  nullable    = false

  validation {
    condition     = can(regex("^[a-z][a-z0-9_]{0,62}$", var.database_name))
    error_message = "database_name must start with a letter and hold at most 63 lower-case letters, digits or underscores."
  }
}

variable "master_username" {
  description = "Master user name. Its password is generated and rotated by RDS in Secrets Manager (manage_master_user_password), encrypted with the module's KMS key."
  type        = string
  default     = "mistersmith_admin"
  nullable    = false

  validation {
    condition     = can(regex("^[a-z][a-z0-9_]{0,62}$", var.master_username))
    error_message = "master_username must start with a letter and hold at most 63 lower-case letters, digits or underscores."
  }

  validation {
    condition = !contains(concat(
      local.reserved_master_usernames.rds_roles, local.reserved_master_usernames.role_names, local.reserved_master_usernames.key_words,
    ), var.master_username) && !startswith(var.master_username, local.reserved_master_usernames.role_prefix)
    error_message = "master_username is reserved in Aurora PostgreSQL: an RDS role (${join(", ", local.reserved_master_usernames.rds_roles)}), public, none, a name starting with ${local.reserved_master_usernames.role_prefix}, or a PostgreSQL reserved key word (limits.tf)."
  }
}

variable "master_password" {
  description = "Master password, only for a global database (global_database.enabled) or a Limitless cluster (cluster_scalability_type = \"limitless\"), where RDS cannot manage it in Secrets Manager. Ephemeral: pass e.g. ephemeral.aws_secretsmanager_random_password.x.random_password; it is never stored in state. Ignored otherwise."
  type        = string
  default     = null
  sensitive   = true
  ephemeral   = true
}

variable "master_password_version" {
  description = "Version of master_password (global database or Limitless only): the password is write-only, so Terraform sends it to the cluster and the module's secret only when this number changes. To rotate, pass a new master_password and raise this by one. Ignored otherwise."
  type        = number
  default     = 1
  nullable    = false

  validation {
    condition     = var.master_password_version >= 1 && floor(var.master_password_version) == var.master_password_version
    error_message = "master_password_version must be a whole number, 1 or more."
  }
}

variable "min_capacity" {
  description = "Minimum Serverless v2 capacity in ACU: 0 to 256 in steps of 0.5. 0 means auto-pause, which needs seconds_until_auto_pause, an engine version with auto-pause, and no RDS Proxy."
  type        = number

  validation {
    condition     = var.min_capacity >= local.aws_limits.acu.auto_pause_min && var.min_capacity <= local.aws_limits.acu.max && floor(var.min_capacity / local.aws_limits.acu.step) == var.min_capacity / local.aws_limits.acu.step
    error_message = "min_capacity must be between ${local.aws_limits.acu.auto_pause_min} and ${local.aws_limits.acu.max} ACU in steps of ${local.aws_limits.acu.step}."
  }

  validation {
    condition = var.min_capacity > 0 || (
      var.seconds_until_auto_pause != null &&
      (local.engine_major > local.auto_pause_last_major || local.engine_minor >= lookup(local.auto_pause_min_minor, tostring(local.engine_major), 1000))
    )
    error_message = "min_capacity 0 (auto-pause) needs seconds_until_auto_pause and engine version ${local.auto_pause_description} (or a later major)."
  }

  validation {
    condition     = !(var.min_capacity == 0 && var.proxy.enabled)
    error_message = "min_capacity 0 (auto-pause) is incompatible with RDS Proxy: raise min_capacity to at least ${local.aws_limits.acu.min} or disable the proxy."
  }

  validation {
    condition     = !(var.min_capacity == 0 && var.cluster_scalability_type == "limitless")
    error_message = "min_capacity 0 (auto-pause) is not available in Aurora PostgreSQL Limitless Database: a DB shard group never pauses; its floor is shard_group.min_acu."
  }
}

variable "max_capacity" {
  description = "Maximum Serverless v2 capacity in ACU: 1 to 256 in steps of 0.5, at least min_capacity. It also fixes max_connections (computed from the memory at max ACU)."
  type        = number

  validation {
    condition     = var.max_capacity >= local.aws_limits.acu.max_floor && var.max_capacity <= local.aws_limits.acu.max && floor(var.max_capacity / local.aws_limits.acu.step) == var.max_capacity / local.aws_limits.acu.step
    error_message = "max_capacity must be between ${local.aws_limits.acu.max_floor} and ${local.aws_limits.acu.max} ACU in steps of ${local.aws_limits.acu.step}."
  }

  validation {
    condition     = var.max_capacity >= var.min_capacity
    error_message = "max_capacity must be greater than or equal to min_capacity."
  }
}

variable "seconds_until_auto_pause" {
  description = "Idle seconds before a cluster with min_capacity 0 pauses (300-86400). Ignored (not sent) when min_capacity is above 0."
  type        = number
  default     = null

  validation {
    condition     = var.seconds_until_auto_pause == null || try(var.seconds_until_auto_pause >= local.aws_limits.acu.seconds_until_auto_pause.min && var.seconds_until_auto_pause <= local.aws_limits.acu.seconds_until_auto_pause.max && floor(var.seconds_until_auto_pause) == var.seconds_until_auto_pause, false)
    error_message = "seconds_until_auto_pause must be a whole number of seconds between ${local.aws_limits.acu.seconds_until_auto_pause.min} and ${local.aws_limits.acu.seconds_until_auto_pause.max}, or null."
  }
}

variable "reader_promotion_tiers" {
  description = "One db.serverless reader per element, with that promotion tier (0-15). Tiers 0-1 follow the writer's capacity; 2-15 scale on their own load. Empty: writer only."
  type        = list(number)
  default     = []
  nullable    = false

  validation {
    condition     = length(var.reader_promotion_tiers) <= local.aws_limits.readers_max && alltrue([for t in var.reader_promotion_tiers : t >= local.aws_limits.reader_promotion_tier.min && t <= local.aws_limits.reader_promotion_tier.max && floor(t) == t])
    error_message = "reader_promotion_tiers takes at most ${local.aws_limits.readers_max} readers, each with a whole promotion tier between ${local.aws_limits.reader_promotion_tier.min} and ${local.aws_limits.reader_promotion_tier.max}."
  }

  validation {
    condition     = var.cluster_scalability_type != "limitless" || length(var.reader_promotion_tiers) == 0
    error_message = "reader_promotion_tiers must be empty with cluster_scalability_type limitless: an Aurora PostgreSQL Limitless Database cluster has no writer or reader DB instances and read replicas are not supported (${local.limitless_limits.sources.requirements})."
  }
}

variable "storage_type" {
  description = "Aurora storage configuration: aurora (Standard, I/O billed per request) or aurora-iopt1 (I/O-Optimized). Null sends none (AWS then uses Standard, and a later change back from aurora-iopt1 would not be made): only for emulators that cannot model Aurora storage types."
  type        = string
  default     = "aurora"

  validation {
    condition     = var.storage_type == null || contains(["aurora", "aurora-iopt1"], coalesce(var.storage_type, "-"))
    error_message = "storage_type must be aurora or aurora-iopt1."
  }

  validation {
    condition     = var.cluster_scalability_type != "limitless" || var.storage_type == local.limitless_limits.cluster.storage_type
    error_message = "storage_type must be ${local.limitless_limits.cluster.storage_type} with cluster_scalability_type limitless: Aurora PostgreSQL Limitless Database supports only the I/O-Optimized storage configuration (${local.limitless_limits.sources.requirements})."
  }
}

variable "apply_immediately" {
  description = "Apply modifications now instead of in the maintenance window. Off by default so changes never restart every instance at once outside the window."
  type        = bool
  default     = false
  nullable    = false
}

variable "auto_minor_version_upgrade" {
  description = "Let RDS apply minor engine upgrades in the maintenance window."
  type        = bool
  default     = true
  nullable    = false
}

################################################################################
# Encryption
################################################################################

variable "kms_key_arn" {
  description = "ARN of an existing customer-managed KMS key in the primary region for storage, the master secret, Performance Insights, logs, backups and the alarm topic. Its policy must admit CloudWatch Logs for the cluster's and proxy's log groups, and CloudWatch and AWS Budgets for the alarm topic, as the module's own key does (README: Secrets and keys). Null: the module creates one with rotation."
  type        = string
  default     = null

  validation {
    condition     = var.kms_key_arn == null || can(regex("^arn:aws[a-z-]*:kms:[a-z0-9-]+:[0-9]{12}:key/.+$", var.kms_key_arn))
    error_message = "kms_key_arn must be a KMS key ARN (arn:aws:kms:<region>:<account>:key/<id>) or null."
  }
}

variable "dr_kms_key_arn" {
  description = "ARN of an existing customer-managed KMS key in the DR region (cross-region backup copies, global database secondary). Null: the module creates one there with rotation when needed."
  type        = string
  default     = null

  validation {
    condition     = var.dr_kms_key_arn == null || can(regex("^arn:aws[a-z-]*:kms:[a-z0-9-]+:[0-9]{12}:key/.+$", var.dr_kms_key_arn))
    error_message = "dr_kms_key_arn must be a KMS key ARN or null."
  }
}

variable "kms_key_deletion_window_in_days" {
  description = "Waiting period before a key the module created is deleted (7-30 days)."
  type        = number
  default     = 30
  nullable    = false

  validation {
    condition     = var.kms_key_deletion_window_in_days >= 7 && var.kms_key_deletion_window_in_days <= 30
    error_message = "kms_key_deletion_window_in_days must be between 7 and 30."
  }
}

################################################################################
# Backups, snapshots and protection
################################################################################

variable "backup_retention_period" {
  description = "Days of continuous backup (point-in-time restore), 1-35."
  type        = number
  default     = 7
  nullable    = false

  validation {
    condition     = var.backup_retention_period >= local.aws_limits.backup.retention_days.min && var.backup_retention_period <= local.aws_limits.backup.retention_days.max && floor(var.backup_retention_period) == var.backup_retention_period
    error_message = "backup_retention_period must be a whole number of days between ${local.aws_limits.backup.retention_days.min} and ${local.aws_limits.backup.retention_days.max}."
  }
}

variable "preferred_backup_window" {
  description = "Daily automated backup window, hh24:mi-hh24:mi in UTC: at least 30 minutes and not overlapping preferred_maintenance_window."
  type        = string
  default     = "03:00-04:00"
  nullable    = false

  validation {
    condition     = can(regex(local.backup_window_pattern, var.preferred_backup_window))
    error_message = "preferred_backup_window must look like hh24:mi-hh24:mi (UTC), e.g. 03:00-04:00."
  }

  validation {
    # Minutes from start to end, across midnight when the end is earlier.
    # (HCL's || evaluates both sides: try() keeps a malformed value to the format rule's message.)
    condition = !can(regex(local.backup_window_pattern, var.preferred_backup_window)) || try((
      tonumber(substr(var.preferred_backup_window, 6, 2)) * 60 + tonumber(substr(var.preferred_backup_window, 9, 2)) + 1440 -
      tonumber(substr(var.preferred_backup_window, 0, 2)) * 60 - tonumber(substr(var.preferred_backup_window, 3, 2))
    ) % 1440 >= local.aws_limits.backup.window_min_minutes, false)
    error_message = "preferred_backup_window must last at least ${local.aws_limits.backup.window_min_minutes} minutes."
  }

  validation {
    # The daily window placed on each day of the week, against the weekly maintenance window: two
    # intervals on the 10080-minute week overlap when either one's start lies inside the other.
    condition = !can(regex(local.backup_window_pattern, var.preferred_backup_window)) || local.maintenance_window_start == null || try(alltrue([
      for b in [{
        start = tonumber(substr(var.preferred_backup_window, 0, 2)) * 60 + tonumber(substr(var.preferred_backup_window, 3, 2))
        minutes = (tonumber(substr(var.preferred_backup_window, 6, 2)) * 60 + tonumber(substr(var.preferred_backup_window, 9, 2)) + 1440 -
        tonumber(substr(var.preferred_backup_window, 0, 2)) * 60 - tonumber(substr(var.preferred_backup_window, 3, 2))) % 1440
        }] : !anytrue([for d in range(7) : (
          ((local.maintenance_window_start - (d * 1440 + b.start)) % 10080 + 10080) % 10080 < b.minutes ||
          (((d * 1440 + b.start) - local.maintenance_window_start) % 10080 + 10080) % 10080 < local.maintenance_window_minutes
      )])
    ]), false)
    error_message = "preferred_backup_window must not overlap preferred_maintenance_window."
  }
}

variable "preferred_maintenance_window" {
  description = "Weekly maintenance window, ddd:hh24:mi-ddd:hh24:mi in UTC (lower-case days), at least 30 minutes."
  type        = string
  default     = "sun:05:00-sun:06:00"
  nullable    = false

  validation {
    condition     = can(regex(local.maintenance_window_pattern, var.preferred_maintenance_window))
    error_message = "preferred_maintenance_window must look like ddd:hh24:mi-ddd:hh24:mi (UTC, mon..sun), e.g. sun:05:00-sun:06:00."
  }

  validation {
    condition = !can(regex(local.maintenance_window_pattern, var.preferred_maintenance_window)) || try((
      local.day_index[substr(var.preferred_maintenance_window, 10, 3)] * 1440 + tonumber(substr(var.preferred_maintenance_window, 14, 2)) * 60 + tonumber(substr(var.preferred_maintenance_window, 17, 2)) + 10080 -
      local.day_index[substr(var.preferred_maintenance_window, 0, 3)] * 1440 - tonumber(substr(var.preferred_maintenance_window, 4, 2)) * 60 - tonumber(substr(var.preferred_maintenance_window, 7, 2))
    ) % 10080 >= 30, false)
    error_message = "preferred_maintenance_window must last at least 30 minutes."
  }
}

variable "deletion_protection" {
  description = "Protect the cluster (and a global database secondary) from deletion."
  type        = bool
  default     = true
  nullable    = false
}

variable "skip_final_snapshot" {
  description = "Delete the cluster without a final snapshot. Off by default: a final snapshot named `<name>-final` is taken."
  type        = bool
  default     = false
  nullable    = false
}

variable "snapshot_schedule" {
  description = "AWS Backup plan: daily snapshots kept daily_retention_days, weekly ones kept weekly_retention_weeks x 7 days, monthly ones kept monthly_retention_months x 30 days (0 weeks or months: no such rule). Schedules are AWS Backup cron expressions in UTC; keep them outside the backup and maintenance windows."
  type = object({
    daily_retention_days     = optional(number, 7)
    weekly_retention_weeks   = optional(number, 4)
    monthly_retention_months = optional(number, 3)
    daily_schedule           = optional(string, "cron(0 7 ? * * *)")
    weekly_schedule          = optional(string, "cron(0 7 ? * SUN *)")
    monthly_schedule         = optional(string, "cron(0 7 1 * ? *)")
    start_window_minutes     = optional(number, 60)
    completion_window_hours  = optional(number, 8)
  })
  default  = {}
  nullable = false

  validation {
    condition     = var.snapshot_schedule.daily_retention_days >= 1 && floor(var.snapshot_schedule.daily_retention_days) == var.snapshot_schedule.daily_retention_days
    error_message = "snapshot_schedule.daily_retention_days must be a whole number of days, at least 1."
  }

  validation {
    condition = alltrue([for n in [var.snapshot_schedule.weekly_retention_weeks, var.snapshot_schedule.monthly_retention_months] :
    n >= 0 && floor(n) == n])
    error_message = "snapshot_schedule.weekly_retention_weeks and monthly_retention_months must be whole numbers, 0 or more."
  }

  validation {
    condition = alltrue([for c in [var.snapshot_schedule.daily_schedule, var.snapshot_schedule.weekly_schedule, var.snapshot_schedule.monthly_schedule] :
    can(regex("^cron\\([^ ]+( [^ ]+){5}\\)$", c))])
    error_message = "snapshot_schedule schedules must be six-field AWS cron expressions, e.g. cron(0 7 ? * * *)."
  }

  validation {
    condition     = var.snapshot_schedule.start_window_minutes >= 60 && var.snapshot_schedule.completion_window_hours * 60 >= var.snapshot_schedule.start_window_minutes + 60
    error_message = "snapshot_schedule.start_window_minutes must be at least 60 and the completion window at least an hour longer."
  }
}

variable "backup_cross_region_copy" {
  description = "Copy every AWS Backup recovery point to a vault in the DR region (provider aws.dr), encrypted with a DR-region KMS key."
  type        = bool
  default     = true
  nullable    = false

  validation {
    condition     = var.cluster_scalability_type != "limitless" || !var.backup_cross_region_copy
    error_message = "backup_cross_region_copy must be false with cluster_scalability_type limitless: AWS Backup is not supported in Aurora PostgreSQL Limitless Database (${local.limitless_limits.sources.requirements}); its backups are the cluster's automated backups (backup_retention_period)."
  }
}

variable "backup_cross_region_copy_rules" {
  description = "The backup rules (daily, weekly, monthly) whose recovery points are copied to the DR region when backup_cross_region_copy is on. Fewer copied rules cost less in DR storage and transfer and leave an older restore point in the DR region."
  type        = list(string)
  default     = ["daily", "weekly", "monthly"]
  nullable    = false

  validation {
    condition     = alltrue([for r in var.backup_cross_region_copy_rules : contains(["daily", "weekly", "monthly"], r)])
    error_message = "backup_cross_region_copy_rules may only name daily, weekly and monthly."
  }
}

variable "create_backup_selection" {
  description = "Assign the cluster to the backup plan (aws_backup_selection). Only for emulators that lack CreateBackupSelection (moto): leave true everywhere else."
  type        = bool
  default     = true
  nullable    = false
}

variable "global_database" {
  description = "Optional Aurora Global Database: a secondary cluster in the DR region (seconds of RPO instead of a day). Secrets Manager-managed master passwords are not supported in a global database, so it needs master_password, which the module writes (write-only, never in state) to the cluster and to its own KMS-encrypted secret."
  type = object({
    enabled                    = optional(bool, false)
    vpc_id                     = optional(string)
    subnet_ids                 = optional(list(string), [])
    allowed_cidr_blocks        = optional(list(string), [])
    allowed_security_group_ids = optional(list(string), [])
    instance_count             = optional(number, 1)
  })
  default  = {}
  nullable = false

  validation {
    condition = !var.global_database.enabled || (
      can(regex("^vpc-[0-9a-f]+$", var.global_database.vpc_id)) &&
      length(distinct(var.global_database.subnet_ids)) >= 2 &&
      var.global_database.instance_count >= 1 && var.global_database.instance_count <= 16
    )
    error_message = "global_database.enabled needs vpc_id, at least two subnet_ids in the DR region, and instance_count between 1 and 16."
  }

  validation {
    condition     = !var.global_database.enabled || var.master_password != null
    error_message = "global_database.enabled needs master_password (a global database cannot use the RDS-managed secret)."
  }

  validation {
    condition     = alltrue([for c in var.global_database.allowed_cidr_blocks : can(cidrnetmask(c)) && try(anytrue([for r in local.private_ipv4_ranges : tonumber(split("/", c)[1]) >= tonumber(split("/", r)[1]) && cidrsubnet("${cidrhost(c, 0)}/${split("/", r)[1]}", 0, 0) == r]), false)])
    error_message = "global_database.allowed_cidr_blocks must be IPv4 CIDR blocks inside the private ranges ${join(", ", local.private_ipv4_ranges)}."
  }

  validation {
    condition     = var.cluster_scalability_type != "limitless" || !var.global_database.enabled
    error_message = "global_database.enabled is not possible with cluster_scalability_type limitless: Aurora Global Database is not supported in Aurora PostgreSQL Limitless Database, which cannot be a replication source (${local.limitless_limits.sources.requirements})."
  }
}

################################################################################
# Cluster parameters
################################################################################

variable "db_parameters" {
  description = "PostgreSQL settings of the cluster parameter group, in PostgreSQL units (ms, kB). Null leaves the Aurora default (maintenance_work_mem defaults from max ACU). shared_buffers is never set: Serverless v2 sizes it itself."
  type = object({
    statement_timeout                   = optional(number, 30000)
    idle_in_transaction_session_timeout = optional(number, 60000)
    work_mem                            = optional(number, 65536)
    maintenance_work_mem                = optional(number)
  })
  default  = {}
  nullable = false

  validation {
    condition = alltrue([for v in [var.db_parameters.statement_timeout, var.db_parameters.idle_in_transaction_session_timeout] :
    v == null || try(v >= 0 && v <= 2147483647 && floor(v) == v, false)])
    error_message = "db_parameters.statement_timeout and idle_in_transaction_session_timeout are whole milliseconds between 0 (off) and 2147483647."
  }

  validation {
    condition     = var.db_parameters.work_mem == null || try(var.db_parameters.work_mem >= local.aws_limits.postgres.work_mem_kb.min && var.db_parameters.work_mem <= local.aws_limits.postgres.work_mem_kb.max && floor(var.db_parameters.work_mem) == var.db_parameters.work_mem, false)
    error_message = "db_parameters.work_mem is in kB, between ${local.aws_limits.postgres.work_mem_kb.min} and ${local.aws_limits.postgres.work_mem_kb.max}."
  }

  validation {
    condition     = var.db_parameters.maintenance_work_mem == null || try(var.db_parameters.maintenance_work_mem >= local.aws_limits.postgres.maintenance_work_mem_kb.min && var.db_parameters.maintenance_work_mem <= local.aws_limits.postgres.maintenance_work_mem_kb.max && floor(var.db_parameters.maintenance_work_mem) == var.db_parameters.maintenance_work_mem, false)
    error_message = "db_parameters.maintenance_work_mem is in kB, between ${local.aws_limits.postgres.maintenance_work_mem_kb.min} and ${local.aws_limits.postgres.maintenance_work_mem_kb.max}."
  }
}

variable "log_min_duration_statement" {
  description = "Log statements running at least this many milliseconds (-1 disables)."
  type        = number
  default     = 1000
  nullable    = false

  validation {
    condition     = var.log_min_duration_statement >= -1 && floor(var.log_min_duration_statement) == var.log_min_duration_statement
    error_message = "log_min_duration_statement must be a whole number of milliseconds, -1 or more."
  }
}

variable "extra_cluster_parameters" {
  description = "Further cluster parameters (name, value, apply_method). Must not repeat a parameter the module sets, nor set shared_buffers (ignored on Serverless v2) or the non-existent idle_in_transaction_timeout."
  type = list(object({
    name         = string
    value        = string
    apply_method = optional(string, "pending-reboot")
  }))
  default  = []
  nullable = false

  validation {
    condition     = length(setintersection([for p in var.extra_cluster_parameters : p.name], ["shared_buffers", "idle_in_transaction_timeout"])) == 0
    error_message = "extra_cluster_parameters must not set shared_buffers (Serverless v2 sizes it itself) or idle_in_transaction_timeout (the parameter is idle_in_transaction_session_timeout: use db_parameters)."
  }

  validation {
    condition     = alltrue([for p in var.extra_cluster_parameters : contains(["immediate", "pending-reboot"], p.apply_method)])
    error_message = "extra_cluster_parameters apply_method must be immediate or pending-reboot."
  }

  validation {
    condition     = var.cluster_scalability_type != "limitless" || !contains([for p in var.extra_cluster_parameters : p.name], "rds.babelfish_status")
    error_message = "extra_cluster_parameters must not set rds.babelfish_status with cluster_scalability_type limitless: Babelfish for Aurora PostgreSQL is not supported in Aurora PostgreSQL Limitless Database (${local.limitless_limits.sources.requirements})."
  }
}

################################################################################
# Logs and monitoring
################################################################################

variable "cloudwatch_log_retention_days" {
  description = "Retention of the exported PostgreSQL log group (a CloudWatch Logs retention value)."
  type        = number
  default     = 365
  nullable    = false

  validation {
    condition     = contains(local.log_retention_values, var.cloudwatch_log_retention_days)
    error_message = "cloudwatch_log_retention_days must be a value CloudWatch Logs accepts (${join(", ", local.log_retention_values)})."
  }
}

variable "performance_insights_retention_period" {
  description = "Performance Insights retention in days: 7 (free), a whole number of 31-day months up to 713, or 731. Database Insights advanced mode needs 465 or more."
  type        = number
  default     = 7
  nullable    = false

  validation {
    condition = contains([local.pi_retention.free, local.pi_retention.max], var.performance_insights_retention_period) || (
      var.performance_insights_retention_period % local.pi_retention.month == 0 && var.performance_insights_retention_period >= local.pi_retention.month && var.performance_insights_retention_period < local.pi_retention.max
    )
    error_message = "performance_insights_retention_period must be ${local.pi_retention.free}, ${local.pi_retention.max} or a multiple of ${local.pi_retention.month} below ${local.pi_retention.max}."
  }
}

variable "monitoring_interval" {
  description = "Enhanced Monitoring interval in seconds (1, 5, 10, 15, 30 or 60)."
  type        = number
  default     = 60
  nullable    = false

  validation {
    condition     = contains([1, 5, 10, 15, 30, 60], var.monitoring_interval)
    error_message = "monitoring_interval must be 1, 5, 10, 15, 30 or 60."
  }
}

variable "create_alarm_topic" {
  description = "Create the SNS topic `<name>-db-alarms` for alarm (and OK) notifications and budget alerts, encrypted with the module's KMS key and open to CloudWatch and AWS Budgets of this account (output alarm_sns_topic_arn; subscribe to it). Set false to pass your own alarm_sns_topic_arn, or for alarms without actions."
  type        = bool
  default     = true
  nullable    = false
}

variable "alarm_sns_topic_arn" {
  description = "An existing SNS topic for alarm (and OK) notifications and budget alerts, with create_alarm_topic = false. If it is encrypted with a customer-managed key, that key's policy must let cloudwatch.amazonaws.com and budgets.amazonaws.com use kms:GenerateDataKey* and kms:Decrypt (the module's own key does). Null with create_alarm_topic = false: alarms without actions."
  type        = string
  default     = null

  validation {
    condition     = var.alarm_sns_topic_arn == null || can(regex("^arn:aws[a-z-]*:sns:[a-z0-9-]+:[0-9]{12}:.+$", var.alarm_sns_topic_arn))
    error_message = "alarm_sns_topic_arn must be an SNS topic ARN or null."
  }
  validation {
    # The topic's count depends on create_alarm_topic alone, so an ARN unknown until apply still plans.
    condition     = var.alarm_sns_topic_arn == null || !var.create_alarm_topic
    error_message = "alarm_sns_topic_arn needs create_alarm_topic = false (otherwise the module creates its own topic)."
  }
}

variable "alarms" {
  description = "CloudWatch alarm settings. Thresholds in percent are of max_capacity (capacity), of ACUUtilization, and of the computed max_connections (connections)."
  type = object({
    enabled                           = optional(bool, true)
    capacity_threshold_percent        = optional(number, 90)
    acu_utilization_threshold_percent = optional(number, 90)
    connections_threshold_percent     = optional(number, 80)
    freeable_memory_threshold_bytes   = optional(number, 268435456)
    replica_lag_threshold_ms          = optional(number, 2000)
    period_seconds                    = optional(number, 300)
    evaluation_periods                = optional(number, 3)
  })
  default  = {}
  nullable = false

  validation {
    condition = alltrue([for p in [var.alarms.capacity_threshold_percent, var.alarms.acu_utilization_threshold_percent, var.alarms.connections_threshold_percent] :
    p > 0 && p <= 100])
    error_message = "alarm threshold percentages must be above 0 and at most 100."
  }

  validation {
    condition     = var.alarms.freeable_memory_threshold_bytes > 0 && var.alarms.replica_lag_threshold_ms > 0 && var.alarms.evaluation_periods >= 1 && contains([60, 300, 900, 3600], var.alarms.period_seconds)
    error_message = "freeable_memory_threshold_bytes and replica_lag_threshold_ms must be positive, evaluation_periods at least 1, period_seconds 60, 300, 900 or 3600."
  }
}

################################################################################
# RDS Proxy
################################################################################

variable "proxy" {
  description = "RDS Proxy in front of the cluster: SECRETS auth on the master secret (administration) and on proxy_user_secret_arns (applications), IAM authentication REQUIRED, TLS required. Pool settings are percentages of the cluster's max_connections. read_only_endpoint_enabled adds a READ_ONLY endpoint (needs readers). Its log group `/aws/rds/proxy/<name>` is the module's, encrypted with its key and kept log_retention_days (null: cloudwatch_log_retention_days)."
  type = object({
    enabled                      = optional(bool, true)
    max_connections_percent      = optional(number, 80)
    max_idle_connections_percent = optional(number, 50)
    connection_borrow_timeout    = optional(number, 120)
    session_pinning_filters      = optional(list(string), [])
    init_query                   = optional(string)
    idle_client_timeout          = optional(number, 1800)
    debug_logging                = optional(bool, false)
    read_only_endpoint_enabled   = optional(bool, false)
    log_retention_days           = optional(number)
  })
  default  = {}
  nullable = false

  validation {
    condition     = var.proxy.log_retention_days == null || contains(local.log_retention_values, coalesce(var.proxy.log_retention_days, -1))
    error_message = "proxy.log_retention_days must be a value CloudWatch Logs accepts (${join(", ", local.log_retention_values)}), or null (cloudwatch_log_retention_days)."
  }

  validation {
    condition     = var.proxy.max_connections_percent >= local.aws_limits.proxy.max_connections_percent.min && var.proxy.max_connections_percent <= local.aws_limits.proxy.max_connections_percent.max && floor(var.proxy.max_connections_percent) == var.proxy.max_connections_percent
    error_message = "proxy.max_connections_percent must be a whole number between ${local.aws_limits.proxy.max_connections_percent.min} and ${local.aws_limits.proxy.max_connections_percent.max}."
  }

  validation {
    condition     = var.proxy.max_idle_connections_percent >= local.aws_limits.proxy.max_idle_connections_percent.min && var.proxy.max_idle_connections_percent <= var.proxy.max_connections_percent && floor(var.proxy.max_idle_connections_percent) == var.proxy.max_idle_connections_percent
    error_message = "proxy.max_idle_connections_percent must be a whole number between 0 and proxy.max_connections_percent."
  }

  validation {
    condition     = var.proxy.connection_borrow_timeout >= local.aws_limits.proxy.connection_borrow_timeout_s.min && var.proxy.connection_borrow_timeout <= local.aws_limits.proxy.connection_borrow_timeout_s.max && floor(var.proxy.connection_borrow_timeout) == var.proxy.connection_borrow_timeout
    error_message = "proxy.connection_borrow_timeout must be a whole number of seconds between ${local.aws_limits.proxy.connection_borrow_timeout_s.min} and ${local.aws_limits.proxy.connection_borrow_timeout_s.max}."
  }

  validation {
    condition     = alltrue([for f in var.proxy.session_pinning_filters : contains(local.aws_limits.proxy.session_pinning_filters, f)])
    error_message = "proxy.session_pinning_filters may only contain EXCLUDE_VARIABLE_SETS (the only filter RDS Proxy has)."
  }

  validation {
    condition     = var.proxy.idle_client_timeout >= 1 && var.proxy.idle_client_timeout <= 28800
    error_message = "proxy.idle_client_timeout must be between 1 and 28800 seconds."
  }

  validation {
    condition     = !(var.proxy.enabled && var.proxy.read_only_endpoint_enabled && length(var.reader_promotion_tiers) == 0)
    error_message = "proxy.read_only_endpoint_enabled needs at least one reader (reader_promotion_tiers)."
  }

  validation {
    condition     = var.cluster_scalability_type != "limitless" || !var.proxy.enabled
    error_message = "proxy.enabled must be false with cluster_scalability_type limitless: Amazon RDS Proxy is not supported in Aurora PostgreSQL Limitless Database (${local.limitless_limits.sources.requirements}); clients connect to the shard group's endpoint (its routers)."
  }
}

variable "proxy_user_secret_arns" {
  description = "Secrets Manager secrets (ARNs) of the application database users RDS Proxy authenticates: one SECRETS auth block each, IAM authentication REQUIRED. Applications should connect as these users; the master secret's auth block is for administration only. Each secret holds {\"username\", \"password\"} of a user you create in PostgreSQL. The proxy role may read exactly these secrets."
  type        = list(string)
  default     = []
  nullable    = false

  validation {
    condition     = length(distinct(var.proxy_user_secret_arns)) == length(var.proxy_user_secret_arns) && alltrue([for a in var.proxy_user_secret_arns : can(regex("^arn:aws[a-z-]*:secretsmanager:[a-z0-9-]+:[0-9]{12}:secret:.+$", a))])
    error_message = "proxy_user_secret_arns must hold distinct Secrets Manager secret ARNs (arn:aws:secretsmanager:<region>:<account>:secret:<name>)."
  }
}

variable "proxy_user_secret_kms_key_arns" {
  description = "KMS keys (ARNs) encrypting proxy_user_secret_arns when they do not use the module's key: the proxy role may kms:Decrypt with them, through Secrets Manager only."
  type        = list(string)
  default     = []
  nullable    = false

  validation {
    condition     = alltrue([for a in var.proxy_user_secret_kms_key_arns : can(regex("^arn:aws[a-z-]*:kms:[a-z0-9-]+:[0-9]{12}:key/.+$", a))])
    error_message = "proxy_user_secret_kms_key_arns must hold KMS key ARNs (arn:aws:kms:<region>:<account>:key/<id>)."
  }
}

################################################################################
# Cost and sizing
################################################################################

variable "monthly_budget_usd" {
  description = "Monthly AWS Budgets COST limit in USD for the resources tagged `AuroraCluster=<name>` (activate that cost allocation tag). Null: no budget."
  type        = number
  default     = null

  validation {
    condition     = var.monthly_budget_usd == null || try(var.monthly_budget_usd > 0, false)
    error_message = "monthly_budget_usd must be positive or null."
  }
}

variable "budget_cost_filters" {
  description = "Cost filters of the budget (AWS Budgets filter name => values). Null: the module's cost allocation tag, TagKeyValue = `user:AuroraCluster$<name>`."
  type        = map(list(string))
  default     = null
}

variable "budget_notification_emails" {
  description = "E-mail addresses told when actual spend passes 80% or forecast spend passes 100% of the budget (besides alarm_sns_topic_arn)."
  type        = list(string)
  default     = []
  nullable    = false
}

variable "expected_load" {
  description = "The sizing behind this cluster (from the generator): checked against max_connections and the capacity range (warnings), and echoed in outputs and alarm descriptions."
  type = object({
    agents                         = optional(number)
    pooled_connections             = optional(number)
    writer_average_acu             = optional(number)
    independent_reader_average_acu = optional(number)
    storage_gb                     = optional(number)
    io_requests_million_per_month  = optional(number)
    transfer_gb_per_month          = optional(number)
    shard_group_average_acu        = optional(number) # a Limitless shard group's (cluster_scalability_type = "limitless")
  })
  default  = {}
  nullable = false

  validation {
    condition     = alltrue([for k, v in var.expected_load : v == null || try(v >= 0, false)])
    error_message = "expected_load values must be 0 or more."
  }
}

################################################################################
# Upgrades and engine lifecycle
################################################################################

variable "allow_major_version_upgrade" {
  description = "Allow a major engine upgrade when engine_version's major changes. The upgrade then also applies the module's new instance parameter group (db_instance_parameter_group_name). Off: a major change is refused by RDS. README: major-upgrade procedure."
  type        = bool
  default     = false
  nullable    = false
}

variable "engine_lifecycle_support" {
  description = "RDS Extended Support after the major version's end of standard support: open-source-rds-extended-support (billed) or open-source-rds-extended-support-disabled (opt out: RDS upgrades the major instead). Null: AWS's default (enabled, billed)."
  type        = string
  default     = null

  validation {
    condition     = var.engine_lifecycle_support == null || contains(["open-source-rds-extended-support", "open-source-rds-extended-support-disabled"], coalesce(var.engine_lifecycle_support, "-"))
    error_message = "engine_lifecycle_support must be open-source-rds-extended-support, open-source-rds-extended-support-disabled or null."
  }
}

variable "instance_parameters" {
  description = "Parameters of the instances' own parameter group (family `aurora-postgresql<major>`, created by the module for every instance), as name, value and apply_method. Empty: the family's defaults."
  type = list(object({
    name         = string
    value        = string
    apply_method = optional(string, "pending-reboot")
  }))
  default  = []
  nullable = false

  validation {
    condition     = length(distinct([for p in var.instance_parameters : p.name])) == length(var.instance_parameters) && alltrue([for p in var.instance_parameters : contains(["immediate", "pending-reboot"], p.apply_method)])
    error_message = "instance_parameters names must be distinct and apply_method immediate or pending-reboot."
  }
}

variable "ca_cert_identifier" {
  description = "Certificate authority of the server certificates of every instance (writer, readers, global secondary), e.g. rds-ca-rsa2048-g1. Aurora sets it per instance (the cluster-level argument is for Multi-AZ DB clusters only). Null: AWS's default CA."
  type        = string
  default     = null

  validation {
    condition     = var.ca_cert_identifier == null || can(regex("^rds-ca-[a-z0-9-]+$", var.ca_cert_identifier))
    error_message = "ca_cert_identifier must be an RDS CA identifier such as rds-ca-rsa2048-g1, or null."
  }
}

################################################################################
# Restore (at creation only)
################################################################################

variable "snapshot_identifier" {
  description = "Create the cluster from this cluster snapshot (identifier or ARN). Changing it replaces the cluster. The snapshot's database name and master user are kept (database_name and master_username are not sent)."
  type        = string
  default     = null

  validation {
    condition     = var.snapshot_identifier == null || can(regex("^(arn:aws[a-z-]*:rds:[a-z0-9-]+:[0-9]{12}:cluster-snapshot:)?[a-zA-Z][a-zA-Z0-9:-]{0,254}$", var.snapshot_identifier))
    error_message = "snapshot_identifier must be a DB cluster snapshot identifier or ARN, or null."
  }

  validation {
    condition     = var.snapshot_identifier == null || var.restore_to_point_in_time == null
    error_message = "snapshot_identifier and restore_to_point_in_time are exclusive: restore from a snapshot or to a point in time, not both."
  }
}

variable "restore_to_point_in_time" {
  description = "Create the cluster as a point-in-time copy of source_cluster_identifier: at restore_to_time (RFC 3339 UTC) or at the latest restorable time (use_latest_restorable_time), exactly one of them. restore_type full-copy or copy-on-write. Null: no restore."
  type = object({
    source_cluster_identifier  = string
    restore_to_time            = optional(string)
    use_latest_restorable_time = optional(bool, false)
    restore_type               = optional(string, "full-copy")
  })
  default = null

  validation {
    condition     = var.restore_to_point_in_time == null || try(can(regex("^(arn:aws[a-z-]*:rds:[a-z0-9-]+:[0-9]{12}:cluster:)?[a-zA-Z][a-zA-Z0-9-]{0,62}$", var.restore_to_point_in_time.source_cluster_identifier)), false)
    error_message = "restore_to_point_in_time.source_cluster_identifier must be a DB cluster identifier or ARN."
  }

  validation {
    # Exactly one of a time and the latest restorable time.
    condition     = var.restore_to_point_in_time == null || try((var.restore_to_point_in_time.restore_to_time != null) != var.restore_to_point_in_time.use_latest_restorable_time, false)
    error_message = "restore_to_point_in_time needs exactly one of restore_to_time and use_latest_restorable_time = true."
  }

  validation {
    condition     = var.restore_to_point_in_time == null || try(var.restore_to_point_in_time.restore_to_time == null || can(formatdate("YYYY", var.restore_to_point_in_time.restore_to_time)), false)
    error_message = "restore_to_point_in_time.restore_to_time must be an RFC 3339 time such as 2026-01-31T23:00:00Z."
  }

  validation {
    condition     = var.restore_to_point_in_time == null || try(contains(["full-copy", "copy-on-write"], var.restore_to_point_in_time.restore_type), false)
    error_message = "restore_to_point_in_time.restore_type must be full-copy or copy-on-write."
  }

  validation {
    condition     = var.cluster_scalability_type != "limitless" || try(var.restore_to_point_in_time.restore_type != "copy-on-write", true)
    error_message = "restore_to_point_in_time.restore_type copy-on-write is a clone: cloning DB clusters is not supported in Aurora PostgreSQL Limitless Database (${local.limitless_limits.sources.requirements}); use full-copy."
  }
}

################################################################################
# Insights and access
################################################################################

variable "database_insights_mode" {
  description = "CloudWatch Database Insights: standard, or advanced (needs performance_insights_retention_period of at least 465 days; billed per ACU-hour). Sets Performance Insights on the cluster with the module's key. Null: not managed (AWS's default, standard)."
  type        = string
  default     = null

  validation {
    condition     = var.database_insights_mode == null || contains(["standard", "advanced"], coalesce(var.database_insights_mode, "-"))
    error_message = "database_insights_mode must be standard, advanced or null."
  }

  validation {
    condition     = var.database_insights_mode != "advanced" || var.performance_insights_retention_period >= local.aws_limits.rds.performance_insights_retention_days.advanced_mode
    error_message = "database_insights_mode advanced needs performance_insights_retention_period of at least ${local.aws_limits.rds.performance_insights_retention_days.advanced_mode} days."
  }
}

variable "enable_http_endpoint" {
  description = "Enable the RDS Data API (HTTP endpoint) on the cluster. Callers then need IAM rds-data permissions and the master secret (or another secret); off by default."
  type        = bool
  default     = false
  nullable    = false

  validation {
    condition     = var.cluster_scalability_type != "limitless" || !var.enable_http_endpoint
    error_message = "enable_http_endpoint must be false with cluster_scalability_type limitless: the RDS Data API is not supported in Aurora PostgreSQL Limitless Database (${local.limitless_limits.sources.requirements})."
  }
}

variable "iam_role_associations" {
  description = "IAM roles associated with the cluster, by feature name (s3Import, s3Export, Lambda, SageMaker, Comprehend, Bedrock) => role ARN."
  type        = map(string)
  default     = {}
  nullable    = false

  validation {
    condition     = alltrue([for f in keys(var.iam_role_associations) : contains(["s3Import", "s3Export", "Lambda", "SageMaker", "Comprehend", "Bedrock"], f)])
    error_message = "iam_role_associations keys must be Aurora PostgreSQL feature names: s3Import, s3Export, Lambda, SageMaker, Comprehend or Bedrock."
  }

  validation {
    condition     = alltrue([for a in values(var.iam_role_associations) : can(regex("^arn:aws[a-z-]*:iam::[0-9]{12}:role/.+$", a))])
    error_message = "iam_role_associations values must be IAM role ARNs (arn:aws:iam::<account>:role/<name>)."
  }

  validation {
    condition     = var.cluster_scalability_type != "limitless" || length(setintersection(keys(var.iam_role_associations), ["Lambda", "SageMaker", "Comprehend", "Bedrock"])) == 0
    error_message = "iam_role_associations must not name Lambda, SageMaker, Comprehend or Bedrock with cluster_scalability_type limitless: AWS Lambda integration and Aurora machine learning are not supported in Aurora PostgreSQL Limitless Database (${local.limitless_limits.sources.requirements})."
  }
}

variable "master_user_password_rotation" {
  description = "Rotation schedule of the RDS-managed master secret: every automatically_after_days (1-1000) or on schedule_expression (rate() or cron()), exactly one; duration of the rotation window (e.g. 3h); rotate_immediately rotates once on apply. Null: RDS's default (every 7 days). Not with a global database (its secret is the module's own)."
  type = object({
    automatically_after_days = optional(number)
    schedule_expression      = optional(string)
    duration                 = optional(string)
    rotate_immediately       = optional(bool, false)
  })
  default = null

  validation {
    condition     = var.master_user_password_rotation == null || try((var.master_user_password_rotation.automatically_after_days != null) != (var.master_user_password_rotation.schedule_expression != null), false)
    error_message = "master_user_password_rotation needs exactly one of automatically_after_days and schedule_expression."
  }

  validation {
    condition = var.master_user_password_rotation == null || try(
      (var.master_user_password_rotation.automatically_after_days == null || (var.master_user_password_rotation.automatically_after_days >= 1 && var.master_user_password_rotation.automatically_after_days <= 1000 && floor(var.master_user_password_rotation.automatically_after_days) == var.master_user_password_rotation.automatically_after_days)) &&
      (var.master_user_password_rotation.schedule_expression == null || can(regex("^(rate\\([0-9]+ (hours?|days?)\\)|cron\\([^ ]+( [^ ]+){5}\\))$", var.master_user_password_rotation.schedule_expression))) &&
      (var.master_user_password_rotation.duration == null || can(regex("^([1-9]|1[0-9]|2[0-4])h$", var.master_user_password_rotation.duration)))
    , false)
    error_message = "master_user_password_rotation: automatically_after_days a whole number 1-1000, schedule_expression rate(N days|hours) or a six-field cron(), duration 1h-24h."
  }

  validation {
    condition     = var.master_user_password_rotation == null || !var.global_database.enabled
    error_message = "master_user_password_rotation applies to the RDS-managed secret, which a global database does not have: rotate with master_password_version."
  }

  validation {
    condition     = var.master_user_password_rotation == null || var.cluster_scalability_type != "limitless"
    error_message = "master_user_password_rotation applies to the RDS-managed secret: AWS Secrets Manager is not supported in Aurora PostgreSQL Limitless Database (${local.limitless_limits.sources.requirements}); rotate with master_password_version."
  }
}

################################################################################
# Custom endpoints and reader auto scaling
################################################################################

variable "endpoints" {
  description = "Custom cluster endpoints by name (`<name>-<key>`): type READER or ANY, and either static_members or excluded_members as instance keys (writer, reader-1, ...). E.g. analytics = { type = \"READER\", static_members = [\"reader-2\"] } for the readers on tiers 2-15."
  type = map(object({
    type             = optional(string, "READER")
    static_members   = optional(list(string), [])
    excluded_members = optional(list(string), [])
    tags             = optional(map(string), {})
  }))
  default  = {}
  nullable = false

  validation {
    condition     = alltrue([for k, e in var.endpoints : can(regex("^[a-z][a-z0-9-]{0,22}[a-z0-9]$", k)) && contains(["READER", "ANY"], e.type)])
    error_message = "endpoints keys must be 2-24 lower-case letters, digits or hyphens, and type READER or ANY."
  }

  validation {
    condition     = alltrue([for e in values(var.endpoints) : length(e.static_members) == 0 || length(e.excluded_members) == 0])
    error_message = "an endpoint takes static_members or excluded_members, not both."
  }

  validation {
    # Members are the module's instance keys: the writer and one reader-N per reader_promotion_tiers element.
    condition = alltrue([for e in values(var.endpoints) : alltrue([for m in concat(e.static_members, e.excluded_members) :
    m == "writer" || contains([for i in range(length(var.reader_promotion_tiers)) : format("reader-%d", i + 1)], m)])])
    error_message = "endpoints members must be instance keys of this module: writer or reader-1 .. reader-N (one per reader_promotion_tiers element)."
  }

  validation {
    condition     = var.cluster_scalability_type != "limitless" || length(var.endpoints) == 0
    error_message = "endpoints must be empty with cluster_scalability_type limitless: custom endpoints are not supported in Aurora PostgreSQL Limitless Database (${local.limitless_limits.sources.requirements}), which has no instances to group."
  }
}

variable "reader_autoscaling" {
  description = "Application Auto Scaling of the number of Aurora readers (ReadReplicaCount, which counts the module's readers too): min_capacity and max_capacity readers, tracking average reader CPU (percent) or connections (below max_connections), with cooldowns in seconds. Readers it adds are not the module's (no alarms, default promotion tier). Null: off."
  type = object({
    min_capacity       = optional(number, 1)
    max_capacity       = number
    metric             = optional(string, "cpu")
    target_value       = number
    scale_in_cooldown  = optional(number, 300)
    scale_out_cooldown = optional(number, 300)
  })
  default = null

  validation {
    condition = var.reader_autoscaling == null || try(
      var.reader_autoscaling.min_capacity >= 0 && var.reader_autoscaling.min_capacity <= var.reader_autoscaling.max_capacity &&
      var.reader_autoscaling.max_capacity <= local.aws_limits.readers_max && var.reader_autoscaling.max_capacity >= max(1, length(var.reader_promotion_tiers)) &&
      floor(var.reader_autoscaling.min_capacity) == var.reader_autoscaling.min_capacity && floor(var.reader_autoscaling.max_capacity) == var.reader_autoscaling.max_capacity
    , false)
    error_message = "reader_autoscaling needs whole min_capacity <= max_capacity, max_capacity at most ${local.aws_limits.readers_max} readers and at least the module's own readers (reader_promotion_tiers), and at least 1."
  }

  validation {
    condition = var.reader_autoscaling == null || try(
      (var.reader_autoscaling.metric == "cpu" && var.reader_autoscaling.target_value > 0 && var.reader_autoscaling.target_value <= 100) ||
      (var.reader_autoscaling.metric == "connections" && var.reader_autoscaling.target_value >= 1 && var.reader_autoscaling.target_value <= local.max_connections)
    , false)
    error_message = "reader_autoscaling.metric must be cpu (target_value a percentage, above 0 and at most 100) or connections (target_value between 1 and max_connections, ${local.max_connections} at max ${var.max_capacity} ACU)."
  }

  validation {
    condition     = var.reader_autoscaling == null || try(var.reader_autoscaling.scale_in_cooldown >= 0 && var.reader_autoscaling.scale_out_cooldown >= 0, false)
    error_message = "reader_autoscaling cooldowns must be 0 or more seconds."
  }

  validation {
    condition     = var.reader_autoscaling == null || var.cluster_scalability_type != "limitless"
    error_message = "reader_autoscaling must be null with cluster_scalability_type limitless: Aurora Auto Scaling (readers added automatically) is not supported in Aurora PostgreSQL Limitless Database (${local.limitless_limits.sources.requirements}); the shard group scales between shard_group.min_acu and max_acu."
  }
}

################################################################################
# Operations
################################################################################

variable "timeouts" {
  description = "Create/update/delete timeouts of the cluster, instances and proxy (Terraform durations such as 60m). Null: the provider's defaults. Emulator runs set them short."
  type = object({
    create = optional(string)
    update = optional(string)
    delete = optional(string)
  })
  default  = {}
  nullable = false

  validation {
    condition     = alltrue([for v in [var.timeouts.create, var.timeouts.update, var.timeouts.delete] : v == null || can(regex("^([0-9]+h)?([0-9]+m)?([0-9]+s)?$", v))])
    error_message = "timeouts values must be durations such as 90m, 2h or 30s."
  }
}
