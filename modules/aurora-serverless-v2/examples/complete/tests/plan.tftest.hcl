# The example plans with mock providers (no AWS). The prefix list is read at plan time: mocked private.
mock_provider "aws" {
  source = "../../tests/mocks/aws"

  mock_data "aws_ec2_managed_prefix_list" {
    defaults = { entries = [{ cidr = "10.40.0.0/16", description = "office" }] }
  }
}

mock_provider "aws" {
  alias  = "dr"
  source = "../../tests/mocks/aws-dr"
}

run "plans_every_feature" {
  command = plan

  assert {
    condition     = module.aurora.sizing.instances == 3 && module.aurora.max_connections == 3360
    error_message = "writer and two readers; max_connections 3360 at max 16 ACU"
  }
  assert {
    condition     = module.aurora.cluster_parameters["rds.force_ssl"] == "1" && module.aurora.proxy_log_group_name == "/aws/rds/proxy/example-aurora"
    error_message = "TLS enforced; the proxy logs to the module's log group"
  }
}
