locals {
  period = 300
  # Records reaching the dead-letter topic: MSK reports per topic and broker, so add up the brokers.
  brokers = range(1, var.broker_count + 1)
}

resource "aws_sns_topic" "alarms" {
  name              = "${var.name}-alarms"
  display_name      = "crypto-oms ${var.name} alarms"
  kms_master_key_id = var.edge_key_arn
}

resource "aws_sns_topic_policy" "alarms" {
  arn = aws_sns_topic.alarms.arn
  policy = jsonencode({
    Version = "2012-10-17"
    Statement = [{
      Sid       = "EnforceTls"
      Effect    = "Deny"
      Principal = "*"
      Action    = "sns:Publish"
      Resource  = aws_sns_topic.alarms.arn
      Condition = { Bool = { "aws:SecureTransport" = "false" } }
      }, {
      Sid       = "CloudWatchPublishes"
      Effect    = "Allow"
      Principal = { Service = "cloudwatch.amazonaws.com" }
      Action    = "sns:Publish"
      Resource  = aws_sns_topic.alarms.arn
    }]
  })
}

resource "aws_cloudwatch_metric_alarm" "processor_lag" {
  alarm_name          = "${var.name}-processor-lag"
  alarm_description   = "processor consumer group lags on orders"
  namespace           = "AWS/Kafka"
  metric_name         = "MaxOffsetLag"
  statistic           = "Maximum"
  period              = local.period
  evaluation_periods  = 3
  threshold           = var.alarms.consumerLagMessages
  comparison_operator = "GreaterThanOrEqualToThreshold"
  treat_missing_data  = "notBreaching"
  dimensions          = { "Cluster Name" = var.msk_cluster_name, "Consumer Group" = "processor", "Topic" = "orders" }
  alarm_actions       = [aws_sns_topic.alarms.arn]
}

resource "aws_cloudwatch_metric_alarm" "esm_lag" {
  for_each = { for c in var.consumers : c.function => c }

  alarm_name          = "${var.name}-lag-${each.key}"
  alarm_description   = "${each.key} event source mapping lags on ${each.value.topic}"
  namespace           = "AWS/Lambda"
  metric_name         = "OffsetLag"
  statistic           = "Maximum"
  period              = local.period
  evaluation_periods  = 3
  threshold           = var.alarms.consumerLagMessages
  comparison_operator = "GreaterThanOrEqualToThreshold"
  treat_missing_data  = "notBreaching"
  dimensions          = { FunctionName = var.function_names[each.key] }
  alarm_actions       = [aws_sns_topic.alarms.arn]
}

resource "aws_cloudwatch_metric_alarm" "http_5xx_rate" {
  alarm_name          = "${var.name}-http-5xx-rate"
  alarm_description   = "share of ALB requests answered 5xx (%)"
  evaluation_periods  = 2
  threshold           = var.alarms.http5xxPercent
  comparison_operator = "GreaterThanOrEqualToThreshold"
  treat_missing_data  = "notBreaching"
  alarm_actions       = [aws_sns_topic.alarms.arn]

  metric_query {
    id          = "rate"
    expression  = "100 * (FILL(elb, 0) + FILL(target, 0)) / MAX([FILL(requests, 0), 1])"
    label       = "5xx %"
    return_data = true
  }

  dynamic "metric_query" {
    for_each = { elb = "HTTPCode_ELB_5XX_Count", target = "HTTPCode_Target_5XX_Count", requests = "RequestCount" }
    content {
      id = metric_query.key
      metric {
        namespace   = "AWS/ApplicationELB"
        metric_name = metric_query.value
        stat        = "Sum"
        period      = local.period
        dimensions  = { LoadBalancer = var.alb_arn_suffix }
      }
    }
  }
}

