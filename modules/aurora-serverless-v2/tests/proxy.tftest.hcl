# RDS Proxy: auth, TLS, pool configuration, target and the optional read-only endpoint (mock providers).

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

run "proxy_uses_managed_secret_with_iam_auth_and_tls" {
  command = plan

  assert {
    condition     = aws_db_proxy.this[0].engine_family == "POSTGRESQL" && aws_db_proxy.this[0].require_tls
    error_message = "the proxy must be POSTGRESQL with TLS required"
  }
  assert {
    condition     = [for a in aws_db_proxy.this[0].auth : "${a.auth_scheme}/${a.iam_auth}"] == ["SECRETS/REQUIRED"]
    error_message = "the proxy must authenticate with SECRETS and require IAM auth"
  }
  assert {
    condition     = aws_db_proxy.this[0].vpc_subnet_ids == toset(var.subnet_ids)
    error_message = "the proxy runs in the cluster's subnets"
  }
  assert {
    condition     = aws_db_proxy_target.this[0].db_cluster_identifier == "mistersmith-test" && length(aws_db_proxy_endpoint.read_only) == 0
    error_message = "the cluster is the proxy's target; no read-only endpoint by default"
  }
  assert {
    condition     = keys(aws_vpc_security_group_ingress_rule.proxy_cidr) == ["10.20.0.0/16"] && length(aws_vpc_security_group_egress_rule.proxy_to_cluster) == 1
    error_message = "the proxy admits the allowed CIDRs and reaches only the cluster"
  }
}

run "proxy_role_reads_only_the_secret_and_key" {
  command = plan

  variables {
    kms_key_arn = "arn:aws:kms:us-east-1:123456789012:key/11111111-2222-3333-4444-555555555555"
  }

  # The RDS-managed secret exists only after apply: give the plan one.
  override_resource {
    target          = aws_rds_cluster.this
    override_during = plan
    values = {
      master_user_secret = [{
        secret_arn    = "arn:aws:secretsmanager:us-east-1:123456789012:secret:rds!cluster-0123-AbCdEf"
        kms_key_id    = "arn:aws:kms:us-east-1:123456789012:key/11111111-2222-3333-4444-555555555555"
        secret_status = "active"
      }]
    }
  }

  assert {
    condition     = [for a in aws_db_proxy.this[0].auth : a.secret_arn] == ["arn:aws:secretsmanager:us-east-1:123456789012:secret:rds!cluster-0123-AbCdEf"]
    error_message = "the proxy authenticates with the cluster's managed master secret"
  }
  assert {
    condition     = jsondecode(aws_iam_role_policy.proxy[0].policy).Statement[0].Resource == "arn:aws:secretsmanager:us-east-1:123456789012:secret:rds!cluster-0123-AbCdEf"
    error_message = "the proxy role may read that secret only"
  }
  assert {
    condition = (
      jsonencode(jsondecode(aws_iam_role_policy.proxy[0].policy).Statement[1].Resource) == jsonencode([var.kms_key_arn]) &&
      jsondecode(aws_iam_role_policy.proxy[0].policy).Statement[1].Action == "kms:Decrypt" &&
      jsondecode(aws_iam_role_policy.proxy[0].policy).Statement[1].Condition.StringEquals["kms:ViaService"] == "secretsmanager.us-east-1.amazonaws.com"
    )
    error_message = "the proxy role may decrypt with the cluster key only, through Secrets Manager"
  }
  assert {
    condition     = jsondecode(aws_iam_role.proxy[0].assume_role_policy).Statement[0].Principal.Service == "rds.amazonaws.com"
    error_message = "only RDS assumes the proxy role"
  }
  assert {
    condition     = length(jsondecode(aws_iam_role_policy.proxy[0].policy).Statement) == 2
    error_message = "without application user secrets the role reads the master secret only"
  }
}

