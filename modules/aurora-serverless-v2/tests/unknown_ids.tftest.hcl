# Security group and prefix list IDs a caller creates in the same root are unknown at plan time. The
# module's rules must not key for_each on them ("Invalid for_each argument": the plan would fail until
# the caller applied with -target). tests/fixtures/unknown-ids creates them beside the module.

mock_provider "aws" {
  source = "./tests/mocks/aws"
}

mock_provider "aws" {
  alias  = "dr"
  source = "./tests/mocks/aws-dr"
}

run "plans_with_ids_unknown_until_apply_behind_the_proxy" {
  command = plan

  module {
    source = "./tests/fixtures/unknown-ids"
  }

  assert {
    condition     = length(module.aurora.cluster_security_group_ids) == 2
    error_message = "the module's security group and the caller's extra group, though its ID is unknown"
  }
}

run "plans_with_ids_unknown_until_apply_without_proxy" {
  command = plan

  module {
    source = "./tests/fixtures/unknown-ids"
  }

  variables {
    proxy_enabled = false
  }

  assert {
    condition     = module.aurora.proxy_security_group_id == null
    error_message = "no proxy: the clients' rules go on the cluster's group, still planned with unknown IDs"
  }
}

run "plans_with_ids_unknown_until_apply_in_the_dr_region" {
  command = plan

  module {
    source = "./tests/fixtures/unknown-ids"
  }

  variables {
    global_enabled = true
  }

  assert {
    condition     = module.aurora.sizing.instances == 1
    error_message = "with a secondary whose group admits the DR application group (ID unknown), the plan still holds the writer"
  }
}
