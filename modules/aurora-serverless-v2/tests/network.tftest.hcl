# Network path (mock providers): clients reach the proxy only, the cluster admits the proxy and the
# administrators; without a proxy the clients reach the cluster. Bring-your-own groups, IPv6, prefix lists.

mock_provider "aws" {
  source = "./tests/mocks/aws"
}

mock_provider "aws" {
  alias  = "dr"
  source = "./tests/mocks/aws-dr"
}

variables {
  name                       = "mistersmith-test"
  environment                = "test"
  vpc_id                     = "vpc-0123456789abcdef0"
  subnet_ids                 = ["subnet-0123456789abcdef0", "subnet-0123456789abcdef1"]
  allowed_cidr_blocks        = ["10.20.0.0/16"]
  allowed_security_group_ids = ["sg-0aaaaaaaaaaaaaaa1"]
  min_capacity               = 2
  max_capacity               = 32
}

run "clients_reach_the_proxy_only" {
  command = plan

  variables {
    admin_security_group_ids = ["sg-0bbbbbbbbbbbbbbb2"]
  }

  assert {
    condition     = keys(aws_vpc_security_group_ingress_rule.proxy_cidr) == ["10.20.0.0/16"] && [for r in aws_vpc_security_group_ingress_rule.proxy_sg : r.referenced_security_group_id] == ["sg-0aaaaaaaaaaaaaaa1"] && aws_vpc_security_group_ingress_rule.proxy_cidr["10.20.0.0/16"].from_port == 5432
    error_message = "the proxy admits the allowed CIDR and the application security group on 5432"
  }
  assert {
    condition     = length(aws_vpc_security_group_ingress_rule.cluster_cidr) == 0 && length(aws_vpc_security_group_ingress_rule.cluster_sg) == 0 && length(aws_vpc_security_group_ingress_rule.cluster_ipv6) == 0 && length(aws_vpc_security_group_ingress_rule.cluster_prefix_list) == 0
    error_message = "with a proxy the cluster admits no client directly: the proxy's IAM authentication cannot be skipped"
  }
  assert {
    condition     = length(aws_vpc_security_group_ingress_rule.cluster_from_proxy) == 1 && [for r in aws_vpc_security_group_ingress_rule.cluster_admin : r.referenced_security_group_id] == ["sg-0bbbbbbbbbbbbbbb2"]
    error_message = "the cluster admits the proxy and the listed administrator security groups"
  }
  assert {
    condition     = length(aws_vpc_security_group_egress_rule.proxy_to_cluster) == 1 && aws_vpc_security_group_egress_rule.proxy_to_cluster[0].from_port == 5432
    error_message = "the proxy reaches the cluster's security group only"
  }
}

run "no_administrators_unless_listed" {
  command = plan

  assert {
    condition     = length(aws_vpc_security_group_ingress_rule.cluster_admin) == 0 && length(aws_vpc_security_group_ingress_rule.cluster_from_proxy) == 1
    error_message = "by default the cluster admits the proxy alone"
  }
}

run "without_proxy_clients_reach_the_cluster" {
  command = plan

  variables {
    proxy = { enabled = false }
  }

  assert {
    condition     = keys(aws_vpc_security_group_ingress_rule.cluster_cidr) == ["10.20.0.0/16"] && [for r in aws_vpc_security_group_ingress_rule.cluster_sg : r.referenced_security_group_id] == ["sg-0aaaaaaaaaaaaaaa1"]
    error_message = "without a proxy the clients are admitted by the cluster"
  }
  assert {
    condition     = length(aws_vpc_security_group_ingress_rule.proxy_cidr) == 0 && length(aws_vpc_security_group_ingress_rule.cluster_from_proxy) == 0 && length(aws_security_group.proxy) == 0
    error_message = "no proxy rules without a proxy"
  }
}

run "custom_port_on_the_cluster_proxy_stays_5432" {
  command = plan

  variables {
    port = 6543
  }

  assert {
    condition     = aws_rds_cluster.this.port == 6543 && output.port == 6543 && aws_vpc_security_group_ingress_rule.cluster_from_proxy[0].from_port == 6543 && aws_vpc_security_group_egress_rule.proxy_to_cluster[0].to_port == 6543
    error_message = "the cluster listens on var.port and the proxy reaches it there"
  }
  assert {
    condition     = aws_vpc_security_group_ingress_rule.proxy_cidr["10.20.0.0/16"].from_port == 5432
    error_message = "RDS Proxy for PostgreSQL listens on 5432 whatever the cluster's port"
  }
}

run "rejects_a_port_outside_aurora_range" {
  command = plan

  variables {
    port = 80
  }

  expect_failures = [var.port]
}

run "ipv6_and_prefix_lists_on_a_dual_stack_cluster" {
  command = plan

  variables {
    network_type             = "DUAL"
    allowed_ipv6_cidr_blocks = ["fd12:3456:789a::/48"]
    allowed_prefix_list_ids  = ["pl-0123456789abcdef0"]
    proxy                    = { enabled = false }
  }

  override_data {
    target = data.aws_ec2_managed_prefix_list.allowed[0]
    values = {
      id      = "pl-0123456789abcdef0"
      entries = [{ cidr = "10.30.0.0/16", description = "office" }, { cidr = "fd00:1::/64", description = "office v6" }]
    }
  }

  assert {
    condition     = aws_rds_cluster.this.network_type == "DUAL" && aws_vpc_security_group_ingress_rule.cluster_ipv6["fd12:3456:789a::/48"].cidr_ipv6 == "fd12:3456:789a::/48"
    error_message = "a DUAL cluster admits its private IPv6 clients"
  }
  assert {
    condition     = aws_vpc_security_group_ingress_rule.cluster_prefix_list[0].prefix_list_id == "pl-0123456789abcdef0"
    error_message = "the prefix list is admitted"
  }
}

