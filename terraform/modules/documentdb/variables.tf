variable "name" {
  description = "Name prefix of the estate."
  type        = string
}

variable "documentdb" {
  description = "sizing.json documentdb block of the profile."
  type = object({
    engineVersion       = string
    instanceClass       = string
    instances           = number
    storageGiB          = number
    backupRetentionDays = number
    masterUsername      = string
    port                = number
  })

  # DocumentDB rejects reserved words as the master user; fail at plan, not half-way through an apply.
  validation {
    condition     = !contains(["admin", "root", "administrator", "master", "postgres", "serviceadmin"], lower(var.documentdb.masterUsername))
    error_message = "The DocumentDB master username must not be a reserved word (admin, root, master, ...)."
  }
}

variable "subnet_ids" {
  description = "Isolated data subnets."
  type        = list(string)
}

variable "security_group_id" {
  description = "DocumentDB security group."
  type        = string
}

variable "kms_key_arn" {
  description = "Customer key for storage."
  type        = string
}

variable "secrets_key_arn" {
  description = "Customer key of the master user secret."
  type        = string
}

variable "logs_key_arn" {
  description = "Customer key of the exported log groups."
  type        = string
}

variable "log_retention_days" {
  description = "Retention of the exported logs."
  type        = number
}

variable "deletion_protection" {
  description = "Refuse deletion (production-like profiles)."
  type        = bool
}
