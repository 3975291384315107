################################################################################
# CloudWatch alarms: capacity near max ACU, ACU utilisation, connections against
# max_connections, freeable memory, replica lag (when readers exist). None of these in
# Limitless mode: they watch Serverless v2 instances, which a Limitless cluster has none of;
# it gets the shard group's capacity alarm instead (DBShardGroupACUUtilization).
################################################################################

################################################################################
# Alarm and budget topic (unless the caller brings one): encrypted with the
# module's key, whose policy lets CloudWatch and AWS Budgets use it for this topic
################################################################################

resource "aws_sns_topic" "alarms" {
  count = var.create_alarm_topic ? 1 : 0

  name              = "${var.name}-db-alarms"
  kms_master_key_id = local.kms_key_arn
  tags              = local.tags
}

resource "aws_sns_topic_policy" "alarms" {
  count = var.create_alarm_topic ? 1 : 0

  arn = aws_sns_topic.alarms[0].arn
  policy = jsonencode({
    Version = "2012-10-17"
    Statement = [{
      Sid       = "AlarmsAndBudgetsOfThisAccount"
      Effect    = "Allow"
      Principal = { Service = ["cloudwatch.amazonaws.com", "budgets.amazonaws.com"] }
      Action    = "sns:Publish"
      Resource  = aws_sns_topic.alarms[0].arn
      Condition = { StringEquals = { "aws:SourceAccount" = local.account_id } }
    }]
  })
}

locals {
  alarm_topic_arn = var.create_alarm_topic ? aws_sns_topic.alarms[0].arn : var.alarm_sns_topic_arn
  # Its length is known at plan time even while the created topic's ARN is not (budget notifications).
  alarm_actions = var.create_alarm_topic ? [aws_sns_topic.alarms[0].arn] : compact([var.alarm_sns_topic_arn])
  load_note     = var.expected_load.pooled_connections == null ? "" : format(" Sized for %s pooled connections.", var.expected_load.pooled_connections)

  capacity_threshold_acu = var.max_capacity * var.alarms.capacity_threshold_percent / 100
  connections_threshold  = floor(local.max_connections * var.alarms.connections_threshold_percent / 100)
  instance_alarms        = var.alarms.enabled ? local.instances : {}
  reader_alarms          = { for k, v in local.instance_alarms : k => v if v.reader }
}

resource "aws_cloudwatch_metric_alarm" "capacity" {
  count = var.alarms.enabled && !local.limitless ? 1 : 0

  alarm_name          = "${var.name}-serverless-capacity-near-max"
  alarm_description   = "Aurora ${var.name} (${var.environment}) has run at >= ${local.capacity_threshold_acu} of its ${var.max_capacity} max ACU: raise max_capacity or reduce load.${local.load_note}"
  namespace           = "AWS/RDS"
  metric_name         = "ServerlessDatabaseCapacity"
  dimensions          = { DBClusterIdentifier = aws_rds_cluster.this.cluster_identifier }
  statistic           = "Maximum"
  period              = var.alarms.period_seconds
  evaluation_periods  = var.alarms.evaluation_periods
  comparison_operator = "GreaterThanOrEqualToThreshold"
  threshold           = local.capacity_threshold_acu
  treat_missing_data  = "notBreaching"
  alarm_actions       = local.alarm_actions
  ok_actions          = local.alarm_actions
  tags                = local.tags
}

resource "aws_cloudwatch_metric_alarm" "acu_utilization" {
  count = var.alarms.enabled && !local.limitless ? 1 : 0

  alarm_name          = "${var.name}-acu-utilization-high"
  alarm_description   = "Aurora ${var.name} (${var.environment}) ACUUtilization above ${var.alarms.acu_utilization_threshold_percent}% of max ACU."
  namespace           = "AWS/RDS"
  metric_name         = "ACUUtilization"
  dimensions          = { DBClusterIdentifier = aws_rds_cluster.this.cluster_identifier }
  statistic           = "Average"
  period              = var.alarms.period_seconds
  evaluation_periods  = var.alarms.evaluation_periods
  comparison_operator = "GreaterThanThreshold"
  threshold           = var.alarms.acu_utilization_threshold_percent
  treat_missing_data  = "notBreaching"
  alarm_actions       = local.alarm_actions
  ok_actions          = local.alarm_actions
  tags                = local.tags
}

