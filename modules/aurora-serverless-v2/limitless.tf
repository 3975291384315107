################################################################################
# Aurora PostgreSQL Limitless Database (cluster_scalability_type = "limitless"):
# the cluster has no instances; its routers and shards form one DB shard group,
# which scales between shard_group.min_acu and max_acu. Clients connect to the
# shard group's endpoint. What Limitless does not support is refused in
# variables.tf, naming the feature (README: Limitless mode).
################################################################################

# The subnets' zones, read only in Limitless mode (by index: the IDs may be unknown until apply).
data "aws_subnet" "limitless" {
  count = local.limitless ? length(var.subnet_ids) : 0

  id = var.subnet_ids[count.index]
}

locals {
  limitless_excluded_zone_ids = lookup(local.limitless_limits.cluster.excluded_availability_zone_ids, local.region, [])
  limitless_subnets_in_excluded_zones = [
    for s in data.aws_subnet.limitless : "${s.id} (${s.availability_zone_id})"
    if contains(local.limitless_excluded_zone_ids, s.availability_zone_id)
  ]
}

resource "aws_rds_shard_group" "this" {
  count = local.limitless ? 1 : 0

  db_shard_group_identifier = "${var.name}-shard-group"
  db_cluster_identifier     = aws_rds_cluster.this.id
  max_acu                   = var.shard_group.max_acu
  min_acu                   = var.shard_group.min_acu
  compute_redundancy        = var.shard_group.compute_redundancy
  publicly_accessible       = false # reached from the VPC only, through the cluster's security groups

  tags = local.tags

  lifecycle {
    precondition {
      condition     = length(local.limitless_subnets_in_excluded_zones) == 0
      error_message = "Aurora PostgreSQL Limitless Database is not offered in ${join(", ", local.limitless_excluded_zone_ids)} (${local.region}; AWS's Limitless requirements page): move subnet_ids out of ${join(", ", local.limitless_subnets_in_excluded_zones)}."
    }
  }

  timeouts {
    create = var.timeouts.create
    update = var.timeouts.update
    delete = var.timeouts.delete
  }
}
