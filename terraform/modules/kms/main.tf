data "aws_caller_identity" "current" {}
data "aws_partition" "current" {}

locals {
  account = data.aws_caller_identity.current.account_id
  root    = "arn:${data.aws_partition.current.partition}:iam::${local.account}:root"

  # One customer key per kind of data, rotation on, so that revoking or auditing one does not touch
  # the others. Logs and edge keys need service principals in their policies; the rest are used by the
  # services through grants made on the caller's behalf, which the account-root statement allows.
  keys = {
    logs    = "CloudWatch Logs encryption (flow logs, Lambda, MSK, EKS)"
    msk     = "MSK broker volumes"
    docdb   = "DocumentDB storage"
    redis   = "ElastiCache at rest"
    secrets = "Secrets Manager secrets of crypto-oms"
    eks     = "EKS secrets envelope encryption"
    edge    = "Alarm topic and event-source failure queue"
  }

  root_statement = {
    Sid       = "AccountAdministers"
    Effect    = "Allow"
    Principal = { AWS = local.root }
    Action    = "kms:*"
    Resource  = "*"
  }
  service_statements = {
    logs = [{
      Sid       = "CloudWatchLogsOfThisAccount"
      Effect    = "Allow"
      Principal = { Service = "logs.${var.region}.amazonaws.com" }
      Action    = ["kms:Encrypt*", "kms:Decrypt*", "kms:ReEncrypt*", "kms:GenerateDataKey*", "kms:Describe*"]
      Resource  = "*"
      Condition = {
        ArnLike = { "kms:EncryptionContext:aws:logs:arn" = "arn:${data.aws_partition.current.partition}:logs:${var.region}:${local.account}:*" }
      }
    }]
    edge = [{
      Sid       = "CloudWatchAlarmsPublish"
      Effect    = "Allow"
      Principal = { Service = "cloudwatch.amazonaws.com" }
      Action    = ["kms:Decrypt", "kms:GenerateDataKey*"]
      Resource  = "*"
      Condition = { StringEquals = { "aws:SourceAccount" = local.account } }
    }]
  }
}

resource "aws_kms_key" "this" {
  for_each = local.keys

  description             = "crypto-oms ${var.name}: ${each.value}"
  enable_key_rotation     = true
  deletion_window_in_days = 30
  policy = jsonencode({
    Version   = "2012-10-17"
    Statement = concat([local.root_statement], lookup(local.service_statements, each.key, []))
  })
}

resource "aws_kms_alias" "this" {
  for_each = local.keys

  name          = "alias/${var.name}/${each.key}"
  target_key_id = aws_kms_key.this[each.key].key_id
}
