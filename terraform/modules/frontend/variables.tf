variable "name" {
  description = "Name prefix of the estate."
  type        = string
}

variable "price_class" {
  description = "CloudFront price class (sizing.json frontend.priceClass)."
  type        = string
}

variable "api_domain_name" {
  description = "Domain of the ALB certificate (sizing.json alb.domainName), the API origin."
  type        = string
}

variable "rate_limit_per_5min" {
  description = "WAF rate limit per IP."
  type        = number
}

variable "log_retention_days" {
  description = "Access log expiry."
  type        = number
}
