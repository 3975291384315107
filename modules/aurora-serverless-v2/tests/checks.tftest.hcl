# Plan-time sizing checks (warnings, not errors): work_mem x pooled connections against the memory at
# MIN ACU, as the generator warns (generator/inputs/validate.py).

mock_provider "aws" {
  source = "./tests/mocks/aws"
}

mock_provider "aws" {
  alias  = "dr"
  source = "./tests/mocks/aws-dr"
}

variables {
  name                = "mistersmith-test"
  environment         = "test"
  vpc_id              = "vpc-0123456789abcdef0"
  subnet_ids          = ["subnet-0123456789abcdef0", "subnet-0123456789abcdef1"]
  allowed_cidr_blocks = ["10.20.0.0/16"]
  min_capacity        = 2
  max_capacity        = 2
}

run "work_mem_fits_memory_at_min_acu" {
  command = plan
  variables {
    # 256 MiB x 10 = 2.5 GiB within the 4 GiB at min 2 ACU (the old rule, max ACU > 2, warned here).
    db_parameters = { work_mem = 262144 }
    expected_load = { pooled_connections = 10 }
  }
  assert {
    condition     = output.sizing.memory_gib_at_min_acu == 4 && output.sizing.work_mem_exposure_gib == 2.5
    error_message = "4 GiB at min 2 ACU; 256 MiB x 10 connections = 2.5 GiB"
  }
}

run "work_mem_beyond_memory_at_min_acu_warns" {
  command = plan
  variables {
    # 256 MiB x 100 = 25 GiB against 2 GiB at min 1 ACU: the old rule passed it because max ACU > 2.
    min_capacity  = 1
    max_capacity  = 32
    db_parameters = { work_mem = 262144 }
    expected_load = { pooled_connections = 100 }
  }
  expect_failures = [check.work_mem_fits_memory]
}

run "default_work_mem_beyond_half_acu_warns" {
  command = plan
  variables {
    # 64 MiB x 20 = 1.25 GiB against 1 GiB at min 0.5 ACU.
    min_capacity  = 0.5
    max_capacity  = 8
    expected_load = { pooled_connections = 20 }
  }
  expect_failures = [check.work_mem_fits_memory]
}

run "work_mem_not_checked_without_pooled_connections" {
  command = plan
  variables {
    min_capacity  = 0.5
    db_parameters = { work_mem = 1048576 }
  }
  assert {
    condition     = output.sizing.work_mem_exposure_gib == null && output.sizing.memory_gib_at_min_acu == 1
    error_message = "without expected_load.pooled_connections there is no exposure to check"
  }
}
