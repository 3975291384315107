################################################################################
# AWS limits of Aurora PostgreSQL Serverless v2 and RDS Proxy, as documented in late
# 2025: the module's copy of generator/data/aws-limits-2025-11.yaml (AUDIT.md). Every
# AWS number the module's validations and computations use comes from here, and
# tests/test_terraform_limits.py fails when a value differs from the data file. The
# module does not read the YAML itself so it stays usable outside this repository.
################################################################################

locals {
  aws_limits = {
    effective = "2025-11-01"
    acu = {
      step                     = 0.5
      min                      = 0.5 # without auto-pause
      max                      = 256 # 128 on older engine versions
      max_floor                = 1   # max capacity must be >= 1
      auto_pause_min           = 0   # only on versions with auto-pause; never with RDS Proxy
      seconds_until_auto_pause = { min = 300, max = 86400 }
      auto_pause_versions      = { "13" = "13.15", "14" = "14.12", "15" = "15.7", "16" = "16.3" }
      gib_per_acu              = 2
    }
    max_connections = {
      # AWS's documented defaults by MAXIMUM ACU: linear between, extended along the last slope, capped.
      documented            = { "1" = 189, "4" = 823, "8" = 1669, "16" = 3360 }
      cap                   = 5000
      low_min_acu_cap       = 2000 # when min ACU <= low_min_acu_threshold
      low_min_acu_threshold = 0.5
    }
    proxy = {
      max_connections_percent      = { min = 1, max = 100 }
      max_idle_connections_percent = { min = 0 } # and at most max_connections_percent
      connection_borrow_timeout_s  = { min = 0, max = 3600 }
      session_pinning_filters      = ["EXCLUDE_VARIABLE_SETS"]
    }
    backup = {
      retention_days     = { min = 1, max = 35 }
      window_min_minutes = 30
    }
    reader_promotion_tier = { min = 0, max = 15 }
    readers_max           = 15
    network = { # the one definition of a private network (RFC 1918, RFC 6598; IPv6 unique local)
      private_ipv4_ranges = ["10.0.0.0/8", "172.16.0.0/12", "192.168.0.0/16", "100.64.0.0/10"]
      private_ipv6_ranges = ["fc00::/7"]
    }
    postgres = { # PostgreSQL's bounds (kB)
      work_mem_kb             = { min = 64, max = 2147483647 }
      maintenance_work_mem_kb = { min = 1024, max = 2147483647 }
    }
    rds = { # ports, Performance Insights / Database Insights retention, CloudWatch Logs retention values
      port                = { min = 1150, max = 65535, default = 5432 }
      proxy_listener_port = 5432 # RDS Proxy for PostgreSQL listens on 5432 only
      performance_insights_retention_days = {
        free          = 7
        month         = 31  # paid retention: whole months of 31 days ...
        max           = 731 # ... up to 23 months, or 731 (2 years)
        advanced_mode = 465 # Database Insights advanced mode keeps 15 months
      }
      log_retention_days = [1, 3, 5, 7, 14, 30, 60, 90, 120, 150, 180, 365, 400, 545, 731, 1096, 1827, 2192, 2557, 2922, 3288, 3653] # CloudWatch Logs
    }
  }

  # Aurora PostgreSQL Limitless Database (cluster_scalability_type = "limitless"): the module's copy of
  # generator/data/limitless-2026-12.yaml; tests/test_terraform_limitless.py fails when a value differs.
  limitless_limits = {
    effective = "2026-12-04"
    sources = {
      requirements = "https://docs.aws.amazon.com/AmazonRDS/latest/AuroraUserGuide/limitless-reqs-limits.html"
    }
    shard_group = {
      min_acu_floor             = 16   # "Minimum capacity: use a value of at least 16 ACUs"
      max_acu_ceiling           = 6144 # "16-6144 ACUs"; more only on request
      compute_redundancy_values = [0, 1, 2]
    }
    cluster = {
      storage_type                            = "aurora-iopt1" # I/O-Optimized only
      engine_version_suffix                   = "-limitless"   # 16.X-limitless versions only
      performance_insights_min_retention_days = 31             # Performance Insights kept at least 1 month
      cloudwatch_logs_exports_required        = ["postgresql"] # the PostgreSQL log goes to CloudWatch Logs
      # No subnet in these zones (by AZ ID; us-east-1e is use1-az3 in the requirements' account mapping)
      excluded_availability_zone_ids = { "us-east-1" = ["use1-az3"] }
    }
  }
  # A Limitless engine version: major.minor[.patch] and the suffix (16.4-limitless, 16.6.8-limitless).
  limitless_engine_version_pattern = "^(1[3-9]|[2-9][0-9])\\.[0-9]+(\\.[0-9]+)?${local.limitless_limits.cluster.engine_version_suffix}$"

  # --- master user name ---------------------------------------------------------------
  # Names Aurora PostgreSQL refuses as the master user (var.master_username). AWS (RDS API Reference,
  # CreateDBCluster MasterUsername): 1 to 63 letters, digits or underscores, a letter first, and "can't be a
  # reserved word for the chosen database engine"; `postgres` is not one (the Aurora User Guide's console
  # default, "Understanding PostgreSQL roles and permissions"). Reserved here:
  # - the roles RDS creates in every cluster (rdsadmin is RDS's own administrator);
  # - PostgreSQL's reserved role names (CREATE ROLE: "public" and "none", and the pg_ prefix);
  # - PostgreSQL's reserved key words (PostgreSQL documentation, Appendix C "SQL Key Words", the words
  #   marked "reserved" for PostgreSQL 13-17, which cannot name a role).
  reserved_master_usernames = {
    rds_roles   = ["rdsadmin", "rds_superuser", "rds_replication", "rds_password", "rds_iam", "rds_ad"]
    role_names  = ["public", "none"]
    role_prefix = "pg_"
    key_words = [
      "all", "analyse", "analyze", "and", "any", "array", "as", "asc", "asymmetric", "both", "case", "cast",
      "check", "collate", "column", "constraint", "create", "current_catalog", "current_date", "current_role",
      "current_time", "current_timestamp", "current_user", "default", "deferrable", "desc", "distinct", "do",
      "else", "end", "except", "false", "fetch", "for", "foreign", "from", "grant", "group", "having", "in",
      "initially", "intersect", "into", "lateral", "leading", "limit", "localtime", "localtimestamp", "not",
      "null", "offset", "on", "only", "or", "order", "placing", "primary", "references", "returning", "select",
      "session_user", "some", "symmetric", "system_user", "table", "then", "to", "trailing", "true", "union",
      "unique", "user", "using", "variadic", "when", "where", "window", "with",
    ]
  }

  # --- auto-pause ------------------------------------------------------------------
  # First minor of each major with Serverless v2 auto-pause (min_capacity 0); later majors all have it.
  auto_pause_min_minor   = { for major, v in local.aws_limits.acu.auto_pause_versions : major => tonumber(split(".", v)[1]) }
  auto_pause_last_major  = max([for major in keys(local.aws_limits.acu.auto_pause_versions) : tonumber(major)]...)
  auto_pause_description = join(", ", [for major in sort(keys(local.aws_limits.acu.auto_pause_versions)) : "${local.aws_limits.acu.auto_pause_versions[major]}+"])

  # --- max_connections -------------------------------------------------------------
  # Same algorithm as generator/model/sizing.py:max_connections: AWS's documented values by max ACU,
  # linear between two points (proportional below the first), extended along the last two points'
  # slope past the last one, floored, capped at cap (low_min_acu_cap when min ACU <= the threshold).
  _mc          = local.aws_limits.max_connections
  _mc_acu      = [for s in sort([for k in keys(local._mc.documented) : format("%012.4f", tonumber(k))]) : tonumber(s)]
  _mc_conn     = [for a in local._mc_acu : local._mc.documented[[for k in keys(local._mc.documented) : k if tonumber(k) == a][0]]]
  _mc_n        = length(local._mc_acu)
  _mc_segment  = try(min([for i in range(1, local._mc_n) : i if var.max_capacity <= local._mc_acu[i]]...), local._mc_n - 1)
  _mc_segment0 = local._mc_segment - 1
  max_connections_interpolated = (var.max_capacity <= local._mc_acu[0]
    ? local._mc_conn[0] * var.max_capacity / local._mc_acu[0]
    : local._mc_conn[local._mc_segment0] + (local._mc_conn[local._mc_segment] - local._mc_conn[local._mc_segment0]) * (var.max_capacity - local._mc_acu[local._mc_segment0]) / (local._mc_acu[local._mc_segment] - local._mc_acu[local._mc_segment0])
  )
  max_connections_cap = var.min_capacity <= local._mc.low_min_acu_threshold ? min(local._mc.cap, local._mc.low_min_acu_cap) : local._mc.cap
  max_connections     = min(floor(local.max_connections_interpolated), local.max_connections_cap)

  # --- memory ----------------------------------------------------------------------
  memory_gib_at_min_acu = var.min_capacity * local.aws_limits.acu.gib_per_acu
}
