variable "name" {
  description = "Name prefix of the estate (also the ALB name)."
  type        = string
}

variable "alb" {
  description = "sizing.json alb block of the profile."
  type = object({
    domainName         = string
    certificateArn     = string
    sslPolicy          = string
    idleTimeoutSeconds = number
  })
}

variable "rate_limit_per_5min" {
  description = "WAF rate limit per IP (sizing.json waf.rateLimitPer5Min)."
  type        = number
}

variable "routes" {
  description = "routes.json routes: one listener rule each."
  type = list(object({
    name     = string
    priority = number
    paths    = list(string)
    methods  = list(string)
    target   = string
  }))
}

variable "targets" {
  description = "routes.json targets: eks workload or lambda function."
  type = map(object({
    kind     = string
    workload = optional(string)
    function = optional(string)
  }))
}

variable "workload_ports" {
  description = "Container port by EKS workload."
  type        = map(number)
}

variable "function_arns" {
  description = "Lambda ARN by function."
  type        = map(string)
}

variable "function_names" {
  description = "Deployed Lambda name by function."
  type        = map(string)
}

variable "vpc_id" {
  description = "VPC of the IP target groups."
  type        = string
}

variable "subnet_ids" {
  description = "Public subnets."
  type        = list(string)
}

variable "security_group_id" {
  description = "ALB security group."
  type        = string
}

variable "cluster_name" {
  description = "EKS cluster the load balancer controller runs in."
  type        = string
}

variable "log_retention_days" {
  description = "Access log expiry."
  type        = number
}

variable "deletion_protection" {
  description = "Refuse deletion (production-like profiles)."
  type        = bool
}
