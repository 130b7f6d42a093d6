variable "name" {
  description = "Cluster name (also part of every Kafka resource ARN in IAM policies)."
  type        = string
}

variable "msk" {
  description = "sizing.json msk block of the profile."
  type = object({
    kafkaVersion       = string
    brokerInstanceType = string
    brokerCount        = number
    ebsVolumeGiB       = number
    minInsyncReplicas  = number
    retentionHours     = number
    topics = map(object({
      partitions        = number
      replicationFactor = number
    }))
  })
}

variable "subnet_ids" {
  description = "Isolated data subnets, one per AZ."
  type        = list(string)
}

variable "security_group_id" {
  description = "Broker security group."
  type        = string
}

variable "kms_key_arn" {
  description = "Customer key for broker volumes."
  type        = string
}

variable "logs_key_arn" {
  description = "Customer key for the broker log group."
  type        = string
}

variable "log_retention_days" {
  description = "Broker log retention (sizing.json logs.retentionDays)."
  type        = number
}
