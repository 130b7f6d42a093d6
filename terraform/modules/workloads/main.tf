data "aws_partition" "current" {}

locals {
  # Least privilege of the hot path (DESIGN §3), the same table as the CDK app's Access: the gateway
  # produces orders and streams executions and prices to WebSocket clients (tailing every partition,
  # no consumer group) with tokens signed under the token secret; the processor consumes orders
  # (prices for the paper venue, control for halts) and writes executions transactionally; marketdata
  # publishes and fans out prices.
  access = {
    gateway    = { read = ["executions", "prices", "control"], write = ["orders"], groups = ["gateway-*"], txn_prefix = "", redis = true, api_keys = true, docdb = true, kek = true, token = true }
    processor  = { read = ["orders", "prices", "control"], write = ["executions", "dlq"], groups = ["processor*"], txn_prefix = "processor-", redis = false, api_keys = false, docdb = false, kek = false, token = false }
    marketdata = { read = ["prices"], write = ["prices"], groups = ["marketdata-*"], txn_prefix = "", redis = false, api_keys = false, docdb = false, kek = false, token = false }
  }

  # MSK data-plane ARNs reuse the cluster name and UUID.
  kafka_prefix = "arn:${data.aws_partition.current.partition}:kafka:${var.region}:${var.account_id}"
  kafka_arn    = "${local.kafka_prefix}:%s/${var.msk_cluster_name}/${var.msk_cluster_uuid}/%s"

  statements = {
    for w, a in local.access : w => concat(
      [{ Effect = "Allow", Action = ["kafka-cluster:Connect", "kafka-cluster:DescribeCluster"], Resource = [var.msk_cluster_arn] }],
      [for st in [
        # Idempotent producers (acks=all, DESIGN §3) need this cluster-level action.
        { Effect = "Allow", Action = ["kafka-cluster:WriteDataIdempotently"], Resource = [var.msk_cluster_arn] },
        { Effect = "Allow", Action = ["kafka-cluster:DescribeTopic", "kafka-cluster:WriteData"], Resource = [for t in a.write : format(local.kafka_arn, "topic", t)] },
      ] : st if length(a.write) > 0],
      [for st in [
        { Effect = "Allow", Action = ["kafka-cluster:DescribeTopic", "kafka-cluster:ReadData"], Resource = [for t in a.read : format(local.kafka_arn, "topic", t)] },
        { Effect = "Allow", Action = ["kafka-cluster:DescribeGroup", "kafka-cluster:AlterGroup"], Resource = [for g in a.groups : format(local.kafka_arn, "group", g)] },
      ] : st if length(a.read) > 0],
      [for st in [
        { Effect = "Allow", Action = ["kafka-cluster:DescribeTransactionalId", "kafka-cluster:AlterTransactionalId"], Resource = [format(local.kafka_arn, "transactional-id", "${a.txn_prefix}*")] },
      ] : st if a.txn_prefix != ""],
      [for arn in concat(
        a.redis ? [var.redis_auth_secret_arn] : [],
        a.api_keys ? [aws_secretsmanager_secret.api_keys.arn] : [],
        a.docdb ? [var.docdb_secret_arn] : [],
        a.kek ? [aws_secretsmanager_secret.kek.arn] : [],
        a.token ? [aws_secretsmanager_secret.token.arn] : [],
        ) :
      { Effect = "Allow", Action = ["secretsmanager:GetSecretValue", "secretsmanager:DescribeSecret"], Resource = [arn] }],
      [for st in [{
        Effect    = "Allow"
        Action    = ["kms:Decrypt"]
        Resource  = [var.secrets_key_arn]
        Condition = { StringEquals = { "kms:ViaService" = "secretsmanager.${var.region}.amazonaws.com" } }
      }] : st if a.redis || a.api_keys || a.docdb || a.kek || a.token],
    )
  }
}

# Operators put the real keys into this secret (docs/deploy-terraform.md); Terraform never sees them.
resource "aws_secretsmanager_secret" "api_keys" {
  name_prefix = "${var.name}-api-keys-"
  description = "crypto-oms gateway API keys (JSON)"
  kms_key_id  = var.secrets_key_arn
}

# The secret the API-secret key-encryption key is derived from (lambdas/boot): 64 alphanumerics, as the
# CDK app generates it. The admin function seals API secrets under the derived key; the gateway and
# order-query unseal them. Never rotate it without re-sealing every stored API secret
# (docs/deploy-terraform.md). Like the Redis token, the value is in Terraform state.
resource "random_password" "kek" {
  length  = 64
  special = false
}

resource "aws_secretsmanager_secret" "kek" {
  name_prefix = "${var.name}-key-encryption-"
  description = "crypto-oms API-secret key-encryption secret (never rotate without re-sealing)"
  kms_key_id  = var.secrets_key_arn
}

resource "aws_secretsmanager_secret_version" "kek" {
  secret_id     = aws_secretsmanager_secret.kek.id
  secret_string = random_password.kek.result

  # A new value would make every sealed API secret unreadable.
  lifecycle {
    ignore_changes = [secret_string]
  }
}

# The token secret: the gateway derives from it the key that signs its short-lived tokens (lambdas/boot
# TokenSecret), browser session cookies (POST /api/session) and WebSocket tokens (POST /api/ws-token);
# the order-query and admin functions derive the same key to verify sessions (modules/lambdas). It is
# generated like the key-encryption secret, and every gateway pod derives the same key, so a token one
# pod issues is accepted by any other. Pods and functions read it at start. Like the Redis token, the
# value is in Terraform state.
resource "random_password" "token" {
  length  = 64
  special = false
}

resource "aws_secretsmanager_secret" "token" {
  name_prefix = "${var.name}-token-"
  description = "crypto-oms token secret: signs the gateway's short-lived tokens: browser sessions and WebSocket connections; shared by every gateway pod and the order-query and admin functions"
  kms_key_id  = var.secrets_key_arn
}

resource "aws_secretsmanager_secret_version" "token" {
  secret_id     = aws_secretsmanager_secret.token.id
  secret_string = random_password.token.result

  # Changed only by an operator, followed by a gateway rollout and a function update (it logs every
  # browser out); an apply does not put the old value back.
  lifecycle {
    ignore_changes = [secret_string]
  }
}

# Renamed from the stream-token secret: an estate applied before keeps its generated value.
moved {
  from = random_password.stream
  to   = random_password.token
}

moved {
  from = aws_secretsmanager_secret.stream
  to   = aws_secretsmanager_secret.token
}

moved {
  from = aws_secretsmanager_secret_version.stream
  to   = aws_secretsmanager_secret_version.token
}

resource "aws_iam_role" "workload" {
  for_each = local.access

  name        = "${var.name}-pod-${each.key}"
  description = "crypto-oms ${each.key} pods (EKS pod identity)"
  assume_role_policy = jsonencode({
    Version = "2012-10-17"
    Statement = [{
      Effect    = "Allow"
      Principal = { Service = "pods.eks.amazonaws.com" }
      Action    = ["sts:AssumeRole", "sts:TagSession"]
    }]
  })
}

resource "aws_iam_role_policy" "workload" {
  for_each = local.access

  name   = "least-privilege"
  role   = aws_iam_role.workload[each.key].id
  policy = jsonencode({ Version = "2012-10-17", Statement = local.statements[each.key] })
}

resource "aws_eks_pod_identity_association" "workload" {
  for_each = local.access

  cluster_name    = var.cluster_name
  namespace       = var.namespace
  service_account = each.key
  role_arn        = aws_iam_role.workload[each.key].arn
}
