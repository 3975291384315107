################################################################################
# Aurora PostgreSQL Limitless Database (cluster_scalability_type = "limitless"):
# the cluster has no instances; its routers and shards form one DB shard group,
# which scales between shard_group.min_acu and max_acu. Clients connect to the
# shard group's endpoint. What Limitless does not support is refused in
# variables.tf, naming the feature (README: Limitless mode).
################################################################################

resource "aws_rds_shard_group" "this" {
  count = local.limitless ? 1 : 0

  db_shard_group_identifier = "${var.name}-shard-group"
  db_cluster_identifier     = aws_rds_cluster.this.id
  max_acu                   = var.shard_group.max_acu
  min_acu                   = var.shard_group.min_acu
  compute_redundancy        = var.shard_group.compute_redundancy
  publicly_accessible       = false # reached from the VPC only, through the cluster's security groups

  tags = local.tags

  timeouts {
    create = var.timeouts.create
    update = var.timeouts.update
    delete = var.timeouts.delete
  }
}