# AWS's Limitless metrics (limitless-monitoring.cw.html): DBShardGroupACUUtilization is DBShardGroupCapacity
# (the shard group's writer nodes) over DBShardGroupMaxACU, in percent, per DBShardGroupIdentifier.
resource "aws_cloudwatch_metric_alarm" "shard_group_capacity" {
  count = var.alarms.enabled && local.limitless ? 1 : 0

  alarm_name          = "${var.name}-shard-group-capacity-near-max"
  alarm_description   = "Aurora Limitless ${var.name} (${var.environment}): the shard group has run at >= ${var.alarms.capacity_threshold_percent}% of its ${var.shard_group.max_acu} max ACU: raise shard_group.max_acu or reduce load."
  namespace           = "AWS/RDS"
  metric_name         = "DBShardGroupACUUtilization"
  dimensions          = { DBShardGroupIdentifier = aws_rds_shard_group.this[0].db_shard_group_identifier }
  statistic           = "Maximum"
  period              = var.alarms.period_seconds
  evaluation_periods  = var.alarms.evaluation_periods
  comparison_operator = "GreaterThanOrEqualToThreshold"
  threshold           = var.alarms.capacity_threshold_percent
  treat_missing_data  = "notBreaching"
  alarm_actions       = local.alarm_actions
  ok_actions          = local.alarm_actions
  tags                = local.tags
}

resource "aws_cloudwatch_metric_alarm" "connections" {
  for_each = local.instance_alarms

  alarm_name          = "${var.name}-${each.key}-connections-high"
  alarm_description   = "Aurora ${var.name} (${var.environment}) ${each.key}: connections above ${var.alarms.connections_threshold_percent}% of max_connections ${local.max_connections} (max ${var.max_capacity} ACU).${local.load_note}"
  namespace           = "AWS/RDS"
  metric_name         = "DatabaseConnections"
  dimensions          = { DBInstanceIdentifier = aws_rds_cluster_instance.this[each.key].identifier }
  statistic           = "Maximum"
  period              = var.alarms.period_seconds
  evaluation_periods  = var.alarms.evaluation_periods
  comparison_operator = "GreaterThanThreshold"
  threshold           = local.connections_threshold
  treat_missing_data  = "notBreaching"
  alarm_actions       = local.alarm_actions
  ok_actions          = local.alarm_actions
  tags                = local.tags
}

resource "aws_cloudwatch_metric_alarm" "freeable_memory" {
  for_each = local.instance_alarms

  alarm_name          = "${var.name}-${each.key}-freeable-memory-low"
  alarm_description   = "Aurora ${var.name} (${var.environment}) ${each.key}: FreeableMemory below ${var.alarms.freeable_memory_threshold_bytes} bytes (check work_mem and max ACU)."
  namespace           = "AWS/RDS"
  metric_name         = "FreeableMemory"
  dimensions          = { DBInstanceIdentifier = aws_rds_cluster_instance.this[each.key].identifier }
  statistic           = "Minimum"
  period              = var.alarms.period_seconds
  evaluation_periods  = var.alarms.evaluation_periods
  comparison_operator = "LessThanThreshold"
  threshold           = var.alarms.freeable_memory_threshold_bytes
  treat_missing_data  = "notBreaching"
  alarm_actions       = local.alarm_actions
  ok_actions          = local.alarm_actions
  tags                = local.tags
}

resource "aws_cloudwatch_metric_alarm" "replica_lag" {
  for_each = local.reader_alarms

  alarm_name          = "${var.name}-${each.key}-replica-lag-high"
  alarm_description   = "Aurora ${var.name} (${var.environment}) ${each.key}: AuroraReplicaLag above ${var.alarms.replica_lag_threshold_ms} ms."
  namespace           = "AWS/RDS"
  metric_name         = "AuroraReplicaLag"
  dimensions          = { DBInstanceIdentifier = aws_rds_cluster_instance.this[each.key].identifier }
  statistic           = "Maximum"
  period              = var.alarms.period_seconds
  evaluation_periods  = var.alarms.evaluation_periods
  comparison_operator = "GreaterThanThreshold"
  threshold           = var.alarms.replica_lag_threshold_ms
  treat_missing_data  = "notBreaching"
  alarm_actions       = local.alarm_actions
  ok_actions          = local.alarm_actions
  tags                = local.tags
}

