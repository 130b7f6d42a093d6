data "aws_partition" "current" {}

locals {
  # Least privilege of the edges, the same table as the CDK app's LambdaAccess: the two consumers read
  # through their event source mappings (failed batches go to the SQS queue below) and write records
  # they cannot project to the dead-letter topic; admin publishes to control and seals API secrets;
  # order-query and admin verify signed requests (API keys and the key-encryption secret) and the
  # browser sessions the gateway issues (the token secret).
  access = {
    projector       = { read = ["executions"], write = ["dlq"], docdb = true, api_keys = false, kek = false, token = false }
    "order-query"   = { read = [], write = [], docdb = true, api_keys = true, kek = true, token = true }
    "market-ingest" = { read = ["prices"], write = ["dlq"], docdb = true, api_keys = false, kek = false, token = false }
    "market-query"  = { read = [], write = [], docdb = true, api_keys = false, kek = false, token = false }
    admin           = { read = [], write = ["control"], docdb = true, api_keys = true, kek = true, token = true }
  }

  consumers = { for c in var.consumers : c.function => c }

  kafka_arn = "arn:${data.aws_partition.current.partition}:kafka:${var.region}:${var.account_id}:%s/${var.msk_cluster_name}/${var.msk_cluster_uuid}/%s"

  statements = {
    for fn, a in local.access : fn => concat(
      [
        { Effect = "Allow", Action = ["logs:CreateLogStream", "logs:PutLogEvents"], Resource = [aws_cloudwatch_log_group.fn[fn].arn, "${aws_cloudwatch_log_group.fn[fn].arn}:*"] },
        # ENI management of a VPC-attached function has no resource-level permissions in EC2.
        { Effect = "Allow", Action = ["ec2:CreateNetworkInterface", "ec2:DescribeNetworkInterfaces", "ec2:DeleteNetworkInterface", "ec2:AssignPrivateIpAddresses", "ec2:UnassignPrivateIpAddresses", "ec2:DescribeSubnets", "ec2:DescribeSecurityGroups", "ec2:DescribeVpcs"], Resource = ["*"] },
        { Effect = "Allow", Action = ["xray:PutTraceSegments", "xray:PutTelemetryRecords"], Resource = ["*"] },
      ],
      [for st in [
        { Effect = "Allow", Action = ["kafka-cluster:Connect", "kafka-cluster:DescribeCluster"], Resource = [var.msk_cluster_arn] },
      ] : st if length(a.read) + length(a.write) > 0],
      [for st in [
        { Effect = "Allow", Action = ["kafka-cluster:WriteDataIdempotently"], Resource = [var.msk_cluster_arn] },
        { Effect = "Allow", Action = ["kafka-cluster:DescribeTopic", "kafka-cluster:WriteData"], Resource = [for t in a.write : format(local.kafka_arn, "topic", t)] },
      ] : st if length(a.write) > 0],
      [for st in [
        { Effect = "Allow", Action = ["kafka-cluster:DescribeTopic", "kafka-cluster:ReadData"], Resource = [for t in a.read : format(local.kafka_arn, "topic", t)] },
        # The event source mapping's consumer group is named after the function.
        { Effect = "Allow", Action = ["kafka-cluster:DescribeGroup", "kafka-cluster:AlterGroup"], Resource = [format(local.kafka_arn, "group", fn)] },
        # What the MSK poller itself needs (the AWSLambdaMSKExecutionRole set, scoped to this cluster).
        { Effect = "Allow", Action = ["kafka:DescribeCluster", "kafka:DescribeClusterV2", "kafka:GetBootstrapBrokers", "kafka-cluster:DescribeClusterDynamicConfiguration"], Resource = [var.msk_cluster_arn] },
        { Effect = "Allow", Action = ["sqs:SendMessage", "sqs:GetQueueAttributes"], Resource = [aws_sqs_queue.failures.arn] },
        { Effect = "Allow", Action = ["kms:GenerateDataKey", "kms:Decrypt"], Resource = [var.edge_key_arn] },
      ] : st if length(a.read) > 0],
      [for arn in concat(
        a.docdb ? [var.docdb_secret_arn] : [],
        a.api_keys ? [var.api_keys_secret_arn] : [],
        a.kek ? [var.kek_secret_arn] : [],
        a.token ? [var.token_secret_arn] : [],
        ) :
      { Effect = "Allow", Action = ["secretsmanager:GetSecretValue", "secretsmanager:DescribeSecret"], Resource = [arn] }],
      [for st in [{
        Effect    = "Allow"
        Action    = ["kms:Decrypt"]
        Resource  = [var.secrets_key_arn]
        Condition = { StringEquals = { "kms:ViaService" = "secretsmanager.${var.region}.amazonaws.com" } }
      }] : st if a.docdb || a.api_keys || a.kek || a.token],
    )
  }
}

