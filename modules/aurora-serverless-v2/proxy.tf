################################################################################
# RDS Proxy: SECRETS auth (master secret, application users), IAM auth REQUIRED, TLS only
################################################################################

resource "aws_security_group" "proxy" {
  #checkov:skip=CKV2_AWS_5:Attached to aws_db_proxy.this[0] (and the read-only endpoint); the graph check misses attachments through count.
  count = var.proxy.enabled ? 1 : 0

  name        = "${var.name}-proxy"
  description = "RDS Proxy of Aurora ${var.name}: PostgreSQL ${local.port} from allowed clients, to the cluster only"
  vpc_id      = var.vpc_id
  tags        = merge(local.tags, { Name = "${var.name}-proxy" })

  lifecycle {
    create_before_destroy = true
  }
}

# The clients: allowed CIDR blocks (IPv4, IPv6), prefix lists and application security groups, on the
# proxy's PostgreSQL port. The cluster does not admit them while the proxy is there (main.tf).
resource "aws_vpc_security_group_ingress_rule" "proxy_cidr" {
  for_each = var.proxy.enabled ? toset(var.allowed_cidr_blocks) : toset([])

  security_group_id = aws_security_group.proxy[0].id
  description       = "PostgreSQL from ${each.value}"
  ip_protocol       = "tcp"
  from_port         = local.proxy_port
  to_port           = local.proxy_port
  cidr_ipv4         = each.value
  tags              = local.tags
}

resource "aws_vpc_security_group_ingress_rule" "proxy_ipv6" {
  for_each = var.proxy.enabled ? toset(var.allowed_ipv6_cidr_blocks) : toset([])

  security_group_id = aws_security_group.proxy[0].id
  description       = "PostgreSQL from ${each.value}"
  ip_protocol       = "tcp"
  from_port         = local.proxy_port
  to_port           = local.proxy_port
  cidr_ipv6         = each.value
  tags              = local.tags
}

resource "aws_vpc_security_group_ingress_rule" "proxy_prefix_list" {
  count = var.proxy.enabled ? length(var.allowed_prefix_list_ids) : 0

  security_group_id = aws_security_group.proxy[0].id
  description       = "PostgreSQL from prefix list ${var.allowed_prefix_list_ids[count.index]}"
  ip_protocol       = "tcp"
  from_port         = local.proxy_port
  to_port           = local.proxy_port
  prefix_list_id    = data.aws_ec2_managed_prefix_list.allowed[count.index].id
  tags              = local.tags
}

resource "aws_vpc_security_group_ingress_rule" "proxy_sg" {
  count = var.proxy.enabled ? length(var.allowed_security_group_ids) : 0

  security_group_id            = aws_security_group.proxy[0].id
  description                  = "PostgreSQL from ${var.allowed_security_group_ids[count.index]}"
  ip_protocol                  = "tcp"
  from_port                    = local.proxy_port
  to_port                      = local.proxy_port
  referenced_security_group_id = var.allowed_security_group_ids[count.index]
  tags                         = local.tags
}

# To the cluster's security groups only (the module's first, then vpc_security_group_ids). count: their IDs
# may be unknown until apply (the module's always is).
resource "aws_vpc_security_group_egress_rule" "proxy_to_cluster" {
  count = var.proxy.enabled ? length(local.cluster_security_group_ids) : 0

  security_group_id            = aws_security_group.proxy[0].id
  description                  = "PostgreSQL to the Aurora cluster"
  ip_protocol                  = "tcp"
  from_port                    = local.port
  to_port                      = local.port
  referenced_security_group_id = local.cluster_security_group_ids[count.index]
  tags                         = local.tags
}

# The rule to the module's group was keyed "module" before the rules were counted: it is the first group.
moved {
  from = aws_vpc_security_group_egress_rule.proxy_to_cluster["module"]
  to   = aws_vpc_security_group_egress_rule.proxy_to_cluster[0]
}

# The proxy's log group, the module's (its key, a retention) and there before the proxy: RDS would
# otherwise create it unencrypted and kept forever.
resource "aws_cloudwatch_log_group" "proxy" {
  count = var.proxy.enabled ? 1 : 0

  name              = local.proxy_log_group_name
  retention_in_days = coalesce(var.proxy.log_retention_days, var.cloudwatch_log_retention_days)
  kms_key_id        = local.kms_key_arn
  tags              = local.tags
}

resource "aws_iam_role" "proxy" {
  count = var.proxy.enabled ? 1 : 0

  name_prefix = "${var.name}-proxy-"
  description = "RDS Proxy of Aurora ${var.name}: reads the master and application user secrets"
  assume_role_policy = jsonencode({
    Version = "2012-10-17"
    Statement = [{
      Effect    = "Allow"
      Principal = { Service = "rds.amazonaws.com" }
      Action    = "sts:AssumeRole"
      Condition = { StringEquals = { "aws:SourceAccount" = local.account_id } }
    }]
  })
  tags = local.tags
}

