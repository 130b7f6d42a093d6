locals {
  clustered = var.redis.shards > 1
}

# The AUTH token lives in Secrets Manager under the secrets key; the gateway reads it with its pod
# identity. It is also in Terraform state, which is why the backend must be encrypted (backend.tf.example).
resource "random_password" "auth" {
  length  = 64
  special = false
}

resource "aws_secretsmanager_secret" "auth" {
  name_prefix = "${var.name}-redis-auth-"
  description = "ElastiCache AUTH token of crypto-oms ${var.name}"
  kms_key_id  = var.secrets_key_arn
}

resource "aws_secretsmanager_secret_version" "auth" {
  secret_id     = aws_secretsmanager_secret.auth.id
  secret_string = random_password.auth.result
}

resource "aws_elasticache_subnet_group" "this" {
  name        = "${var.name}-redis"
  description = "crypto-oms Redis, isolated subnets"
  subnet_ids  = var.subnet_ids
}

resource "aws_elasticache_replication_group" "this" {
  replication_group_id = "${var.name}-redis"
  description          = "crypto-oms idempotency keys and rate limits"
  engine               = "redis"
  engine_version       = var.redis.engineVersion
  node_type            = var.redis.nodeType
  port                 = var.redis.port

  transit_encryption_enabled = true
  at_rest_encryption_enabled = true
  kms_key_id                 = var.kms_key_arn
  auth_token                 = random_password.auth.result

  subnet_group_name  = aws_elasticache_subnet_group.this.name
  security_group_ids = [var.security_group_id]

  snapshot_retention_limit   = var.redis.snapshotRetentionDays
  multi_az_enabled           = var.redis.multiAz
  automatic_failover_enabled = var.redis.multiAz || var.redis.replicasPerShard > 0 || local.clustered

  # One shard: a primary plus replicas. More shards: cluster mode.
  num_cache_clusters      = local.clustered ? null : 1 + var.redis.replicasPerShard
  cluster_mode            = local.clustered ? "enabled" : null
  num_node_groups         = local.clustered ? var.redis.shards : null
  replicas_per_node_group = local.clustered ? var.redis.replicasPerShard : null
}
