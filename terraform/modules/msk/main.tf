locals {
  replication = min(3, var.msk.brokerCount)

  server_properties = join("\n", [
    "auto.create.topics.enable=false", # topics exist only as declared below
    "default.replication.factor=${local.replication}",
    "min.insync.replicas=${var.msk.minInsyncReplicas}",
    "log.retention.hours=${var.msk.retentionHours}",
    "unclean.leader.election.enable=false", # an acknowledged order is never lost (DESIGN §3)
    "transaction.state.log.replication.factor=${local.replication}",
    "transaction.state.log.min.isr=${var.msk.minInsyncReplicas}",
  ])

  # control is keyed KIND/SCOPE/target and compacted, so the latest halt or limit of every target
  # survives however old it is (the CDK app's CompactedTopics); retention.ms does not apply to it.
  compacted = ["control"]

  # executions is never aged out (retention.ms -1) and not compacted either (cleanup.policy stays
  # delete): account state is the fold of executions from its first record (ADR 0002), and the
  # processor and the gateway's WebSocket hub rebuild it from offset 0, so a deleted report would
  # silently change balances. The log grows without bound until processor snapshots bound it (ADR 0002);
  # the msk-disk-used alarms watch the broker disks meanwhile (the CDK app's PermanentTopics).
  permanent = ["executions"]

  # Topic configs as base64-encoded JSON of string values, as the MSK topic API takes them (and the
  # same bytes the CDK app sends, so both tools converge on one topic definition).
  topic_configs = {
    for t, _ in var.msk.topics : t => base64encode(jsonencode(merge(
      { "min.insync.replicas" = tostring(var.msk.minInsyncReplicas) },
      contains(local.compacted, t) ? { "cleanup.policy" = "compact" } : { "retention.ms" = local.retention_ms[t] },
    )))
  }

  # retention.ms of the topics cleaned up by time: -1 (never) for the permanent ones.
  retention_ms = {
    for t, _ in var.msk.topics : t => contains(local.permanent, t) ? "-1" : tostring(var.msk.retentionHours * 3600 * 1000)
  }
}

resource "aws_cloudwatch_log_group" "broker" {
  name              = "/crypto-oms/${var.name}/msk-broker"
  retention_in_days = var.log_retention_days
  kms_key_id        = var.logs_key_arn
}

resource "aws_msk_configuration" "this" {
  name              = "${var.name}-kafka"
  kafka_versions    = [var.msk.kafkaVersion]
  server_properties = local.server_properties
}

resource "aws_msk_cluster" "this" {
  cluster_name           = var.name
  kafka_version          = var.msk.kafkaVersion
  number_of_broker_nodes = var.msk.brokerCount

  broker_node_group_info {
    client_subnets  = var.subnet_ids
    instance_type   = var.msk.brokerInstanceType
    security_groups = [var.security_group_id]

    storage_info {
      ebs_storage_info {
        volume_size = var.msk.ebsVolumeGiB
      }
    }
  }

  # IAM over TLS only: no plaintext listener, no unauthenticated clients.
  client_authentication {
    unauthenticated = false
    sasl {
      iam = true
    }
  }

  encryption_info {
    encryption_at_rest_kms_key_arn = var.kms_key_arn
    encryption_in_transit {
      client_broker = "TLS"
      in_cluster    = true
    }
  }

  configuration_info {
    arn      = aws_msk_configuration.this.arn
    revision = aws_msk_configuration.this.latest_revision
  }

  # Per-topic, per-broker metrics feed the DLQ alarm; consumer lag comes with every level.
  enhanced_monitoring = "PER_TOPIC_PER_BROKER"

  logging_info {
    broker_logs {
      cloudwatch_logs {
        enabled   = true
        log_group = aws_cloudwatch_log_group.broker.name
      }
    }
  }
}

# Topics are created by the deploy through the MSK topic API (the same API behind the CDK app's
# AWS::MSK::Topic), with partitions and replication from sizing.json.
resource "aws_msk_topic" "this" {
  for_each = var.msk.topics

  cluster_arn        = aws_msk_cluster.this.arn
  name               = each.key
  partition_count    = each.value.partitions
  replication_factor = each.value.replicationFactor
  configs            = local.topic_configs[each.key]
}
