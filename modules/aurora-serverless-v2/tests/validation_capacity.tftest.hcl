# Validation of capacity, auto-pause, retention and windows: each rule rejects a wrong value (expect_failures).

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

run "rejects_acu_min_not_in_half_steps" {
  command = plan

  variables {
    min_capacity = 1.25
  }

  expect_failures = [var.min_capacity]
}

run "rejects_acu_min_above_256" {
  command = plan

  variables {
    min_capacity = 300
    max_capacity = 300
  }

  expect_failures = [var.min_capacity]
}

run "rejects_acu_min_negative" {
  command = plan

  variables {
    min_capacity = -0.5
  }

  expect_failures = [var.min_capacity]
}

run "rejects_acu_max_below_1" {
  command = plan

  variables {
    min_capacity = 0.5
    max_capacity = 0.5
  }

  expect_failures = [var.max_capacity]
}

run "rejects_acu_max_above_256" {
  command = plan

  variables {
    max_capacity = 256.5
  }

  expect_failures = [var.max_capacity]
}

run "rejects_acu_max_not_in_half_steps" {
  command = plan

  variables {
    max_capacity = 7.3
  }

  expect_failures = [var.max_capacity]
}

run "rejects_acu_max_below_min" {
  command = plan

  variables {
    min_capacity = 8
    max_capacity = 4
  }

  expect_failures = [var.max_capacity]
}

run "rejects_acu_zero_without_auto_pause_seconds" {
  command = plan

  variables {
    min_capacity = 0
    proxy        = { enabled = false }
  }

  expect_failures = [var.min_capacity]
}

run "rejects_acu_zero_on_engine_without_auto_pause" {
  command = plan

  variables {
    min_capacity             = 0
    seconds_until_auto_pause = 300
    engine_version           = "16.2"
    proxy                    = { enabled = false }
  }

  expect_failures = [var.min_capacity]
}

run "rejects_acu_zero_with_proxy" {
  command = plan

  variables {
    min_capacity             = 0
    seconds_until_auto_pause = 300
  }

  expect_failures = [var.min_capacity]
}

run "rejects_auto_pause_seconds_out_of_range" {
  command = plan

  variables {
    seconds_until_auto_pause = 100
  }

  expect_failures = [var.seconds_until_auto_pause]
}

run "rejects_retention_zero" {
  command = plan

  variables {
    backup_retention_period = 0
  }

  expect_failures = [var.backup_retention_period]
}

run "rejects_retention_36" {
  command = plan

  variables {
    backup_retention_period = 36
  }

  expect_failures = [var.backup_retention_period]
}

run "rejects_backup_window_malformed" {
  command = plan

  variables {
    preferred_backup_window = "3:00-4:00"
  }

  expect_failures = [var.preferred_backup_window]
}

run "rejects_backup_window_under_30_minutes" {
  command = plan

  variables {
    preferred_backup_window = "03:00-03:29"
  }

  expect_failures = [var.preferred_backup_window]
}

run "rejects_backup_window_overlaps_maintenance" {
  command = plan

  variables {
    preferred_backup_window      = "05:30-06:30"
    preferred_maintenance_window = "sun:05:00-sun:06:00"
  }

  expect_failures = [var.preferred_backup_window]
}

run "rejects_backup_window_overlaps_maintenance_across_midnight" {
  command = plan

  variables {
    preferred_backup_window      = "23:45-00:30"
    preferred_maintenance_window = "mon:00:00-mon:01:00"
  }

  expect_failures = [var.preferred_backup_window]
}

run "rejects_backup_window_contains_maintenance" {
  command = plan

  variables {
    preferred_backup_window      = "02:00-06:00"
    preferred_maintenance_window = "wed:03:00-wed:03:30"
  }

  expect_failures = [var.preferred_backup_window]
}

run "rejects_maintenance_window_malformed" {
  command = plan

  variables {
    preferred_maintenance_window = "Sunday 05:00-06:00"
  }

  expect_failures = [var.preferred_maintenance_window]
}

run "rejects_maintenance_window_under_30_minutes" {
  command = plan

  variables {
    preferred_maintenance_window = "sun:05:00-sun:05:15"
  }

  expect_failures = [var.preferred_maintenance_window]
}

run "rejects_snapshot_daily_retention_zero" {
  command = plan

  variables {
    snapshot_schedule = { daily_retention_days = 0 }
  }

  expect_failures = [var.snapshot_schedule]
}

run "accepts_auto_pause_on_a_version_that_has_it" {
  command = plan

  variables {
    min_capacity             = 0
    max_capacity             = 2
    seconds_until_auto_pause = 86400
    engine_version           = "15.7"
    proxy                    = { enabled = false }
  }

  assert {
    condition     = aws_rds_cluster.this.serverlessv2_scaling_configuration[0].min_capacity == 0 && output.max_connections == 400
    error_message = "0 ACU with auto-pause on 15.7 is valid; max 2 ACU gives 400 connections"
  }
}
