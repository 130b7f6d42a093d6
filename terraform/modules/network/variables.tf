variable "name" {
  description = "Name prefix of the estate."
  type        = string
}

variable "region" {
  description = "Region; AZs are <region>a, b, c as in the CDK app."
  type        = string
}

variable "network" {
  description = "sizing.json network block of the profile."
  type = object({
    vpcCidr              = string
    azCount              = number
    natGateways          = number
    flowLogRetentionDays = number
  })
}

variable "logs_key_arn" {
  description = "KMS key for the flow log group."
  type        = string
}

variable "msk_port" {
  description = "Broker port for TLS + IAM clients."
  type        = number
}

variable "docdb_port" {
  description = "DocumentDB port from sizing.json."
  type        = number
}

variable "gateway_port" {
  description = "Container port of the gateway pods (ALB target)."
  type        = number
}
