# max_connections by max ACU: the generator's values (generator/model/sizing.py:max_connections over
# generator/data/aws-limits-2025-11.yaml), interpolated between AWS's documented points, extended
# along the last slope and capped. tests/test_terraform_limits.py checks each expectation here
# against the generator, so the module and the generator cannot disagree.

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
  min_capacity        = 1
  max_capacity        = 2
}

run "max_connections_max_1_5_min_1" {
  command = plan
  variables {
    max_capacity = 1.5
  }
  assert {
    condition     = output.max_connections == 294
    error_message = "max 1.5 ACU: 294 (between 189 at 1 and 823 at 4)"
  }
}

run "max_connections_max_2_min_1" {
  command = plan
  assert {
    condition     = output.max_connections == 400
    error_message = "max 2 ACU: 400"
  }
}

run "max_connections_max_2_5_min_1" {
  command = plan
  variables {
    max_capacity = 2.5
  }
  assert {
    condition     = output.max_connections == 506
    error_message = "max 2.5 ACU: 506"
  }
}

run "max_connections_max_6_min_2" {
  command = plan
  variables {
    min_capacity = 2
    max_capacity = 6
  }
  assert {
    condition     = output.max_connections == 1246
    error_message = "max 6 ACU: 1246"
  }
}

run "max_connections_max_12_min_2" {
  command = plan
  variables {
    min_capacity = 2
    max_capacity = 12
  }
  assert {
    condition     = output.max_connections == 2514
    error_message = "max 12 ACU: 2514"
  }
}

run "max_connections_max_20_min_2" {
  command = plan
  variables {
    min_capacity = 2
    max_capacity = 20
  }
  assert {
    condition     = output.max_connections == 4205
    error_message = "max 20 ACU: 4205 (past 16 ACU along the last slope)"
  }
}

run "max_connections_max_23_5_min_2" {
  command = plan
  variables {
    min_capacity = 2
    max_capacity = 23.5
  }
  assert {
    condition     = output.max_connections == 4945
    error_message = "max 23.5 ACU: 4945"
  }
}

run "max_connections_max_24_min_2" {
  command = plan
  variables {
    min_capacity = 2
    max_capacity = 24
  }
  assert {
    condition     = output.max_connections == 5000
    error_message = "max 24 ACU: capped at 5000"
  }
}

run "max_connections_max_32_min_0_5" {
  command = plan
  variables {
    min_capacity = 0.5
    max_capacity = 32
  }
  assert {
    condition     = output.max_connections == 2000
    error_message = "max 32 ACU with min 0.5: capped at 2000"
  }
}

run "max_connections_max_3_min_1" {
  command = plan
  variables {
    max_capacity = 3
  }
  assert {
    condition     = output.max_connections == 611
    error_message = "max 3 ACU: 611"
  }
}

run "max_connections_max_256_min_1" {
  command = plan
  variables {
    max_capacity = 256
  }
  assert {
    condition     = output.max_connections == 5000
    error_message = "max 256 ACU: 5000"
  }
}
