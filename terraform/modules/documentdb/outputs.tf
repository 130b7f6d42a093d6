output "endpoint" {
  description = "Cluster endpoint (TLS)."
  value       = aws_docdb_cluster.this.endpoint
}

output "socket_address" {
  description = "host:port of the cluster endpoint."
  value       = "${aws_docdb_cluster.this.endpoint}:${var.documentdb.port}"
}

output "secret_arn" {
  description = "Secret holding the master user."
  value       = aws_secretsmanager_secret.master.arn
}
