# CloudWatch alarms, max_connections by max ACU, and the cost budget (mock providers).

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

run "alarms_on_capacity_connections_memory_and_lag" {
  command = plan

  variables {
    create_alarm_topic  = false
    alarm_sns_topic_arn = "arn:aws:sns:us-east-1:123456789012:db-alarms"
  }

  assert {
    condition     = length(aws_sns_topic.alarms) == 0 && length(aws_sns_topic_policy.alarms) == 0 && output.alarm_sns_topic_arn == var.alarm_sns_topic_arn
    error_message = "a topic passed in: none created, the output is the one passed"
  }
  assert {
    condition     = aws_cloudwatch_metric_alarm.capacity[0].metric_name == "ServerlessDatabaseCapacity" && aws_cloudwatch_metric_alarm.capacity[0].threshold == 28.8
    error_message = "capacity alarm at 90% of max 32 ACU"
  }
  assert {
    condition     = length(aws_cloudwatch_metric_alarm.shard_group_capacity) == 0
    error_message = "no shard group alarm on a single-writer cluster"
  }
  assert {
    condition     = aws_cloudwatch_metric_alarm.acu_utilization[0].metric_name == "ACUUtilization" && aws_cloudwatch_metric_alarm.acu_utilization[0].threshold == 90
    error_message = "ACUUtilization alarm above 90%"
  }
  assert {
    condition     = keys(aws_cloudwatch_metric_alarm.connections) == ["reader-1", "reader-2", "writer"] && alltrue([for a in aws_cloudwatch_metric_alarm.connections : a.metric_name == "DatabaseConnections" && a.threshold == 4000])
    error_message = "connections alarm per instance at 80% of max_connections 5000"
  }
  assert {
    condition     = alltrue([for a in aws_cloudwatch_metric_alarm.freeable_memory : a.metric_name == "FreeableMemory" && a.comparison_operator == "LessThanThreshold"]) && length(aws_cloudwatch_metric_alarm.freeable_memory) == 3
    error_message = "freeable memory alarm per instance"
  }
  assert {
    condition     = keys(aws_cloudwatch_metric_alarm.replica_lag) == ["reader-1", "reader-2"] && alltrue([for a in aws_cloudwatch_metric_alarm.replica_lag : a.metric_name == "AuroraReplicaLag"])
    error_message = "replica lag alarm per reader"
  }
  assert {
    condition     = alltrue([for a in concat(aws_cloudwatch_metric_alarm.capacity, values(aws_cloudwatch_metric_alarm.connections)) : a.alarm_actions == toset([var.alarm_sns_topic_arn])])
    error_message = "alarms notify the SNS topic"
  }
}

run "no_replica_lag_alarm_without_readers" {
  command = plan

  variables {
    reader_promotion_tiers = []
  }

  assert {
    condition     = length(aws_cloudwatch_metric_alarm.replica_lag) == 0 && keys(aws_cloudwatch_metric_alarm.connections) == ["writer"]
    error_message = "no readers: no replica lag alarm"
  }
}

run "max_connections_1_acu" {
  command = plan
  variables {
    min_capacity = 1
    max_capacity = 1
  }
  assert {
    condition     = output.max_connections == 189
    error_message = "max 1 ACU: 189"
  }
}

run "max_connections_8_acu" {
  command = plan
  variables {
    max_capacity = 8
  }
  assert {
    condition     = output.max_connections == 1669 && aws_cloudwatch_metric_alarm.connections["writer"].threshold == 1335
    error_message = "max 8 ACU: 1669 (alarm at 80% = 1335)"
  }
}

run "max_connections_16_acu" {
  command = plan
  variables {
    max_capacity = 16
  }
  assert {
    condition     = output.max_connections == 3360
    error_message = "max 16 ACU: 3360"
  }
}

run "max_connections_capped_at_2000_with_min_half_acu" {
  command = plan
  variables {
    min_capacity = 0.5
    max_capacity = 64
  }
  assert {
    condition     = output.max_connections == 2000
    error_message = "min ACU 0.5 caps max_connections at 2000"
  }
}

run "budget_at_monthly_limit" {
  command = plan

  variables {
    monthly_budget_usd  = 4000
    create_alarm_topic  = false
    alarm_sns_topic_arn = "arn:aws:sns:us-east-1:123456789012:db-alarms"
  }

  assert {
    condition     = aws_budgets_budget.this[0].budget_type == "COST" && aws_budgets_budget.this[0].limit_amount == "4000.00" && aws_budgets_budget.this[0].time_unit == "MONTHLY"
    error_message = "a monthly COST budget at monthly_budget_usd"
  }
  assert {
    condition     = [for f in aws_budgets_budget.this[0].cost_filter : "${f.name}=${join(",", f.values)}"] == ["TagKeyValue=user:AuroraCluster$mistersmith-test"]
    error_message = "the budget filters on the cluster's cost allocation tag"
  }
  assert {
    condition     = length(aws_budgets_budget.this[0].notification) == 2
    error_message = "actual and forecast notifications go to the topic"
  }
}