run "rejects_a_prefix_list_with_a_public_entry" {
  command = plan

  variables {
    allowed_prefix_list_ids = ["pl-0123456789abcdef0"]
  }

  override_data {
    target = data.aws_ec2_managed_prefix_list.allowed[0]
    values = {
      id      = "pl-0123456789abcdef0"
      entries = [{ cidr = "10.30.0.0/16", description = "office" }, { cidr = "203.0.113.0/24", description = "public" }]
    }
  }

  expect_failures = [data.aws_ec2_managed_prefix_list.allowed]
}

run "rejects_public_ipv6" {
  command = plan

  variables {
    network_type             = "DUAL"
    allowed_ipv6_cidr_blocks = ["2001:db8::/32"]
  }

  expect_failures = [var.allowed_ipv6_cidr_blocks]
}

run "rejects_ipv6_without_dual_stack" {
  command = plan

  variables {
    allowed_ipv6_cidr_blocks = ["fd00::/8"]
  }

  expect_failures = [var.allowed_ipv6_cidr_blocks]
}

run "rejects_a_network_type_aurora_lacks" {
  command = plan

  variables {
    network_type = "IPV6"
  }

  expect_failures = [var.network_type]
}

run "rejects_a_malformed_prefix_list_id" {
  command = plan

  variables {
    allowed_prefix_list_ids = ["sg-0123"]
  }

  expect_failures = [var.allowed_prefix_list_ids]
}

run "bring_your_own_security_groups_and_subnet_group" {
  command = plan

  variables {
    create_security_group  = false
    vpc_security_group_ids = ["sg-0ccccccccccccccc3"]
    create_db_subnet_group = false
    db_subnet_group_name   = "shared-db-subnets"
  }

  assert {
    condition     = length(aws_security_group.cluster) == 0 && aws_rds_cluster.this.vpc_security_group_ids == toset(["sg-0ccccccccccccccc3"]) && output.security_group_id == null
    error_message = "with create_security_group = false the cluster carries only the given groups"
  }
  assert {
    condition     = [for r in aws_vpc_security_group_egress_rule.proxy_to_cluster : r.referenced_security_group_id] == ["sg-0ccccccccccccccc3"]
    error_message = "the proxy reaches the given cluster groups"
  }
  assert {
    condition     = length(aws_db_subnet_group.this) == 0 && aws_rds_cluster.this.db_subnet_group_name == "shared-db-subnets" && alltrue([for i in aws_rds_cluster_instance.this : i.db_subnet_group_name == "shared-db-subnets"])
    error_message = "the cluster and its instances use the existing subnet group"
  }
}

run "extra_security_groups_next_to_the_module_one" {
  command = plan

  variables {
    vpc_security_group_ids = ["sg-0ccccccccccccccc3"]
  }

  assert {
    condition     = length(aws_security_group.cluster) == 1 && length(output.cluster_security_group_ids) == 2 && output.cluster_security_group_ids[1] == "sg-0ccccccccccccccc3" && length(aws_vpc_security_group_egress_rule.proxy_to_cluster) == 2 && aws_vpc_security_group_egress_rule.proxy_to_cluster[1].referenced_security_group_id == "sg-0ccccccccccccccc3"
    error_message = "vpc_security_group_ids are attached besides the module's group"
  }
}

run "rejects_no_security_group_at_all" {
  command = plan

  variables {
    create_security_group = false
  }

  expect_failures = [var.vpc_security_group_ids]
}

run "rejects_administrators_without_the_module_group" {
  command = plan

  variables {
    create_security_group    = false
    vpc_security_group_ids   = ["sg-0ccccccccccccccc3"]
    admin_security_group_ids = ["sg-0bbbbbbbbbbbbbbb2"]
  }

  expect_failures = [var.admin_security_group_ids]
}

# Without the module's group and without a proxy nothing would admit the allowed clients: refused, not
# silently dropped (the caller's own groups must admit them, so the caller lists none here).
run "rejects_clients_nothing_would_admit" {
  command = plan

  variables {
    create_security_group  = false
    vpc_security_group_ids = ["sg-0ccccccccccccccc3"]
    proxy                  = { enabled = false }
  }

  expect_failures = [var.create_security_group]
}

run "bring_your_own_group_without_proxy_and_without_clients" {
  command = plan

  variables {
    create_security_group      = false
    vpc_security_group_ids     = ["sg-0ccccccccccccccc3"]
    proxy                      = { enabled = false }
    allowed_cidr_blocks        = []
    allowed_security_group_ids = []
  }

  assert {
    condition     = aws_rds_cluster.this.vpc_security_group_ids == toset(["sg-0ccccccccccccccc3"])
    error_message = "the caller's group alone, which admits the clients itself"
  }
}

run "rejects_existing_subnet_group_without_a_name" {
  command = plan

  variables {
    create_db_subnet_group = false
  }

  expect_failures = [var.db_subnet_group_name]
}

run "module_subnet_group_can_be_named" {
  command = plan

  variables {
    db_subnet_group_name = "custom-subnets"
  }

  assert {
    condition     = aws_db_subnet_group.this[0].name == "custom-subnets" && aws_rds_cluster.this.db_subnet_group_name == "custom-subnets"
    error_message = "db_subnet_group_name names the module's subnet group"
  }
}