# The code is the prebuilt bootstrap from `make lambdas` (arm64, -tags lambda.norpc), zipped here.
data "archive_file" "fn" {
  for_each = var.lambdas

  type        = "zip"
  source_file = "${var.artifact_dir}/${each.key}/bootstrap"
  output_path = "${path.root}/.build/lambdas/${each.key}.zip"
}

resource "aws_cloudwatch_log_group" "fn" {
  for_each = var.lambdas

  name              = "/aws/lambda/${var.name}-${each.key}"
  retention_in_days = var.log_retention_days
  kms_key_id        = var.logs_key_arn
}

resource "aws_iam_role" "fn" {
  for_each = var.lambdas

  name        = "${var.name}-fn-${each.key}"
  description = "crypto-oms Lambda ${each.key}"
  assume_role_policy = jsonencode({
    Version   = "2012-10-17"
    Statement = [{ Effect = "Allow", Principal = { Service = "lambda.amazonaws.com" }, Action = "sts:AssumeRole" }]
  })
}

resource "aws_iam_role_policy" "fn" {
  for_each = var.lambdas

  name   = "least-privilege"
  role   = aws_iam_role.fn[each.key].id
  policy = jsonencode({ Version = "2012-10-17", Statement = local.statements[each.key] })
}

resource "aws_lambda_function" "fn" {
  for_each = var.lambdas

  function_name    = "${var.name}-${each.key}"
  description      = "crypto-oms ${each.key}"
  role             = aws_iam_role.fn[each.key].arn
  runtime          = "provided.al2023"
  architectures    = ["arm64"]
  handler          = "bootstrap"
  filename         = data.archive_file.fn[each.key].output_path
  source_code_hash = data.archive_file.fn[each.key].output_base64sha256

  memory_size                    = each.value.memoryMiB
  timeout                        = each.value.timeoutSeconds
  reserved_concurrent_executions = each.value.reservedConcurrency

  vpc_config {
    subnet_ids         = var.subnet_ids
    security_group_ids = [var.security_group_id]
  }

  logging_config {
    log_format = "JSON"
    log_group  = aws_cloudwatch_log_group.fn[each.key].name
  }

  tracing_config {
    mode = "Active"
  }

  # What the main reads in AWS (lambdas/<fn>/cmd/main.go; checks/env_test.go holds them together): the
  # store and the secrets as ARNs, Kafka over TLS + IAM where the function produces.
  environment {
    variables = merge(
      local.access[each.key].docdb ? { OMS_DOCDB_SECRET_ARN = var.docdb_secret_arn, OMS_DOCDB_ENDPOINT = var.docdb_socket_address } : {},
      local.access[each.key].api_keys ? { OMS_API_KEYS_SECRET_ARN = var.api_keys_secret_arn } : {},
      local.access[each.key].kek ? { OMS_KEY_ENCRYPTION_SECRET_ARN = var.kek_secret_arn } : {},
      local.access[each.key].token ? { OMS_TOKEN_SECRET_ARN = var.token_secret_arn } : {},
      length(local.access[each.key].write) > 0 ? { OMS_KAFKA_BROKERS = var.kafka_brokers, OMS_KAFKA_AUTH = "aws-msk-iam" } : {},
      contains(local.access[each.key].write, var.dead_letter_topic) ? { OMS_DLQ_TOPIC = var.dead_letter_topic } : {},
    )
  }

  depends_on = [aws_iam_role_policy.fn]
}

# Batches that keep failing go to this encrypted queue for replay (as in the CDK app).
resource "aws_sqs_queue" "failures" {
  name                      = "${var.name}-esm-failures"
  kms_master_key_id         = var.edge_key_arn
  message_retention_seconds = 14 * 24 * 3600
}

resource "aws_sqs_queue_policy" "failures" {
  queue_url = aws_sqs_queue.failures.id
  policy = jsonencode({
    Version = "2012-10-17"
    Statement = [{
      Sid       = "EnforceTls"
      Effect    = "Deny"
      Principal = "*"
      Action    = "sqs:*"
      Resource  = aws_sqs_queue.failures.arn
      Condition = { Bool = { "aws:SecureTransport" = "false" } }
    }]
  })
}

# One MSK event source mapping per consumer in routes.json (IAM auth is implied by the cluster).
resource "aws_lambda_event_source_mapping" "consumer" {
  for_each = local.consumers

  event_source_arn                   = var.msk_cluster_arn
  function_name                      = aws_lambda_function.fn[each.key].arn
  topics                             = [each.value.topic]
  batch_size                         = each.value.batchSize
  maximum_batching_window_in_seconds = each.value.maxBatchingWindowSeconds
  starting_position                  = each.value.startingPosition

  amazon_managed_kafka_event_source_config {
    consumer_group_id = each.key
  }

  destination_config {
    on_failure {
      destination_arn = aws_sqs_queue.failures.arn
    }
  }

  depends_on = [aws_iam_role_policy.fn]
}
