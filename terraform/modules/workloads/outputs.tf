output "role_arns" {
  description = "Pod identity role by workload."
  value       = { for w, r in aws_iam_role.workload : w => r.arn }
}

output "kek_secret_arn" {
  description = "Secret the API-secret key-encryption key is derived from."
  value       = aws_secretsmanager_secret.kek.arn
}

output "token_secret_arn" {
  description = "Secret the key signing the gateway's session and WebSocket tokens is derived from (gateway, order-query, admin)."
  value       = aws_secretsmanager_secret.token.arn
}

output "api_keys_secret_arn" {
  description = "Secret holding the gateway API keys JSON."
  value       = aws_secretsmanager_secret.api_keys.arn
}
