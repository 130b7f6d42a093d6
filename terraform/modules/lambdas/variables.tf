variable "name" {
  description = "Name prefix of the estate."
  type        = string
}

variable "region" {
  description = "Region of the estate."
  type        = string
}

variable "account_id" {
  description = "Account id, part of Kafka resource ARNs."
  type        = string
}

variable "lambdas" {
  description = "sizing.json lambdas block: size of each function."
  type = map(object({
    memoryMiB           = number
    timeoutSeconds      = number
    reservedConcurrency = number
  }))
}

variable "consumers" {
  description = "routes.json consumers: topic -> function wiring."
  type = list(object({
    function                 = string
    topic                    = string
    batchSize                = number
    maxBatchingWindowSeconds = number
    startingPosition         = string
  }))
}

variable "dead_letter_topic" {
  description = "routes.json deadLetterTopic."
  type        = string
}

variable "artifact_dir" {
  description = "Directory holding <function>/bootstrap."
  type        = string
}

variable "subnet_ids" {
  description = "App subnets."
  type        = list(string)
}

variable "security_group_id" {
  description = "Lambda security group."
  type        = string
}

variable "logs_key_arn" {
  description = "Customer key of the log groups."
  type        = string
}

variable "log_retention_days" {
  description = "Log retention (sizing.json logs.retentionDays)."
  type        = number
}

variable "edge_key_arn" {
  description = "Customer key of the failure queue."
  type        = string
}

variable "secrets_key_arn" {
  description = "Customer key of the secrets."
  type        = string
}

variable "docdb_secret_arn" {
  description = "DocumentDB master user secret."
  type        = string
}

variable "docdb_socket_address" {
  description = "DocumentDB host:port."
  type        = string
}

variable "api_keys_secret_arn" {
  description = "Bootstrap API keys secret (order-query and admin)."
  type        = string
}

variable "kek_secret_arn" {
  description = "Key-encryption secret (order-query and admin)."
  type        = string
}

variable "token_secret_arn" {
  description = "Token secret the gateway signs browser sessions with (order-query and admin verify them)."
  type        = string
}

variable "msk_cluster_arn" {
  description = "MSK cluster ARN."
  type        = string
}

variable "msk_cluster_name" {
  description = "MSK cluster name."
  type        = string
}

variable "msk_cluster_uuid" {
  description = "MSK cluster UUID."
  type        = string
}

variable "kafka_brokers" {
  description = "Bootstrap brokers (TLS + IAM)."
  type        = string
}
