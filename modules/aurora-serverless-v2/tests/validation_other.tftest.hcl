# Validation of the proxy pool, network, parameters and the rest: each rule rejects a wrong value (expect_failures); the edges pass.

# Mock data shared by every test file: tests/mocks/<provider>/*.tfmock.hcl.
mock_provider "aws" {
  source = "./tests/mocks/aws"
}

mock_provider "aws" {
  alias  = "dr"
  source = "./tests/mocks/aws-dr"
}

variables {
  name                   = "mistersmith-test"
  environment            = "test"
  vpc_id                 = "vpc-0123456789abcdef0"
  subnet_ids             = ["subnet-0123456789abcdef0", "subnet-0123456789abcdef1"]
  allowed_cidr_blocks    = ["10.20.0.0/16"]
  min_capacity           = 2
  max_capacity           = 32
  reader_promotion_tiers = [1, 2]
}

run "rejects_proxy_max_connections_percent_zero" {
  command = plan

  variables {
    proxy = { max_connections_percent = 0, max_idle_connections_percent = 0 }
  }

  expect_failures = [var.proxy]
}

run "rejects_proxy_max_connections_percent_over_100" {
  command = plan

  variables {
    proxy = { max_connections_percent = 101 }
  }

  expect_failures = [var.proxy]
}

run "rejects_proxy_idle_above_max" {
  command = plan

  variables {
    proxy = { max_connections_percent = 40, max_idle_connections_percent = 50 }
  }

  expect_failures = [var.proxy]
}

run "rejects_proxy_idle_negative" {
  command = plan

  variables {
    proxy = { max_idle_connections_percent = -1 }
  }

  expect_failures = [var.proxy]
}

run "rejects_proxy_borrow_timeout_over_3600" {
  command = plan

  variables {
    proxy = { connection_borrow_timeout = 3601 }
  }

  expect_failures = [var.proxy]
}

run "rejects_proxy_unknown_pinning_filter" {
  command = plan

  variables {
    proxy = { session_pinning_filters = ["EXCLUDE_VARIABLE_SETS", "EXCLUDE_EVERYTHING"] }
  }

  expect_failures = [var.proxy]
}

run "rejects_proxy_read_only_endpoint_without_readers" {
  command = plan

  variables {
    reader_promotion_tiers = []
    proxy                  = { read_only_endpoint_enabled = true }
  }

  expect_failures = [var.proxy]
}

run "rejects_reader_tier_above_15" {
  command = plan

  variables {
    reader_promotion_tiers = [1, 16]
  }

  expect_failures = [var.reader_promotion_tiers]
}

run "rejects_storage_type_unknown" {
  command = plan

  variables {
    storage_type = "gp3"
  }

  expect_failures = [var.storage_type]
}

run "rejects_cidr_whole_internet" {
  command = plan

  variables {
    allowed_cidr_blocks = ["0.0.0.0/0"]
  }

  expect_failures = [var.allowed_cidr_blocks]
}

run "rejects_cidr_half_the_internet" {
  command = plan

  variables {
    allowed_cidr_blocks = ["0.0.0.0/1"]
  }

  expect_failures = [var.allowed_cidr_blocks]
}

run "rejects_cidr_public_block" {
  command = plan

  variables {
    allowed_cidr_blocks = ["8.8.8.0/24"]
  }

  expect_failures = [var.allowed_cidr_blocks]
}

run "rejects_cidr_wider_than_a_private_range" {
  command = plan

  variables {
    allowed_cidr_blocks = ["10.0.0.0/7"]
  }

  expect_failures = [var.allowed_cidr_blocks]
}

run "rejects_cidr_just_outside_172_16_0_0_12" {
  command = plan

  variables {
    allowed_cidr_blocks = ["172.32.0.0/16"]
  }

  expect_failures = [var.allowed_cidr_blocks]
}

run "rejects_public_cidr_next_to_private_ones" {
  command = plan

  variables {
    allowed_cidr_blocks = ["192.168.0.0/24", "11.0.0.0/8"]
  }

  expect_failures = [var.allowed_cidr_blocks]
}

