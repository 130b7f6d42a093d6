output "endpoint" {
  description = "Endpoint clients dial over TLS."
  value       = var.redis.shards > 1 ? aws_elasticache_replication_group.this.configuration_endpoint_address : aws_elasticache_replication_group.this.primary_endpoint_address
}

output "auth_secret_arn" {
  description = "Secret holding the AUTH token."
  value       = aws_secretsmanager_secret.auth.arn
}
