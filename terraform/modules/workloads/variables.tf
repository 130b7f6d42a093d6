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

variable "namespace" {
  description = "Kubernetes namespace of the hot-path workloads."
  type        = string
}

variable "cluster_name" {
  description = "EKS cluster name."
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

variable "redis_auth_secret_arn" {
  description = "Secret holding the Redis AUTH token (gateway only)."
  type        = string
}

variable "docdb_secret_arn" {
  description = "DocumentDB master user secret (the gateway reads admin-created API keys from the store)."
  type        = string
}

variable "secrets_key_arn" {
  description = "Customer key of the secrets."
  type        = string
}