run "no_budget_when_null" {
  command = plan

  assert {
    condition     = length(aws_budgets_budget.this) == 0
    error_message = "no budget without monthly_budget_usd"
  }
}

run "creates_an_encrypted_alarm_topic_by_default" {
  command = plan

  variables {
    monthly_budget_usd = 1000
  }

  # ARNs exist only after apply: give the plan some.
  override_resource {
    target          = aws_kms_key.this
    override_during = plan
    values          = { arn = "arn:aws:kms:us-east-1:123456789012:key/11111111-2222-3333-4444-555555555555" }
  }
  override_resource {
    target          = aws_sns_topic.alarms
    override_during = plan
    values          = { arn = "arn:aws:sns:us-east-1:123456789012:mistersmith-test-db-alarms" }
  }

  assert {
    condition     = length(aws_sns_topic.alarms) == 1 && aws_sns_topic.alarms[0].name == "mistersmith-test-db-alarms"
    error_message = "the module creates <name>-db-alarms when no topic is passed"
  }
  assert {
    condition     = aws_sns_topic.alarms[0].kms_master_key_id == aws_kms_key.this[0].arn
    error_message = "the topic is encrypted with the module's key"
  }
  assert {
    condition = (
      jsondecode(aws_sns_topic_policy.alarms[0].policy).Statement[0].Action == "sns:Publish" &&
      jsondecode(aws_sns_topic_policy.alarms[0].policy).Statement[0].Resource == "arn:aws:sns:us-east-1:123456789012:mistersmith-test-db-alarms" &&
      toset(jsondecode(aws_sns_topic_policy.alarms[0].policy).Statement[0].Principal.Service) == toset(["cloudwatch.amazonaws.com", "budgets.amazonaws.com"]) &&
      jsondecode(aws_sns_topic_policy.alarms[0].policy).Statement[0].Condition.StringEquals["aws:SourceAccount"] == "123456789012"
    )
    error_message = "CloudWatch and Budgets of this account only may publish to the topic"
  }
  assert {
    condition     = output.alarm_sns_topic_arn == "arn:aws:sns:us-east-1:123456789012:mistersmith-test-db-alarms"
    error_message = "the output is the created topic"
  }
  assert {
    condition = alltrue([for a in concat(aws_cloudwatch_metric_alarm.capacity, values(aws_cloudwatch_metric_alarm.connections), values(aws_cloudwatch_metric_alarm.replica_lag)) :
    a.alarm_actions == toset([output.alarm_sns_topic_arn]) && a.ok_actions == toset([output.alarm_sns_topic_arn])])
    error_message = "alarms (and OKs) notify the created topic"
  }
  assert {
    condition     = alltrue([for n in aws_budgets_budget.this[0].notification : n.subscriber_sns_topic_arns == toset([output.alarm_sns_topic_arn])])
    error_message = "budget alerts go to the created topic"
  }
}

run "key_policy_lets_alarms_and_budgets_use_the_key" {
  command = plan

  # Without kms:GenerateDataKey* and kms:Decrypt for these principals, publishing to the encrypted topic
  # fails and the alarms silently notify nobody.
  assert {
    condition = length([for st in jsondecode(aws_kms_key.this[0].policy).Statement : st if try(
      st.Effect == "Allow" &&
      toset(st.Principal.Service) == toset(["cloudwatch.amazonaws.com", "budgets.amazonaws.com"]) &&
      toset(st.Action) == toset(["kms:Decrypt", "kms:GenerateDataKey*"]) &&
      st.Condition.StringEquals["aws:SourceAccount"] == "123456789012"
    , false)]) == 1
    error_message = "the key policy grants cloudwatch.amazonaws.com and budgets.amazonaws.com of this account kms:GenerateDataKey* and kms:Decrypt"
  }
}

run "no_topic_and_no_actions_when_disabled" {
  command = plan

  variables {
    create_alarm_topic = false
    monthly_budget_usd = 1000
  }

  assert {
    condition     = length(aws_sns_topic.alarms) == 0 && output.alarm_sns_topic_arn == null
    error_message = "create_alarm_topic = false without a topic: none"
  }
  assert {
    condition     = alltrue([for a in concat(aws_cloudwatch_metric_alarm.capacity, values(aws_cloudwatch_metric_alarm.connections)) : length(a.alarm_actions) == 0])
    error_message = "alarms without actions"
  }
  assert {
    condition     = length(aws_budgets_budget.this[0].notification) == 0
    error_message = "no budget notification without a subscriber"
  }
}

run "rejects_a_topic_passed_while_creating_one" {
  command = plan

  variables {
    alarm_sns_topic_arn = "arn:aws:sns:us-east-1:123456789012:db-alarms"
  }

  expect_failures = [var.alarm_sns_topic_arn]
}
