locals {
  name = "mistersmith-${var.environment}"

  tags = {
    Project     = "mistersmith-aurora"
    ManagedBy   = "terraform"
    Environment = var.environment
  }

  # At least two are required: checked by the precondition of output "subnet_availability_zones".
  subnet_azs = distinct([for s in data.aws_subnet.database : s.availability_zone])
}

################################################################################
# Network lookups: the VPC by its Name tag, the database subnets by their Tier tag
################################################################################

data "aws_vpc" "this" {
  tags = {
    Name = var.vpc_name
  }
}

data "aws_subnets" "database" {
  filter {
    name   = "vpc-id"
    values = [data.aws_vpc.this.id]
  }

  tags = {
    Tier = var.subnet_tier
  }

  lifecycle {
    postcondition {
      condition     = length(self.ids) >= 2
      error_message = "VPC ${var.vpc_name} needs at least two subnets tagged Tier=${var.subnet_tier} (in two Availability Zones)."
    }
  }
}

data "aws_subnet" "database" {
  for_each = toset(data.aws_subnets.database.ids)

  id = each.value
}

################################################################################
# The cluster
################################################################################

module "aurora" {
  source = "../../modules/aurora-serverless-v2"

  providers = {
    aws    = aws
    aws.dr = aws.dr
  }

  name        = local.name
  environment = var.environment
  tags        = local.tags

  vpc_id                     = data.aws_vpc.this.id
  subnet_ids                 = sort(data.aws_subnets.database.ids)
  allowed_cidr_blocks        = var.allowed_cidr_blocks
  allowed_security_group_ids = var.allowed_security_group_ids

  engine_version           = var.engine_version
  cluster_scalability_type = var.cluster_scalability_type
  shard_group              = var.shard_group
  master_password          = var.master_password
  min_capacity             = var.min_capacity
  max_capacity             = var.max_capacity
  seconds_until_auto_pause = var.seconds_until_auto_pause
  reader_promotion_tiers   = var.reader_promotion_tiers
  storage_type             = var.storage_type

  backup_retention_period        = var.backup_retention_period
  preferred_backup_window        = var.preferred_backup_window
  preferred_maintenance_window   = var.preferred_maintenance_window
  snapshot_schedule              = var.snapshot_schedule
  backup_cross_region_copy       = var.backup_cross_region_copy
  backup_cross_region_copy_rules = var.backup_cross_region_copy_rules
  deletion_protection            = var.deletion_protection
  skip_final_snapshot            = var.skip_final_snapshot

  proxy = {
    enabled                      = var.proxy_enabled
    max_connections_percent      = var.proxy_max_connections_percent
    max_idle_connections_percent = var.proxy_max_idle_connections_percent
    connection_borrow_timeout    = var.proxy_connection_borrow_timeout
    session_pinning_filters      = var.proxy_session_pinning_filters
  }

  db_parameters = var.db_parameters

  # The module creates the alarm and budget topic (create_alarm_topic), encrypted with its key.
  monthly_budget_usd = var.monthly_budget_usd
  expected_load      = var.expected_load
}