resource "aws_cloudwatch_metric_alarm" "p99_latency" {
  alarm_name          = "${var.name}-p99-latency"
  alarm_description   = "ALB target response time p99 (seconds)"
  namespace           = "AWS/ApplicationELB"
  metric_name         = "TargetResponseTime"
  extended_statistic  = "p99"
  period              = local.period
  evaluation_periods  = 3
  threshold           = var.alarms.p99LatencyMs / 1000
  comparison_operator = "GreaterThanOrEqualToThreshold"
  treat_missing_data  = "notBreaching"
  dimensions          = { LoadBalancer = var.alb_arn_suffix }
  alarm_actions       = [aws_sns_topic.alarms.arn]
}

resource "aws_cloudwatch_metric_alarm" "dlq_depth" {
  alarm_name          = "${var.name}-dlq-depth"
  alarm_description   = "records written to the dead-letter topic"
  evaluation_periods  = 1
  threshold           = var.alarms.dlqMessages
  comparison_operator = "GreaterThanOrEqualToThreshold"
  treat_missing_data  = "notBreaching"
  alarm_actions       = [aws_sns_topic.alarms.arn]

  metric_query {
    id          = "dlq"
    expression  = join(" + ", [for b in local.brokers : "FILL(b${b}, 0)"])
    label       = "dlq records/s"
    return_data = true
  }

  dynamic "metric_query" {
    for_each = local.brokers
    content {
      id = "b${metric_query.value}"
      metric {
        namespace   = "AWS/Kafka"
        metric_name = "MessagesInPerSec"
        stat        = "Sum"
        period      = local.period
        dimensions  = { "Cluster Name" = var.msk_cluster_name, "Broker ID" = tostring(metric_query.value), "Topic" = var.dead_letter_topic }
      }
    }
  }
}

# Broker disks: executions is kept forever (modules/msk local.permanent), so every broker's data
# volume only fills up. MSK reports the share in use per broker; one alarm each, since any full broker
# stops its partitions.
resource "aws_cloudwatch_metric_alarm" "msk_disk_used" {
  for_each = toset([for b in local.brokers : tostring(b)])

  alarm_name          = "${var.name}-msk-disk-used-${each.key}"
  alarm_description   = "MSK broker ${each.key} data-log disk used (%)"
  namespace           = "AWS/Kafka"
  metric_name         = "KafkaDataLogsDiskUsed"
  statistic           = "Maximum"
  period              = local.period
  evaluation_periods  = 1
  threshold           = var.alarms.mskDiskUsedPercent
  comparison_operator = "GreaterThanOrEqualToThreshold"
  treat_missing_data  = "notBreaching"
  dimensions          = { "Cluster Name" = var.msk_cluster_name, "Broker ID" = each.key }
  alarm_actions       = [aws_sns_topic.alarms.arn]
}

resource "aws_cloudwatch_metric_alarm" "esm_failures" {
  alarm_name          = "${var.name}-esm-failure-records"
  alarm_description   = "event-source batches that failed into the failure queue"
  namespace           = "AWS/SQS"
  metric_name         = "ApproximateNumberOfMessagesVisible"
  statistic           = "Maximum"
  period              = local.period
  evaluation_periods  = 1
  threshold           = var.alarms.dlqMessages
  comparison_operator = "GreaterThanOrEqualToThreshold"
  treat_missing_data  = "notBreaching"
  dimensions          = { QueueName = var.failure_queue_name }
  alarm_actions       = [aws_sns_topic.alarms.arn]
}

resource "aws_cloudwatch_metric_alarm" "lambda_errors" {
  for_each = var.function_names

  alarm_name          = "${var.name}-errors-${each.key}"
  alarm_description   = "${each.key} Lambda errors"
  namespace           = "AWS/Lambda"
  metric_name         = "Errors"
  statistic           = "Sum"
  period              = local.period
  evaluation_periods  = 1
  threshold           = var.alarms.lambdaErrors
  comparison_operator = "GreaterThanOrEqualToThreshold"
  treat_missing_data  = "notBreaching"
  dimensions          = { FunctionName = each.value }
  alarm_actions       = [aws_sns_topic.alarms.arn]
}
