locals {
  # "5.0.0" -> "docdb5.0", the parameter group family.
  family = "docdb${join(".", slice(split(".", var.documentdb.engineVersion), 0, 2))}"
}

# Generated here, stored in Secrets Manager under the secrets key; the Lambdas read the secret, never a
# variable. The username comes from sizing.json and is checked there against reserved words.
resource "random_password" "master" {
  length           = 32
  special          = true
  override_special = "!&*()-_=+.,;~"
}

resource "aws_secretsmanager_secret" "master" {
  name_prefix = "${var.name}-docdb-master-"
  description = "DocumentDB master user of crypto-oms ${var.name}"
  kms_key_id  = var.secrets_key_arn
}

resource "aws_secretsmanager_secret_version" "master" {
  secret_id = aws_secretsmanager_secret.master.id
  secret_string = jsonencode({
    engine   = "docdb"
    username = var.documentdb.masterUsername
    password = random_password.master.result
    host     = aws_docdb_cluster.this.endpoint
    port     = var.documentdb.port
  })
}

resource "aws_docdb_subnet_group" "this" {
  name       = "${var.name}-docdb"
  subnet_ids = var.subnet_ids
}

resource "aws_docdb_cluster_parameter_group" "this" {
  name        = "${var.name}-docdb"
  family      = local.family
  description = "crypto-oms: TLS required, audit and profiler logs on"

  parameter {
    name  = "tls"
    value = "enabled"
  }
  parameter {
    name  = "audit_logs"
    value = "enabled"
  }
  parameter {
    name  = "profiler"
    value = "enabled"
  }
}

# Created before the cluster so exported logs land in encrypted groups with a retention.
resource "aws_cloudwatch_log_group" "exports" {
  for_each = toset(["audit", "profiler"])

  name              = "/aws/docdb/${var.name}-docdb/${each.key}"
  retention_in_days = var.log_retention_days
  kms_key_id        = var.logs_key_arn
}

resource "aws_docdb_cluster" "this" {
  cluster_identifier = "${var.name}-docdb"
  engine             = "docdb"
  engine_version     = var.documentdb.engineVersion
  master_username    = var.documentdb.masterUsername
  master_password    = random_password.master.result
  port               = var.documentdb.port

  db_subnet_group_name            = aws_docdb_subnet_group.this.name
  vpc_security_group_ids          = [var.security_group_id]
  db_cluster_parameter_group_name = aws_docdb_cluster_parameter_group.this.name

  storage_encrypted = true
  kms_key_id        = var.kms_key_arn

  backup_retention_period         = var.documentdb.backupRetentionDays
  enabled_cloudwatch_logs_exports = ["audit", "profiler"]
  deletion_protection             = var.deletion_protection
  skip_final_snapshot             = false
  final_snapshot_identifier       = "${var.name}-docdb-final"

  depends_on = [aws_cloudwatch_log_group.exports]
}

resource "aws_docdb_cluster_instance" "this" {
  count = var.documentdb.instances

  identifier         = "${var.name}-docdb-${count.index + 1}"
  cluster_identifier = aws_docdb_cluster.this.id
  instance_class     = var.documentdb.instanceClass
}
