output "key_arns" {
  description = "Customer key ARN by purpose: logs, msk, docdb, redis, secrets, eks, edge."
  value       = { for k, key in aws_kms_key.this : k => key.arn }
}