run "proxy_authenticates_application_users_with_their_own_secrets" {
  command = plan

  variables {
    kms_key_arn = "arn:aws:kms:us-east-1:123456789012:key/11111111-2222-3333-4444-555555555555"
    proxy_user_secret_arns = [
      "arn:aws:secretsmanager:us-east-1:123456789012:secret:mistersmith/app-AbCdEf",
      "arn:aws:secretsmanager:us-east-1:123456789012:secret:mistersmith/reporting-GhIjKl",
    ]
    proxy_user_secret_kms_key_arns = ["arn:aws:kms:us-east-1:123456789012:key/99999999-8888-7777-6666-555555555555"]
  }

  override_resource {
    target          = aws_rds_cluster.this
    override_during = plan
    values = {
      master_user_secret = [{
        secret_arn    = "arn:aws:secretsmanager:us-east-1:123456789012:secret:rds!cluster-0123-AbCdEf"
        kms_key_id    = "arn:aws:kms:us-east-1:123456789012:key/11111111-2222-3333-4444-555555555555"
        secret_status = "active"
      }]
    }
  }

  # The auth blocks' computed client_password_auth_type would leave the set's size unknown at plan.
  override_resource {
    target          = aws_db_proxy.this
    override_during = plan
  }

  assert {
    condition     = length(aws_db_proxy.this[0].auth) == 3
    error_message = "one auth block for the master secret and one per application user secret"
  }
  assert {
    condition = (
      toset([for a in aws_db_proxy.this[0].auth : a.secret_arn]) == toset(concat(["arn:aws:secretsmanager:us-east-1:123456789012:secret:rds!cluster-0123-AbCdEf"], var.proxy_user_secret_arns)) &&
      alltrue([for a in aws_db_proxy.this[0].auth : a.auth_scheme == "SECRETS" && a.iam_auth == "REQUIRED"])
    )
    error_message = "every auth block is SECRETS with IAM auth REQUIRED, on the master and the two user secrets"
  }
  assert {
    condition = (
      jsondecode(aws_iam_role_policy.proxy[0].policy).Statement[0].Resource == "arn:aws:secretsmanager:us-east-1:123456789012:secret:rds!cluster-0123-AbCdEf" &&
      jsondecode(aws_iam_role_policy.proxy[0].policy).Statement[2].Sid == "ReadTheApplicationUserSecrets" &&
      jsonencode(jsondecode(aws_iam_role_policy.proxy[0].policy).Statement[2].Resource) == jsonencode(var.proxy_user_secret_arns) &&
      jsonencode(jsondecode(aws_iam_role_policy.proxy[0].policy).Statement[2].Action) == jsonencode(["secretsmanager:GetSecretValue", "secretsmanager:DescribeSecret"]) &&
      length(jsondecode(aws_iam_role_policy.proxy[0].policy).Statement) == 3
    )
    error_message = "the proxy role reads the master secret and exactly the two user secrets"
  }
  assert {
    condition = (
      jsonencode(jsondecode(aws_iam_role_policy.proxy[0].policy).Statement[1].Resource) == jsonencode(concat([var.kms_key_arn], var.proxy_user_secret_kms_key_arns)) &&
      jsondecode(aws_iam_role_policy.proxy[0].policy).Statement[1].Condition.StringEquals["kms:ViaService"] == "secretsmanager.us-east-1.amazonaws.com"
    )
    error_message = "the proxy role decrypts with the module key and the given secret keys, through Secrets Manager only"
  }
}

run "rejects_proxy_user_secret_that_is_not_a_secret_arn" {
  command = plan

  variables {
    proxy_user_secret_arns = ["arn:aws:kms:us-east-1:123456789012:key/11111111-2222-3333-4444-555555555555"]
  }

  expect_failures = [var.proxy_user_secret_arns]
}

run "rejects_proxy_user_secret_kms_key_that_is_not_a_key_arn" {
  command = plan

  variables {
    proxy_user_secret_kms_key_arns = ["alias/mine"]
  }

  expect_failures = [var.proxy_user_secret_kms_key_arns]
}

run "default_pool_configuration" {
  command = plan

  assert {
    condition = (
      aws_db_proxy_default_target_group.this[0].connection_pool_config[0].max_connections_percent == 80 &&
      aws_db_proxy_default_target_group.this[0].connection_pool_config[0].max_idle_connections_percent == 50 &&
      aws_db_proxy_default_target_group.this[0].connection_pool_config[0].connection_borrow_timeout == 120 &&
      length(aws_db_proxy_default_target_group.this[0].connection_pool_config[0].session_pinning_filters) == 0
    )
    error_message = "pool defaults are 80 / 50 / 120 s with no pinning filter"
  }
  assert {
    condition     = output.max_connections == 5000 && output.sizing.proxy_max_connections == 4000
    error_message = "max 32 ACU gives max_connections 5000, of which the proxy takes 80%"
  }
}

run "pool_configuration_from_variables" {
  command = plan

  variables {
    reader_promotion_tiers = [1]
    proxy = {
      max_connections_percent      = 90
      max_idle_connections_percent = 10
      connection_borrow_timeout    = 30
      session_pinning_filters      = ["EXCLUDE_VARIABLE_SETS"]
      read_only_endpoint_enabled   = true
    }
  }

  assert {
    condition = (
      aws_db_proxy_default_target_group.this[0].connection_pool_config[0].max_connections_percent == 90 &&
      aws_db_proxy_default_target_group.this[0].connection_pool_config[0].max_idle_connections_percent == 10 &&
      aws_db_proxy_default_target_group.this[0].connection_pool_config[0].connection_borrow_timeout == 30 &&
      aws_db_proxy_default_target_group.this[0].connection_pool_config[0].session_pinning_filters == toset(["EXCLUDE_VARIABLE_SETS"])
    )
    error_message = "the pool takes its settings from var.proxy"
  }
  assert {
    condition     = aws_db_proxy_endpoint.read_only[0].target_role == "READ_ONLY" && aws_db_proxy_endpoint.read_only[0].db_proxy_endpoint_name == "mistersmith-test-ro"
    error_message = "the optional endpoint is READ_ONLY"
  }
}
