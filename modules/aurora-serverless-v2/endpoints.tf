################################################################################
# Custom endpoints, IAM role associations and Application Auto Scaling of the
# readers: what the cluster offers beyond its writer and reader endpoints
################################################################################

# One endpoint per var.endpoints entry, its members named by instance key (writer, reader-N).
resource "aws_rds_cluster_endpoint" "this" {
  for_each = var.endpoints

  cluster_identifier          = aws_rds_cluster.this.id
  cluster_endpoint_identifier = "${var.name}-${each.key}"
  custom_endpoint_type        = each.value.type
  static_members              = length(each.value.static_members) > 0 ? [for m in each.value.static_members : aws_rds_cluster_instance.this[m].identifier] : null
  excluded_members            = length(each.value.excluded_members) > 0 ? [for m in each.value.excluded_members : aws_rds_cluster_instance.this[m].identifier] : null

  tags = merge(local.tags, each.value.tags)
}

resource "aws_rds_cluster_role_association" "this" {
  for_each = var.iam_role_associations

  db_cluster_identifier = aws_rds_cluster.this.id
  feature_name          = each.key
  role_arn              = each.value
}

# Aurora Auto Scaling: ReadReplicaCount counts every reader, the module's included; the readers it adds
# are Aurora's (named application-autoscaling-...), outside Terraform's state and the module's alarms.
resource "aws_appautoscaling_target" "readers" {
  count = var.reader_autoscaling == null ? 0 : 1

  service_namespace  = "rds"
  scalable_dimension = "rds:cluster:ReadReplicaCount"
  resource_id        = "cluster:${aws_rds_cluster.this.cluster_identifier}"
  min_capacity       = var.reader_autoscaling.min_capacity
  max_capacity       = var.reader_autoscaling.max_capacity
  tags               = local.tags

  # Scale once the module's own instances exist, so they are counted.
  depends_on = [aws_rds_cluster_instance.this]
}

resource "aws_appautoscaling_policy" "readers" {
  count = var.reader_autoscaling == null ? 0 : 1

  name               = "${var.name}-readers-${var.reader_autoscaling.metric}"
  policy_type        = "TargetTrackingScaling"
  service_namespace  = aws_appautoscaling_target.readers[0].service_namespace
  scalable_dimension = aws_appautoscaling_target.readers[0].scalable_dimension
  resource_id        = aws_appautoscaling_target.readers[0].resource_id

  target_tracking_scaling_policy_configuration {
    predefined_metric_specification {
      predefined_metric_type = var.reader_autoscaling.metric == "cpu" ? "RDSReaderAverageCPUUtilization" : "RDSReaderAverageDatabaseConnections"
    }
    target_value       = var.reader_autoscaling.target_value
    scale_in_cooldown  = var.reader_autoscaling.scale_in_cooldown
    scale_out_cooldown = var.reader_autoscaling.scale_out_cooldown
  }
}