# Only these secrets (the master's and the application users'), and only their keys through Secrets Manager.
resource "aws_iam_role_policy" "proxy" {
  count = var.proxy.enabled ? 1 : 0

  name = "read-proxy-secrets"
  role = aws_iam_role.proxy[0].id
  policy = jsonencode({
    Version = "2012-10-17"
    Statement = concat(
      [
        {
          Sid      = "ReadTheMasterSecret"
          Effect   = "Allow"
          Action   = ["secretsmanager:GetSecretValue", "secretsmanager:DescribeSecret"]
          Resource = local.master_secret_arn
        },
        {
          Sid       = "DecryptTheProxySecrets"
          Effect    = "Allow"
          Action    = "kms:Decrypt"
          Resource  = local.proxy_secret_kms_key_arns
          Condition = { StringEquals = { "kms:ViaService" = "secretsmanager.${local.region}.amazonaws.com" } }
        },
      ],
      length(var.proxy_user_secret_arns) == 0 ? [] : [{
        Sid      = "ReadTheApplicationUserSecrets"
        Effect   = "Allow"
        Action   = ["secretsmanager:GetSecretValue", "secretsmanager:DescribeSecret"]
        Resource = var.proxy_user_secret_arns
      }],
    )
  })
}

locals {
  # The module's key (master secret) plus any other keys the application users' secrets use.
  proxy_secret_kms_key_arns = distinct(concat([local.kms_key_arn], var.proxy_user_secret_kms_key_arns))
}

resource "aws_db_proxy" "this" {
  count = var.proxy.enabled ? 1 : 0

  name                   = var.name
  engine_family          = "POSTGRESQL"
  role_arn               = aws_iam_role.proxy[0].arn
  vpc_subnet_ids         = var.subnet_ids
  vpc_security_group_ids = [aws_security_group.proxy[0].id]
  require_tls            = true
  idle_client_timeout    = var.proxy.idle_client_timeout
  debug_logging          = var.proxy.debug_logging

  # The master user, for administration only: applications connect as their own users (below).
  auth {
    description = "Master user of ${var.name} (administration only)"
    auth_scheme = "SECRETS"
    secret_arn  = local.master_secret_arn
    iam_auth    = "REQUIRED"
  }

  # One per application user (var.proxy_user_secret_arns).
  dynamic "auth" {
    for_each = var.proxy_user_secret_arns
    content {
      description = "Application user ${auth.key + 1} of ${var.name}"
      auth_scheme = "SECRETS"
      secret_arn  = auth.value
      iam_auth    = "REQUIRED"
    }
  }

  tags = local.tags

  timeouts {
    create = var.timeouts.create
    update = var.timeouts.update
    delete = var.timeouts.delete
  }

  depends_on = [aws_iam_role_policy.proxy, aws_cloudwatch_log_group.proxy]
}

resource "aws_db_proxy_default_target_group" "this" {
  count = var.proxy.enabled ? 1 : 0

  db_proxy_name = aws_db_proxy.this[0].name

  connection_pool_config {
    max_connections_percent      = var.proxy.max_connections_percent
    max_idle_connections_percent = var.proxy.max_idle_connections_percent
    connection_borrow_timeout    = var.proxy.connection_borrow_timeout
    session_pinning_filters      = var.proxy.session_pinning_filters
    init_query                   = var.proxy.init_query
  }

  timeouts {
    create = var.timeouts.create
    update = var.timeouts.update
  }
}

resource "aws_db_proxy_target" "this" {
  count = var.proxy.enabled ? 1 : 0

  db_proxy_name         = aws_db_proxy.this[0].name
  target_group_name     = aws_db_proxy_default_target_group.this[0].name
  db_cluster_identifier = aws_rds_cluster.this.cluster_identifier

  # Register once the writer exists, so the target is healthy as soon as it can be.
  depends_on = [aws_rds_cluster_instance.this]
}

# Optional READ_ONLY endpoint over the readers (off by default; emulators such as moto lack it).
resource "aws_db_proxy_endpoint" "read_only" {
  count = var.proxy.enabled && var.proxy.read_only_endpoint_enabled ? 1 : 0

  db_proxy_name          = aws_db_proxy.this[0].name
  db_proxy_endpoint_name = "${var.name}-ro"
  vpc_subnet_ids         = var.subnet_ids
  vpc_security_group_ids = [aws_security_group.proxy[0].id]
  target_role            = "READ_ONLY"
  tags                   = local.tags

  timeouts {
    create = var.timeouts.create
    update = var.timeouts.update
    delete = var.timeouts.delete
  }

  depends_on = [aws_db_proxy_target.this]
}