run "accepts_cidrs_inside_private_ranges" {
  command = plan

  variables {
    allowed_cidr_blocks = ["10.20.0.0/16", "172.31.0.0/16", "192.168.1.10/32", "100.64.0.0/10", "10.0.0.0/8"]
  }

  assert {
    condition     = length(aws_vpc_security_group_ingress_rule.proxy_cidr) == 5
    error_message = "private CIDRs are accepted"
  }
}

run "rejects_public_cidr_in_global_database" {
  command = plan

  variables {
    global_database = {
      allowed_cidr_blocks = ["8.8.8.0/24"]
    }
  }

  expect_failures = [var.global_database]
}

run "rejects_cidr_malformed" {
  command = plan

  variables {
    allowed_cidr_blocks = ["10.0.0.0"]
  }

  expect_failures = [var.allowed_cidr_blocks]
}

run "rejects_one_subnet_only" {
  command = plan

  variables {
    subnet_ids = ["subnet-0123456789abcdef0"]
  }

  expect_failures = [var.subnet_ids]
}

run "rejects_shared_buffers_never" {
  command = plan

  variables {
    extra_cluster_parameters = [{ name = "shared_buffers", value = "16384" }]
  }

  expect_failures = [var.extra_cluster_parameters]
}

run "rejects_idle_in_transaction_timeout_is_not_a_parameter" {
  command = plan

  variables {
    extra_cluster_parameters = [{ name = "idle_in_transaction_timeout", value = "60000" }]
  }

  expect_failures = [var.extra_cluster_parameters]
}

run "rejects_work_mem_too_small" {
  command = plan

  variables {
    db_parameters = { work_mem = 10 }
  }

  expect_failures = [var.db_parameters]
}

run "rejects_budget_not_positive" {
  command = plan

  variables {
    monthly_budget_usd = 0
  }

  expect_failures = [var.monthly_budget_usd]
}

run "rejects_global_database_without_network" {
  command = plan

  variables {
    global_database = { enabled = true }
  }

  expect_failures = [var.global_database]
}

run "rejects_name_too_long" {
  command = plan

  variables {
    name = "mistersmith-aurora-production-1"
  }

  expect_failures = [var.name]
}

run "accepts_the_edges" {
  command = plan

  variables {
    min_capacity                 = 0.5
    max_capacity                 = 256
    backup_retention_period      = 35
    preferred_backup_window      = "04:00-04:30"
    preferred_maintenance_window = "sun:04:30-sun:05:00"
    reader_promotion_tiers       = [0, 15]
    proxy = {
      max_connections_percent      = 100
      max_idle_connections_percent = 100
      connection_borrow_timeout    = 3600
      session_pinning_filters      = ["EXCLUDE_VARIABLE_SETS"]
    }
  }

  assert {
    condition     = aws_rds_cluster.this.preferred_backup_window == "04:00-04:30"
    error_message = "adjacent windows (touching, not overlapping) and the range edges are valid"
  }
}

# master_username follows AWS's reserved words for Aurora PostgreSQL (limits.tf reserved_master_usernames).
run "accepts_master_username_postgres" {
  command = plan

  variables {
    master_username = "postgres" # the Aurora console's default master user
  }

  assert {
    condition     = aws_rds_cluster.this.master_username == "postgres"
    error_message = "postgres is the Aurora console's default master user name and must be accepted."
  }
}

run "accepts_master_username_admin" {
  command = plan

  variables {
    master_username = "admin" # a non-reserved key word in PostgreSQL
  }
}

run "rejects_master_username_rdsadmin" {
  command = plan

  variables {
    master_username = "rdsadmin"
  }

  expect_failures = [var.master_username]
}

run "rejects_master_username_rds_superuser" {
  command = plan

  variables {
    master_username = "rds_superuser"
  }

  expect_failures = [var.master_username]
}

run "rejects_master_username_reserved_key_word" {
  command = plan

  variables {
    master_username = "user"
  }

  expect_failures = [var.master_username]
}

run "rejects_master_username_public" {
  command = plan

  variables {
    master_username = "public"
  }

  expect_failures = [var.master_username]
}

run "rejects_master_username_pg_prefix" {
  command = plan

  variables {
    master_username = "pg_monitor"
  }

  expect_failures = [var.master_username]
}

run "rejects_master_username_uppercase" {
  command = plan

  variables {
    master_username = "Postgres"
  }

  expect_failures = [var.master_username]
}