################################################################################
# Cost: a monthly COST budget on the cluster's cost allocation tag
################################################################################

locals {
  budget_cost_filters = coalesce(var.budget_cost_filters, { TagKeyValue = [format("user:AuroraCluster$%s", var.name)] })
  budget_notify       = length(local.alarm_actions) + length(var.budget_notification_emails) > 0
  budget_notifications = local.budget_notify ? [
    { type = "ACTUAL", threshold = 80 },
    { type = "FORECASTED", threshold = 100 },
  ] : []
}

resource "aws_budgets_budget" "this" {
  count = var.monthly_budget_usd == null ? 0 : 1

  name         = "${var.name}-monthly"
  budget_type  = "COST"
  limit_amount = format("%.2f", var.monthly_budget_usd)
  limit_unit   = "USD"
  time_unit    = "MONTHLY"

  dynamic "cost_filter" {
    for_each = local.budget_cost_filters
    content {
      name   = cost_filter.key
      values = cost_filter.value
    }
  }

  dynamic "notification" {
    for_each = local.budget_notifications
    content {
      comparison_operator        = "GREATER_THAN"
      threshold                  = notification.value.threshold
      threshold_type             = "PERCENTAGE"
      notification_type          = notification.value.type
      subscriber_sns_topic_arns  = local.alarm_actions
      subscriber_email_addresses = var.budget_notification_emails
    }
  }

  tags = local.tags
}

################################################################################
# Sizing checks (warnings at plan time, from expected_load and AUDIT.md)
################################################################################

check "pooled_connections_fit" {
  assert {
    condition = local.limitless || var.expected_load.pooled_connections == null || try(
      var.expected_load.pooled_connections <= (var.proxy.enabled ? local.proxy_max_connections : local.max_connections), true
    )
    error_message = "expected_load.pooled_connections (${coalesce(var.expected_load.pooled_connections, 0)}) exceeds what the cluster admits at max ${var.max_capacity} ACU: max_connections ${local.max_connections}${var.proxy.enabled ? format(", of which the proxy may use %d%% = %d", var.proxy.max_connections_percent, local.proxy_max_connections) : ""}. Raise max_capacity (max_connections follows max ACU, not connections per ACU)."
  }
}

check "expected_acu_within_range" {
  assert {
    condition     = local.limitless || var.expected_load.writer_average_acu == null || try(var.expected_load.writer_average_acu >= var.min_capacity && var.expected_load.writer_average_acu <= var.max_capacity, true)
    error_message = "expected_load.writer_average_acu (${coalesce(var.expected_load.writer_average_acu, 0)}) lies outside the capacity range ${var.min_capacity}-${var.max_capacity} ACU."
  }
}

check "work_mem_fits_memory" {
  assert {
    # As generator/inputs/validate.py warns (AUDIT.md: a large work_mem on a 1-4 GiB instance risks running out of
    # memory under concurrent sorts): every pooled connection running one sort of work_mem at once must fit
    # in the memory at MIN ACU, where the cluster may sit when the sorts start. Needs expected_load.pooled_connections.
    condition     = local.limitless || var.db_parameters.work_mem == null || var.expected_load.pooled_connections == null || try(local.work_mem_exposure_gib <= local.memory_gib_at_min_acu, true)
    error_message = "db_parameters.work_mem ${coalesce(var.db_parameters.work_mem, 0)} kB x ${coalesce(var.expected_load.pooled_connections, 0)} pooled connections = ${format("%.1f", coalesce(local.work_mem_exposure_gib, 0))} GiB, more than the ${local.memory_gib_at_min_acu} GiB at min ${var.min_capacity} ACU: concurrent sorts may run out of memory. Lower work_mem or the pool, or raise min_capacity."
  }
}

locals {
  # GiB if every pooled connection ran one sort of work_mem (kB) at once (generator/model/sizing.py:work_mem_exposure_gib).
  work_mem_exposure_gib = var.db_parameters.work_mem == null || var.expected_load.pooled_connections == null ? null : var.db_parameters.work_mem * 1024 * var.expected_load.pooled_connections / pow(2, 30)
}
