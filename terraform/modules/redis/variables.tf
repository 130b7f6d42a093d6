variable "name" {
  description = "Name prefix of the estate."
  type        = string
}

variable "redis" {
  description = "sizing.json redis block of the profile."
  type = object({
    engineVersion         = string
    nodeType              = string
    shards                = number
    replicasPerShard      = number
    multiAz               = bool
    snapshotRetentionDays = number
    port                  = number
  })
}

variable "subnet_ids" {
  description = "Isolated data subnets."
  type        = list(string)
}

variable "security_group_id" {
  description = "Redis security group."
  type        = string
}

variable "kms_key_arn" {
  description = "Customer key for data at rest."
  type        = string
}

variable "secrets_key_arn" {
  description = "Customer key of the AUTH token secret."
  type        = string
}
