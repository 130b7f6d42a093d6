variable "name" {
  description = "Cluster name."
  type        = string
}

variable "account_id" {
  description = "Account whose principals may assume the operator role."
  type        = string
}

variable "eks" {
  description = "sizing.json eks block of the profile."
  type = object({
    version          = string
    nodeInstanceType = string
    nodeArch         = string
    nodeVcpu         = number
    nodeMemoryGiB    = number
    nodeMin          = number
    nodeDesired      = number
    nodeMax          = number
    nodeDiskGiB      = number
  })
}

variable "workloads" {
  description = "Workload names; one ECR repository each."
  type        = list(string)
}

variable "subnet_ids" {
  description = "App subnets (private, with egress) for the control-plane ENIs and the nodes."
  type        = list(string)
}

variable "public_access_cidrs" {
  description = "CIDRs that may reach the public API endpoint."
  type        = list(string)
}

variable "security_group_ids" {
  description = "Tier security groups from the network module (alb, lambda, msk, redis, docdb)."
  type        = map(string)
}

variable "kms_key_arn" {
  description = "Customer key for Kubernetes secrets."
  type        = string
}

variable "logs_key_arn" {
  description = "Customer key of the control-plane log group."
  type        = string
}

variable "log_retention_days" {
  description = "Control-plane log retention."
  type        = number
}

variable "msk_port" {
  description = "Broker port for TLS + IAM clients."
  type        = number
}

variable "redis_port" {
  description = "Redis TLS port."
  type        = number
}

variable "docdb_port" {
  description = "DocumentDB port."
  type        = number
}

variable "gateway_port" {
  description = "Gateway container port."
  type        = number
}
